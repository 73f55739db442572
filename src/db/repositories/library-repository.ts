import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  briefingDeliveries,
  briefingFindingAcceptances,
  briefingReads,
  briefings,
  briefingVersions,
  users,
} from '../schema.ts';
import type { Finding } from '../../domain/anonymise/types.ts';
import type { Briefing } from '../../domain/briefing/model.ts';
import { mayImportBriefings, maySeeBriefingDissemination, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { requireCleanCheck } from './publication-gate.ts';

export interface LibraryQuery {
  q?: string | undefined;
  theme?: string | undefined;
  agency?: string | undefined;
  year?: number | undefined;
  type?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * The partnership's library: published versions only, readable by everyone in the partnership
 * whatever their access to the review (the content was checked for identifying details before it
 * was approved). Nothing here reaches a review or its identifiable data.
 */
export function libraryRepository(db: Executor, actor: Actor) {
  const ofPartnership = eq(briefings.partnershipId, actor.partnershipId);
  // The latest published version of each briefing.
  const latestPublished = sql`${briefingVersions.state} = 'published' and ${briefingVersions.version} = (select max(v2.version) from ${briefingVersions} v2 where v2.briefing_id = ${briefings.id} and v2.state = 'published')`;
  const document = sql`to_tsvector('english', coalesce(${briefingVersions.searchText}, ''))`;
  const requireImporter = () => {
    if (!mayImportBriefings(actor))
      throw new ForbiddenError('Only the review coordinator can load briefings into the library.');
  };

  return {
    async search(query: LibraryQuery) {
      const conditions: SQL[] = [ofPartnership, latestPublished];
      const tsQuery = query.q ? sql`websearch_to_tsquery('english', ${query.q})` : null;
      if (tsQuery) conditions.push(sql`${document} @@ ${tsQuery}`);
      if (query.theme) conditions.push(sql`${query.theme} = any(${briefings.themes})`);
      if (query.agency) conditions.push(sql`${query.agency} = any(${briefings.agencyCodes})`);
      if (query.type) conditions.push(eq(briefings.reviewType, query.type));
      if (query.year)
        conditions.push(
          sql`extract(year from ${briefingVersions.publishedAt} at time zone 'Europe/London') = ${query.year}`,
        );
      const where = and(...conditions);
      const items = await db
        .select({
          id: briefings.id,
          versionId: briefingVersions.id,
          version: briefingVersions.version,
          title: sql<string>`${briefingVersions.content}->>'title'`,
          publishedAt: briefingVersions.publishedAt,
          themes: briefings.themes,
          agencyCodes: briefings.agencyCodes,
          reviewType: briefings.reviewType,
          source: briefings.source,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(where)
        .orderBy(
          ...(tsQuery ? [desc(sql`ts_rank(${document}, ${tsQuery})`)] : []),
          desc(briefingVersions.publishedAt),
        )
        .limit(query.limit)
        .offset(query.offset);
      const [total] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(where);
      return { items, total: total?.n ?? 0 };
    },

    /** What the filters offer: the themes, agencies and years the library holds. */
    async facets() {
      const rows = await db
        .select({
          themes: briefings.themes,
          agencyCodes: briefings.agencyCodes,
          year: sql<number>`extract(year from ${briefingVersions.publishedAt} at time zone 'Europe/London')::int`,
          reviewType: briefings.reviewType,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(ofPartnership, latestPublished));
      const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
      return {
        themes: sorted(rows.flatMap((r) => r.themes)),
        agencyCodes: sorted(rows.flatMap((r) => r.agencyCodes)),
        years: [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a),
        reviewTypes: sorted(rows.map((r) => r.reviewType)),
      };
    },

    /** A briefing of the library with its published versions, newest first; null if none is published. */
    async briefing(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [briefing] = await db
        .select()
        .from(briefings)
        .where(and(ofPartnership, eq(briefings.id, id)));
      if (!briefing) return null;
      const versions = await db
        .select()
        .from(briefingVersions)
        .where(and(eq(briefingVersions.briefingId, id), eq(briefingVersions.state, 'published')))
        .orderBy(desc(briefingVersions.version));
      if (versions.length === 0) return null;
      return { briefing, versions };
    },

    async myReads(briefingId: string) {
      return db
        .select({ versionId: briefingReads.versionId, readAt: briefingReads.readAt })
        .from(briefingReads)
        .where(and(eq(briefingReads.briefingId, briefingId), eq(briefingReads.userId, actor.userId)));
    },

    /** Records a read once per person and version; false when it was already recorded. */
    async markRead(briefingId: string, versionId: string, at: Date): Promise<boolean> {
      const rows = await db
        .insert(briefingReads)
        .values({ briefingId, versionId, userId: actor.userId, agencyId: actor.agencyId, readAt: at })
        .onConflictDoNothing()
        .returning({ id: briefingReads.id });
      return rows.length > 0;
    },

    async recordDelivery(
      values: Omit<typeof briefingDeliveries.$inferInsert, 'id' | 'agencyId' | 'recordedBy'>,
    ) {
      const [row] = await db
        .insert(briefingDeliveries)
        .values({ ...values, agencyId: actor.agencyId, recordedBy: actor.userId })
        .returning();
      return row!;
    },

    /** Reads and deliveries by agency, for those who follow dissemination. Deny by default. */
    async dissemination(briefingId: string) {
      if (!maySeeBriefingDissemination(actor))
        throw new ForbiddenError(
          'Only the review coordinator, administrators and board members see who has read a briefing.',
        );
      const reads = await db
        .select({
          agency: sql<string>`coalesce(${agencies.name}, 'No agency')`,
          n: sql<number>`count(*)::int`,
        })
        .from(briefingReads)
        .leftJoin(agencies, eq(agencies.id, briefingReads.agencyId))
        .where(eq(briefingReads.briefingId, briefingId))
        .groupBy(agencies.name);
      const deliveries = await db
        .select({
          id: briefingDeliveries.id,
          agency: sql<string>`coalesce(${agencies.name}, 'No agency')`,
          team: briefingDeliveries.team,
          deliveredOn: briefingDeliveries.deliveredOn,
          numberPresent: briefingDeliveries.numberPresent,
          keyThoughts: briefingDeliveries.keyThoughts,
          embedding: briefingDeliveries.embedding,
          teamPlans: briefingDeliveries.teamPlans,
          version: briefingVersions.version,
          recordedBy: users.name,
        })
        .from(briefingDeliveries)
        .innerJoin(briefingVersions, eq(briefingVersions.id, briefingDeliveries.versionId))
        .leftJoin(agencies, eq(agencies.id, briefingDeliveries.agencyId))
        .leftJoin(users, eq(users.id, briefingDeliveries.recordedBy))
        .where(eq(briefingDeliveries.briefingId, briefingId))
        .orderBy(asc(briefingDeliveries.deliveredOn));
      return { reads, deliveries };
    },

    /**
     * An existing briefing loaded into the library: a library-only record whose version 1 is a
     * draft, saved with the identifying-details check of exactly this content. It is published
     * only through publishImported, once the check is clean.
     */
    async saveImported(content: Briefing, findings: Finding[], at: Date) {
      requireImporter();
      const [briefing] = await db
        .insert(briefings)
        .values({
          partnershipId: actor.partnershipId,
          source: 'imported',
          reviewType: 'line_of_sight',
          createdBy: actor.userId,
        })
        .returning();
      const [version] = await db
        .insert(briefingVersions)
        .values({
          briefingId: briefing!.id,
          version: 1,
          content,
          state: 'draft',
          note: 'Imported from an existing document',
          createdBy: actor.userId,
          findings,
          checkedAt: at,
          checkedBy: actor.userId,
        })
        .returning();
      return { briefing: briefing!, version: version! };
    },

    /** Imported briefings of the partnership not published yet, newest first (importers only). */
    async importedDrafts() {
      requireImporter();
      return db
        .select({
          id: briefings.id,
          title: sql<string>`${briefingVersions.content}->>'title'`,
          createdAt: briefings.createdAt,
          findings: sql<number>`coalesce(jsonb_array_length(${briefingVersions.findings}), 0)::int`,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(ofPartnership, eq(briefings.source, 'imported'), eq(briefingVersions.state, 'draft')))
        .orderBy(desc(briefings.createdAt));
    },

    /** An imported draft with its version and the findings accepted on it; null if there is none. */
    async importedDraft(id: string) {
      requireImporter();
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await db
        .select({ briefing: briefings, version: briefingVersions })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(
          and(
            ofPartnership,
            eq(briefings.id, id),
            eq(briefings.source, 'imported'),
            eq(briefingVersions.state, 'draft'),
          ),
        );
      if (!row) return null;
      const acceptances = await db
        .select()
        .from(briefingFindingAcceptances)
        .where(eq(briefingFindingAcceptances.versionId, row.version.id));
      return { ...row, acceptances };
    },

    /** The check run again on an imported draft, on its content as stored. */
    async saveImportedCheck(versionId: string, findings: Finding[], at: Date) {
      requireImporter();
      await db
        .update(briefingVersions)
        .set({ findings, checkedAt: at, checkedBy: actor.userId })
        .where(and(eq(briefingVersions.id, versionId), eq(briefingVersions.state, 'draft')));
    },

    async acceptImported(versionId: string, fingerprint: string, reason: string) {
      requireImporter();
      await db
        .insert(briefingFindingAcceptances)
        .values({ versionId, fingerprint, reason, acceptedBy: actor.userId })
        .onConflictDoUpdate({
          target: [briefingFindingAcceptances.versionId, briefingFindingAcceptances.fingerprint],
          set: { reason, acceptedBy: actor.userId, acceptedAt: new Date() },
        });
    },

    /**
     * Publishes an imported draft: refused here, whatever the caller, unless the check ran on this
     * content and every finding is accepted (requireCleanCheck). The importer approves it too.
     */
    async publishImported(versionId: string, searchText: string, at: Date) {
      requireImporter();
      await requireCleanCheck(db, versionId);
      const rows = await db
        .update(briefingVersions)
        .set({
          state: 'published',
          approvedBy: actor.userId,
          approvedAt: at,
          publishedBy: actor.userId,
          publishedAt: at,
          searchText,
          updatedAt: at,
        })
        .where(and(eq(briefingVersions.id, versionId), eq(briefingVersions.state, 'draft')))
        .returning({ id: briefingVersions.id });
      return rows.length > 0;
    },

    /** Removes an imported draft that was never published (a corrected file is imported instead). */
    async discardImported(id: string): Promise<boolean> {
      requireImporter();
      const rows = await db
        .delete(briefings)
        .where(
          and(
            ofPartnership,
            eq(briefings.id, id),
            eq(briefings.source, 'imported'),
            sql`not exists (select 1 from ${briefingVersions} v where v.briefing_id = ${briefings.id} and v.state <> 'draft')`,
          ),
        )
        .returning({ id: briefings.id });
      return rows.length > 0;
    },
  };
}
