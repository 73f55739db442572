import { and, asc, count, desc, eq, inArray, sql, type AnyColumn } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { inSequence } from '../sequential.ts';
import {
  agencies,
  agencyRequests,
  briefings,
  briefingVersions,
  chronologyVersions,
  reviewActions,
  householdMembers,
  linesOfEnquiry,
  partnerships,
  referrals,
  reviewAgencies,
  reviewMembers,
  reviews,
  reviewSubjects,
  screeningDecisions,
  stageHistory,
  users,
} from '../schema.ts';
import { mayViewIdentifiable, type Actor } from '../../domain/lifecycle/roles.ts';
import type { ReviewStatus, ReviewType, ScreeningOutcome, Stage } from '../../domain/lifecycle/stages.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { visibleReviewsCondition, type VisibleReview } from './review-access.ts';

/** The dates a review's statutory deadlines run from. */
export interface DeadlineDates {
  referredOn: string | null;
  screening: { outcome: string; decidedOn: string } | null;
  /** The earliest due date of agency requests not yet accepted or withdrawn. */
  returnsDue: string | null;
  /** When the newest briefing version was sent for approval, while it waits (London date). */
  approvalAskedOn: string | null;
  /** The earliest due date of the open actions. */
  actionDue: string | null;
  /** When a rapid review's outcome decided on a local child safeguarding practice review. */
  lcsprDecidedOn: string | null;
  /** The partnership's own target for the review's type, in weeks. */
  targetWeeks: number | null;
}

/** What the deadlines of a review run from beyond its referral and screening, as columns. */
const deadlineColumns = {
  returnsDue: sql<
    string | null
  >`(select min(${agencyRequests.dueDate})::text from ${agencyRequests} where ${agencyRequests.reviewId} = ${reviews.id} and ${agencyRequests.withdrawnAt} is null and ${agencyRequests.status} <> 'accepted')`,
  approvalAskedOn: sql<
    string | null
  >`(select (v.submitted_at at time zone 'Europe/London')::date::text from ${briefingVersions} v join ${briefings} b on b.id = v.briefing_id where b.review_id = ${reviews.id} and v.state = 'in_review' order by v.version desc limit 1)`,
  actionDue: sql<
    string | null
  >`(select min(${reviewActions.dueDate})::text from ${reviewActions} where ${reviewActions.reviewId} = ${reviews.id} and ${reviewActions.status} in ('not_started', 'in_progress'))`,
  // Both statements join the screening decision.
  lcsprDecidedOn: sql<
    string | null
  >`case when ${screeningDecisions.rapidReviewOutcome} = 'lcspr' then ${screeningDecisions.outcomeDecidedOn}::text end`,
  targetWeeks: sql<
    number | null
  >`(select case ${reviews.type} when 'line_of_sight' then p.line_of_sight_target_weeks when 'single_agency' then p.single_agency_target_weeks end from ${partnerships} p where p.id = ${reviews.partnershipId})`,
};

export type ReviewRow = typeof reviews.$inferSelect;

export interface ReviewListFilter {
  stage?: Stage | undefined;
  type?: ReviewType | undefined;
  agencyId?: string | undefined;
  /** Only the reviews the actor is a member of ("my reviews"). */
  memberOnly?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface SubjectDetails {
  fullName: string;
  dateOfBirth: string | null;
  address: string | null;
  postcode: string | null;
  nhsNumber: string | null;
  school: string | null;
  household: { relationship: string; fullName: string; dateOfBirth: string | null }[];
}

/** Reviews and their parts, as one actor may see and change them. */
export function reviewRepository(db: Executor, actor: Actor) {
  const visible = () => visibleReviewsCondition(actor);

  const membership = (reviewId: AnyColumn | string) =>
    sql<boolean>`exists (select 1 from ${reviewMembers} where ${reviewMembers.reviewId} = ${reviewId} and ${reviewMembers.userId} = ${actor.userId})`;

  return {
    async list(filter: ReviewListFilter): Promise<{ items: ReviewRow[]; total: number }> {
      const conditions = [visible()];
      if (filter.stage) conditions.push(eq(reviews.stage, filter.stage));
      if (filter.type) conditions.push(eq(reviews.type, filter.type));
      if (filter.memberOnly) conditions.push(membership(reviews.id));
      if (filter.agencyId)
        conditions.push(
          sql`exists (select 1 from ${reviewAgencies} where ${reviewAgencies.reviewId} = ${reviews.id} and ${reviewAgencies.agencyId} = ${filter.agencyId})`,
        );
      const where = and(...conditions);
      const [items, [total]] = await inSequence(
        () =>
          db
            .select()
            .from(reviews)
            .where(where)
            .orderBy(desc(reviews.createdAt))
            .limit(filter.limit)
            .offset(filter.offset),
        () => db.select({ n: count() }).from(reviews).where(where),
      );
      return { items, total: total?.n ?? 0 };
    },

    /**
     * The review by reference with what every page of it needs — its row, the handle for queries
     * on its parts, the dates its statutory deadlines run from (referral, screening) — in one
     * statement; null when it does not exist or the actor may not see it.
     */
    async find(reference: string): Promise<{
      handle: VisibleReview;
      row: ReviewRow;
      deadlineDates: DeadlineDates;
    } | null> {
      const [found] = await db
        .select({
          row: reviews,
          isMember: membership(reviews.id),
          chronologyVersion: sql<string>`coalesce((select ${chronologyVersions.version} from ${chronologyVersions} where ${chronologyVersions.reviewId} = ${reviews.id}), 0)::text`,
          referredOn: referrals.referredOn,
          screeningOutcome: screeningDecisions.outcome,
          screeningDecidedOn: screeningDecisions.decidedOn,
          ...deadlineColumns,
        })
        .from(reviews)
        .leftJoin(referrals, eq(referrals.reviewId, reviews.id))
        .leftJoin(screeningDecisions, eq(screeningDecisions.reviewId, reviews.id))
        .where(and(visible(), eq(reviews.reference, reference)))
        .limit(1);
      if (!found) return null;
      const handle = {
        id: found.row.id,
        reference: found.row.reference,
        partnershipId: found.row.partnershipId,
        isMember: Boolean(found.isMember),
        chronologyVersion: String(found.chronologyVersion),
      } as VisibleReview;
      const deadlineDates: DeadlineDates = {
        referredOn: found.referredOn,
        screening:
          found.screeningOutcome && found.screeningDecidedOn
            ? { outcome: found.screeningOutcome, decidedOn: found.screeningDecidedOn }
            : null,
        returnsDue: found.returnsDue,
        approvalAskedOn: found.approvalAskedOn,
        actionDue: found.actionDue,
        lcsprDecidedOn: found.lcsprDecidedOn,
        targetWeeks: found.targetWeeks === null ? null : Number(found.targetWeeks),
      };
      return { handle, row: found.row, deadlineDates };
    },

    async insert(values: {
      reference: string;
      type: ReviewType;
      pseudonym: string;
      stage: Stage;
    }): Promise<ReviewRow> {
      const [row] = await db
        .insert(reviews)
        .values({ ...values, partnershipId: actor.partnershipId, createdBy: actor.userId })
        .returning();
      return row!;
    },

    /** Adopts a review just inserted by this actor, so the rest of its creation can write its parts. */
    adopt(row: ReviewRow): VisibleReview {
      if (row.partnershipId !== actor.partnershipId || row.createdBy !== actor.userId)
        throw new ForbiddenError('Only the creator of a review can adopt it.');
      return {
        id: row.id,
        reference: row.reference,
        partnershipId: row.partnershipId,
        isMember: true,
        chronologyVersion: '0',
      } as VisibleReview;
    },

    async update(
      review: VisibleReview,
      values: Partial<{
        stage: Stage;
        status: ReviewStatus;
        type: ReviewType;
        stageEnteredAt: Date;
        periodFrom: string | null;
        periodTo: string | null;
        background: string | null;
        purpose: string | null;
        pseudonym: string;
      }>,
    ): Promise<ReviewRow> {
      const [row] = await db
        .update(reviews)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(reviews.id, review.id))
        .returning();
      return row!;
    },

    async insertReferral(review: VisibleReview, values: Omit<typeof referrals.$inferInsert, 'reviewId'>) {
      await db.insert(referrals).values({ ...values, reviewId: review.id });
    },

    async referral(review: VisibleReview) {
      const [row] = await db
        .select({
          referral: referrals,
          agencyName: agencies.name,
          agencyCode: agencies.code,
        })
        .from(referrals)
        .innerJoin(agencies, eq(agencies.id, referrals.referringAgencyId))
        .where(eq(referrals.reviewId, review.id));
      return row ?? null;
    },

    async insertSubject(review: VisibleReview, subject: SubjectDetails) {
      const { household, ...details } = subject;
      await db.insert(reviewSubjects).values({ ...details, reviewId: review.id });
      if (household.length)
        await db
          .insert(householdMembers)
          .values(household.map((m, position) => ({ ...m, position, reviewId: review.id })));
    },

    /**
     * The child's identifiable details. The data layer refuses anyone who may not see them;
     * the caller writes the audit row of the view in the same transaction.
     */
    async subject(review: VisibleReview): Promise<SubjectDetails | null> {
      if (!mayViewIdentifiable(actor, review.isMember))
        throw new ForbiddenError('You do not have access to the identifiable details of this review.');
      const [subject] = await db.select().from(reviewSubjects).where(eq(reviewSubjects.reviewId, review.id));
      if (!subject) return null;
      const household = await db
        .select({
          relationship: householdMembers.relationship,
          fullName: householdMembers.fullName,
          dateOfBirth: householdMembers.dateOfBirth,
        })
        .from(householdMembers)
        .where(eq(householdMembers.reviewId, review.id))
        .orderBy(asc(householdMembers.position));
      const { reviewId: _reviewId, ...details } = subject;
      return { ...details, household };
    },

    async agencies(review: VisibleReview) {
      return db
        .select({
          agencyId: agencies.id,
          code: agencies.code,
          name: agencies.name,
          type: agencies.type,
          involved: reviewAgencies.involved,
          inScope: reviewAgencies.inScope,
        })
        .from(reviewAgencies)
        .innerJoin(agencies, eq(agencies.id, reviewAgencies.agencyId))
        .where(eq(reviewAgencies.reviewId, review.id))
        .orderBy(asc(agencies.name));
    },

    /** Marks the involved agencies (referral) or those in scope (terms of reference). */
    async setAgencies(review: VisibleReview, column: 'involved' | 'inScope', agencyIds: string[]) {
      await db
        .update(reviewAgencies)
        .set({ [column]: false })
        .where(eq(reviewAgencies.reviewId, review.id));
      if (!agencyIds.length) return;
      await db
        .insert(reviewAgencies)
        .values(agencyIds.map((agencyId) => ({ reviewId: review.id, agencyId, [column]: true })))
        .onConflictDoUpdate({
          target: [reviewAgencies.reviewId, reviewAgencies.agencyId],
          set: { [column]: true },
        });
    },

    async screening(review: VisibleReview) {
      const [row] = await db
        .select()
        .from(screeningDecisions)
        .where(eq(screeningDecisions.reviewId, review.id));
      return row ?? null;
    },

    /** A rapid review's outcome, kept with the screening decision that escalated it. */
    async saveRapidReviewOutcome(
      review: VisibleReview,
      outcome: { outcome: string; decidedBy: string; decidedOn: string; rationale: string },
    ) {
      await db
        .update(screeningDecisions)
        .set({
          rapidReviewOutcome: outcome.outcome,
          outcomeDecidedBy: outcome.decidedBy,
          outcomeDecidedOn: outcome.decidedOn,
          outcomeRationale: outcome.rationale,
        })
        .where(eq(screeningDecisions.reviewId, review.id));
    },

    async saveScreening(
      review: VisibleReview,
      decision: { outcome: ScreeningOutcome; rationale: string; decisionMaker: string; decidedOn: string },
    ) {
      await db
        .insert(screeningDecisions)
        .values({ ...decision, reviewId: review.id, recordedBy: actor.userId })
        .onConflictDoUpdate({
          target: screeningDecisions.reviewId,
          set: { ...decision, recordedBy: actor.userId, createdAt: new Date() },
        });
    },

    async linesOfEnquiry(review: VisibleReview) {
      return db
        .select({
          id: linesOfEnquiry.id,
          position: linesOfEnquiry.position,
          question: linesOfEnquiry.question,
        })
        .from(linesOfEnquiry)
        .where(eq(linesOfEnquiry.reviewId, review.id))
        .orderBy(asc(linesOfEnquiry.position));
    },

    async addLineOfEnquiry(review: VisibleReview, question: string) {
      const [max] = await db
        .select({ n: sql<number>`coalesce(max(${linesOfEnquiry.position}), 0)::int` })
        .from(linesOfEnquiry)
        .where(eq(linesOfEnquiry.reviewId, review.id));
      const [row] = await db
        .insert(linesOfEnquiry)
        .values({ reviewId: review.id, question, position: (max?.n ?? 0) + 1 })
        .returning({
          id: linesOfEnquiry.id,
          position: linesOfEnquiry.position,
          question: linesOfEnquiry.question,
        });
      return row!;
    },

    async updateLineOfEnquiry(review: VisibleReview, id: string, question: string) {
      const rows = await db
        .update(linesOfEnquiry)
        .set({ question })
        .where(and(eq(linesOfEnquiry.reviewId, review.id), eq(linesOfEnquiry.id, id)))
        .returning({ id: linesOfEnquiry.id });
      return rows.length > 0;
    },

    async removeLineOfEnquiry(review: VisibleReview, id: string) {
      const rows = await db
        .delete(linesOfEnquiry)
        .where(and(eq(linesOfEnquiry.reviewId, review.id), eq(linesOfEnquiry.id, id)))
        .returning({ id: linesOfEnquiry.id });
      return rows.length > 0;
    },

    /** Rewrites positions 1..n in the given order (ids not of this review are ignored). */
    async orderLinesOfEnquiry(review: VisibleReview, ids: string[]) {
      for (const [i, id] of ids.entries())
        await db
          .update(linesOfEnquiry)
          .set({ position: i + 1 })
          .where(and(eq(linesOfEnquiry.reviewId, review.id), eq(linesOfEnquiry.id, id)));
    },

    async recordStageChange(
      review: VisibleReview,
      change: {
        kind: 'move' | 'pause' | 'resume' | 'stop';
        fromStage: Stage | null;
        toStage: Stage;
        reason?: string | null;
        /** When it happened, from the service clock. */
        at: Date;
      },
    ) {
      await db.insert(stageHistory).values({ ...change, reviewId: review.id, byUserId: actor.userId });
    },

    async stageHistory(review: VisibleReview) {
      return db
        .select({
          kind: stageHistory.kind,
          fromStage: stageHistory.fromStage,
          toStage: stageHistory.toStage,
          reason: stageHistory.reason,
          at: stageHistory.at,
          byName: users.name,
        })
        .from(stageHistory)
        .leftJoin(users, eq(users.id, stageHistory.byUserId))
        .where(eq(stageHistory.reviewId, review.id))
        .orderBy(asc(stageHistory.at), asc(stageHistory.id));
    },

    async members(review: VisibleReview) {
      return db
        .select({
          userId: users.id,
          name: users.name,
          email: users.email,
          roles: users.roles,
          agencyId: users.agencyId,
        })
        .from(reviewMembers)
        .innerJoin(users, eq(users.id, reviewMembers.userId))
        .where(eq(reviewMembers.reviewId, review.id))
        .orderBy(asc(users.name));
    },

    async addMembers(review: VisibleReview, userIds: string[]) {
      if (!userIds.length) return;
      await db
        .insert(reviewMembers)
        .values(userIds.map((userId) => ({ reviewId: review.id, userId, addedBy: actor.userId })))
        .onConflictDoNothing();
    },

    async removeMember(review: VisibleReview, userId: string) {
      await db
        .delete(reviewMembers)
        .where(and(eq(reviewMembers.reviewId, review.id), eq(reviewMembers.userId, userId)));
    },

    /** The highest sequence number used for a reference prefix, e.g. 4 for LOS-2026-004. */
    /**
     * The partnership's reviews of a child with the same identifiers: the same NHS number, or the
     * same full name (letters' case and spacing aside) and date of birth. A name alone matches
     * nothing. Only references come back: the referral that asks is warned, never merged.
     */
    async reviewsOfSameChild(child: {
      fullName: string;
      dateOfBirth: string | null;
      nhsNumber: string | null;
    }): Promise<string[]> {
      const nhs = child.nhsNumber?.replace(/\s/g, '') || null;
      const name = child.fullName.trim().replace(/\s+/g, ' ').toLowerCase();
      const rows = (await db.execute(
        sql`select r.reference from ${reviews} r join ${reviewSubjects} s on s.review_id = r.id
             where r.partnership_id = ${actor.partnershipId}
               and ((${nhs}::text is not null and regexp_replace(coalesce(s.nhs_number, ''), '\\s', '', 'g') = ${nhs})
                 or (${child.dateOfBirth}::date is not null and s.date_of_birth = ${child.dateOfBirth}::date
                     and lower(regexp_replace(trim(s.full_name), '\\s+', ' ', 'g')) = ${name}))
             order by r.reference`,
      )) as unknown as { rows: { reference: string }[] };
      return rows.rows.map((r) => r.reference);
    },

    async lastReferenceNumber(prefix: string): Promise<number> {
      const [row] = await db
        .select({
          n: sql<number>`coalesce(max(substring(${reviews.reference} from '[0-9]+$')::int), 0)::int`,
        })
        .from(reviews)
        .where(
          and(eq(reviews.partnershipId, actor.partnershipId), sql`${reviews.reference} like ${prefix + '%'}`),
        );
      return row?.n ?? 0;
    },

    async countByStage(): Promise<Record<string, number>> {
      const rows = await db
        .select({ stage: reviews.stage, n: count() })
        .from(reviews)
        .where(visible())
        .groupBy(reviews.stage);
      return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
    },

    /** The deadline dates of several visible reviews (the reviews list), in one statement. */
    async deadlineDatesFor(reviewIds: string[]): Promise<Map<string, DeadlineDates>> {
      if (!reviewIds.length) return new Map();
      const rows = await db
        .select({
          id: reviews.id,
          referredOn: referrals.referredOn,
          screeningOutcome: screeningDecisions.outcome,
          screeningDecidedOn: screeningDecisions.decidedOn,
          ...deadlineColumns,
        })
        .from(reviews)
        .leftJoin(referrals, eq(referrals.reviewId, reviews.id))
        .leftJoin(screeningDecisions, eq(screeningDecisions.reviewId, reviews.id))
        .where(and(visible(), inArray(reviews.id, reviewIds)));
      return new Map(
        rows.map((r) => [
          r.id,
          {
            referredOn: r.referredOn,
            screening:
              r.screeningOutcome && r.screeningDecidedOn
                ? { outcome: r.screeningOutcome, decidedOn: r.screeningDecidedOn }
                : null,
            returnsDue: r.returnsDue,
            approvalAskedOn: r.approvalAskedOn,
            actionDue: r.actionDue,
            lcsprDecidedOn: r.lcsprDecidedOn,
            targetWeeks: r.targetWeeks === null ? null : Number(r.targetWeeks),
          },
        ]),
      );
    },

    async screeningsFor(reviewIds: string[]) {
      if (!reviewIds.length) return [];
      return db
        .select({
          reviewId: screeningDecisions.reviewId,
          outcome: screeningDecisions.outcome,
          decidedOn: screeningDecisions.decidedOn,
        })
        .from(screeningDecisions)
        .innerJoin(reviews, eq(reviews.id, screeningDecisions.reviewId))
        .where(and(visible(), inArray(screeningDecisions.reviewId, reviewIds)));
    },

    async referralsFor(reviewIds: string[]) {
      if (!reviewIds.length) return [];
      return db
        .select({ reviewId: referrals.reviewId, referredOn: referrals.referredOn })
        .from(referrals)
        .innerJoin(reviews, eq(reviews.id, referrals.reviewId))
        .where(and(visible(), inArray(referrals.reviewId, reviewIds)));
    },
  };
}

export type ReviewRepository = ReturnType<typeof reviewRepository>;
