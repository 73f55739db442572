/**
 * Child 2's synthetic multi-agency chronology (all invented), telling the story of the published
 * briefing: a referral at six months for drugs and neglect, a second at eighteen months after a
 * drug-related assault on her mother, child in need, many police call-outs that never record
 * whether she was there, a six-month gap in any service, developmental delay noted by health
 * visiting and not followed up, five changes of social worker, a single assessment, child
 * protection and accommodation. Born 2017-09-14; entries run 2018-03-01 to 2021-01-15.
 */
type Tri = 'yes' | 'no' | 'not_recorded';
interface DemoEntry {
  date: string;
  eventType: string;
  summary: string;
  childrenPresent?: Tri;
  childSeen?: Tri;
  childVoice?: string;
  concerns?: string[];
  worker?: string;
  practitionerRole?: string;
  actionTaken?: string;
  outcome?: string;
  sourceRef: string;
}

const police = (
  date: string,
  sourceRef: string,
  summary: string,
  more: Partial<DemoEntry> = {},
): DemoEntry => ({
  date,
  sourceRef,
  summary,
  eventType: 'police_incident',
  childrenPresent: 'not_recorded',
  practitionerRole: 'police officer',
  ...more,
});

export const CHILD_2_POLICE: DemoEntry[] = [
  police(
    '2018-03-04',
    'POL-101',
    'Neighbour reported shouting at the flat. Mother appeared under the influence; drug paraphernalia seen in the kitchen.',
    {
      concerns: ['drugs', 'neglect'],
      actionTaken: "Words of advice; notification to children's social care.",
    },
  ),
  police(
    '2018-06-20',
    'POL-109',
    'Call-out to an argument between mother and a male visitor. Visitor left before officers arrived.',
    { concerns: ['domestic_abuse'] },
  ),
  police(
    '2018-08-02',
    'POL-112',
    'Report of people coming and going from the flat late at night; suspected drug supply.',
    { concerns: ['drugs'] },
  ),
  police('2018-11-15', 'POL-115', 'Mother reported a broken window; no suspect identified.', {
    concerns: [],
  }),
  police(
    '2019-03-02',
    'POL-118',
    'Mother assaulted at the flat by an associate over a drug debt; facial injuries. Flat in disarray.',
    { concerns: ['drugs', 'physical_harm', 'domestic_abuse'], actionTaken: 'Suspect identified.' },
  ),
  {
    date: '2019-03-03',
    eventType: 'arrest',
    sourceRef: 'POL-119',
    summary: 'Associate arrested for the assault on mother; later released under investigation.',
    concerns: ['drugs', 'physical_harm'],
    practitionerRole: 'police officer',
  },
  {
    date: '2019-03-04',
    eventType: 'referral',
    sourceRef: 'POL-120',
    summary: "Referral to children's social care after the assault: child lives at the address.",
    concerns: ['drugs', 'physical_harm'],
    practitionerRole: 'police officer',
  },
  police(
    '2019-05-10',
    'POL-124',
    'Concern for welfare call: mother not answering the door; found asleep, officers left after she answered.',
    { concerns: ['drugs'] },
  ),
  police(
    '2019-08-22',
    'POL-127',
    'Disturbance at the flat; toddler seen in a cot in the living room, mother intoxicated.',
    { childrenPresent: 'yes', childSeen: 'yes', concerns: ['drugs', 'neglect'] },
  ),
  police('2019-09-30', 'POL-131', 'Report of cannabis smell and loud music through the night.', {
    concerns: ['drugs'],
  }),
  police(
    '2020-04-12',
    'POL-140',
    'Male known for drug supply found at the flat during lockdown; mother said he was a friend.',
    { concerns: ['drugs', 'organised_crime'] },
  ),
  police('2020-06-18', 'POL-146', 'Argument between mother and partner in the street outside the flat.', {
    concerns: ['domestic_abuse'],
  }),
  police(
    '2020-09-03',
    'POL-152',
    'Warrant executed: the flat used to store drugs by a county lines group. Child present and asleep.',
    {
      childrenPresent: 'yes',
      childSeen: 'yes',
      concerns: ['drugs', 'exploitation', 'organised_crime'],
      actionTaken: "Referral to children's social care.",
    },
  ),
  {
    date: '2020-10-20',
    eventType: 'strategy_discussion',
    sourceRef: 'POL-158',
    summary: 'Police attended the strategy discussion; agreed a section 47 enquiry.',
    concerns: ['drugs', 'exploitation'],
    practitionerRole: 'police officer',
  },
  police('2020-12-02', 'POL-163', 'Threats made to mother at the door over a drug debt.', {
    concerns: ['drugs', 'exploitation'],
  }),
];

const sw = (worker: string) => ({ worker, practitionerRole: 'social worker' });

export const CHILD_2_CSC: DemoEntry[] = [
  {
    date: '2018-03-12',
    eventType: 'referral',
    sourceRef: 'CSC-2201',
    summary: 'Referral from police: mother using drugs, child (six months) thought to be neglected.',
    concerns: ['drugs', 'neglect'],
  },
  {
    date: '2018-03-13',
    eventType: 'referral_decision',
    sourceRef: 'CSC-2202',
    summary: 'Decision: single assessment.',
    concerns: ['drugs', 'neglect'],
  },
  {
    date: '2018-03-14',
    eventType: 'allocation',
    sourceRef: 'CSC-2203',
    summary: 'Allocated to a social worker.',
    ...sw('SW-01'),
  },
  {
    date: '2018-03-20',
    eventType: 'assessment_started',
    sourceRef: 'CSC-2204',
    summary: 'Single assessment started; home visit, child seen in her cot.',
    childSeen: 'yes',
    concerns: ['drugs', 'neglect'],
    ...sw('SW-01'),
  },
  {
    date: '2018-03-29',
    eventType: 'home_visit',
    sourceRef: 'CSC-2205',
    summary: 'Visit: mother said the child was asleep upstairs; not seen.',
    childSeen: 'no',
    ...sw('SW-01'),
  },
  {
    date: '2018-05-10',
    eventType: 'assessment_completed',
    sourceRef: 'CSC-2206',
    summary:
      'Assessment completed: mother engaging with the drug service; no further action, signposted to early help.',
    concerns: ['drugs'],
    ...sw('SW-01'),
  },
  {
    date: '2018-05-11',
    eventType: 'case_closed',
    sourceRef: 'CSC-2207',
    summary: 'Case closed.',
    ...sw('SW-01'),
  },
  {
    date: '2019-03-05',
    eventType: 'referral',
    sourceRef: 'CSC-2231',
    summary:
      'Second referral, from police: drug-related assault on mother at the home. Child now eighteen months.',
    concerns: ['drugs', 'physical_harm', 'domestic_abuse'],
  },
  {
    date: '2019-03-08',
    eventType: 'allocation',
    sourceRef: 'CSC-2232',
    summary: 'Allocated to a new social worker.',
    ...sw('SW-02'),
  },
  {
    date: '2019-03-08',
    eventType: 'assessment_started',
    sourceRef: 'CSC-2233',
    summary: 'Single assessment started.',
    concerns: ['drugs', 'physical_harm'],
    ...sw('SW-02'),
  },
  {
    date: '2019-04-15',
    eventType: 'home_visit',
    sourceRef: 'CSC-2236',
    summary:
      'Home visit; conversation with mother about the assault. Whether the child was seen is not recorded.',
    childSeen: 'not_recorded',
    ...sw('SW-02'),
  },
  {
    date: '2019-06-03',
    eventType: 'allocation',
    sourceRef: 'CSC-2240',
    summary: 'Social worker left; case reallocated.',
    ...sw('SW-03'),
  },
  {
    date: '2019-06-20',
    eventType: 'assessment_completed',
    sourceRef: 'CSC-2242',
    summary: 'Assessment completed: child in need.',
    concerns: ['drugs', 'neglect'],
    ...sw('SW-03'),
  },
  {
    date: '2019-06-27',
    eventType: 'cin_plan_start',
    sourceRef: 'CSC-2243',
    summary: 'Child in need plan: mother to attend the drug service; health visiting to monitor development.',
    concerns: ['drugs', 'neglect'],
    ...sw('SW-03'),
  },
  {
    date: '2019-07-10',
    eventType: 'home_visit',
    sourceRef: 'CSC-2245',
    summary: "Visit: child at her grandmother's, not seen.",
    childSeen: 'no',
    ...sw('SW-03'),
  },
  {
    date: '2019-08-05',
    eventType: 'allocation',
    sourceRef: 'CSC-2248',
    summary: 'Case reallocated after a team restructure.',
    ...sw('SW-04'),
  },
  {
    date: '2019-08-28',
    eventType: 'multi_agency_meeting',
    sourceRef: 'CSC-2250',
    summary: 'Child in need review: police not invited; plan continues.',
    ...sw('SW-04'),
  },
  {
    date: '2019-09-26',
    eventType: 'cin_plan_end',
    sourceRef: 'CSC-2252',
    summary: 'Child in need plan ended: mother reported to be engaging. Case closed.',
    ...sw('SW-04'),
  },
  {
    date: '2020-04-20',
    eventType: 'referral',
    sourceRef: 'CSC-2270',
    summary: 'Police notification: known drug supplier at the flat.',
    concerns: ['drugs', 'organised_crime'],
  },
  {
    date: '2020-04-22',
    eventType: 'referral_decision',
    sourceRef: 'CSC-2271',
    summary: 'No further action: information passed to health visiting.',
    concerns: ['drugs'],
  },
  {
    date: '2020-09-07',
    eventType: 'referral',
    sourceRef: 'CSC-2280',
    summary: 'Referral from police after a drugs warrant: flat used by a county lines group.',
    concerns: ['drugs', 'exploitation', 'organised_crime'],
  },
  {
    date: '2020-09-08',
    eventType: 'allocation',
    sourceRef: 'CSC-2281',
    summary: 'Allocated.',
    ...sw('SW-05'),
  },
  {
    date: '2020-09-10',
    eventType: 'assessment_started',
    sourceRef: 'CSC-2282',
    summary: 'Single assessment started.',
    concerns: ['drugs', 'exploitation'],
    ...sw('SW-05'),
  },
  {
    date: '2020-10-20',
    eventType: 'strategy_discussion',
    sourceRef: 'CSC-2285',
    summary: 'Strategy discussion with police and health: section 47 enquiry agreed.',
    concerns: ['drugs', 'exploitation'],
    ...sw('SW-05'),
  },
  {
    date: '2020-10-21',
    eventType: 'section_47_enquiry',
    sourceRef: 'CSC-2286',
    summary: 'Section 47 enquiry started.',
    concerns: ['drugs', 'exploitation', 'neglect'],
    ...sw('SW-05'),
  },
  {
    date: '2020-11-25',
    eventType: 'initial_cp_conference',
    sourceRef: 'CSC-2290',
    summary: 'Initial child protection conference: plan under neglect.',
    concerns: ['neglect', 'drugs'],
    ...sw('SW-05'),
  },
  {
    date: '2020-11-25',
    eventType: 'cp_plan_start',
    sourceRef: 'CSC-2291',
    summary: 'Child protection plan started.',
    concerns: ['neglect'],
    ...sw('SW-05'),
  },
  {
    date: '2020-11-30',
    eventType: 'allocation',
    sourceRef: 'CSC-2292',
    summary: 'Transferred to the child protection team.',
    ...sw('SW-06'),
  },
  {
    date: '2020-12-03',
    eventType: 'home_visit',
    sourceRef: 'CSC-2293',
    summary: 'Visit: child seen, quiet and clingy; few words for her age.',
    childSeen: 'yes',
    childVoice: "She held on to the worker's hand and would not let go.",
    concerns: ['neglect', 'developmental_delay'],
    ...sw('SW-06'),
  },
  {
    date: '2020-12-14',
    eventType: 'court',
    sourceRef: 'CSC-2296',
    summary: 'Care proceedings issued; hair-strand testing directed.',
    concerns: ['drugs', 'neglect'],
    ...sw('SW-06'),
  },
  {
    date: '2021-01-08',
    eventType: 'looked_after',
    sourceRef: 'CSC-2299',
    summary: 'Child accommodated with foster carers under an interim care order.',
    childSeen: 'yes',
    ...sw('SW-06'),
  },
];

const hv = (more: DemoEntry): DemoEntry => ({ practitionerRole: 'health visitor', worker: 'HV-A', ...more });

export const CHILD_2_HEALTH_VISITING: DemoEntry[] = [
  hv({
    date: '2018-03-22',
    eventType: 'home_visit',
    sourceRef: 'HV-301',
    summary:
      'Six-month review at home; mother disclosed cannabis use. Child seen, weight on the 9th centile.',
    childSeen: 'yes',
    concerns: ['drugs'],
  }),
  hv({
    date: '2018-05-15',
    eventType: 'missed_appointment',
    sourceRef: 'HV-305',
    summary: 'Clinic appointment not attended.',
  }),
  hv({
    date: '2018-09-18',
    eventType: 'developmental_check',
    sourceRef: 'HV-309',
    summary: 'One-year review: development within normal range; home conditions poor.',
    childSeen: 'yes',
    concerns: ['neglect'],
  }),
  hv({
    date: '2018-12-04',
    eventType: 'missed_appointment',
    sourceRef: 'HV-312',
    summary: 'Home visit: no answer.',
  }),
  hv({
    date: '2019-03-06',
    eventType: 'information_shared',
    sourceRef: 'HV-315',
    summary: "Told of the referral to children's social care after the assault on mother.",
  }),
  hv({
    date: '2019-05-21',
    eventType: 'home_visit',
    sourceRef: 'HV-318',
    summary: 'Visit: child seen; few words for her age.',
    childSeen: 'yes',
  }),
  hv({
    date: '2019-09-24',
    eventType: 'developmental_check',
    sourceRef: 'HV-322',
    summary:
      'Two-year review: speech and fine motor delay. Plan: refer to speech and language therapy and review in three months.',
    childSeen: 'yes',
    concerns: ['developmental_delay'],
    outcome: 'Referral to speech and language therapy not made; no review booked.',
  }),
  hv({
    date: '2020-04-30',
    eventType: 'contact',
    sourceRef: 'HV-330',
    summary: 'Telephone contact during lockdown; mother said all was well. Child not seen.',
    childSeen: 'no',
    worker: 'HV-B',
  }),
  hv({
    date: '2020-07-14',
    eventType: 'missed_appointment',
    sourceRef: 'HV-334',
    summary: 'Clinic appointment not attended.',
    worker: 'HV-B',
  }),
  hv({
    date: '2020-10-22',
    eventType: 'information_shared',
    sourceRef: 'HV-338',
    summary: 'Health chronology shared for the section 47 enquiry.',
    worker: 'HV-B',
  }),
  hv({
    date: '2020-12-10',
    eventType: 'health_appointment',
    sourceRef: 'HV-342',
    summary: 'Review: speech delay persists; no record of the 2019 referral being made.',
    childSeen: 'yes',
    concerns: ['developmental_delay'],
    worker: 'HV-B',
  }),
];

/** Each agency's self-analysis, the same for each key line of enquiry (kept short). */
export const CHILD_2_SELF_ANALYSIS: Record<string, { wentWell: string; couldBeBetter: string; why: string }> =
  {
    police: {
      wentWell:
        "Officers responded promptly to each call and referred the assault and the warrant to children's social care.",
      couldBeBetter:
        'Officers did not record whether the child was present at most incidents, so the pattern was not seen.',
      why: 'The incident form did not ask about children in the household; each call was treated on its own.',
    },
    csc: {
      wentWell: 'Each referral was screened within a day and assessments were started.',
      couldBeBetter:
        "Five changes of social worker; the child was not seen on several visits; the case was closed without checking the drug service's view.",
      why: "Workforce turnover and high caseloads; closure relied on mother's own account.",
    },
    'health-visiting': {
      wentWell: 'The two-year review identified speech and motor delay.',
      couldBeBetter:
        'The referral to speech and language therapy was never made and missed appointments were not followed up.',
      why: 'The plan was not transferred when the health visitor changed, and contact moved to telephone during the pandemic.',
    },
  };
