import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  learningStatementEpisodes,
  learningStatementLinesOfEnquiry,
  learningStatements,
  learningStatementThemes,
  learningThemes,
  practiceEpisodes,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { VisibleReview } from './review-access.ts';
import { requireRecorder } from './learning-access.ts';

export interface LearningValues {
  statement: string;
  themeIds: string[];
  episodeIds: string[];
  lineOfEnquiryIds: string[];
}

/** A review's learning statements with their themes, episodes and key lines of enquiry. */
export function learningRepository(db: Executor, actor: Actor) {
  async function writeLinks(statementId: string, v: LearningValues) {
    await db.delete(learningStatementThemes).where(eq(learningStatementThemes.statementId, statementId));
    await db.delete(learningStatementEpisodes).where(eq(learningStatementEpisodes.statementId, statementId));
    await db
      .delete(learningStatementLinesOfEnquiry)
      .where(eq(learningStatementLinesOfEnquiry.statementId, statementId));
    if (v.themeIds.length)
      await db
        .insert(learningStatementThemes)
        .values(v.themeIds.map((themeId) => ({ statementId, themeId })));
    if (v.episodeIds.length)
      await db
        .insert(learningStatementEpisodes)
        .values(v.episodeIds.map((episodeId) => ({ statementId, episodeId })));
    if (v.lineOfEnquiryIds.length)
      await db
        .insert(learningStatementLinesOfEnquiry)
        .values(v.lineOfEnquiryIds.map((lineOfEnquiryId) => ({ statementId, lineOfEnquiryId })));
  }

  return {
    async list(review: VisibleReview) {
      const rows = await db
        .select()
        .from(learningStatements)
        .where(eq(learningStatements.reviewId, review.id))
        .orderBy(asc(learningStatements.position));
      const ids = rows.map((r) => r.id);
      if (!ids.length) return [];
      const themes = await db
        .select({
          statementId: learningStatementThemes.statementId,
          id: learningThemes.id,
          key: learningThemes.key,
          name: learningThemes.name,
          retiredAt: learningThemes.retiredAt,
        })
        .from(learningStatementThemes)
        .innerJoin(learningThemes, eq(learningThemes.id, learningStatementThemes.themeId))
        .where(inArray(learningStatementThemes.statementId, ids))
        .orderBy(asc(learningThemes.name));
      const episodes = await db
        .select({
          statementId: learningStatementEpisodes.statementId,
          id: learningStatementEpisodes.episodeId,
        })
        .from(learningStatementEpisodes)
        .where(inArray(learningStatementEpisodes.statementId, ids));
      const kloes = await db
        .select({
          statementId: learningStatementLinesOfEnquiry.statementId,
          id: learningStatementLinesOfEnquiry.lineOfEnquiryId,
        })
        .from(learningStatementLinesOfEnquiry)
        .where(inArray(learningStatementLinesOfEnquiry.statementId, ids));
      return rows.map((r) => ({
        ...r,
        themes: themes.filter((t) => t.statementId === r.id).map(({ statementId: _s, ...t }) => t),
        episodeIds: episodes.filter((e) => e.statementId === r.id).map((e) => e.id),
        lineOfEnquiryIds: kloes.filter((k) => k.statementId === r.id).map((k) => k.id),
      }));
    },

    async insert(review: VisibleReview, v: LearningValues) {
      requireRecorder(actor);
      const [max] = await db
        .select({ n: sql<number>`coalesce(max(${learningStatements.position}), 0)::int` })
        .from(learningStatements)
        .where(eq(learningStatements.reviewId, review.id));
      const [row] = await db
        .insert(learningStatements)
        .values({
          reviewId: review.id,
          position: (max?.n ?? 0) + 1,
          statement: v.statement,
          createdBy: actor.userId,
        })
        .returning({ id: learningStatements.id });
      await writeLinks(row!.id, v);
      return row!;
    },

    async update(review: VisibleReview, id: string, v: LearningValues): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .update(learningStatements)
        .set({ statement: v.statement, updatedAt: new Date() })
        .where(and(eq(learningStatements.reviewId, review.id), eq(learningStatements.id, id)))
        .returning({ id: learningStatements.id });
      if (!rows.length) return false;
      await writeLinks(id, v);
      return true;
    },

    async remove(review: VisibleReview, id: string): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .delete(learningStatements)
        .where(and(eq(learningStatements.reviewId, review.id), eq(learningStatements.id, id)))
        .returning({ id: learningStatements.id });
      return rows.length > 0;
    },

    /** Of these ids, the review's own episodes. */
    async episodesOfReview(review: VisibleReview, ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({ id: practiceEpisodes.id })
        .from(practiceEpisodes)
        .where(
          and(
            eq(practiceEpisodes.reviewId, review.id),
            sql`${practiceEpisodes.id} = any(${sql.param(ids)}::uuid[])`,
          ),
        );
    },
  };
}
