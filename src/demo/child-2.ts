/**
 * The Child 2 review, from ../shared/examples/line-of-sight-briefing-child-2.txt: its background,
 * purpose and five key lines of enquiry as recorded data. The identifiable details are invented.
 */
export const CHILD_2 = {
  reference: 'LOS-2021-002',
  pseudonym: 'Child 2',
  background:
    'Child 2 aged three lived with her mother, referral was made to CSC when she was six months old alleging mother was using drugs and the Child was neglected. A further referral was made when she was eighteen months old re a drug related assault on mother. The case became CIN, there were ongoing reported concerns and numerous contacts and visits by the police. There was a six-month gap in service provision with agencies responses being reactive. A single assessment was undertaken and concerns/ worries identified, there was progression to child protection and the Child being accommodated. Drug testing as part of the court process where the child tested positive for, a number of substances',
  purpose:
    'The purpose of a Line of Sight review is to identify learning for the multi-agency partnership which will strengthen the safeguarding system. Beyond individual cases, reviews also often provide a window into wider systems (ways of working/ processes) which may need to be changed',
  linesOfEnquiry: [
    'Whether sufficient consideration was given by agencies of the impact of criminal exploitation on the child',
    "Whether the child's lived experience was understood",
    'Was there a clear understood assessment of risk and need across involved agencies',
    'Was interagency communication and working effective',
    'Recording by the police whether the child was present during reported incidents',
  ],
  referral: {
    referringAgency: 'csc',
    referrerName: 'Sam Social-Care-Lead (demo)',
    referrerRole: 'Safeguarding service manager',
    referredOn: '2021-01-18',
    whatHappened:
      'Child 2, aged three, was accommodated after care proceedings. Hair-strand testing in the court process found she had been exposed to several substances. Police had attended the home many times over two years; there was a six-month gap in any agency contact while concerns were open.',
    whyLearning:
      'Agencies responded to incidents one at a time. The child was not recorded as present at police incidents, developmental delay was noted but not followed up, and changes of social worker meant no one got to know her.',
  },
  subject: {
    fullName: 'Testchild Two Example',
    dateOfBirth: '2017-09-14',
    address: '1 Example Street, Sampletown',
    postcode: 'ZZ99 9ZZ',
    nhsNumber: '9990000018',
    school: 'Example Lane Nursery',
  },
  household: [{ relationship: 'Mother', fullName: 'Testmother Example', dateOfBirth: '1996-02-03' }],
  agenciesInvolved: ['police', 'csc', 'health-visiting', 'gp', 'drug-alcohol-service'],
  agenciesInScope: ['police', 'csc', 'health-visiting', 'gp', 'drug-alcohol-service'],
  screening: {
    outcome: 'line_of_sight',
    rationale:
      'Missed opportunities across several agencies below the threshold for a serious incident notification; strong potential for multi-agency learning.',
    decisionMaker: 'Chair of the Safeguarding Review Group',
    decidedOn: '2021-01-27',
  },
  period: { periodFrom: '2018-03-01', periodTo: '2021-01-15' },
  /** When each stage was entered, so the history reads as the review ran. */
  stageDates: {
    screening: '2021-01-19',
    terms_of_reference: '2021-01-27',
    information_gathering: '2021-02-08',
    analysis: '2021-03-22',
    event: '2021-04-12',
    learning_and_actions: '2021-05-06',
    briefing: '2021-05-24',
    impact: '2021-06-30',
  },
} as const;
