import { and, arrayContains, asc, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  monitoredChildren,
  monitoringEntries,
  monitoringImports,
  monitoringSignals,
  partnerships,
} from '../schema.ts';
import type { ChronologyEntry, ConcernTag, EventType, Tristate } from '../../domain/chronology/entry.ts';
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

    async progress(importId: string, values: ImportProgress) {
      await db
        .update(monitoringImports)
        .set(values)
        .where(and(eq(monitoringImports.id, importId), eq(monitoringImports.partnershipId, partnershipId)));
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

    async insertEntries(rows: readonly { childId: string; entry: ChronologyEntry }[]) {
      if (!rows.length) return;
      await db.insert(monitoringEntries).values(
        rows.map(({ childId, entry: e }) => ({
          childId,
          date: e.date,
          sortKey: chronologySortKey(e),
          time: e.time,
          agency: e.agency,
          eventType: e.eventType,
          summary: e.summary,
          childrenPresent: e.childrenPresent,
          childSeen: e.childSeen,
          childVoice: e.childVoice,
          concerns: e.concerns,
          worker: e.worker,
          practitionerRole: e.practitionerRole,
          actionTaken: e.actionTaken,
          outcome: e.outcome,
          significance: e.significance,
          sourceRef: e.sourceRef,
          extra: e.extra,
          sourceRow: e.row,
        })),
      );
    },

    /** The next children of an import after a key, in key order (keyset paging). */
    async childrenAfter(importId: string, afterKey: string | null, limit: number) {
      return db
        .select({ id: monitoredChildren.id, key: monitoredChildren.childKey })
        .from(monitoredChildren)
        .where(
          and(
            eq(monitoredChildren.importId, importId),
            eq(monitoredChildren.partnershipId, partnershipId),
            afterKey === null ? undefined : gt(monitoredChildren.childKey, afterKey),
          ),
        )
        .orderBy(asc(monitoredChildren.childKey))
        .limit(limit);
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

    async insertSignals(rows: readonly { childId: string; signal: Signal }[]) {
      for (let i = 0; i < rows.length; i += 1000) {
        const batch = rows.slice(i, i + 1000);
        if (!batch.length) continue;
        await db.insert(monitoringSignals).values(
          batch.map(({ childId, signal: s }) => ({
            childId,
            rule: s.rule,
            severity: s.severity,
            from: s.from,
            to: s.to,
            evidence: s.evidence,
            explanation: s.explanation,
          })),
        );
      }
    },

    /** Profiles of many children in one statement. */
    async saveProfiles(rows: readonly { childId: string; profile: ChildProfile }[]) {
      if (!rows.length) return;
      const values = sql.join(
        rows.map(
          ({ childId, profile: p }) =>
            sql`(${childId}::uuid, ${p.entries}::int, ${p.firstDate}::text, ${p.lastDate}::text, ${p.open}::boolean, ${p.openSince}::text, ${sql`array[${sql.join(
              p.referrals.map((r) => sql`${r}`),
              sql`, `,
            )}]::text[]`}, ${p.high}::int, ${p.medium}::int, ${p.low}::int, ${sql`array[${sql.join(
              p.rules.map((r) => sql`${r}`),
              sql`, `,
            )}]::text[]`})`,
        ),
        sql`, `,
      );
      await db.execute(sql`
        update monitored_children c set entries = v.entries, first_date = v.first_date, last_date = v.last_date,
          open = v.open, open_since = v.open_since, referrals = v.referrals, high = v.high, medium = v.medium,
          low = v.low, rules = v.rules
        from (values ${values}) as v(id, entries, first_date, last_date, open, open_since, referrals, high, medium, low, rules)
        where c.id = v.id and c.partnership_id = ${partnershipId}`);
    },

    /** Makes a staged import the partnership's dataset, replacing the one before (one transaction). */
    async makeCurrent(importId: string, at: Date) {
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
    },

    /** A failed import: its staged rows go, the run says why. */
    async fail(importId: string, error: string, at: Date) {
      await db.delete(monitoredChildren).where(eq(monitoredChildren.importId, importId));
      await db
        .update(monitoringImports)
        .set({ status: 'failed', phase: null, error, finishedAt: at })
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
