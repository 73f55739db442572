import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { entryFromRow, type StoredEntryRow } from './entry-row.ts';
import type { Executor } from '../client.ts';
import { agencies, agencyRequests, chronologyEntries, reviewSubjects, users } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { ChronologyEntry, EventType } from '../../domain/chronology/entry.ts';
import type { VisibleReview } from './review-access.ts';

const submitter = alias(users, 'submitter');

/**
 * The merged chronology: entries of accepted returns only. Everyone who sees the review sees it
 * (an agency's draft or submitted return is reached only through the return repository).
 */
export function mergedChronologyRepository(db: Executor, actor: Actor) {
  void actor;
  return {
    async entries(review: VisibleReview) {
      return db
        .select({
          entry: chronologyEntries,
          agencyCode: agencies.code,
          agencyName: agencies.name,
          submittedByName: submitter.name,
        })
        .from(chronologyEntries)
        .innerJoin(agencyRequests, eq(agencyRequests.id, chronologyEntries.requestId))
        .innerJoin(agencies, eq(agencies.id, chronologyEntries.agencyId))
        .leftJoin(submitter, eq(submitter.id, agencyRequests.submittedBy))
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            eq(agencyRequests.status, 'accepted'),
            isNull(chronologyEntries.removedAt),
          ),
        )
        .orderBy(
          sql`${chronologyEntries.sortKey} collate "C"`,
          sql`${agencies.code} collate "C"`,
          asc(chronologyEntries.sourceRow),
          asc(chronologyEntries.id),
        );
    },

    /**
     * Makes merged_chronology hold the merge of the review's accepted chronology as of this
     * version (and these settings): worked out again by the first reader after a change, in one
     * statement, and kept. Readers of one version at once wait for the first to finish (the
     * version row's lock) and then read what it wrote. True when it was worked out here.
     */
    async refresh(review: VisibleReview, options: MergedSqlOptions): Promise<boolean> {
      const version = `${review.chronologyVersion}/${Math.max(0, Math.trunc(options.duplicateWithinDays))}`;
      // Read first, so that readers of an unchanged chronology take no lock.
      const [held] = await run<{ version: string }>(
        db,
        sql`select version from merged_chronology_versions where review_id = ${review.id}`,
      );
      if (held?.version === version) return false;
      const claimed = await run<{ review_id: string }>(
        db,
        sql`insert into merged_chronology_versions (review_id, version) values (${review.id}, ${version})
            on conflict (review_id) do update set version = excluded.version
              where merged_chronology_versions.version is distinct from excluded.version
            returning review_id`,
      );
      if (!claimed.length) return false;
      await db.execute(sql`delete from merged_chronology where review_id = ${review.id}`);
      await db.execute(
        sql`insert into merged_chronology (review_id, position, entry_id, agency, agency_name, date, event_type,
              concerns, child_seen, same_event_key, days_since, days_approximate, duplicate_of)
            ${mergedSql(review, options)}
            select ${review.id}::uuid, rn, id, agency, agency_name, date, event_type, concerns, child_seen,
                   same_event_key, days_since, days_approximate, duplicate_of
            from merged`,
      );
      return true;
    },

    /**
     * One page of the merged chronology (refreshed first), filtered, in the merged order, with
     * the number of entries that match: only the page's rows leave the database.
     */
    async page(
      review: VisibleReview,
      filter: MergedFilter,
      window: { limit: number; offset: number },
      /** The number of entries in the whole chronology, when the caller knows it. */
      entries?: number,
    ) {
      // With no filter and the number known, the page is read straight from the key's order.
      const unfiltered = entries !== undefined && !Object.values(filter).some(Boolean);
      const rows = await run<SqlMergedRow & { total?: number }>(
        db,
        pageSql(review, unfiltered ? {} : filter, window, !unfiltered),
      );
      let total = unfiltered ? entries : rows[0]?.total;
      if (total === undefined)
        total = window.offset
          ? ((
              await run<{ total: number }>(
                db,
                sql`select count(*)::int as total from merged_chronology
                    where review_id = ${review.id} and ${filterSql(filter)}`,
              )
            )[0]?.total ?? 0)
          : 0;
      return { rows: rows.map(toMerged), total };
    },

    /** The whole merged chronology (refreshed first), for a file. */
    async all(review: VisibleReview) {
      const rows = await run<SqlMergedRow>(
        db,
        wideSql(sql`(select * from merged_chronology where review_id = ${review.id})`),
      );
      return rows.map(toMerged);
    },

    /**
     * Periods of at least `minDays` with no accepted entry at all, except those of `exceptTypes`
     * (longGaps in the domain, in SQL): a month-only entry covers its whole month. Entries linked
     * as one event count once, on their first record's date, as in the signals (asOneEvent).
     */
    async gaps(review: VisibleReview, minDays: number, exceptTypes: readonly string[]) {
      return run<{ from: string; to: string; days: number }>(
        db,
        sql`with days as (${daysSql(review)}),
            covered as (
              select first_day,
                     max(last_day) over (order by position rows between unbounded preceding and 1 preceding) as covered_to
              from days where event_type <> all(${pgTextArray(exceptTypes)}::text[]))
            select to_char(covered_to, 'YYYY-MM-DD') as "from", to_char(first_day, 'YYYY-MM-DD') as "to",
                   (first_day - covered_to)::int as days
            from covered where first_day - covered_to >= ${Math.max(Math.trunc(minDays), 1)}::int
            order by first_day`,
      );
    },

    /**
     * What the timeline draws, from aggregates: the agencies with their number of entries and
     * events, their first and last day, and the number of entries per agency and period
     * (`YYYY-MM`, or `YYYY`). Events and the periods' counts take entries linked as one event once,
     * at their first record (its agency and date), as the signals do (asOneEvent).
     */
    async timeline(review: VisibleReview, period: 'month' | 'year') {
      // A date's first 7 (or 4) characters are its month (or year), month-only dates too.
      const length = period === 'month' ? 7 : 4;
      const agencyRows = await run<{
        agency: string;
        agencyName: string;
        entries: number;
        events: number;
        first: string;
        last: string;
      }>(
        db,
        sql`select agency, agency_name as "agencyName", count(*)::int as entries,
                   count(*) filter (where first_record)::int as events,
                   min(case when length(date) = 7 then date || '-01' else date end collate "C") as first,
                   max(case when length(date) = 7 then date || '-01' else date end collate "C") as last
            from (${firstRecordsSql(review)}) m
            group by agency, agency_name order by agency collate "C"`,
      );
      const cells = await run<{ agency: string; period: string; entries: number }>(
        db,
        sql`select agency, period, count(*)::int as entries
            from (select agency, left(date, ${length}::int) as period
                  from (${firstRecordsSql(review)}) m where first_record) p
            group by agency, period order by agency collate "C", period collate "C"`,
      );
      return { agencies: agencyRows, cells };
    },

    /** Every accepted entry as the timeline draws one (for short chronologies). */
    async timelineEntries(review: VisibleReview) {
      return run<{
        date: string;
        agency: string;
        agencyName: string;
        eventType: EventType;
        sameEventKey: string | null;
        sourceRef: string | null;
      }>(
        db,
        sql`select m.date, m.agency, m.agency_name as "agencyName", m.event_type as "eventType",
                   m.same_event_key as "sameEventKey", e.source_ref as "sourceRef"
            from merged_chronology m join chronology_entries e on e.id = m.entry_id
            where m.review_id = ${review.id} order by m.position`,
      );
    },

    /** Links accepted entries of this review as one event (or unlinks them with null). */
    async link(review: VisibleReview, entryIds: string[], key: string | null) {
      if (!entryIds.length) return 0;
      const accepted = db
        .select({ id: agencyRequests.id })
        .from(agencyRequests)
        .where(and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.status, 'accepted')));
      const rows = await db
        .update(chronologyEntries)
        .set({ sameEventKey: key })
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            inArray(chronologyEntries.id, entryIds),
            inArray(chronologyEntries.requestId, accepted),
          ),
        )
        .returning({ id: chronologyEntries.id });
      return rows.length;
    },
  };
}

/** The page's filters (the chronology query without its window). */
export interface MergedFilter {
  agency?: string | undefined;
  eventType?: string | undefined;
  concern?: string | undefined;
  /** Entries on or after this day (a month-only entry counts as its month's last day). */
  from?: string | undefined;
  to?: string | undefined;
  childSeen?: 'yes' | 'no' | 'not_recorded' | undefined;
}

export interface MergedSqlOptions {
  /** Event types that are no professional contact (NOT_PROFESSIONAL_CONTACT in the domain). */
  notContact: readonly string[];
  /** Entries of one event type from two agencies within this many days are possible duplicates. */
  duplicateWithinDays: number;
}

/** A row of the merged chronology as the SQL merge gives it (the child's age is worked out after). */
export interface SqlMerged extends Omit<ChronologyEntry, 'child' | 'agencyName'> {
  id: string;
  agencyName: string;
  submittedByName: string | null;
  sameEventKey: string | null;
  daysSincePreviousContact: number | null;
  daysApproximate: boolean;
  possibleDuplicateOf: string | null;
}

interface SqlMergedRow extends StoredEntryRow {
  id: string;
  agency_name: string;
  submitted_by_name: string | null;
  same_event_key: string | null;
  days_since: number | null;
  days_approximate: boolean;
  duplicate_of: string | null;
}

function toMerged(r: SqlMergedRow): SqlMerged {
  const { child: _child, ...entry } = entryFromRow(r, null);
  return {
    ...entry,
    id: r.id,
    agencyName: r.agency_name,
    submittedByName: r.submitted_by_name,
    sameEventKey: r.same_event_key,
    daysSincePreviousContact: r.days_since,
    daysApproximate: r.days_approximate,
    possibleDuplicateOf: r.duplicate_of,
  };
}

async function run<T>(db: Executor, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The statement of one page of the merged chronology (exported for bench/merged-chronology-sql.ts). */
export function pageSql(
  review: VisibleReview,
  filter: MergedFilter,
  window: { limit: number; offset: number },
  counted = true,
): SQL {
  return sql`with hits as (
      select *${counted ? sql`, count(*) over ()::int as total` : sql``} from merged_chronology
      where review_id = ${review.id} and ${filterSql(filter)}
      order by position limit ${window.limit} offset ${window.offset})
    ${wideSql(sql`hits`, counted)}`;
}

/**
 * merged_chronology's rows of a review, each marked `first_record` unless it is a later record of
 * an event linked as one (the first in the merged order stands for the event, as in asOneEvent).
 */
function firstRecordsSql(review: VisibleReview): SQL {
  // The linked rows are few: their firsts are grouped apart rather than the whole chronology sorted.
  return sql`select m.*, f.first_position is null or f.first_position = m.position as first_record
    from merged_chronology m
    left join (select same_event_key, min(position) as first_position from merged_chronology
               where review_id = ${review.id} and same_event_key is not null group by same_event_key) f
      on f.same_event_key = m.same_event_key
    where m.review_id = ${review.id}`;
}

/** The events of a review's merged chronology (linked entries once) with the first and last day each covers. */
function daysSql(review: VisibleReview): SQL {
  return sql`select position, entry_id, agency, agency_name, event_type, same_event_key,
      (case when length(date) = 7 then date || '-01' else date end)::date as first_day,
      case when length(date) = 7 then ((date || '-01')::date + interval '1 month' - interval '1 day')::date
           else date::date end as last_day
    from (${firstRecordsSql(review)}) m where first_record`;
}

/** The merge's statement on its own (bench/merged-chronology-sql.ts). */
export const mergedSqlForBench = (review: VisibleReview, options: MergedSqlOptions) =>
  mergedSql(review, options);

/** A text[] literal for a list of known codes. */
function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * `accepted`: the review's accepted, not removed entries in the merged chronology's order (date
 * and time; a month-only entry before the dated entries of its month; then agency code, row in
 * the file, id), numbered `rn`, each with the first and last day it covers.
 */
function acceptedSql(review: VisibleReview, extra: SQL = sql``): SQL {
  // Only what the merge reads: the rest of a page's entries is joined on once they are chosen
  // (wideSql), so the sorts carry narrow rows.
  return sql`with accepted as (
    select e.id, e.date, e.event_type, e.concerns, e.child_seen, e.same_event_key,
           a.code as agency, a.name as agency_name,
           row_number() over (order by e.sort_key collate "C", a.code collate "C", e.source_row, e.id) as rn,
           length(e.date) = 7 as month_only,
           (case when length(e.date) = 7 then e.date || '-01' else e.date end)::date - date '0001-01-01' as day_number
           ${extra}
    from chronology_entries e
    join agency_requests r on r.id = e.request_id
    join agencies a on a.id = e.agency_id
    where e.review_id = ${review.id} and r.status = 'accepted' and e.removed_at is null)`;
}

/** The chosen rows of merged_chronology (`source`) with the rest of each entry, in the merged order. */
function wideSql(source: SQL, withTotal = false): SQL {
  return sql`select m.entry_id as id, m.date, e.time, m.event_type, e.summary, e.children_present, m.child_seen,
           e.child_voice, m.concerns, e.worker, e.practitioner_role, e.action_taken, e.outcome,
           e.significance, e.source_ref, e.extra, e.source_row, m.same_event_key, m.agency,
           m.agency_name, s.name as submitted_by_name, m.days_since, m.days_approximate, m.duplicate_of
           ${withTotal ? sql`, m.total` : sql``}
    from ${source} m
    join chronology_entries e on e.id = m.entry_id
    join agency_requests r on r.id = e.request_id
    left join users s on s.id = r.submitted_by
    order by m.position`;
}

/**
 * The merge (mergeChronology in src/domain/chronology/merge.ts) in SQL, as `merged`: window
 * functions over the whole accepted chronology, so a filter or a page leaves them unchanged.
 *
 * - Days since the previous professional contact: the largest earlier contact's day, packed with
 *   whether it was month-only (day × 2, + 1 when dated). Days only grow in the chronology's order
 *   and a month-only entry comes before the dated entries of its month, so the largest is the last.
 * - Entries linked as one event: its later records repeat the interval of its first.
 * - Possible duplicates: a dated entry with an entry of the same event type from another agency
 *   within N days either side (the least and greatest agency code in that range differ). The key is
 *   that of the first entry of its run of the type (entries of the type each within N days of the last).
 */
function mergedSql(review: VisibleReview, options: MergedSqlOptions): SQL {
  const within = Math.max(0, Math.trunc(options.duplicateWithinDays));
  const near = sql.raw(`range between ${within} preceding and ${within} following`);
  // Two sorts of the whole chronology: its order (in acceptedSql, which the previous contact's
  // window shares) and each event type's (which the duplicate windows share). An event's first
  // record is found among linked entries only.
  return sql`${acceptedSql(
    review,
    sql`,
      max(case when e.event_type <> all(${pgTextArray(options.notContact)}::text[])
               then ((case when length(e.date) = 7 then e.date || '-01' else e.date end)::date - date '0001-01-01') * 2
                    + (case when length(e.date) = 7 then 0 else 1 end) end)
        over (order by e.sort_key collate "C", a.code collate "C", e.source_row, e.id
              rows between unbounded preceding and 1 preceding) as previous_contact`,
  )},
  step2 as (
    select *,
      day_number - previous_contact / 2 as own_days,
      previous_contact is not null and (previous_contact % 2 = 0 or month_only) as own_approximate,
      min(agency collate "C") over near as near_least,
      max(agency collate "C") over near as near_greatest,
      case when coalesce(day_number - lag(day_number) over by_type > ${within}::int, true) then 1 else 0 end as run_start
    from accepted
    window by_type as (partition by event_type, month_only order by day_number, rn),
           near as (partition by event_type, month_only order by day_number ${near})),
  step3 as (
    -- The date of the first entry of each entry's run: the latest run start so far (dates only grow).
    select *, max(case when run_start = 1 then date end collate "C")
        over (partition by event_type, month_only order by day_number, rn rows unbounded preceding) as run_first
    from step2),
  firsts as (
    select distinct on (same_event_key) same_event_key, own_days, own_approximate
    from step3 where same_event_key is not null order by same_event_key, rn),
  merged as (
    select s.*,
      coalesce(f.own_days, s.own_days)::int as days_since,
      case when f.same_event_key is null then s.own_approximate else f.own_approximate end as days_approximate,
      case when not s.month_only and s.near_least <> s.near_greatest then s.run_first || '/' || s.event_type end
        as duplicate_of
    from step3 s left join firsts f on f.same_event_key = s.same_event_key)`;
}

/** The page's filters as a condition on merged_chronology, as the page has always read them. */
function filterSql(filter: MergedFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.agency) parts.push(sql`agency = ${filter.agency}`);
  if (filter.eventType) parts.push(sql`event_type = ${filter.eventType}`);
  if (filter.concern) parts.push(sql`${filter.concern} = any(concerns)`);
  if (filter.from)
    parts.push(
      sql`(case when length(date) = 7 then date || '-31' else date end) collate "C" >= ${filter.from}`,
    );
  if (filter.to) parts.push(sql`date collate "C" <= ${filter.to}`);
  if (filter.childSeen === 'not_recorded')
    parts.push(sql`(child_seen is null or child_seen = 'not_recorded')`);
  else if (filter.childSeen) parts.push(sql`child_seen = ${filter.childSeen}`);
  return sql.join(parts, sql` and `);
}

export type MergedRow = Awaited<ReturnType<ReturnType<typeof mergedChronologyRepository>['entries']>>[number];

/**
 * The child's date of birth, only to work out their age at each entry. It is never handed to a
 * page or a file: the age ("1 year 6 months") says less than the date, and everyone who may see
 * the review may read the chronology's ages. See docs/data-protection.md.
 */
export async function dateOfBirthForAges(db: Executor, review: VisibleReview): Promise<string | null> {
  const [row] = await db
    .select({ dateOfBirth: reviewSubjects.dateOfBirth })
    .from(reviewSubjects)
    .where(eq(reviewSubjects.reviewId, review.id));
  return row?.dateOfBirth ?? null;
}
