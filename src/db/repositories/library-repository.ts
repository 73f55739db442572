import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  briefingDeliveries,
  briefingFindingAcceptances,
  briefingReads,
  briefings,
  briefingThemes,
  briefingVersions,
  learningThemes,
  users,
} from '../schema.ts';
import type { Finding } from '../../domain/anonymise/types.ts';
import type { Briefing } from '../../domain/briefing/model.ts';
import { mayImportBriefings, maySeeBriefingDissemination, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { requireCleanCheck } from './publication-gate.ts';

/** What the coordinator says about an imported briefing (src/schemas/library-metadata.ts, resolved). */
export interface LibraryMetadata {
  title: string | null;
  sourcePartnership: string | null;
  year: number | null;
  documentDate: string | null;
  reviewType: string;
  themeIds: string[];
  taxonomyVersion: number | null;
}

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
/**
 * The outer query's briefing in a correlated subquery, always qualified: drizzle writes a column of
 * a query on one table without its table's name, and inside a subquery on briefing_versions a bare
 * "id" would be the version's own.
 */
const briefingRowId = sql.raw('"briefings"."id"');

export function libraryRepository(db: Executor, actor: Actor) {
  const ofPartnership = eq(briefings.partnershipId, actor.partnershipId);
  // The latest published version of each briefing.
  const latestPublished = sql`${briefingVersions.state} = 'published' and ${briefingVersions.version} = (select max(v2.version) from ${briefingVersions} v2 where v2.briefing_id = ${briefingRowId} and v2.state = 'published')`;
  const document = sql`to_tsvector('english', coalesce(${briefingVersions.searchText}, ''))`;
  const requireImporter = () => {
    if (!mayImportBriefings(actor))
      throw new ForbiddenError('Only the review coordinator can load briefings into the library.');
  };
  // The year the library files a briefing under: its own (the document's date, or as corrected),
  // else the year it was first published.
  const yearOf = sql`coalesce(${briefings.year}, (select extract(year from min(v1.published_at) at time zone 'Europe/London')::int from ${briefingVersions} v1 where v1.briefing_id = ${briefingRowId} and v1.state = 'published'))`;
  const themeNames = sql<
    string[]
  >`array(select t.name from ${briefingThemes} bt join ${learningThemes} t on t.id = bt.theme_id where bt.briefing_id = ${briefingRowId} order by t.name)`;
  const filters = (query: Omit<LibraryQuery, 'limit' | 'offset'>): SQL[] => {
    const conditions: SQL[] = [ofPartnership, latestPublished];
    if (query.q) conditions.push(sql`${document} @@ websearch_to_tsquery('english', ${query.q})`);
    // A theme by its key, or by its name (the library's links before themes had keys here).
    if (query.theme)
      conditions.push(
        sql`exists (select 1 from ${briefingThemes} bt join ${learningThemes} t on t.id = bt.theme_id where bt.briefing_id = ${briefingRowId} and (t.key = ${query.theme} or t.name = ${query.theme}))`,
      );
    if (query.agency) conditions.push(sql`${query.agency} = any(${briefings.agencyCodes})`);
    if (query.type) conditions.push(eq(briefings.reviewType, query.type));
    if (query.year) conditions.push(sql`${yearOf} = ${query.year}`);
    return conditions;
  };

  async function writeThemes(briefingId: string, themeIds: string[]) {
    await db.delete(briefingThemes).where(eq(briefingThemes.briefingId, briefingId));
    if (themeIds.length)
      await db
        .insert(briefingThemes)
        .values([...new Set(themeIds)].map((themeId) => ({ briefingId, themeId })));
  }

  return {
    async search(query: LibraryQuery) {
      const where = and(...filters(query));
      const tsQuery = query.q ? sql`websearch_to_tsquery('english', ${query.q})` : null;
      const items = await db
        .select({
          id: briefings.id,
          versionId: briefingVersions.id,
          version: briefingVersions.version,
          title: sql<string>`coalesce(${briefings.title}, ${briefingVersions.content}->>'title')`,
          publishedAt: briefingVersions.publishedAt,
          year: sql<number>`${yearOf}`,
          sourcePartnership: briefings.sourcePartnership,
          themes: themeNames,
          agencyCodes: briefings.agencyCodes,
          reviewType: briefings.reviewType,
          source: briefings.source,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(where)
        .orderBy(
          ...(tsQuery ? [desc(sql`ts_rank(${document}, ${tsQuery})`)] : []),
          desc(sql`${yearOf}`),
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

    /**
     * What the filters offer, each value with how many briefings it would find given the other
     * filters and the search (a facet's own choice set aside, so it can be changed).
     */
    async facets(query: Omit<LibraryQuery, 'limit' | 'offset'>) {
      const themes = await db
        .select({
          key: learningThemes.key,
          name: learningThemes.name,
          count: sql<number>`count(distinct ${briefings.id})::int`,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .innerJoin(briefingThemes, eq(briefingThemes.briefingId, briefings.id))
        .innerJoin(learningThemes, eq(learningThemes.id, briefingThemes.themeId))
        .where(and(...filters({ ...query, theme: undefined })))
        .groupBy(learningThemes.key, learningThemes.name)
        .orderBy(asc(learningThemes.name));
      const agencyCode = sql<string>`unnest(${briefings.agencyCodes})`;
      const agencyRows = await db
        .select({ code: agencyCode, count: sql<number>`count(*)::int` })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(...filters({ ...query, agency: undefined })))
        .groupBy(sql`1`)
        .orderBy(sql`1`);
      const years = await db
        .select({ year: sql<number>`${yearOf}`, count: sql<number>`count(*)::int` })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(...filters({ ...query, year: undefined })))
        .groupBy(sql`1`)
        .orderBy(desc(sql`1`));
      const reviewTypes = await db
        .select({ type: briefings.reviewType, count: sql<number>`count(*)::int` })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(...filters({ ...query, type: undefined })))
        .groupBy(briefings.reviewType)
        .orderBy(asc(briefings.reviewType));
      return {
        themes,
        agencies: agencyRows.map((r) => ({ code: String(r.code), count: Number(r.count) })),
        years: years.map((y) => ({ year: Number(y.year), count: Number(y.count) })),
        reviewTypes,
      };
    },

    /** Other published briefings sharing a theme with this one, most themes shared first. */
    async related(id: string, limit = 5) {
      const shared = sql<number>`(select count(*) from ${briefingThemes} mine join ${briefingThemes} theirs on theirs.theme_id = mine.theme_id where mine.briefing_id = ${id} and theirs.briefing_id = ${briefingRowId})::int`;
      return db
        .select({
          id: briefings.id,
          title: sql<string>`coalesce(${briefings.title}, ${briefingVersions.content}->>'title')`,
          year: sql<number>`${yearOf}`,
          shared,
          sharedThemes: sql<
            string[]
          >`array(select t.name from ${briefingThemes} mine join ${briefingThemes} theirs on theirs.theme_id = mine.theme_id join ${learningThemes} t on t.id = mine.theme_id where mine.briefing_id = ${id} and theirs.briefing_id = ${briefingRowId} order by t.name)`,
        })
        .from(briefings)
        .innerJoin(briefingVersions, eq(briefingVersions.briefingId, briefings.id))
        .where(and(ofPartnership, latestPublished, sql`${briefings.id} <> ${id}`, sql`${shared} > 0`))
        .orderBy(desc(shared), desc(sql`${yearOf}`), asc(sql`2`))
        .limit(limit);
    },

    /** A briefing's learning themes, by key and current name. */
    async themesOf(id: string) {
      return db
        .select({ id: learningThemes.id, key: learningThemes.key, name: learningThemes.name })
        .from(briefingThemes)
        .innerJoin(learningThemes, eq(learningThemes.id, briefingThemes.themeId))
        .where(and(eq(briefingThemes.briefingId, id), eq(learningThemes.partnershipId, actor.partnershipId)))
        .orderBy(asc(learningThemes.name));
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
    async saveImported(content: Briefing, findings: Finding[], at: Date, meta: LibraryMetadata) {
      requireImporter();
      const [briefing] = await db
        .insert(briefings)
        .values({
          partnershipId: actor.partnershipId,
          source: 'imported',
          reviewType: meta.reviewType,
          title: meta.title,
          sourcePartnership: meta.sourcePartnership,
          year: meta.year,
          documentDate: meta.documentDate,
          taxonomyVersion: meta.taxonomyVersion,
          createdBy: actor.userId,
        })
        .returning();
      await writeThemes(briefing!.id, meta.themeIds);
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

    /** An imported briefing of the partnership (draft or published), for changing its details. */
    async imported(id: string) {
      requireImporter();
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await db
        .select({
          briefing: briefings,
          title: sql<string>`(select v.content->>'title' from ${briefingVersions} v where v.briefing_id = ${briefingRowId} order by v.version desc limit 1)`,
          published: sql<boolean>`exists (select 1 from ${briefingVersions} v where v.briefing_id = ${briefingRowId} and v.state = 'published')`,
          year: sql<number | null>`${yearOf}`,
        })
        .from(briefings)
        .where(and(ofPartnership, eq(briefings.id, id), eq(briefings.source, 'imported')));
      return row ?? null;
    },

    /** New details for an imported briefing; its versions' content is untouched (a published version never changes). */
    async updateMetadata(id: string, meta: LibraryMetadata) {
      requireImporter();
      const rows = await db
        .update(briefings)
        .set({
          title: meta.title,
          sourcePartnership: meta.sourcePartnership,
          year: meta.year,
          documentDate: meta.documentDate,
          reviewType: meta.reviewType,
          taxonomyVersion: meta.taxonomyVersion,
          themes: sql`array(select t.name from ${learningThemes} t where t.id = any(${sql.param(meta.themeIds)}::uuid[]) order by t.name)`,
        })
        .where(and(ofPartnership, eq(briefings.id, id), eq(briefings.source, 'imported')))
        .returning({ id: briefings.id });
      if (!rows.length) return false;
      await writeThemes(id, meta.themeIds);
      return true;
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
            sql`not exists (select 1 from ${briefingVersions} v where v.briefing_id = ${briefingRowId} and v.state <> 'draft')`,
          ),
        )
        .returning({ id: briefings.id });
      return rows.length > 0;
    },
  };
}
