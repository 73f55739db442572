/**
 * The starting taxonomy of learning themes, from the national Panel's recurring themes and SCIE
 * (docs: ../shared/docs/domain.md §6). Each partnership starts from this list (taxonomy version 1)
 * and its administrator adds, renames or retires themes from there.
 */
export const DEFAULT_THEMES: readonly { key: string; name: string }[] = [
  { key: 'professional-curiosity', name: 'Professional curiosity and healthy scepticism' },
  { key: 'voice-of-the-child', name: 'Voice and lived experience of the child' },
  { key: 'information-sharing', name: 'Information sharing' },
  { key: 'risk-assessment', name: 'Risk assessment (including cumulative and changing risk)' },
  { key: 'critical-challenge', name: 'Critical thinking, challenge and escalation' },
  { key: 'engagement', name: 'Engagement (reluctant, sporadic, disguised compliance)' },
  { key: 'unseen-men', name: 'Unseen men and fathers' },
  { key: 'think-family', name: 'Think family / whole family' },
  { key: 'neglect', name: 'Neglect' },
  { key: 'domestic-abuse', name: 'Domestic abuse' },
  { key: 'parental-mental-health-substance-use', name: 'Parental mental health and substance use' },
  { key: 'exploitation', name: 'Exploitation and extra-familial harm' },
  { key: 'education', name: 'Education (exclusion, not in school)' },
  { key: 'babies', name: 'Babies and non-accidental injury' },
  { key: 'race-culture-identity', name: 'Race, culture and identity' },
  { key: 'supervision-leadership', name: 'Supervision and leadership' },
  { key: 'workforce-stability', name: 'Workforce stability (changes of worker)' },
  { key: 'recording-chronologies', name: 'Recording and chronologies' },
  { key: 'thresholds-re-referral', name: 'Thresholds, step-down and re-referral' },
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
