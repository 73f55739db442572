import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { agencies, agencyRequests, chronologyEntries, reviews, users } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { visibleReviewsCondition, type VisibleReview } from './review-access.ts';
import { mayReadReturn } from './return-repository.ts';
import { rolesArray } from './roles-sql.ts';
import { rolesThat } from '../../domain/access/policy.ts';

export type RequestRow = typeof agencyRequests.$inferSelect;

const lead = alias(users, 'lead');
const submitter = alias(users, 'submitter');

/**
 * Agency requests of a visible review: who was asked, by when, and where each stands. A request
 * says nothing of the case (agency, status, dates), so everyone who sees the review sees them;
 * what an agency returned is reached only through the return repository.
 */
export function requestRepository(db: Executor, actor: Actor) {
  const columns = {
    request: agencyRequests,
    agencyCode: agencies.code,
    agencyName: agencies.name,
    leadName: lead.name,
    leadEmail: lead.email,
    submittedByName: submitter.name,
    entries: sql<number>`(select count(*)::int from ${chronologyEntries} where ${chronologyEntries.requestId} = ${agencyRequests.id} and ${chronologyEntries.removedAt} is null)`,
  };
  const base = () =>
    db
      .select(columns)
      .from(agencyRequests)
      .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
      .leftJoin(lead, eq(lead.id, agencyRequests.leadUserId))
      .leftJoin(submitter, eq(submitter.id, agencyRequests.submittedBy));

  /**
   * How many entries a return holds is part of the return: another agency's draft is not told
   * (the count is null), as its entries are not (`mayReadReturn`).
   */
  const counted = <R extends { request: RequestRow; entries: number }>(row: R) => ({
    ...row,
    entries: mayReadReturn(actor, row.request) ? row.entries : null,
  });

  return {
    async list(review: VisibleReview) {
      const rows = await base()
        .where(eq(agencyRequests.reviewId, review.id))
        .orderBy(asc(agencies.name), asc(agencyRequests.createdAt));
      return rows.map(counted);
    },

    async find(review: VisibleReview, id: string) {
      if (!isUuid(id)) return null;
      const [row] = await base().where(
        and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.id, id)),
      );
      return row ? counted(row) : null;
    },

    /** The live (not withdrawn) request to an agency, if any. */
    async live(review: VisibleReview, agencyId: string) {
      const [row] = await base().where(
        and(
          eq(agencyRequests.reviewId, review.id),
          eq(agencyRequests.agencyId, agencyId),
          isNull(agencyRequests.withdrawnAt),
        ),
      );
      return row ?? null;
    },

    async insert(
      review: VisibleReview,
      values: {
        agencyId: string;
        leadUserId: string;
        instructions: string | null;
        dueDate: string;
        sentAt: Date;
      },
    ): Promise<RequestRow> {
      const [row] = await db
        .insert(agencyRequests)
        .values({ ...values, reviewId: review.id, status: 'sent', sentBy: actor.userId })
        .returning();
      return row!;
    },

    async update(
      review: VisibleReview,
      id: string,
      values: Partial<
        Pick<
          RequestRow,
          | 'status'
          | 'submittedAt'
          | 'submittedBy'
          | 'acceptedAt'
          | 'acceptedBy'
          | 'query'
          | 'withdrawnAt'
          | 'withdrawnReason'
        >
      >,
    ) {
      await db
        .update(agencyRequests)
        .set(values)
        .where(and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.id, id)));
    },

    async outstanding(review: VisibleReview): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(agencyRequests)
        .where(
          and(
            eq(agencyRequests.reviewId, review.id),
            sql`${agencyRequests.status} not in ('accepted', 'withdrawn')`,
          ),
        );
      return row?.n ?? 0;
    },

    /** Agency safeguarding leads of the given agencies in the actor's partnership, still active. */
    async leadsOf(agencyIds: string[]) {
      if (!agencyIds.length) return [];
      return db
        .select({ id: users.id, name: users.name, email: users.email, agencyId: users.agencyId })
        .from(users)
        .where(
          and(
            eq(users.partnershipId, actor.partnershipId),
            inArray(users.agencyId, agencyIds),
            isNull(users.disabledAt),
            sql`${users.roles} && ${rolesArray(rolesThat('return.write'))}`,
          ),
        )
        .orderBy(asc(users.name));
    },

    /** Requests to the actor's agency across the reviews they may see ("waiting on me"). */
    async forMyAgency() {
      if (!actor.agencyId) return [];
      return db
        .select({
          request: agencyRequests,
          reference: reviews.reference,
          pseudonym: reviews.pseudonym,
          agencyName: agencies.name,
        })
        .from(agencyRequests)
        .innerJoin(reviews, eq(reviews.id, agencyRequests.reviewId))
        .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
        .where(
          and(
            visibleReviewsCondition(actor),
            eq(agencyRequests.agencyId, actor.agencyId),
            isNull(agencyRequests.withdrawnAt),
          ),
        )
        .orderBy(asc(agencyRequests.dueDate));
    },
  };
}

export type RequestListItem = Awaited<ReturnType<ReturnType<typeof requestRepository>['list']>>[number];

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
