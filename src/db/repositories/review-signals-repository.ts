import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  chronologyEntries,
  linesOfEnquiry,
  signalDecisions,
  users,
} from '../schema.ts';
import type { ChronologyEntry, ConcernTag, EventType, Tristate } from '../../domain/chronology/entry.ts';
import type { VisibleReview } from './review-access.ts';

export type SignalDecision = 'confirmed' | 'dismissed';

/**
 * What the signals of a review are computed from (the accepted merged chronology, read only) and
 * the decisions taken on them. Everything goes through a VisibleReview handle.
 */
export function reviewSignalsRepository(db: Executor) {
  return {
    /** The review's accepted entries, as the rules read them; evidence cites source_ref or row. */
    /** With the key of the event each was linked to (`sameEvent`), for asOneEvent. */
    async acceptedEntries(
      review: VisibleReview,
    ): Promise<(ChronologyEntry & { sameEvent: string | null })[]> {
      const rows = await db
        .select({ e: chronologyEntries, agency: agencies.code, agencyName: agencies.name })
        .from(chronologyEntries)
        .innerJoin(agencyRequests, eq(agencyRequests.id, chronologyEntries.requestId))
        .innerJoin(agencies, eq(agencies.id, chronologyEntries.agencyId))
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            eq(agencyRequests.reviewId, review.id),
            eq(agencyRequests.status, 'accepted'),
            isNull(chronologyEntries.removedAt),
          ),
        )
        .orderBy(asc(chronologyEntries.sortKey), asc(agencies.code), asc(chronologyEntries.sourceRow));
      return rows.map(({ e, agency, agencyName }, i) => ({
        child: null,
        date: e.date,
        time: e.time,
        agency,
        agencyName,
        eventType: e.eventType as EventType,
        summary: e.summary,
        childrenPresent: e.childrenPresent as Tristate | null,
        childSeen: e.childSeen as Tristate | null,
        childVoice: e.childVoice,
        concerns: e.concerns as ConcernTag[],
        worker: e.worker,
        practitionerRole: e.practitionerRole,
        actionTaken: e.actionTaken,
        outcome: e.outcome,
        significance: e.significance,
        sourceRef: e.sourceRef,
        extra: e.extra,
        // Entries typed into a form have no file row: number them in merged order.
        row: e.sourceRow ?? i + 2,
        sameEvent: e.sameEventKey,
      }));
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
