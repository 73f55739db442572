import { eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { linesOfEnquiry, signalDecisions, users } from '../schema.ts';
import type { ChronologyEntry, ConcernTag, EventType, Tristate } from '../../domain/chronology/entry.ts';
import { entryFromRow, type StoredEntryRow } from './entry-row.ts';
import type { VisibleReview } from './review-access.ts';

/** An accepted entry as the rules read it, with the key of the event it was linked to. */
export type RuleEntry = ChronologyEntry & { sameEvent: string | null };

/** One entry of ruleEntries' JSON: position … same event key, then [summary, action, outcome] or null. */
type RuleRow = [
  number,
  string,
  string | null,
  string,
  string,
  string,
  string[],
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  [string, string | null, string | null] | null,
];

const NO_EXTRA: Record<string, string> = Object.freeze({});

async function run<T>(db: Executor, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export type SignalDecision = 'confirmed' | 'dismissed';

/**
 * What the signals of a review are computed from (the accepted merged chronology as stored in
 * merged_chronology, read only) and the decisions taken on them. Everything goes through a
 * VisibleReview handle.
 */
export function reviewSignalsRepository(db: Executor) {
  return {
    /**
     * The review's accepted entries whole, in the merged order (merged_chronology, brought up to
     * the review's version by the caller), each with the key of the event it was linked to
     * (`sameEvent`, for asOneEvent). Evidence cites source_ref, or the row: an entry typed into a
     * form has none, and is numbered by its place in the merged order.
     */
    async acceptedEntries(review: VisibleReview): Promise<RuleEntry[]> {
      const rows = await run<
        StoredEntryRow & { position: number; agency_name: string; same_event_key: string | null }
      >(
        db,
        sql`select m.position, m.date, e.time, m.agency, m.agency_name, m.event_type, e.summary,
                   e.children_present, m.child_seen, e.child_voice, m.concerns, e.worker,
                   e.practitioner_role, e.action_taken, e.outcome, e.significance, e.source_ref,
                   e.extra, e.source_row, m.same_event_key
            from merged_chronology m join chronology_entries e on e.id = m.entry_id
            where m.review_id = ${review.id} order by m.position`,
      );
      return rows.map((r) => ({
        ...entryFromRow(r, null),
        agencyName: r.agency_name,
        row: r.source_row ?? r.position + 1,
        sameEvent: r.same_event_key,
      }));
    },

    /**
     * The same entries as the rules read them, and only that: one row of JSON for the whole
     * chronology, without the text the rules never read. They read an entry's summary, action and
     * outcome only to tell a referral to children's social care and a decision of no further action
     * (isReferralToCsc, isNoFurtherAction); test/signals/rule-entries.test.ts holds them to the
     * signals of the entries whole.
     */
    async ruleEntries(review: VisibleReview): Promise<RuleEntry[]> {
      const [found] = await run<{ rows: string | null }>(
        db,
        sql`select json_agg(json_build_array(m.position, m.date, e.time, m.agency, m.agency_name,
                   m.event_type, m.concerns, m.child_seen, e.children_present, e.worker, e.source_ref,
                   e.source_row, m.same_event_key,
                   case when m.event_type in ('referral', 'referral_decision')
                        then json_build_array(e.summary, e.action_taken, e.outcome) end)
                   order by m.position)::text as rows
            from merged_chronology m join chronology_entries e on e.id = m.entry_id
            where m.review_id = ${review.id}`,
      );
      const rows = JSON.parse(found?.rows ?? '[]') as RuleRow[];
      return rows.map(
        ([
          position,
          date,
          time,
          agency,
          agencyName,
          eventType,
          concerns,
          childSeen,
          childrenPresent,
          worker,
          sourceRef,
          sourceRow,
          sameEvent,
          text,
        ]) => ({
          child: null,
          date,
          time,
          agency,
          agencyName,
          eventType: eventType as EventType,
          summary: text?.[0] ?? '',
          childrenPresent: childrenPresent as Tristate | null,
          childSeen: childSeen as Tristate | null,
          childVoice: null,
          concerns: concerns as ConcernTag[],
          worker,
          practitionerRole: null,
          actionTaken: text?.[1] ?? null,
          outcome: text?.[2] ?? null,
          significance: null,
          sourceRef,
          extra: NO_EXTRA,
          row: sourceRow ?? position + 1,
          sameEvent,
        }),
      );
    },

    async decisions(review: VisibleReview) {
      return db
        .select({
          signalKey: signalDecisions.signalKey,
          decision: signalDecisions.decision,
          reason: signalDecisions.reason,
          lineOfEnquiryId: signalDecisions.lineOfEnquiryId,
          kloePosition: linesOfEnquiry.position,
          kloeQuestion: linesOfEnquiry.question,
          decidedByName: users.name,
          decidedAt: signalDecisions.decidedAt,
        })
        .from(signalDecisions)
        .leftJoin(users, eq(users.id, signalDecisions.decidedBy))
        .leftJoin(linesOfEnquiry, eq(linesOfEnquiry.id, signalDecisions.lineOfEnquiryId))
        .where(eq(signalDecisions.reviewId, review.id));
    },

    async decide(
      review: VisibleReview,
      key: string,
      values: { decision: SignalDecision; reason: string | null; by: string; at: Date },
    ) {
      await db
        .insert(signalDecisions)
        .values({
          reviewId: review.id,
          signalKey: key,
          decision: values.decision,
          reason: values.reason,
          decidedBy: values.by,
          decidedAt: values.at,
        })
        .onConflictDoUpdate({
          target: [signalDecisions.reviewId, signalDecisions.signalKey],
          set: {
            decision: values.decision,
            reason: values.reason,
            decidedBy: values.by,
            decidedAt: values.at,
          },
        });
    },

    async linkLineOfEnquiry(
      review: VisibleReview,
      key: string,
      lineOfEnquiryId: string | null,
      by: string,
      at: Date,
    ) {
      await db
        .insert(signalDecisions)
        .values({ reviewId: review.id, signalKey: key, lineOfEnquiryId, decidedBy: by, decidedAt: at })
        .onConflictDoUpdate({
          target: [signalDecisions.reviewId, signalDecisions.signalKey],
          set: { lineOfEnquiryId },
        });
    },
  };
}
