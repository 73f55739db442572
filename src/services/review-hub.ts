import type { Executor } from '../db/client.ts';
import { reviewRepository, type ReviewRow } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { currentDeadlines } from '../domain/lifecycle/deadlines.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { ReviewType, ScreeningOutcome, Stage } from '../domain/lifecycle/stages.ts';

/** The statutory deadlines running now, from the review's stage, referral and screening dates. */
export function deadlinesOf(
  row: ReviewRow,
  referredOn: string | null,
  screening: { outcome: string; decidedOn: string } | null,
) {
  return currentDeadlines({
    stage: row.stage as Stage,
    type: row.type as ReviewType,
    referredOn,
    screening: screening
      ? { outcome: screening.outcome as ScreeningOutcome, decidedOn: screening.decidedOn }
      : null,
  });
}

/**
 * What the hub heading every review tab shows (reference, pseudonym, type, stage, the deadline
 * running now), for a review the caller has loaded: one statement, inside the caller's read.
 */
export async function reviewHubFacts(
  db: Executor,
  actor: Actor,
  found: { handle: VisibleReview; row: ReviewRow },
  now: Date,
) {
  const dates = await reviewRepository(db, actor).deadlineDates(found.handle);
  return {
    review: found.row,
    deadlines: deadlinesOf(found.row, dates.referredOn, dates.screening),
    today: londonDate(now),
  };
}

export type ReviewHubFacts = Awaited<ReturnType<typeof reviewHubFacts>>;
