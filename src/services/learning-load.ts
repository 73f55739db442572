import type { Executor } from '../db/client.ts';
import type { AuditEvent } from '../db/repositories/audit-repository.ts';
import { whyNotEditable, type ReviewPart } from '../domain/lifecycle/guards.ts';
import { mayRecordLearning, type Actor } from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { audit, denial } from './context.ts';
import { loadReview } from './review-load.ts';
import { ConflictError, ForbiddenError } from './errors.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/** A refused change to the event, episodes or learning is recorded under the policy's name for it. */
const RECORDING_CAPABILITY = {
  event: 'event.record',
  episodes: 'episodes.record',
  learning: 'learning.record',
} as const satisfies Partial<Record<ReviewPart, AuditAction>>;

/** Null when the actor may change this part of the review now; else why not. */
export function whyNotRecordable(actor: Actor, row: { stage: string; status: string }, part: ReviewPart) {
  if (!mayRecordLearning(actor)) return 'Only the review coordinator or the chair can change this.';
  return whyNotEditable(row as { stage: Stage; status: 'active' }, part);
}

/**
 * The door for changing a review's event, episodes or learning: visible, the coordinator or the
 * chair (403, audited), and the part editable in the review's stage (409).
 */
export async function loadForRecording(tx: Executor, actor: Actor, reference: string, part: ReviewPart) {
  const found = await loadReview(tx, actor, reference);
  if (!mayRecordLearning(actor))
    throw new ForbiddenError(
      'Only the review coordinator or the chair can change the event, episodes and learning.',
      denial(actor, {
        action: RECORDING_CAPABILITY[part as keyof typeof RECORDING_CAPABILITY] ?? 'learning.record',
        reviewId: found.handle.id,
        reviewReference: reference,
      }),
    );
  const reason = whyNotEditable(found.row as { stage: Stage; status: 'active' }, part);
  if (reason) throw new ConflictError(reason);
  return found;
}

/** The audit row of a page view of the review. */
export async function viewed(
  tx: Executor,
  actor: Actor,
  handle: { id: string; reference: string },
  page: string,
) {
  await audit(tx, actor, {
    action: 'review.view',
    outcome: 'success',
    reviewId: handle.id,
    reviewReference: handle.reference,
    detail: { page },
  });
}

/** The audit row of a change to the review, in the change's transaction. */
export async function changed(
  tx: Executor,
  actor: Actor,
  handle: { id: string; reference: string },
  action: AuditAction,
  extra: Pick<AuditEvent, 'subjectType' | 'subjectId' | 'detail'> = {},
) {
  await audit(tx, actor, {
    action,
    outcome: 'success',
    reviewId: handle.id,
    reviewReference: handle.reference,
    ...extra,
  });
}
