import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  briefings,
  briefingVersions,
  reviewActions,
  reviewMembers,
  reviews,
} from '../schema.ts';
import { granted, type Capability } from '../../domain/access/policy.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { visibleReviewsCondition } from './review-access.ts';

/** Whether the actor could do this on some review at all (a member, for their own agency). */
const mayAttempt = (actor: Actor, capability: Capability) =>
  granted(actor, capability, { isMember: true, agencyId: actor.agencyId });

/** Whether the actor is a member of the review in the row (for grants that reach members only). */
const isMember = (actor: Actor) =>
  sql<boolean>`exists (select 1 from ${reviewMembers} where ${reviewMembers.reviewId} = ${reviews.id} and ${reviewMembers.userId} = ${actor.userId})`;

/** The newest version of each review's briefing, with its state. */
const newestVersion = sql`${briefingVersions.version} = (select max(v2.version) from ${briefingVersions} v2 where v2.briefing_id = ${briefingVersions.briefingId})`;

/**
 * What waits on one person across the reviews they may see ("Waiting on me"): their agency's returns
 * to complete, returns to accept or query, briefings to approve or publish, and actions of theirs
 * due soon or overdue. Each kind is asked only of those the policy lets do it, and each row is
 * checked again against the policy on its own review (membership, agency).
 */
export function waitingRepository(db: Executor, actor: Actor) {
  return {
    /** Returns submitted by agencies, waiting for the coordinator to accept or query them. */
    async returnsToAccept() {
      if (!mayAttempt(actor, 'request.manage')) return [];
      const rows = await db
        .select({
          id: agencyRequests.id,
          reference: reviews.reference,
          agencyId: agencyRequests.agencyId,
          agencyName: agencies.name,
          submittedAt: agencyRequests.submittedAt,
          stage: reviews.stage,
          status: reviews.status,
          isMember: isMember(actor),
        })
        .from(agencyRequests)
        .innerJoin(reviews, eq(reviews.id, agencyRequests.reviewId))
        .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
        .where(
          and(
            visibleReviewsCondition(actor),
            eq(agencyRequests.status, 'submitted'),
            isNull(agencyRequests.withdrawnAt),
          ),
        )
        .orderBy(asc(agencyRequests.submittedAt));
      return rows.filter((r) => granted(actor, 'request.manage', { isMember: Boolean(r.isMember) }));
    },

    /** Briefings whose newest version waits for approval (to approve) or is approved (to publish). */
    async briefings() {
      const approve = mayAttempt(actor, 'briefing.approve');
      const publish = mayAttempt(actor, 'briefing.edit');
      if (!approve && !publish) return [];
      const states = [...(approve ? ['in_review'] : []), ...(publish ? ['approved'] : [])];
      const rows = await db
        .select({
          reference: reviews.reference,
          state: briefingVersions.state,
          since: sql<Date>`coalesce(${briefingVersions.approvedAt}, ${briefingVersions.submittedAt}, ${briefingVersions.updatedAt})`,
          isMember: isMember(actor),
        })
        .from(briefingVersions)
        .innerJoin(briefings, eq(briefings.id, briefingVersions.briefingId))
        .innerJoin(reviews, eq(reviews.id, briefings.reviewId))
        .where(
          and(
            visibleReviewsCondition(actor),
            newestVersion,
            inArray(briefingVersions.state, states),
            eq(reviews.status, 'active'),
          ),
        )
        .orderBy(asc(reviews.reference));
      return rows.filter((r) =>
        granted(actor, r.state === 'in_review' ? 'briefing.approve' : 'briefing.edit', {
          isMember: Boolean(r.isMember),
        }),
      );
    },

    /**
     * Open actions this person answers for, due by `dueBy`: those they lead, and their own agency's
     * where the policy lets them update their own agency's actions.
     */
    async actions(dueBy: string) {
      const own = actor.agencyId ? eq(reviewActions.owningAgencyId, actor.agencyId) : sql`false`;
      const rows = await db
        .select({
          id: reviewActions.id,
          reference: reviews.reference,
          number: reviewActions.number,
          what: reviewActions.what,
          agencyId: reviewActions.owningAgencyId,
          agencyName: agencies.name,
          leadUserId: reviewActions.leadUserId,
          dueDate: reviewActions.dueDate,
          status: reviewActions.status,
          isMember: isMember(actor),
        })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .innerJoin(agencies, eq(agencies.id, reviewActions.owningAgencyId))
        .where(
          and(
            visibleReviewsCondition(actor),
            inArray(reviewActions.status, ['not_started', 'in_progress']),
            lte(reviewActions.dueDate, dueBy),
            or(eq(reviewActions.leadUserId, actor.userId), own),
          ),
        )
        .orderBy(asc(reviewActions.dueDate));
      return rows.filter((r) =>
        granted(actor, 'action.update', { isMember: Boolean(r.isMember), agencyId: r.agencyId }),
      );
    },
  };
}
