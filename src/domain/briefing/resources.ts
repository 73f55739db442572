/** The categories of the partnership's further-information links (section 7 of a briefing). */
export const RESOURCE_CATEGORIES = [
  'threshold_of_need',
  'referral_process',
  'child_exploitation',
  'neglect_tools',
  'training',
  'policies_and_procedures',
  'line_of_sight_process',
] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export const RESOURCE_CATEGORY_LABELS: Record<ResourceCategory, string> = {
  threshold_of_need: 'Threshold of need',
  referral_process: 'Referral process',
  child_exploitation: 'Child exploitation',
  neglect_tools: 'Neglect tools',
  training: 'Training',
  policies_and_procedures: 'Policies and procedures',
  line_of_sight_process: 'Line of Sight process',
};
