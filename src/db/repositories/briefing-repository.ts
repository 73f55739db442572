import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  briefingFindingAcceptances,
  briefings,
  briefingThemes,
  briefingVersions,
  reviewProgressStatements,
} from '../schema.ts';
import type { Briefing } from '../../domain/briefing/model.ts';
import type { BriefingState } from '../../domain/briefing/states.ts';
import type { Finding } from '../../domain/anonymise/types.ts';
import { mayApproveBriefing, mayEditBriefing, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { requireCleanCheck } from './publication-gate.ts';
import type { VisibleReview } from './review-access.ts';

export type BriefingRow = typeof briefings.$inferSelect;
export type BriefingVersionRow = typeof briefingVersions.$inferSelect;

/**
 * A review's briefing and its versions, reached only through a VisibleReview handle. Writes are
 * checked here, in one place: the coordinator writes and publishes; the approver (the review's
 * chair or the coordinator) approves and accepts findings.
 */
export function briefingRepository(db: Executor, actor: Actor) {
  const requireEditor = () => {
    if (!mayEditBriefing(actor))
      throw new ForbiddenError('Only the review coordinator can change the 7-minute briefing.');
  };
  const requireApprover = (review: VisibleReview) => {
    if (!mayApproveBriefing(actor, review.isMember))
      throw new ForbiddenError("Only the review's chair or the review coordinator can approve the briefing.");
  };

  async function version(review: VisibleReview, versionId: string) {
    const [row] = await db
      .select({ v: briefingVersions })
      .from(briefingVersions)
      .innerJoin(briefings, eq(briefings.id, briefingVersions.briefingId))
      .where(and(eq(briefings.reviewId, review.id), eq(briefingVersions.id, versionId)));
    return row?.v ?? null;
  }

  return {
    async briefing(review: VisibleReview): Promise<BriefingRow | null> {
      const [row] = await db.select().from(briefings).where(eq(briefings.reviewId, review.id));
      return row ?? null;
    },

    /** Every version, newest first. */
    async versions(review: VisibleReview): Promise<BriefingVersionRow[]> {
      return db
        .select({ v: briefingVersions })
        .from(briefingVersions)
        .innerJoin(briefings, eq(briefings.id, briefingVersions.briefingId))
        .where(eq(briefings.reviewId, review.id))
        .orderBy(desc(briefingVersions.version))
        .then((rows) => rows.map((r) => r.v));
    },

    version,

    async create(review: VisibleReview, values: { reviewType: string; content: Briefing }) {
      requireEditor();
      const [briefing] = await db
        .insert(briefings)
        .values({
          partnershipId: review.partnershipId,
          reviewId: review.id,
          source: 'generated',
          reviewType: values.reviewType,
          createdBy: actor.userId,
        })
        .returning();
      const [v] = await db
        .insert(briefingVersions)
        .values({
          briefingId: briefing!.id,
          version: 1,
          content: values.content,
          state: 'draft',
          createdBy: actor.userId,
        })
        .returning();
      return { briefing: briefing!, version: v! };
    },

    async addVersion(
      review: VisibleReview,
      briefingId: string,
      values: { version: number; content: Briefing; note: string | null },
    ) {
      requireEditor();
      const [v] = await db
        .insert(briefingVersions)
        .values({ briefingId, ...values, state: 'draft', createdBy: actor.userId })
        .returning();
      void review;
      return v!;
    },

    /** New content clears the last check: it must be run again before approval. */
    async setContent(review: VisibleReview, versionId: string, content: Briefing) {
      requireEditor();
      if (!(await version(review, versionId)))
        throw new ForbiddenError('That briefing version is not in this review.');
      await db
        .update(briefingVersions)
        .set({ content, findings: null, checkedAt: null, checkedBy: null, updatedAt: new Date() })
        .where(eq(briefingVersions.id, versionId));
    },

    async saveCheck(review: VisibleReview, versionId: string, findings: Finding[], at: Date) {
      if (!(await version(review, versionId)))
        throw new ForbiddenError('That briefing version is not in this review.');
      await db
        .update(briefingVersions)
        .set({ findings, checkedAt: at, checkedBy: actor.userId })
        .where(eq(briefingVersions.id, versionId));
    },

    async setState(
      review: VisibleReview,
      versionId: string,
      state: BriefingState,
      at: Date,
      extra: { searchText?: string } = {},
    ) {
      if (state === 'approved') requireApprover(review);
      else requireEditor();
      if (!(await version(review, versionId)))
        throw new ForbiddenError('That briefing version is not in this review.');
      // Nothing is approved or reaches the library without a clean check of this very content.
      if (state === 'approved' || state === 'published') await requireCleanCheck(db, versionId);
      const who =
        state === 'in_review'
          ? { submittedBy: actor.userId, submittedAt: at }
          : state === 'approved'
            ? { approvedBy: actor.userId, approvedAt: at }
            : state === 'published'
              ? { publishedBy: actor.userId, publishedAt: at, searchText: extra.searchText ?? null }
              : { submittedBy: null, submittedAt: null, approvedBy: null, approvedAt: null };
      await db
        .update(briefingVersions)
        .set({ state, ...who, updatedAt: at })
        .where(eq(briefingVersions.id, versionId));
    },

    async setFacets(
      review: VisibleReview,
      briefingId: string,
      facets: { reviewType: string; themes: string[]; themeIds: string[]; agencyCodes: string[] },
    ) {
      requireEditor();
      const { themeIds, ...columns } = facets;
      const rows = await db
        .update(briefings)
        .set(columns)
        .where(and(eq(briefings.id, briefingId), eq(briefings.reviewId, review.id)))
        .returning({ id: briefings.id });
      if (!rows.length) return;
      // The themes by id too, so a rename follows them (the library and recurrence read these).
      await db.delete(briefingThemes).where(eq(briefingThemes.briefingId, briefingId));
      if (themeIds.length)
        await db.insert(briefingThemes).values(themeIds.map((themeId) => ({ briefingId, themeId })));
    },

    async acceptances(review: VisibleReview, versionId: string) {
      if (!(await version(review, versionId))) return [];
      return db
        .select()
        .from(briefingFindingAcceptances)
        .where(eq(briefingFindingAcceptances.versionId, versionId));
    },

    async accept(review: VisibleReview, versionId: string, fingerprint: string, reason: string) {
      requireApprover(review);
      if (!(await version(review, versionId)))
        throw new ForbiddenError('That briefing version is not in this review.');
      await db
        .insert(briefingFindingAcceptances)
        .values({ versionId, fingerprint, reason, acceptedBy: actor.userId })
        .onConflictDoUpdate({
          target: [briefingFindingAcceptances.versionId, briefingFindingAcceptances.fingerprint],
          set: { reason, acceptedBy: actor.userId, acceptedAt: new Date() },
        });
    },

    /**
     * The review's progress/impact statement (section 6), read here until the progress service
     * offers it: one item per line, as recorded on the review's progress page.
     */
    async progressItems(review: VisibleReview): Promise<string[]> {
      const [row] = await db
        .select({ items: reviewProgressStatements.items })
        .from(reviewProgressStatements)
        .where(eq(reviewProgressStatements.reviewId, review.id));
      return row?.items ?? [];
    },
  };
}
