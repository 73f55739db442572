import { nextStage, STAGE_LABELS, type ReviewStatus, type ScreeningOutcome, type Stage } from './stages.ts';

/**
 * What the lifecycle needs to know about a review to decide a move. Services gather these facts;
 * the rules stay here, pure and declared once.
 */
export interface ReviewFacts {
  stage: Stage;
  status: ReviewStatus;
  referralComplete: boolean;
  screeningOutcome: ScreeningOutcome | null;
  periodFrom: string | null;
  periodTo: string | null;
  agenciesInScope: number;
  linesOfEnquiry: number;
  /** Agency requests not yet accepted or withdrawn (information gathering). */
  outstandingRequests: number;
}

export type MoveCheck = { allowed: true; to: Stage } | { allowed: false; reasons: string[] };

/** Whether the review can move to `to` now, and if not, every reason why. */
export function checkMove(facts: ReviewFacts, to: Stage): MoveCheck {
  const reasons: string[] = [];
  if (facts.status === 'stopped') return { allowed: false, reasons: ['The review has been stopped.'] };
  if (facts.stage === 'closed') return { allowed: false, reasons: ['The review is closed.'] };
  if (facts.status === 'paused')
    return { allowed: false, reasons: ['The review is paused. Resume it first.'] };
  const expected = nextStage(facts.stage);
  if (to !== expected) {
    return {
      allowed: false,
      reasons: [
        `A review in ${STAGE_LABELS[facts.stage].toLowerCase()} can only move to ${
          expected ? STAGE_LABELS[expected].toLowerCase() : 'no further stage'
        }, not ${STAGE_LABELS[to].toLowerCase()}.`,
      ],
    };
  }
  for (const precondition of PRECONDITIONS[facts.stage] ?? []) {
    const reason = precondition(facts);
    if (reason) reasons.push(reason);
  }
  return reasons.length ? { allowed: false, reasons } : { allowed: true, to };
}

type Precondition = (facts: ReviewFacts) => string | null;

/** What a review must hold before it leaves each stage. */
const PRECONDITIONS: Partial<Record<Stage, Precondition[]>> = {
  referral: [(f) => (f.referralComplete ? null : 'Complete the referral before screening.')],
  screening: [
    (f) => (f.screeningOutcome ? null : 'Record the screening decision first.'),
    (f) =>
      f.screeningOutcome === 'no_further_action'
        ? 'The screening decision was no further action: close the review instead.'
        : null,
  ],
  terms_of_reference: [
    (f) => (f.periodFrom && f.periodTo ? null : 'Set the period under review.'),
    (f) => (f.agenciesInScope > 0 ? null : 'Choose at least one agency in scope.'),
    (f) => (f.linesOfEnquiry > 0 ? null : 'Add at least one key line of enquiry.'),
  ],
  information_gathering: [
    (f) =>
      f.outstandingRequests === 0
        ? null
        : `${f.outstandingRequests} agency request${f.outstandingRequests === 1 ? ' is' : 's are'} not yet accepted or withdrawn.`,
  ],
};

/** A review that is closed or stopped accepts no changes anywhere. */
export function isReadOnly(review: { stage: Stage; status: ReviewStatus }): boolean {
  return review.stage === 'closed' || review.status === 'stopped';
}

export type StatusChange = 'pause' | 'resume' | 'stop';

export function checkStatusChange(
  review: { stage: Stage; status: ReviewStatus },
  change: StatusChange,
): { allowed: true; to: ReviewStatus } | { allowed: false; reason: string } {
  if (isReadOnly(review)) return { allowed: false, reason: 'The review is closed or stopped.' };
  if (change === 'pause')
    return review.status === 'active'
      ? { allowed: true, to: 'paused' }
      : { allowed: false, reason: 'The review is already paused.' };
  if (change === 'resume')
    return review.status === 'paused'
      ? { allowed: true, to: 'active' }
      : { allowed: false, reason: 'The review is not paused.' };
  return { allowed: true, to: 'stopped' };
}

/** Closing after a "no further action" screening decision skips the remaining stages. */
export function canCloseAfterScreening(facts: ReviewFacts): boolean {
  return (
    facts.stage === 'screening' && facts.screeningOutcome === 'no_further_action' && facts.status === 'active'
  );
}
