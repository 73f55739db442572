/**
 * The published Child 2 briefing (test/fixtures/briefings/line-of-sight-briefing-child-2.txt), its
 * content written out by hand so that tests compare the parser with the document, not with itself.
 */
export const CHILD_2_FILE = new URL(
  '../fixtures/briefings/line-of-sight-briefing-child-2.txt',
  import.meta.url,
);

export const CHILD_2 = {
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
  goodPractice: [
    'Accessibility of health visitor for Mother',
    'Good outcomes for the child Following becoming subject to a child protection plan/ looked after.',
  ],
  areasForImprovement: [
    'The child was not recorded as being in the home by the police and was not seen as a victim',
    'The risk to the child as a result of the organised crime/ drug activity was not initially recognised or understood by agencies',
    'Development delay was noted but not followed up or explanation sought.',
    'The risk of physical, sexual and emotional harm to the child not recognised by all professionals',
    'A number of changes in social worker resulted in being unable to build a relationship with mother or getting to know the child in any way',
  ],
  learning: [
    'Professional curiosity is needed and to think the unthinkable',
    'Ensure staff dealing with any incident consider the impact on the children in the household.',
    'Ensure children be included in any police report as children in the household',
    'Check and challenge meetings be used by the Front as an earlier identification of practice issues',
    'Ensure all involved agencies take part in Line of Sight Events',
  ],
  progressImpact: [
    'An action plan has been developed and implemented',
    'The guidance for health visitors is being reviewed to ensure consideration of neglect where there is developmental delay',
    'The learning from the review will be shared with the MACF',
    'Re referral clinics were introduced in March 2021 and will identify and address any potential inter agency practice issues',
    'An audit of police crime reports has evidenced that children were seen and referrals were made to CSC and operation encompass as appropriate',
  ],
  furtherInformation: [
    'Threshold of Need',
    'Referral Process',
    'Child Exploitation',
    'Graded Care Profile 2',
    'SCP Training',
    'SCP Policies & Procedures',
    'Line of Sight process',
  ],
} as const;

/** The document's section order: 1, 2, 3, 7, 6, 4, 5. */
export const CHILD_2_HEADINGS = [
  'Background and Concerns',
  'Purpose of the Review?',
  'Key Lines of Enquiry',
  'Further information',
  'Progress/Impact',
  'Key Practice Episodes',
  'Learning',
] as const;
