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
