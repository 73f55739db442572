/**
 * The starting taxonomy of learning themes, from the national Panel's recurring themes and SCIE
 * (docs: ../shared/docs/domain.md §6). Each partnership starts from this list (taxonomy version 1)
 * and its administrator adds, renames or retires themes from there.
 */
export const DEFAULT_THEMES: readonly { key: string; name: string; keywords: readonly string[] }[] = [
  {
    key: 'professional-curiosity',
    name: 'Professional curiosity and healthy scepticism',
    keywords: [
      'professional curiosity',
      'curious',
      'curiosity',
      'healthy scepticism',
      'respectful uncertainty',
      'taken at face value',
      'accepted at face value',
    ],
  },
  {
    key: 'voice-of-the-child',
    name: 'Voice and lived experience of the child',
    keywords: [
      'voice of the child',
      "child's voice",
      'lived experience',
      'daily life',
      'seen alone',
      'spoken to alone',
      'child was not seen',
      'wishes and feelings',
      'day to day life',
    ],
  },
  {
    key: 'information-sharing',
    name: 'Information sharing',
    keywords: [
      'information sharing',
      'share information',
      'shared information',
      'information was not shared',
      'not shared',
      'sharing information',
      'communication between agencies',
      'operation encompass',
    ],
  },
  {
    key: 'risk-assessment',
    name: 'Risk assessment (including cumulative and changing risk)',
    keywords: [
      'risk assessment',
      'assessment of risk',
      'cumulative risk',
      'changing risk',
      'cumulative harm',
      'escalating risk',
    ],
  },
  {
    key: 'critical-challenge',
    name: 'Critical thinking, challenge and escalation',
    keywords: [
      'challenge',
      'escalation',
      'escalate',
      'critical thinking',
      'professional disagreement',
      'resolving professional differences',
    ],
  },
  {
    key: 'engagement',
    name: 'Engagement (reluctant, sporadic, disguised compliance)',
    keywords: [
      'disguised compliance',
      'non-engagement',
      'did not engage',
      'engagement',
      'missed appointments',
      'was not brought',
      'hard to reach',
      'reluctant',
    ],
  },
  {
    key: 'unseen-men',
    name: 'Unseen men and fathers',
    keywords: [
      'unseen men',
      'hidden men',
      'fathers',
      'father',
      'male carer',
      'male carers',
      "mother's partner",
      'invisible men',
    ],
  },
  {
    key: 'think-family',
    name: 'Think family / whole family',
    keywords: [
      'think family',
      'whole family',
      'household members',
      'children in the household',
      'siblings',
      'wider family',
    ],
  },
  {
    key: 'neglect',
    name: 'Neglect',
    keywords: [
      'neglect',
      'graded care profile',
      'home conditions',
      'poor home conditions',
      'unmet needs',
      'developmental delay',
    ],
  },
  {
    key: 'domestic-abuse',
    name: 'Domestic abuse',
    keywords: ['domestic abuse', 'domestic violence', 'coercive control', 'marac', 'dash risk'],
  },
  {
    key: 'parental-mental-health-substance-use',
    name: 'Parental mental health and substance use',
    keywords: [
      'mental health',
      'substance use',
      'substance misuse',
      'drug use',
      'alcohol',
      'toxic trio',
      'parental mental health',
    ],
  },
  {
    key: 'exploitation',
    name: 'Exploitation and extra-familial harm',
    keywords: [
      'exploitation',
      'criminal exploitation',
      'sexual exploitation',
      'county lines',
      'extra-familial harm',
      'contextual safeguarding',
      'going missing',
    ],
  },
  {
    key: 'education',
    name: 'Education (exclusion, not in school)',
    keywords: [
      'school attendance',
      'exclusion',
      'excluded',
      'not in school',
      'elective home education',
      'home educated',
      'children missing education',
    ],
  },
  {
    key: 'babies',
    name: 'Babies and non-accidental injury',
    keywords: [
      'babies',
      'baby',
      'infant',
      'infants',
      'non-accidental injury',
      'bruising',
      'safe sleep',
      'shaken baby',
      'pre-birth',
    ],
  },
  {
    key: 'race-culture-identity',
    name: 'Race, culture and identity',
    keywords: [
      'race',
      'racism',
      'culture',
      'cultural',
      'ethnicity',
      'identity',
      'interpreter',
      'language barrier',
    ],
  },
  {
    key: 'supervision-leadership',
    name: 'Supervision and leadership',
    keywords: [
      'supervision',
      'leadership',
      'management oversight',
      'managerial oversight',
      'reflective supervision',
    ],
  },
  {
    key: 'workforce-stability',
    name: 'Workforce stability (changes of worker)',
    keywords: [
      'change of worker',
      'changes of worker',
      'changes of social worker',
      'staff turnover',
      'workforce',
      'caseload',
      'caseloads',
      'agency staff',
    ],
  },
  {
    key: 'recording-chronologies',
    name: 'Recording and chronologies',
    keywords: ['recording', 'record keeping', 'chronology', 'chronologies', 'recorded', 'case records'],
  },
  {
    key: 'thresholds-re-referral',
    name: 'Thresholds, step-down and re-referral',
    keywords: [
      'threshold',
      'thresholds',
      'step-down',
      'step down',
      're-referral',
      're-referrals',
      'repeat referrals',
      'no further action',
      'early help',
    ],
  },
];

/** A stable key from a theme's first name: lower case, words joined by hyphens. */
export function themeKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
