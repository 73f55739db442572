import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  chronologyAmendments,
  chronologyEntries,
  selfAnalysisAnswers,
  users,
} from '../schema.ts';
import type { ChronologyEntry } from '../../domain/chronology/entry.ts';
import { chronologySortKey } from '../../domain/chronology/entry.ts';
import { RETURN_STATUSES_OTHERS_READ } from '../../domain/chronology/requests.ts';
import { mayEditAgencyReturn, mayReadSubmittedReturns, type Actor } from '../../domain/lifecycle/roles.ts';
import type { VisibleReview } from './review-access.ts';
import { isUuid } from './request-repository.ts';

declare const readableBrand: unique symbol;

/**
 * An agency's return the actor has been shown to be allowed to read: only `open` makes one, and
 * every query on a return's entries and self-analysis takes one.
 */
export interface ReadableReturn {
  readonly [readableBrand]: true;
  readonly id: string;
  readonly reviewId: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly status: string;
  readonly submittedAt: Date | null;
  /** The actor writes this return (their own agency's). */
  readonly own: boolean;
}

/**
 * The one statement of who reads an agency's return: that agency's own leads at any time; the
 * coordinator and the chair once it is submitted or accepted; nobody else (deny by default).
 * Accepted entries are read by everyone who sees the review through the merged chronology.
 */
export function mayReadReturn(actor: Actor, request: { agencyId: string; status: string }): boolean {
  if (mayEditAgencyReturn(actor, request.agencyId)) return true;
  return (
    mayReadSubmittedReturns(actor) &&
    (RETURN_STATUSES_OTHERS_READ as readonly string[]).includes(request.status)
  );
}

export type EntryRow = typeof chronologyEntries.$inferSelect;

export function returnRepository(db: Executor, actor: Actor) {
  return {
    /** The request's return if the actor may read it; null otherwise (or when there is none). */
    async open(review: VisibleReview, requestId: string): Promise<ReadableReturn | null> {
      if (!isUuid(requestId)) return null;
      const [row] = await db
        .select({ request: agencyRequests, agencyCode: agencies.code, agencyName: agencies.name })
        .from(agencyRequests)
        .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
        .where(and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.id, requestId)));
      if (!row || !mayReadReturn(actor, row.request)) return null;
      return {
        id: row.request.id,
        reviewId: review.id,
        agencyId: row.request.agencyId,
        agencyCode: row.agencyCode,
        agencyName: row.agencyName,
        status: row.request.status,
        submittedAt: row.request.submittedAt,
        own: mayEditAgencyReturn(actor, row.request.agencyId),
      } as ReadableReturn;
    },

    /** The actor's own agency's live request in this review, opened; null when there is none. */
    async openOwn(review: VisibleReview): Promise<ReadableReturn | null> {
      if (!actor.agencyId) return null;
      const [row] = await db
        .select({ id: agencyRequests.id })
        .from(agencyRequests)
        .where(
          and(
            eq(agencyRequests.reviewId, review.id),
            eq(agencyRequests.agencyId, actor.agencyId),
            isNull(agencyRequests.withdrawnAt),
          ),
        );
      if (!row) return null;
      const opened = await this.open(review, row.id);
      return opened?.own ? opened : null;
    },

    /** One page of the return's entries in date order: a page is read, never the whole return. */
    async entriesPage(ret: ReadableReturn, page: { limit: number; offset: number }) {
      return db
        .select()
        .from(chronologyEntries)
        .where(and(eq(chronologyEntries.requestId, ret.id), isNull(chronologyEntries.removedAt)))
        .orderBy(
          asc(chronologyEntries.sortKey),
          asc(chronologyEntries.sourceRow),
          asc(chronologyEntries.createdAt),
          asc(chronologyEntries.id),
        )
        .limit(page.limit)
        .offset(page.offset);
    },

    async entryCount(ret: ReadableReturn): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(chronologyEntries)
        .where(and(eq(chronologyEntries.requestId, ret.id), isNull(chronologyEntries.removedAt)));
      return row?.n ?? 0;
    },

    /**
     * The entries the return holds, with the return locked until the transaction ends, so two
     * uploads into one return at once cannot together pass the limit on its entries.
     */
    async lockedEntryCount(ret: ReadableReturn): Promise<number> {
      await db.execute(
        sql`select 1 from ${agencyRequests} where ${agencyRequests.id} = ${ret.id} for update`,
      );
      return this.entryCount(ret);
    },

    async entry(ret: ReadableReturn, id: string) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .select()
        .from(chronologyEntries)
        .where(
          and(
            eq(chronologyEntries.requestId, ret.id),
            eq(chronologyEntries.id, id),
            isNull(chronologyEntries.removedAt),
          ),
        );
      return row ?? null;
    },

    /**
     * Inserts entries in one statement per batch: each column goes as one array and `unnest`
     * makes the rows, so 100,000 rows are a few dozen statements, not 100,000.
     */
    async insertEntries(ret: ReadableReturn, entries: readonly ChronologyEntry[] | PreparedEntries) {
      const batch = entries instanceof PreparedEntries ? entries : prepareEntries(entries);
      if (batch.count === 0) return;
      const [
        date,
        sortKey,
        time,
        eventType,
        summary,
        childrenPresent,
        childSeen,
        childVoice,
        concerns,
        worker,
        practitionerRole,
        actionTaken,
        outcome,
        significance,
        sourceRef,
        extra,
        sourceRow,
      ] = batch.columns.map((literal) => sql`${literal}::text::text[]`);
      await db.execute(sql`
        insert into ${chronologyEntries}
          (review_id, request_id, agency_id, date, sort_key, time, event_type, summary, children_present,
           child_seen, child_voice, concerns, worker, practitioner_role, action_taken, outcome,
           significance, source_ref, extra, source_row, created_by)
        select ${ret.reviewId}::uuid, ${ret.id}::uuid, ${ret.agencyId}::uuid, u.date, u.sort_key, u.time,
          u.event_type, u.summary, u.children_present, u.child_seen, u.child_voice,
          case when u.concerns = '' then '{}'::text[] else string_to_array(u.concerns, ';') end,
          u.worker, u.practitioner_role, u.action_taken, u.outcome, u.significance, u.source_ref,
          u.extra::jsonb, u.source_row::int, ${actor.userId}::uuid
        from unnest(
          ${date}, ${sortKey}, ${time}, ${eventType}, ${summary}, ${childrenPresent}, ${childSeen},
          ${childVoice}, ${concerns}, ${worker}, ${practitionerRole}, ${actionTaken}, ${outcome},
          ${significance}, ${sourceRef}, ${extra}, ${sourceRow}
        ) as u(date, sort_key, time, event_type, summary, children_present, child_seen, child_voice, concerns,
               worker, practitioner_role, action_taken, outcome, significance, source_ref, extra, source_row)`);
    },

    async insertEntry(ret: ReadableReturn, entry: ChronologyEntry): Promise<EntryRow> {
      const [row] = await db
        .insert(chronologyEntries)
        .values({
          ...entryColumns(entry),
          reviewId: ret.reviewId,
          requestId: ret.id,
          agencyId: ret.agencyId,
          createdBy: actor.userId,
        })
        .returning();
      return row!;
    },

    async updateEntry(ret: ReadableReturn, id: string, entry: ChronologyEntry) {
      const [row] = await db
        .update(chronologyEntries)
        .set({ ...entryColumns(entry), updatedAt: new Date() })
        .where(and(eq(chronologyEntries.requestId, ret.id), eq(chronologyEntries.id, id)))
        .returning();
      return row ?? null;
    },

    async removeEntry(ret: ReadableReturn, id: string, at: Date) {
      await db
        .update(chronologyEntries)
        .set({ removedAt: at })
        .where(and(eq(chronologyEntries.requestId, ret.id), eq(chronologyEntries.id, id)));
    },

    async recordAmendment(
      ret: ReadableReturn,
      amendment: { entryId: string; reason: string; before: unknown; after: unknown; at: Date },
    ) {
      void ret;
      await db.insert(chronologyAmendments).values({ ...amendment, byUserId: actor.userId });
    },

    async amendments(ret: ReadableReturn) {
      return db
        .select({
          entryId: chronologyAmendments.entryId,
          reason: chronologyAmendments.reason,
          before: chronologyAmendments.before,
          after: chronologyAmendments.after,
          at: chronologyAmendments.at,
          byName: users.name,
        })
        .from(chronologyAmendments)
        .innerJoin(chronologyEntries, eq(chronologyEntries.id, chronologyAmendments.entryId))
        .leftJoin(users, eq(users.id, chronologyAmendments.byUserId))
        .where(eq(chronologyEntries.requestId, ret.id))
        .orderBy(asc(chronologyAmendments.at), asc(chronologyAmendments.id));
    },

    async selfAnalysis(ret: ReadableReturn) {
      return db.select().from(selfAnalysisAnswers).where(eq(selfAnalysisAnswers.requestId, ret.id));
    },

    async saveSelfAnalysis(
      ret: ReadableReturn,
      lineOfEnquiryId: string,
      answer: { wentWell: string | null; couldBeBetter: string | null; why: string | null },
    ) {
      const values = { ...answer, updatedBy: actor.userId, updatedAt: new Date() };
      await db
        .insert(selfAnalysisAnswers)
        .values({ ...values, requestId: ret.id, lineOfEnquiryId })
        .onConflictDoUpdate({
          target: [selfAnalysisAnswers.requestId, selfAnalysisAnswers.lineOfEnquiryId],
          set: values,
        });
    },

    /** The status change that the first edit after "sent" or "returned" makes. */
    async markInProgress(ret: ReadableReturn) {
      await db
        .update(agencyRequests)
        .set({ status: 'in_progress' })
        .where(and(eq(agencyRequests.id, ret.id), sql`${agencyRequests.status} in ('sent', 'returned')`));
    },
  };
}

/**
 * A batch of entries made ready for insertEntries: each column as the text of a PostgreSQL array.
 * An upload prepares the next batch while the database is still inserting the previous one.
 */
export class PreparedEntries {
  constructor(
    readonly count: number,
    readonly columns: readonly string[],
  ) {}
}

const ENTRY_COLUMNS: readonly ((e: ChronologyEntry) => string | null)[] = [
  (e) => e.date,
  (e) => chronologySortKey(e),
  (e) => e.time,
  (e) => e.eventType,
  (e) => e.summary,
  (e) => e.childrenPresent,
  (e) => e.childSeen,
  (e) => e.childVoice,
  (e) => e.concerns.join(';'),
  (e) => e.worker,
  (e) => e.practitionerRole,
  (e) => e.actionTaken,
  (e) => e.outcome,
  (e) => e.significance,
  (e) => e.sourceRef,
  (e) => JSON.stringify(e.extra),
  (e) => (e.row > 0 ? String(e.row) : null),
];

export function prepareEntries(entries: readonly ChronologyEntry[]): PreparedEntries {
  return new PreparedEntries(
    entries.length,
    ENTRY_COLUMNS.map((value) => {
      // The array literal as node-postgres would write it: every element quoted, NULL bare.
      const elements = new Array<string>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const v = value(entries[i]!);
        elements[i] =
          v === null
            ? 'NULL'
            : v.includes('\\') || v.includes('"')
              ? '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'
              : '"' + v + '"';
      }
      return '{' + elements.join(',') + '}';
    }),
  );
}

/** The stored columns of an entry (the same mapping the bulk insert makes). */
export function entryColumns(e: ChronologyEntry) {
  return {
    date: e.date,
    sortKey: chronologySortKey(e),
    time: e.time,
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
  };
}

/** A stored entry back as a ChronologyEntry (agency by code). */
export function rowToEntry(row: EntryRow, agencyCode: string): ChronologyEntry {
  return {
    child: null,
    date: row.date,
    time: row.time,
    agency: agencyCode,
    eventType: row.eventType as ChronologyEntry['eventType'],
    summary: row.summary,
    childrenPresent: row.childrenPresent as ChronologyEntry['childrenPresent'],
    childSeen: row.childSeen as ChronologyEntry['childSeen'],
    childVoice: row.childVoice,
    concerns: row.concerns as ChronologyEntry['concerns'],
    worker: row.worker,
    practitionerRole: row.practitionerRole,
    actionTaken: row.actionTaken,
    outcome: row.outcome,
    significance: row.significance,
    sourceRef: row.sourceRef,
    extra: row.extra,
    row: row.sourceRow ?? 0,
  };
}
