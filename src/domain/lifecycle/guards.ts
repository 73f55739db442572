import { isReadOnly } from './moves.ts';
import { STAGE_LABELS, type ReviewStatus, type Stage } from './stages.ts';

/** The parts of a review, and the stages in which each may still change. Declared once. */
export const EDITABLE_IN = {
  referral: ['referral', 'screening'],
  screening: ['screening'],
  termsOfReference: ['terms_of_reference', 'information_gathering'],
  linesOfEnquiry: ['terms_of_reference', 'information_gathering', 'analysis'],
  summary: [
    'referral',
    'screening',
    'terms_of_reference',
    'information_gathering',
    'analysis',
    'event',
    'learning_and_actions',
    'briefing',
    'impact',
  ],
  agencyRequests: ['information_gathering'],
  agencyReturns: ['information_gathering'],
  chronologyLinks: ['information_gathering', 'analysis', 'event'],
  // Signals can be weighed from the first accepted return until the review closes.
  signalDecisions: ['information_gathering', 'analysis', 'event', 'learning_and_actions', 'briefing', 'impact'],
  // The event is planned during analysis and recorded until the learning is agreed.
  event: ['analysis', 'event', 'learning_and_actions'],
  // Episodes and learning come out of the event; they are settled before the briefing is written.
  episodes: ['event', 'learning_and_actions'],
  learning: ['event', 'learning_and_actions'],
  // The action plan is agreed with the learning and worked on until the review closes.
  actions: ['learning_and_actions', 'briefing', 'impact'],
  actionUpdates: ['learning_and_actions', 'briefing', 'impact'],
  progress: ['learning_and_actions', 'briefing', 'impact'],
  // The briefing is written in the briefing stage and reissued with impact evidence.
  briefing: ['briefing', 'impact'],
  membership: [
    'referral',
    'screening',
    'terms_of_reference',
    'information_gathering',
    'analysis',
    'event',
    'learning_and_actions',
    'briefing',
    'impact',
  ],
} as const satisfies Record<string, readonly Stage[]>;

export type ReviewPart = keyof typeof EDITABLE_IN;

const PART_LABELS: Record<ReviewPart, string> = {
  referral: 'The referral',
  screening: 'The screening decision',
  termsOfReference: 'The terms of reference',
  linesOfEnquiry: 'The key lines of enquiry',
  summary: 'The background and purpose',
  agencyRequests: 'Agency requests',
  agencyReturns: 'Agency returns',
  chronologyLinks: 'Links between chronology entries',
  signalDecisions: 'Decisions on practice signals',
  event: 'The Line of Sight event',
  episodes: 'The key practice episodes',
  learning: 'The learning',
  actions: 'The action plan',
  actionUpdates: 'Action updates',
  progress: 'The progress and impact statement',
  briefing: 'The 7-minute briefing',
  membership: 'Who has access',
};

/** Null when the part may change now; otherwise the reason it may not. */
export function whyNotEditable(
  review: { stage: Stage; status: ReviewStatus },
  part: ReviewPart,
): string | null {
  if (review.stage === 'closed') return 'The review is closed: nothing in it can change.';
  if (isReadOnly(review)) return 'The review has been stopped: nothing in it can change.';
  const stages: readonly Stage[] = EDITABLE_IN[part];
  if (!stages.includes(review.stage))
    return `${PART_LABELS[part]} cannot change once the review is in ${STAGE_LABELS[review.stage].toLowerCase()}.`;
  return null;
}
