import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  chronologyEntries,
  episodeAgencies,
  episodeEntries,
  episodeLinesOfEnquiry,
  episodeSignals,
  linesOfEnquiry,
  practiceEpisodes,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { EpisodeKind } from '../../domain/learning/labels.ts';
import type { VisibleReview } from './review-access.ts';
import { requireRecorder } from './learning-access.ts';

export interface EpisodeValues {
  title: string;
  kind: EpisodeKind;
  periodFrom: string | null;
  periodTo: string | null;
  whatHappened: string | null;
  whyItMattered: string | null;
  agencyIds: string[];
  entryIds: string[];
  signalKeys: string[];
  lineOfEnquiryIds: string[];
}

export type EpisodeRow = Awaited<ReturnType<ReturnType<typeof episodeRepository>['list']>>[number];

/** Key practice episodes of a review and what they are linked to. */
export function episodeRepository(db: Executor, actor: Actor) {
  async function writeLinks(episodeId: string, v: EpisodeValues) {
    await db.delete(episodeAgencies).where(eq(episodeAgencies.episodeId, episodeId));
    await db.delete(episodeEntries).where(eq(episodeEntries.episodeId, episodeId));
    await db.delete(episodeSignals).where(eq(episodeSignals.episodeId, episodeId));
    await db.delete(episodeLinesOfEnquiry).where(eq(episodeLinesOfEnquiry.episodeId, episodeId));
    if (v.agencyIds.length)
      await db.insert(episodeAgencies).values(v.agencyIds.map((agencyId) => ({ episodeId, agencyId })));
    if (v.entryIds.length)
      await db.insert(episodeEntries).values(v.entryIds.map((entryId) => ({ episodeId, entryId })));
    if (v.signalKeys.length)
      await db.insert(episodeSignals).values(v.signalKeys.map((signalKey) => ({ episodeId, signalKey })));
    if (v.lineOfEnquiryIds.length)
      await db
        .insert(episodeLinesOfEnquiry)
        .values(v.lineOfEnquiryIds.map((lineOfEnquiryId) => ({ episodeId, lineOfEnquiryId })));
  }

  return {
    async list(review: VisibleReview) {
      const rows = await db
        .select()
        .from(practiceEpisodes)
        .where(eq(practiceEpisodes.reviewId, review.id))
        .orderBy(asc(practiceEpisodes.position));
      const ids = rows.map((r) => r.id);
      if (!ids.length) return [];
      const agencyLinks = await db
        .select({
          episodeId: episodeAgencies.episodeId,
          id: agencies.id,
          code: agencies.code,
          name: agencies.name,
        })
        .from(episodeAgencies)
        .innerJoin(agencies, eq(agencies.id, episodeAgencies.agencyId))
        .where(inArray(episodeAgencies.episodeId, ids))
        .orderBy(asc(agencies.name));
      const entryLinks = await db
        .select({ episodeId: episodeEntries.episodeId, entryId: episodeEntries.entryId })
        .from(episodeEntries)
        .where(inArray(episodeEntries.episodeId, ids));
      const signalLinks = await db
        .select()
        .from(episodeSignals)
        .where(inArray(episodeSignals.episodeId, ids));
      const kloeLinks = await db
        .select({ episodeId: episodeLinesOfEnquiry.episodeId, id: episodeLinesOfEnquiry.lineOfEnquiryId })
        .from(episodeLinesOfEnquiry)
        .where(inArray(episodeLinesOfEnquiry.episodeId, ids));
      return rows.map((r) => ({
        ...r,
        agencies: agencyLinks.filter((a) => a.episodeId === r.id).map(({ episodeId: _e, ...a }) => a),
        entryIds: entryLinks.filter((e) => e.episodeId === r.id).map((e) => e.entryId),
        signalKeys: signalLinks.filter((s) => s.episodeId === r.id).map((s) => s.signalKey),
        lineOfEnquiryIds: kloeLinks.filter((k) => k.episodeId === r.id).map((k) => k.id),
      }));
    },

    async insert(review: VisibleReview, v: EpisodeValues) {
      requireRecorder(actor);
      const [max] = await db
        .select({ n: sql<number>`coalesce(max(${practiceEpisodes.position}), 0)::int` })
        .from(practiceEpisodes)
        .where(eq(practiceEpisodes.reviewId, review.id));
      const [row] = await db
        .insert(practiceEpisodes)
        .values({
          reviewId: review.id,
          position: (max?.n ?? 0) + 1,
          title: v.title,
          kind: v.kind,
          periodFrom: v.periodFrom,
          periodTo: v.periodTo,
          whatHappened: v.whatHappened,
          whyItMattered: v.whyItMattered,
          createdBy: actor.userId,
        })
        .returning({ id: practiceEpisodes.id });
      await writeLinks(row!.id, v);
      return row!;
    },

    async update(review: VisibleReview, id: string, v: EpisodeValues): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .update(practiceEpisodes)
        .set({
          title: v.title,
          kind: v.kind,
          periodFrom: v.periodFrom,
          periodTo: v.periodTo,
          whatHappened: v.whatHappened,
          whyItMattered: v.whyItMattered,
          updatedAt: new Date(),
        })
        .where(and(eq(practiceEpisodes.reviewId, review.id), eq(practiceEpisodes.id, id)))
        .returning({ id: practiceEpisodes.id });
      if (!rows.length) return false;
      await writeLinks(id, v);
      return true;
    },

    async remove(review: VisibleReview, id: string): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .delete(practiceEpisodes)
        .where(and(eq(practiceEpisodes.reviewId, review.id), eq(practiceEpisodes.id, id)))
        .returning({ id: practiceEpisodes.id });
      return rows.length > 0;
    },

    /** Of these ids, the entries of this review's merged chronology (accepted, not removed). */
    async entriesOfReview(review: VisibleReview, ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({
          id: chronologyEntries.id,
          date: chronologyEntries.date,
          eventType: chronologyEntries.eventType,
          summary: chronologyEntries.summary,
          sourceRef: chronologyEntries.sourceRef,
          agencyName: agencies.name,
        })
        .from(chronologyEntries)
        .innerJoin(agencies, eq(agencies.id, chronologyEntries.agencyId))
        .innerJoin(agencyRequests, eq(agencyRequests.id, chronologyEntries.requestId))
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            eq(agencyRequests.status, 'accepted'),
            isNull(chronologyEntries.removedAt),
            sql`${chronologyEntries.id} = any(${sql.param(ids)}::uuid[])`,
          ),
        )
        .orderBy(asc(chronologyEntries.sortKey));
    },

    /** The merged chronology (accepted returns), to choose from when linking. */
    async linkableEntries(review: VisibleReview) {
      return db
        .select({
          id: chronologyEntries.id,
          date: chronologyEntries.date,
          eventType: chronologyEntries.eventType,
          summary: chronologyEntries.summary,
          sourceRef: chronologyEntries.sourceRef,
          agencyName: agencies.name,
        })
        .from(chronologyEntries)
        .innerJoin(agencies, eq(agencies.id, chronologyEntries.agencyId))
        .innerJoin(agencyRequests, eq(agencyRequests.id, chronologyEntries.requestId))
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            eq(agencyRequests.status, 'accepted'),
            isNull(chronologyEntries.removedAt),
          ),
        )
        .orderBy(asc(chronologyEntries.sortKey))
        .limit(2000);
    },

    /** Of these ids, the review's own key lines of enquiry. */
    async linesOfEnquiryOfReview(review: VisibleReview, ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({ id: linesOfEnquiry.id })
        .from(linesOfEnquiry)
        .where(
          and(
            eq(linesOfEnquiry.reviewId, review.id),
            sql`${linesOfEnquiry.id} = any(${sql.param(ids)}::uuid[])`,
          ),
        );
    },
  };
}
