import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  actionAudits,
  agencies,
  practiceAuditRounds,
  practiceAudits,
  reviewActions,
  reviews,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { visibleReviewsCondition, type VisibleReview } from './review-access.ts';

/**
 * Audits of practice: the actor's partnership's only. An audit holds no case detail (a question,
 * a sample, counts); the actions it evidences are shown only where the actor may see their review.
 */
export function practiceAuditRepository(db: Executor, actor: Actor) {
  const mine = eq(practiceAudits.partnershipId, actor.partnershipId);
  const columns = {
    id: practiceAudits.id,
    agencyId: practiceAudits.agencyId,
    agencyCode: agencies.code,
    agencyName: agencies.name,
    question: practiceAudits.question,
    sampleDescription: practiceAudits.sampleDescription,
    compliantMeans: practiceAudits.compliantMeans,
    createdAt: practiceAudits.createdAt,
  };
  const select = () =>
    db.select(columns).from(practiceAudits).innerJoin(agencies, eq(agencies.id, practiceAudits.agencyId));

  return {
    async list() {
      return select().where(mine).orderBy(asc(agencies.name), asc(practiceAudits.createdAt));
    },

    async get(id: string) {
      const [row] = await select().where(and(mine, eq(practiceAudits.id, id)));
      return row ?? null;
    },

    async rounds(auditIds: string[]) {
      if (!auditIds.length) return [];
      return db
        .select({
          id: practiceAuditRounds.id,
          auditId: practiceAuditRounds.auditId,
          roundDate: practiceAuditRounds.roundDate,
          sampled: practiceAuditRounds.sampled,
          compliant: practiceAuditRounds.compliant,
          note: practiceAuditRounds.note,
        })
        .from(practiceAuditRounds)
        .where(inArray(practiceAuditRounds.auditId, auditIds))
        .orderBy(asc(practiceAuditRounds.roundDate), asc(practiceAuditRounds.createdAt));
    },

    async insert(values: {
      agencyId: string;
      question: string;
      sampleDescription: string;
      compliantMeans: string | null;
    }) {
      const [row] = await db
        .insert(practiceAudits)
        .values({ ...values, partnershipId: actor.partnershipId, createdBy: actor.userId })
        .returning({ id: practiceAudits.id });
      return row!;
    },

    async insertRound(
      auditId: string,
      values: { roundDate: string; sampled: number; compliant: number; note: string | null },
    ) {
      const [row] = await db
        .insert(practiceAuditRounds)
        .values({ ...values, auditId, createdBy: actor.userId })
        .returning({ id: practiceAuditRounds.id });
      return row!;
    },

    /** The actions an audit evidences, of the reviews the actor may see. */
    async linkedActions(auditId: string) {
      return db
        .select({
          id: reviewActions.id,
          number: reviewActions.number,
          what: reviewActions.what,
          status: reviewActions.status,
          reviewReference: reviews.reference,
        })
        .from(actionAudits)
        .innerJoin(reviewActions, eq(reviewActions.id, actionAudits.actionId))
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .where(and(eq(actionAudits.auditId, auditId), visibleReviewsCondition(actor)))
        .orderBy(asc(reviews.reference), asc(reviewActions.number));
    },

    /** Actions of the audited agency that the actor may see: the ones it could evidence. */
    async linkableActions(agencyId: string) {
      return db
        .select({
          id: reviewActions.id,
          number: reviewActions.number,
          what: reviewActions.what,
          reviewReference: reviews.reference,
        })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .where(and(eq(reviewActions.owningAgencyId, agencyId), visibleReviewsCondition(actor)))
        .orderBy(asc(reviews.reference), asc(reviewActions.number));
    },

    async link(auditId: string, actionId: string) {
      await db.insert(actionAudits).values({ auditId, actionId }).onConflictDoNothing();
    },

    /** Removes the link of an audit to an action; false when there was none. */
    async unlink(auditId: string, actionId: string): Promise<boolean> {
      const rows = await db
        .delete(actionAudits)
        .where(and(eq(actionAudits.auditId, auditId), eq(actionAudits.actionId, actionId)))
        .returning({ auditId: actionAudits.auditId });
      return rows.length > 0;
    },

    /** The audits evidencing any action of a review, for its progress/impact statement. */
    async forReview(review: VisibleReview) {
      return db
        .selectDistinct({
          id: practiceAudits.id,
          sampleDescription: practiceAudits.sampleDescription,
          compliantMeans: practiceAudits.compliantMeans,
          question: practiceAudits.question,
        })
        .from(actionAudits)
        .innerJoin(practiceAudits, eq(practiceAudits.id, actionAudits.auditId))
        .innerJoin(reviewActions, eq(reviewActions.id, actionAudits.actionId))
        .where(and(mine, eq(reviewActions.reviewId, review.id)));
    },
  };
}
