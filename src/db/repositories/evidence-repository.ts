import { and, asc, eq, inArray, isNotNull, or, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  actionLearningStatements,
  agencies,
  agencyRequests,
  linesOfEnquiry,
  reviewActions,
  selfAnalysisAnswers,
  signalDecisions,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { VisibleReview } from './review-access.ts';

/**
 * Evidence other areas recorded against a review's key lines of enquiry, read for the pre-reading
 * pack and the traceability page: self-analyses of accepted returns, and signals a reviewer linked.
 */
export function evidenceRepository(db: Executor, actor: Actor) {
  void actor;
  return {
    /** Self-analysis answers of accepted returns only (drafts stay the agency's own). */
    async acceptedSelfAnalyses(review: VisibleReview) {
      return db
        .select({
          lineOfEnquiryId: selfAnalysisAnswers.lineOfEnquiryId,
          position: linesOfEnquiry.position,
          question: linesOfEnquiry.question,
          agencyName: agencies.name,
          agencyCode: agencies.code,
          wentWell: selfAnalysisAnswers.wentWell,
          couldBeBetter: selfAnalysisAnswers.couldBeBetter,
          why: selfAnalysisAnswers.why,
        })
        .from(selfAnalysisAnswers)
        .innerJoin(agencyRequests, eq(agencyRequests.id, selfAnalysisAnswers.requestId))
        .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
        .innerJoin(linesOfEnquiry, eq(linesOfEnquiry.id, selfAnalysisAnswers.lineOfEnquiryId))
        .where(and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.status, 'accepted')))
        .orderBy(asc(linesOfEnquiry.position), asc(agencies.name));
    },

    /** Signals linked to a key line of enquiry and not dismissed. */
    async signalLinks(review: VisibleReview) {
      const rows = await db
        .select({ lineOfEnquiryId: signalDecisions.lineOfEnquiryId, signalKey: signalDecisions.signalKey })
        .from(signalDecisions)
        .where(
          and(
            eq(signalDecisions.reviewId, review.id),
            isNotNull(signalDecisions.lineOfEnquiryId),
            or(isNull(signalDecisions.decision), ne(signalDecisions.decision, 'dismissed')),
          ),
        );
      return rows.map((r) => ({ lineOfEnquiryId: r.lineOfEnquiryId!, signalKey: r.signalKey }));
    },

    /** The review's actions (cancelled ones answer no learning) with the learning they answer. */
    async actions(review: VisibleReview) {
      const rows = await db
        .select({
          id: reviewActions.id,
          number: reviewActions.number,
          what: reviewActions.what,
          successMeasure: reviewActions.successMeasure,
          status: reviewActions.status,
          agencyName: agencies.name,
        })
        .from(reviewActions)
        .innerJoin(agencies, eq(agencies.id, reviewActions.owningAgencyId))
        .where(and(eq(reviewActions.reviewId, review.id), ne(reviewActions.status, 'cancelled')))
        .orderBy(asc(reviewActions.number));
      if (!rows.length) return [];
      const links = await db
        .select()
        .from(actionLearningStatements)
        .where(
          inArray(
            actionLearningStatements.actionId,
            rows.map((r) => r.id),
          ),
        );
      return rows.map((r) => ({
        ...r,
        title: `A${r.number}: ${r.what}`,
        learningIds: links.filter((l) => l.actionId === r.id).map((l) => l.statementId),
      }));
    },
  };
}
