import type { Executor } from '../db/client.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { whyNotEditable, type ReviewPart } from '../domain/lifecycle/guards.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { denial } from './context.ts';
import { ConflictError, NotFoundError, NotVisibleError } from './errors.ts';

/**
 * A review the actor may see, or the reason not, as reviewService's `load` (the refusal is
 * audited). For the areas built on a review (requests, returns, the merged chronology).
 */
export async function loadReview(tx: Executor, actor: Actor, reference: string) {
  const found = await reviewRepository(tx, actor).find(reference);
  if (found) return found;
  const exists = await systemRepository(tx).reviewExists(actor.partnershipId, reference);
  if (!exists) throw new NotFoundError(`There is no review ${reference}.`);
  throw new NotVisibleError(
    'You do not have access to this review.',
    denial(actor, { action: 'review.view', reviewId: exists.id, reviewReference: reference }),
  );
}

/** The lifecycle guard for a part: a ConflictError when it may not change in this stage. */
export function guard(row: { stage: string; status: string }, part: ReviewPart) {
  const reason = whyNotEditable(row as { stage: Stage; status: 'active' }, part);
  if (reason) throw new ConflictError(reason);
}
