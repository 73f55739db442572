import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { partnerships } from '../schema.ts';
import { mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';
import type { ReviewTargets } from '../../schemas/admin.ts';
import { ForbiddenError } from '../../services/errors.ts';

/**
 * The actor's partnership's own review targets, never another partnership's. Everyone in the
 * partnership reads them (they show on every Line of Sight and single-agency review); only its
 * administrator changes them, checked here.
 */
export function reviewTargetsRepository(db: Executor, actor: Actor) {
  const mine = eq(partnerships.id, actor.partnershipId);
  return {
    async get(): Promise<ReviewTargets> {
      const [row] = await db
        .select({
          lineOfSightWeeks: partnerships.lineOfSightTargetWeeks,
          singleAgencyWeeks: partnerships.singleAgencyTargetWeeks,
        })
        .from(partnerships)
        .where(mine);
      return {
        lineOfSightWeeks: row?.lineOfSightWeeks ?? null,
        singleAgencyWeeks: row?.singleAgencyWeeks ?? null,
      };
    },

    async set(targets: ReviewTargets): Promise<void> {
      if (!mayAdminister(actor))
        throw new ForbiddenError(
          "Only a partnership administrator can change the partnership's review targets.",
        );
      await db
        .update(partnerships)
        .set({
          lineOfSightTargetWeeks: targets.lineOfSightWeeks,
          singleAgencyTargetWeeks: targets.singleAgencyWeeks,
        })
        .where(mine);
    },
  };
}
