import { aliasedTable, and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  actionAudits,
  actionLearningStatements,
  actionUpdates,
  agencies,
  learningStatements,
  practiceAudits,
  reviewActions,
  reviews,
  users,
} from '../schema.ts';
import { mayUpdateAction, updatesEveryAction, type Actor } from '../../domain/lifecycle/roles.ts';
import type { ActionStatus } from '../../domain/actions/status.ts';
import { visibleReviewsCondition, type VisibleReview } from './review-access.ts';

export type ActionRow = typeof reviewActions.$inferSelect;

export interface ActionListFilter {
  agencyId?: string | undefined;
  status?: ActionStatus | undefined;
  reviewReference?: string | undefined;
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
}

const lead = aliasedTable(users, 'lead');

/** The columns every list of actions shows: the action, its agency, its lead and its review. */
const listColumns = {
  id: reviewActions.id,
  reviewId: reviewActions.reviewId,
  reviewReference: reviews.reference,
  reviewPseudonym: reviews.pseudonym,
  number: reviewActions.number,
  what: reviewActions.what,
  owningAgencyId: reviewActions.owningAgencyId,
  agencyCode: agencies.code,
  agencyName: agencies.name,
  leadUserId: reviewActions.leadUserId,
  leadName: lead.name,
  dueDate: reviewActions.dueDate,
  successMeasure: reviewActions.successMeasure,
  status: reviewActions.status,
  cancelledReason: reviewActions.cancelledReason,
  assuredAt: reviewActions.assuredAt,
  createdAt: reviewActions.createdAt,
  updatedAt: reviewActions.updatedAt,
};

export type ActionListItem = {
  [K in keyof typeof listColumns]: (typeof listColumns)[K]['_']['data'];
} & { status: ActionStatus };

/**
 * Actions, their updates and links, as one actor may see and change them. Reading follows the
 * review (a VisibleReview handle, or the visible-reviews condition); changing an action is a
 * second, narrower condition stated once here: `changeable`.
 */
export function actionRepository(db: Executor, actor: Actor) {
  /**
   * Which actions of a visible review this actor may update, in SQL (deny by default): the
   * coordinator's any; an agency lead's only their own agency's, in reviews they are a member of.
   * The same rule as mayUpdateAction in src/domain/lifecycle/roles.ts.
   */
  function changeable(review: VisibleReview): SQL {
    if (updatesEveryAction(actor)) return sql`true`;
    if (actor.agencyId && mayUpdateAction(actor, review.isMember, actor.agencyId))
      return eq(reviewActions.owningAgencyId, actor.agencyId);
    return sql`false`;
  }

  const select = () =>
    db
      .select(listColumns)
      .from(reviewActions)
      .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
      .innerJoin(agencies, eq(agencies.id, reviewActions.owningAgencyId))
      .innerJoin(lead, eq(lead.id, reviewActions.leadUserId));

  return {
    async list(review: VisibleReview): Promise<ActionListItem[]> {
      return (await select()
        .where(eq(reviewActions.reviewId, review.id))
        .orderBy(asc(reviewActions.number))) as ActionListItem[];
    },

    async get(review: VisibleReview, id: string): Promise<ActionListItem | null> {
      const [row] = await select().where(
        and(eq(reviewActions.reviewId, review.id), eq(reviewActions.id, id)),
      );
      return (row as ActionListItem | undefined) ?? null;
    },

    /** The action, only when this actor may update it; null otherwise (the service says why). */
    async forChange(review: VisibleReview, id: string): Promise<ActionListItem | null> {
      const [row] = await select()
        .where(and(eq(reviewActions.reviewId, review.id), eq(reviewActions.id, id), changeable(review)))
        .for('update', { of: reviewActions });
      return (row as ActionListItem | undefined) ?? null;
    },

    /** The reference of the review an action belongs to, if the actor may see that review. */
    async reviewReferenceOf(actionId: string): Promise<string | null> {
      const [row] = await db
        .select({ reference: reviews.reference })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .where(and(eq(reviewActions.id, actionId), visibleReviewsCondition(actor)));
      return row?.reference ?? null;
    },

    async insert(
      review: VisibleReview,
      values: Pick<ActionRow, 'what' | 'owningAgencyId' | 'leadUserId' | 'dueDate' | 'successMeasure'>,
    ): Promise<ActionRow> {
      // Numbered within the review; the review row lock keeps two additions from taking one number.
      await db.execute(sql`select 1 from ${reviews} where ${reviews.id} = ${review.id} for update`);
      const [last] = await db
        .select({ n: sql<number>`coalesce(max(${reviewActions.number}), 0)::int` })
        .from(reviewActions)
        .where(eq(reviewActions.reviewId, review.id));
      const [row] = await db
        .insert(reviewActions)
        .values({ ...values, reviewId: review.id, number: (last?.n ?? 0) + 1, createdBy: actor.userId })
        .returning();
      return row!;
    },

    /** Changes an action this actor may change (the condition again, so no caller can skip it). */
    async update(
      review: VisibleReview,
      id: string,
      values: Partial<
        Pick<
          ActionRow,
          | 'what'
          | 'owningAgencyId'
          | 'leadUserId'
          | 'dueDate'
          | 'successMeasure'
          | 'status'
          | 'cancelledReason'
          | 'assuredAt'
          | 'assuredBy'
        >
      >,
      at: Date,
    ): Promise<boolean> {
      const rows = await db
        .update(reviewActions)
        .set({ ...values, updatedAt: at })
        .where(and(eq(reviewActions.reviewId, review.id), eq(reviewActions.id, id), changeable(review)))
        .returning({ id: reviewActions.id });
      return rows.length > 0;
    },

    async addUpdate(
      review: VisibleReview,
      actionId: string,
      values: Omit<typeof actionUpdates.$inferInsert, 'id' | 'actionId' | 'byUserId'>,
    ) {
      const [action] = await db
        .select({ id: reviewActions.id })
        .from(reviewActions)
        .where(
          and(eq(reviewActions.reviewId, review.id), eq(reviewActions.id, actionId), changeable(review)),
        );
      if (!action) return null;
      const [row] = await db
        .insert(actionUpdates)
        .values({ ...values, actionId, byUserId: actor.userId })
        .returning({ id: actionUpdates.id });
      return row!;
    },

    /** The update history, newest first, without file contents. */
    async updates(review: VisibleReview, actionId: string) {
      return db
        .select({
          id: actionUpdates.id,
          note: actionUpdates.note,
          statusFrom: actionUpdates.statusFrom,
          statusTo: actionUpdates.statusTo,
          evidenceText: actionUpdates.evidenceText,
          evidenceUrl: actionUpdates.evidenceUrl,
          fileName: actionUpdates.fileName,
          fileType: actionUpdates.fileType,
          fileSize: actionUpdates.fileSize,
          byName: users.name,
          at: actionUpdates.at,
        })
        .from(actionUpdates)
        .innerJoin(reviewActions, eq(reviewActions.id, actionUpdates.actionId))
        .leftJoin(users, eq(users.id, actionUpdates.byUserId))
        .where(and(eq(reviewActions.reviewId, review.id), eq(actionUpdates.actionId, actionId)))
        .orderBy(desc(actionUpdates.at), desc(actionUpdates.id));
    },

    async evidenceFile(review: VisibleReview, actionId: string, updateId: string) {
      const [row] = await db
        .select({
          fileName: actionUpdates.fileName,
          fileType: actionUpdates.fileType,
          fileContent: actionUpdates.fileContent,
        })
        .from(actionUpdates)
        .innerJoin(reviewActions, eq(reviewActions.id, actionUpdates.actionId))
        .where(
          and(
            eq(reviewActions.reviewId, review.id),
            eq(actionUpdates.actionId, actionId),
            eq(actionUpdates.id, updateId),
          ),
        );
      return row?.fileContent && row.fileName ? row : null;
    },

    async hasEvidence(review: VisibleReview, actionId: string): Promise<boolean> {
      const [row] = await db
        .select({ n: count() })
        .from(actionUpdates)
        .innerJoin(reviewActions, eq(reviewActions.id, actionUpdates.actionId))
        .where(
          and(
            eq(reviewActions.reviewId, review.id),
            eq(actionUpdates.actionId, actionId),
            sql`(${actionUpdates.evidenceText} is not null or ${actionUpdates.evidenceUrl} is not null or ${actionUpdates.fileName} is not null)`,
          ),
        );
      return (row?.n ?? 0) > 0;
    },

    /** The review's learning statements an action may answer. */
    async learningOptions(review: VisibleReview) {
      return db
        .select({
          id: learningStatements.id,
          position: learningStatements.position,
          statement: learningStatements.statement,
        })
        .from(learningStatements)
        .where(eq(learningStatements.reviewId, review.id))
        .orderBy(asc(learningStatements.position));
    },

    async learningOf(review: VisibleReview, actionIds: string[]) {
      if (!actionIds.length) return [];
      return db
        .select({
          actionId: actionLearningStatements.actionId,
          statementId: learningStatements.id,
          statement: learningStatements.statement,
        })
        .from(actionLearningStatements)
        .innerJoin(learningStatements, eq(learningStatements.id, actionLearningStatements.statementId))
        .where(
          and(
            eq(learningStatements.reviewId, review.id),
            inArray(actionLearningStatements.actionId, actionIds),
          ),
        )
        .orderBy(asc(learningStatements.position));
    },

    /** Replaces an action's learning links with statements of the same review (others are ignored). */
    async setLearning(review: VisibleReview, actionId: string, statementIds: string[]) {
      await db.delete(actionLearningStatements).where(eq(actionLearningStatements.actionId, actionId));
      if (!statementIds.length) return;
      const valid = await db
        .select({ id: learningStatements.id })
        .from(learningStatements)
        .where(and(eq(learningStatements.reviewId, review.id), inArray(learningStatements.id, statementIds)));
      if (valid.length)
        await db.insert(actionLearningStatements).values(valid.map((v) => ({ actionId, statementId: v.id })));
    },

    /** The audits that evidence a review's actions. */
    async auditsOf(review: VisibleReview) {
      return db
        .select({
          actionId: actionAudits.actionId,
          auditId: practiceAudits.id,
          question: practiceAudits.question,
        })
        .from(actionAudits)
        .innerJoin(practiceAudits, eq(practiceAudits.id, actionAudits.auditId))
        .innerJoin(reviewActions, eq(reviewActions.id, actionAudits.actionId))
        .where(eq(reviewActions.reviewId, review.id));
    },

    /** Every action of every review the actor may see, filtered. */
    async partnershipList(filter: ActionListFilter): Promise<ActionListItem[]> {
      const conditions: SQL[] = [visibleReviewsCondition(actor)];
      if (filter.agencyId) conditions.push(eq(reviewActions.owningAgencyId, filter.agencyId));
      if (filter.status) conditions.push(eq(reviewActions.status, filter.status));
      if (filter.reviewReference) conditions.push(eq(reviews.reference, filter.reviewReference));
      if (filter.dueFrom) conditions.push(gte(reviewActions.dueDate, filter.dueFrom));
      if (filter.dueTo) conditions.push(lte(reviewActions.dueDate, filter.dueTo));
      return (await select()
        .where(and(...conditions))
        .orderBy(
          asc(reviewActions.dueDate),
          asc(reviews.reference),
          asc(reviewActions.number),
        )) as ActionListItem[];
    },

    /** References of the reviews the actor may see that have actions (for the filter). */
    async reviewsWithActions() {
      return db
        .selectDistinct({ reference: reviews.reference, pseudonym: reviews.pseudonym })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .where(visibleReviewsCondition(actor))
        .orderBy(asc(reviews.reference));
    },
  };
}

export type ActionRepository = ReturnType<typeof actionRepository>;
