import type { DeadlineDates, ReviewRow } from '../db/repositories/review-repository.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { currentDeadlines } from '../domain/lifecycle/deadlines.ts';
import type { ReviewType, ScreeningOutcome, Stage } from '../domain/lifecycle/stages.ts';

/** The statutory deadlines running now, from the review's stage, referral and screening dates. */
export function deadlinesOf(row: ReviewRow, dates: DeadlineDates) {
  const { referredOn, screening } = dates;
  return currentDeadlines({
    stage: row.stage as Stage,
    type: row.type as ReviewType,
    referredOn,
    screening: screening
      ? { outcome: screening.outcome as ScreeningOutcome, decidedOn: screening.decidedOn }
      : null,
    returnsDue: dates.returnsDue,
    approvalAskedOn: dates.approvalAskedOn,
    actionDue: dates.actionDue,
    lcsprDecidedOn: dates.lcsprDecidedOn,
    targetWeeks: dates.targetWeeks,
  });
}

/**
 * What the hub heading every review tab shows (reference, pseudonym, type, stage, the deadline
 * running now), from a review as loaded: the access check read all of it.
 */
export function reviewHubFacts(found: { row: ReviewRow; deadlineDates: DeadlineDates }, now: Date) {
  return {
    review: found.row,
    deadlines: deadlinesOf(found.row, found.deadlineDates),
    today: londonDate(now),
  };
}

export type ReviewHubFacts = ReturnType<typeof reviewHubFacts>;
