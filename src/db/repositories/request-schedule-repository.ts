import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencyRequests, reviews, users } from '../schema.ts';

/**
 * Privileged: the reminder job runs with no signed-in person, across every partnership. It reads
 * only what a reminder needs (reference, due date, the lead's address), never case content.
 */
export function requestScheduleRepository(db: Executor) {
  return {
    /** Requests waiting on their agency and due on or before `until`. */
    async waitingDueBy(until: string) {
      return db
        .select({
          id: agencyRequests.id,
          reviewId: agencyRequests.reviewId,
          partnershipId: reviews.partnershipId,
          reference: reviews.reference,
          dueDate: agencyRequests.dueDate,
          leadEmail: users.email,
        })
        .from(agencyRequests)
        .innerJoin(reviews, eq(reviews.id, agencyRequests.reviewId))
        .innerJoin(users, eq(users.id, agencyRequests.leadUserId))
        .where(
          and(
            isNull(agencyRequests.withdrawnAt),
            sql`${agencyRequests.status} in ('sent', 'in_progress', 'returned')`,
            lte(agencyRequests.dueDate, until),
            isNull(users.disabledAt),
          ),
        );
    },
  };
}
