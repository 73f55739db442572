import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencies, reviewActions, reviews, users } from '../schema.ts';
import { rolesArray } from './roles-sql.ts';
import { rolesThat } from '../../domain/access/policy.ts';

/**
 * Privileged reads about actions, outside any one person's access: whether an action exists (to
 * tell "no such action" from "not yours to see"), and the open actions the reminder job reads.
 */
export function actionSystemRepository(db: Executor) {
  return {
    async actionExists(
      partnershipId: string,
      actionId: string,
    ): Promise<{ reviewId: string; reference: string } | null> {
      const [row] = await db
        .select({ reviewId: reviews.id, reference: reviews.reference })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .where(and(eq(reviewActions.id, actionId), eq(reviews.partnershipId, partnershipId)));
      return row ?? null;
    },

    /** Open actions (not started, in progress) due on or before `until`, with their lead's e-mail. */
    async openActionsDueBy(until: string) {
      return db
        .select({
          id: reviewActions.id,
          number: reviewActions.number,
          dueDate: reviewActions.dueDate,
          status: reviewActions.status,
          reviewId: reviews.id,
          reference: reviews.reference,
          partnershipId: reviews.partnershipId,
          reviewStage: reviews.stage,
          reviewStatus: reviews.status,
          leadEmail: users.email,
          leadDisabledAt: users.disabledAt,
          agencyName: agencies.name,
        })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .innerJoin(users, eq(users.id, reviewActions.leadUserId))
        .innerJoin(agencies, eq(agencies.id, reviewActions.owningAgencyId))
        .where(
          and(
            inArray(reviewActions.status, ['not_started', 'in_progress']),
            sql`${reviewActions.dueDate} <= ${until}`,
          ),
        );
    },

    /** The review coordinators of partnerships, who are told of overdue actions too. */
    async coordinators(partnershipIds: string[]) {
      if (!partnershipIds.length) return [];
      return db
        .select({ partnershipId: users.partnershipId, email: users.email })
        .from(users)
        .where(
          and(
            inArray(users.partnershipId, partnershipIds),
            sql`${users.roles} && ${rolesArray(rolesThat('action.plan'))}`,
            sql`${users.disabledAt} is null`,
          ),
        );
    },
  };
}
