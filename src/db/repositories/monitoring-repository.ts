import { and, arrayContains, asc, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import {
  anyQueuedJob,
  claimQueuedJob,
  holdJobLease,
  MAX_JOB_ATTEMPTS,
  sweepStoppedJobs,
  type JobTable,
} from './upload-job-queue.ts';
import {
  agencies,
  monitoredChildren,
  monitoringEntries,
  monitoringImports,
  monitoringSignals,
  partnerships,
} from '../schema.ts';
import type { ChronologyEntry, ConcernTag, EventType, Tristate } from '../../domain/chronology/entry.ts';
import { entryFromRow as entryFromStoredRow, type StoredEntryRow } from './entry-row.ts';
import { chronologySortKey } from '../../domain/chronology/entry.ts';
import type { ChildProfile } from '../../domain/signals/profile.ts';
import type { Signal } from '../../domain/signals/index.ts';

export type ImportProgress = Partial<{
  phase: string;
  bytesRead: number;
  rowsRead: number;
  children: number;
  childrenScanned: number;
  signals: number;
}>;

export interface ListFilter {
  rule?: string | undefined;
  child?: string | undefined;
  open?: boolean | undefined;
  referredFrom?: string | undefined;
  referredTo?: string | undefined;
  limit: number;
  offset: number;
}

type EntryRow = typeof monitoringEntries.$inferSelect;

export function entryFromRow(row: EntryRow, child: string): ChronologyEntry {
  return {
    child,
    date: row.date,
    time: row.time,
    agency: row.agency,
    eventType: row.eventType as EventType,
    summary: row.summary,
    childrenPresent: row.childrenPresent as Tristate | null,
    childSeen: row.childSeen as Tristate | null,
    childVoice: row.childVoice,
    concerns: row.concerns as ConcernTag[],
    worker: row.worker,
    practitionerRole: row.practitionerRole,
    actionTaken: row.actionTaken,
    outcome: row.outcome,
    significance: row.significance,
    sourceRef: row.sourceRef,
    extra: row.extra,
    row: row.sourceRow,
  };
}

/** A row of the population scan's read, as the driver returns it. */
interface ScanRow extends StoredEntryRow {
  child_id: string;
  child_key: string;
}

const entryFromScanRow = (row: ScanRow): ChronologyEntry => entryFromStoredRow(row, row.child_key);

const ALL_COLUMNS = sql.raw(`e.date, e.time, e.agency, e.event_type, e.summary, e.children_present,
  e.child_seen, e.child_voice, e.concerns, e.worker, e.practitioner_role, e.action_taken, e.outcome,
  e.significance, e.source_ref, e.extra, e.source_row`);

/**
 * What the population scan reads of an entry: the columns the rules and the profile use
 * (src/domain/signals), so that most of a chronology's text never leaves the database. The free
 * text is read only where a rule looks at it — a referral's summary, action and outcome say
 * whether it went to children's social care (isReferralToCsc), a referral decision's outcome and
 * summary whether it ended in no further action (isNoFurtherAction) — and the worker only of an
 * allocation (worker-churn). Test: test/signals/population-scan.test.ts compares the stored scan
 * with the rules run on the whole file.
 */
const RULE_COLUMNS = sql.raw(`e.date, e.time, e.agency, e.event_type,
  case when e.event_type in ('referral', 'referral_decision') then e.summary else '' end as summary,
  e.children_present, e.child_seen, null::text as child_voice, e.concerns,
  case when e.event_type = 'allocation' then e.worker end as worker, null::text as practitioner_role,
  case when e.event_type = 'referral' then e.action_taken end as action_taken,
  case when e.event_type in ('referral', 'referral_decision') then e.outcome end as outcome,
  null::text as significance, e.source_ref, null::jsonb as extra, e.source_row`);

/**
 * The monitoring dataset of one partnership (never another's): import runs, their staged
 * children and entries, the stored scan, and the front door lists over the current dataset.
 */
export function monitoringRepository(db: Executor, partnershipId: string) {
  const current = db
    .select({ id: monitoringImports.id })
    .from(monitoringImports)
    .where(and(eq(monitoringImports.partnershipId, partnershipId), eq(monitoringImports.status, 'current')));

  return {
    /** The partnership's agencies by code: explanations and pages name an agency, not its code. */
    async agencyNames(): Promise<Map<string, string>> {
      const rows = await db
        .select({ code: agencies.code, name: agencies.name })
        .from(agencies)
        .where(eq(agencies.partnershipId, partnershipId));
      return new Map(rows.map((r) => [r.code, r.name]));
    },

    async startImport(values: {
      fileName: string;
      bytesTotal: number | null;
      startedBy: string | null;
      label: string;
    }) {
      const [row] = await db
        .insert(monitoringImports)
        .values({
          partnershipId,
          fileName: values.fileName,
          status: 'loading',
          phase: 'Reading rows',
          bytesTotal: values.bytesTotal,
          startedBy: values.startedBy,
          startedByLabel: values.label,
        })
        .returning();
      return row!;
    },

    /** Moves the heartbeat (and the figures); true when someone has asked the import to stop. */
    async progress(importId: string, values: ImportProgress): Promise<{ cancelRequested: boolean }> {
      const [row] = await db
        .update(monitoringImports)
        .set({ ...values, heartbeatAt: sql`now()` })
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)))
        .returning({ cancel: monitoringImports.cancelRequestedAt });
      return { cancelRequested: Boolean(row?.cancel) };
    },

    /** A load queued from the web or the API: the job row, waiting for the runner. */
    async queueImport(values: {
      fileName: string;
      bytesTotal: number | null;
      uploadPath: string;
      startedBy: string;
      label: string;
    }) {
      const [row] = await db
        .insert(monitoringImports)
        .values({
          partnershipId,
          fileName: values.fileName,
          status: 'queued',
          phase: null,
          bytesTotal: values.bytesTotal,
          uploadPath: values.uploadPath,
          startedBy: values.startedBy,
          startedByLabel: values.label,
        })
        .returning();
      return row!;
    },

    /** The load waiting or running for this partnership, if any (one at a time). */
    async activeImport() {
      const [row] = await db
        .select()
        .from(monitoringImports)
        .where(
          and(
            eq(monitoringImports.partnershipId, partnershipId),
            inArray(monitoringImports.status, ['queued', 'loading']),
          ),
        );
      return row ?? null;
    },

    /**
     * Asks a load to stop. A waiting one is cancelled at once (returned with `ended`); a running
     * one is marked, and stops and rolls back at its next batch. Null when it has already ended.
     */
    async requestCancel(importId: string, by: string, at: Date) {
      const mine = and(
        eq(monitoringImports.id, importId),
        eq(monitoringImports.partnershipId, partnershipId),
      );
      const [waiting] = await db
        .update(monitoringImports)
        .set({ status: 'cancelled', cancelRequestedAt: at, cancelledBy: by, finishedAt: at })
        .where(and(mine, eq(monitoringImports.status, 'queued')))
        .returning();
      if (waiting) return { run: waiting, ended: true };
      const [running] = await db
        .update(monitoringImports)
        .set({
          cancelRequestedAt: sql`coalesce(${monitoringImports.cancelRequestedAt}, ${at.toISOString()}::timestamptz)`,
          cancelledBy: sql`coalesce(${monitoringImports.cancelledBy}, ${by})`,
        })
        .where(and(mine, eq(monitoringImports.status, 'loading')))
        .returning();
      return running ? { run: running, ended: false } : null;
    },

    async importRun(importId: string) {
      const [row] = await db
        .select()
        .from(monitoringImports)
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)));
      return row ?? null;
    },

    async importRuns(limit = 20) {
      return db
        .select()
        .from(monitoringImports)
        .where(eq(monitoringImports.partnershipId, partnershipId))
        .orderBy(desc(monitoringImports.startedAt))
        .limit(limit);
    },

    async currentImport() {
      const [row] = await db
        .select()
        .from(monitoringImports)
        .where(
          and(eq(monitoringImports.partnershipId, partnershipId), eq(monitoringImports.status, 'current')),
        );
      return row ?? null;
    },

    /** New children of a staged import; returns key → id. */
    async insertChildren(importId: string, keys: readonly string[]) {
      if (!keys.length) return new Map<string, string>();
      const rows = await db
        .insert(monitoredChildren)
        .values(keys.map((childKey) => ({ partnershipId, importId, childKey })))
        .returning({ id: monitoredChildren.id, key: monitoredChildren.childKey });
      return new Map(rows.map((r) => [r.key, r.id]));
    },

    /**
     * Entries in one statement per batch: each column goes as one array and `unnest` makes the
     * rows (as the chronology upload does), rather than a parameter per value.
     */
    async insertEntries(rows: readonly { childId: string; entry: ChronologyEntry }[]) {
      if (!rows.length) return;
      const col = <T>(f: (e: ChronologyEntry) => T) => rows.map(({ entry }) => f(entry));
      const text = (values: (string | null)[]) => sql`${sql.param(values)}::text[]`;
      await db.execute(sql`
        insert into ${monitoringEntries}
          (child_id, date, sort_key, time, agency, event_type, summary, children_present, child_seen,
           child_voice, concerns, worker, practitioner_role, action_taken, outcome, significance,
           source_ref, extra, source_row)
        select u.child_id, u.date, u.sort_key, u.time, u.agency, u.event_type, u.summary,
          u.children_present, u.child_seen, u.child_voice,
          case when u.concerns = '' then '{}'::text[] else string_to_array(u.concerns, ';') end,
          u.worker, u.practitioner_role, u.action_taken, u.outcome, u.significance, u.source_ref,
          u.extra::jsonb, u.source_row
        from unnest(
          ${sql`${sql.param(rows.map((r) => r.childId))}::uuid[]`}, ${text(col((e) => e.date))},
          ${text(col((e) => chronologySortKey(e)))}, ${text(col((e) => e.time))}, ${text(col((e) => e.agency))},
          ${text(col((e) => e.eventType))}, ${text(col((e) => e.summary))}, ${text(col((e) => e.childrenPresent))},
          ${text(col((e) => e.childSeen))}, ${text(col((e) => e.childVoice))}, ${text(col((e) => e.concerns.join(';')))},
          ${text(col((e) => e.worker))}, ${text(col((e) => e.practitionerRole))}, ${text(col((e) => e.actionTaken))},
          ${text(col((e) => e.outcome))}, ${text(col((e) => e.significance))}, ${text(col((e) => e.sourceRef))},
          ${text(col((e) => JSON.stringify(e.extra)))}, ${sql`${sql.param(col((e) => e.row))}::int[]`}
        ) as u(child_id, date, sort_key, time, agency, event_type, summary, children_present, child_seen,
               child_voice, concerns, worker, practitioner_role, action_taken, outcome, significance,
               source_ref, extra, source_row)`);
    },

    /**
     * The population scan's read: the next children of an import after a key (keyset paging, in
     * key order), each with their entries in chronology order, in one round trip. Lateral, so
     * each child's entries come from the index whatever the planner's statistics say (a plain join
     * turns into a scan of every entry once the tables are analysed).
     *
     * `rules` reads only what the practice-signal rules and the child's profile look at (see
     * RULE_COLUMNS); `all` reads every column, as a bare read of the chronologies would.
     */
    async chronologiesAfter(
      importId: string,
      afterKey: string | null,
      limit: number,
      columns: 'all' | 'rules' = 'all',
    ) {
      const result = await db.execute(sql`
        with c as (
          select id, child_key from ${monitoredChildren}
          where import_id = ${importId} and partnership_id = ${partnershipId}
            and child_key > ${afterKey ?? ''}
          order by child_key limit ${limit})
        select c.id as child_id, c.child_key, ${columns === 'rules' ? RULE_COLUMNS : ALL_COLUMNS}
        from c cross join lateral (
          select * from ${monitoringEntries} e where e.child_id = c.id order by e.sort_key, e.id) e
        order by c.child_key, e.sort_key, e.id`);
      const children: { id: string; key: string; entries: ChronologyEntry[] }[] = [];
      let child: (typeof children)[number] | undefined;
      for (const row of (result as unknown as { rows: ScanRow[] }).rows) {
        if (child?.id !== row.child_id) {
          child = { id: row.child_id, key: row.child_key, entries: [] };
          children.push(child);
        }
        child.entries.push(entryFromScanRow(row));
      }
      return children;
    },

    /** Entries of some children, each child's in chronology order. */
    async entriesOf(childIds: readonly string[]) {
      if (!childIds.length) return [];
      return db
        .select()
        .from(monitoringEntries)
        .where(inArray(monitoringEntries.childId, [...childIds]))
        .orderBy(asc(monitoringEntries.childId), asc(monitoringEntries.sortKey), asc(monitoringEntries.id));
    },

    /**
     * The signals of a batch of children in one statement. Evidence lists differ in length, so
     * each goes as a JSON array (a citation may hold any character).
     */
    async insertSignals(rows: readonly { childId: string; signal: Signal }[]) {
      if (!rows.length) return;
      const col = (f: (s: Signal) => string) =>
        sql`${sql.param(rows.map(({ signal }) => f(signal)))}::text[]`;
      await db.execute(sql`
        insert into ${monitoringSignals} (child_id, rule, severity, "from", "to", evidence, explanation)
        select u.child_id, u.rule, u.severity, u.from, u.to,
          array(select jsonb_array_elements_text(u.evidence::jsonb)), u.explanation
        from unnest(
          ${sql`${sql.param(rows.map((r) => r.childId))}::uuid[]`}, ${col((s) => s.rule)}, ${col((s) => s.severity)},
          ${col((s) => s.from)}, ${col((s) => s.to)}, ${col((s) => JSON.stringify(s.evidence))},
          ${col((s) => s.explanation)}
        ) with ordinality as u(child_id, rule, severity, "from", "to", evidence, explanation, n)
        order by u.n`);
    },

    /**
     * Profiles of many children in one statement. Referral dates and rule ids hold no commas, so
     * each list goes as one comma-joined string.
     */
    async saveProfiles(rows: readonly { childId: string; profile: ChildProfile }[]) {
      if (!rows.length) return;
      const col = <T>(type: string, f: (p: ChildProfile) => T) =>
        sql`${sql.param(rows.map(({ profile }) => f(profile)))}::${sql.raw(type)}[]`;
      await db.execute(sql`
        update monitored_children c set entries = v.entries, first_date = v.first_date,
          last_date = v.last_date, open = v.open, open_since = v.open_since,
          referrals = case when v.referrals = '' then '{}'::text[] else string_to_array(v.referrals, ',') end,
          high = v.high, medium = v.medium, low = v.low,
          rules = case when v.rules = '' then '{}'::text[] else string_to_array(v.rules, ',') end
        from unnest(
          ${sql`${sql.param(rows.map((r) => r.childId))}::uuid[]`}, ${col('int', (p) => p.entries)},
          ${col('text', (p) => p.firstDate)}, ${col('text', (p) => p.lastDate)}, ${col('boolean', (p) => p.open)},
          ${col('text', (p) => p.openSince)}, ${col('text', (p) => p.referrals.join(','))},
          ${col('int', (p) => p.high)}, ${col('int', (p) => p.medium)}, ${col('int', (p) => p.low)},
          ${col('text', (p) => p.rules.join(','))}
        ) as v(id, entries, first_date, last_date, open, open_since, referrals, high, medium, low, rules)
        where c.id = v.id and c.partnership_id = ${partnershipId}`);
    },

    /**
     * Makes a staged import the partnership's dataset, replacing the one before (one transaction).
     * False, changing nothing, when it was asked to stop meanwhile.
     */
    async makeCurrent(importId: string, at: Date): Promise<boolean> {
      const [self] = await db
        .select({ cancel: monitoringImports.cancelRequestedAt })
        .from(monitoringImports)
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)))
        .for('update');
      if (self?.cancel) return false;
      const previous = await db
        .update(monitoringImports)
        .set({ status: 'replaced' })
        .where(
          and(eq(monitoringImports.partnershipId, partnershipId), eq(monitoringImports.status, 'current')),
        )
        .returning({ id: monitoringImports.id });
      if (previous.length)
        await db.delete(monitoredChildren).where(
          inArray(
            monitoredChildren.importId,
            previous.map((p) => p.id),
          ),
        );
      await db
        .update(monitoringImports)
        .set({ status: 'current', phase: null, finishedAt: at })
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)));
      return true;
    },

    /** A failed (or cancelled) import: its staged rows go, the run says why. */
    async fail(importId: string, error: string | null, at: Date, status: 'failed' | 'cancelled' = 'failed') {
      await db.delete(monitoredChildren).where(eq(monitoredChildren.importId, importId));
      await db
        .update(monitoringImports)
        .set({ status, phase: null, error, finishedAt: at })
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)));
    },

    /** Children of the current dataset for a front door list. */
    async listChildren(kind: 're-referrals' | 'check-and-challenge', f: ListFilter) {
      const conditions: (SQL | undefined)[] = [
        eq(monitoredChildren.partnershipId, partnershipId),
        inArray(monitoredChildren.importId, current),
      ];
      if (kind === 're-referrals')
        conditions.push(arrayContains(monitoredChildren.rules, ['repeat-referral']));
      else conditions.push(eq(monitoredChildren.open, true), gt(monitoredChildren.high, 0));
      if (f.rule) conditions.push(arrayContains(monitoredChildren.rules, [f.rule]));
      if (f.child)
        conditions.push(
          sql`${monitoredChildren.childKey} ilike ${`%${f.child.replace(/[%_\\]/g, '\\$&')}%`}`,
        );
      if (f.open !== undefined && kind === 're-referrals')
        conditions.push(eq(monitoredChildren.open, f.open));
      const lastReferral = sql<string>`${monitoredChildren.referrals}[cardinality(${monitoredChildren.referrals})]`;
      if (f.referredFrom) conditions.push(gte(lastReferral, f.referredFrom));
      if (f.referredTo) conditions.push(lte(lastReferral, `${f.referredTo}~`));
      const where = and(...conditions);
      const order =
        kind === 're-referrals'
          ? [desc(lastReferral), asc(monitoredChildren.childKey)]
          : [
              desc(monitoredChildren.high),
              desc(monitoredChildren.medium),
              asc(monitoredChildren.openSince),
              asc(monitoredChildren.childKey),
            ];
      const items = await db
        .select()
        .from(monitoredChildren)
        .where(where)
        .orderBy(...order)
        .limit(f.limit)
        .offset(f.offset);
      const [total] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(monitoredChildren)
        .where(where);
      return { items, total: Number(total?.n ?? 0) };
    },

    async signalsOf(childIds: readonly string[]) {
      if (!childIds.length) return [];
      return db
        .select()
        .from(monitoringSignals)
        .where(inArray(monitoringSignals.childId, [...childIds]))
        .orderBy(asc(monitoringSignals.childId), asc(monitoringSignals.from), asc(monitoringSignals.id));
    },

    async child(childKey: string) {
      const [row] = await db
        .select()
        .from(monitoredChildren)
        .where(
          and(
            eq(monitoredChildren.partnershipId, partnershipId),
            eq(monitoredChildren.childKey, childKey),
            inArray(monitoredChildren.importId, current),
          ),
        );
      return row ?? null;
    },
  };
}

/** Privileged: the partnerships in the database, for the command line's import. */
export async function allPartnerships(db: Executor) {
  return db.select({ id: partnerships.id, name: partnerships.name }).from(partnerships);
}

/** Monitoring loads as jobs of the upload queue (src/db/repositories/upload-job-queue.ts). */
export const MONITORING_JOBS: JobTable = {
  name: 'monitoring_imports',
  lockClass: 4_711,
  firstPhase: 'Reading rows',
  reset: 'bytes_read = 0, rows_read = 0, children = 0, children_scanned = 0, signals = 0',
};

/** A running import's lease (`holdJobLease`): on a server, it tells any instance the load is alive. */
export const holdImportLease = (db: Database, importId: string) =>
  holdJobLease(db, MONITORING_JOBS, importId);

/** Privileged: whether any load waits (any partnership): a cheap look before starting a runner. */
export const anyQueuedImport = (db: Database) => anyQueuedJob(db, MONITORING_JOBS);

/** A queued load claimed by a runner: the run, and the release of its lease when the job ends. */
export interface ClaimedImport {
  run: typeof monitoringImports.$inferSelect;
  release: () => Promise<void>;
}

/** Privileged: claims the oldest queued load (any partnership) for the runner `instance` (`claimQueuedJob`). */
export async function claimQueuedImport(db: Database, instance: string): Promise<ClaimedImport | null> {
  const claimed = await claimQueuedJob(db, MONITORING_JOBS, instance);
  if (!claimed) return null;
  const [run] = await db.select().from(monitoringImports).where(eq(monitoringImports.id, claimed.id));
  return { run: run!, release: claimed.release };
}

/** What an import that died part-way says on its page, and in the audit log. */
export const STOPPED_IMPORT_ERROR =
  'The import stopped before it finished (the service stopped or restarted while it ran). Nothing from it was kept: load the file again.';

/**
 * Imports left loading by a process that died (`sweepStoppedJobs`): their staged rows removed, each
 * queued again from its file or marked failed. Privileged, across partnerships: run when the
 * service starts, before each import and hourly.
 */
export async function clearStoppedImports(
  db: Database,
  options: { quietMs: number; everyLoading?: boolean; partnershipId?: string },
) {
  return sweepStoppedJobs<{ partnershipId: string }>(db, MONITORING_JOBS, {
    quietMs: options.quietMs,
    everyLoading: options.everyLoading,
    scope: options.partnershipId ? sql`partnership_id = ${options.partnershipId}` : undefined,
    described: 'partnership_id as "partnershipId"',
    stoppedError: STOPPED_IMPORT_ERROR,
    forget: async (tx, ids) => {
      await tx.delete(monitoredChildren).where(inArray(monitoredChildren.importId, ids));
    },
  });
}

/** How many times a queued load is started before a crash every time fails it. */
export const MAX_IMPORT_ATTEMPTS = MAX_JOB_ATTEMPTS;
