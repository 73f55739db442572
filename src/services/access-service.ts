import { mayAttempt, whoMay, type Capability } from '../domain/access/policy.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { denial, inTransaction, recordRefusal, type ServiceContext } from './context.ts';
import { ForbiddenError } from './errors.ts';
import { loadReview } from './review-load.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/**
 * The policy asked before a request's input is read: is the review there and visible, and could
 * this person do this to it at all? A refusal is audited like every other (review.view for a review
 * they cannot see, the capability for one they may see but not change). The data layer decides
 * the record itself afterwards, as it always does.
 */
export function accessService(ctx: ServiceContext) {
  return {
    /**
     * A refusal that reached the person without being recorded on its way (one raised by a route,
     * or one that carried no event): recorded now, under what the route does, so every refusal is
     * on record.
     */
    async recordRefusal(
      actor: Actor,
      error: ForbiddenError,
      request: { route: string; action: AuditAction; reference?: string | undefined },
    ) {
      await recordRefusal(
        ctx,
        error,
        denial(actor, {
          action: request.action,
          reviewReference: request.reference ?? null,
          detail: { route: request.route },
        }),
      );
    },

    async guard(
      actor: Actor,
      capability: Capability,
      target: { reference?: string | undefined; route?: string } = {},
    ) {
      await inTransaction(ctx, async (tx) => {
        const review = target.reference ? (await loadReview(tx, actor, target.reference)).handle : null;
        if (mayAttempt(actor, capability, review ? { isMember: review.isMember } : {})) return;
        throw new ForbiddenError(
          whoMay(capability),
          denial(actor, {
            action: capability,
            reviewId: review?.id ?? null,
            reviewReference: review?.reference ?? null,
            detail: { route: target.route ?? null, refused: 'before its input was read' },
          }),
        );
      });
    },
  };
}

export type AccessService = ReturnType<typeof accessService>;
