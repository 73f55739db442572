import type { ReviewService } from '../services/review-service.ts';

type Overview = Awaited<ReturnType<ReviewService['overview']>>;

/** A review as the API shows it: camelCase, agencies by code, ISO dates, nothing identifiable. */
export function reviewJson(o: Overview) {
  const r = o.review;
  return {
    reference: r.reference,
    pseudonym: r.pseudonym,
    type: r.type,
    stage: r.stage,
    status: r.status,
    stageEnteredAt: r.stageEnteredAt.toISOString(),
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    background: r.background,
    purpose: r.purpose,
    createdAt: r.createdAt.toISOString(),
    referral: o.referral
      ? {
          agency: o.agencies.find((a) => a.name === o.referral!.agencyName)?.code ?? null,
          referredOn: o.referral.referredOn,
        }
      : null,
    screening: o.screening
      ? {
          outcome: o.screening.outcome,
          rationale: o.screening.rationale,
          decisionMaker: o.screening.decisionMaker,
          decidedOn: o.screening.decidedOn,
        }
      : null,
    agencies: o.agencies.map((a) => ({
      agency: a.code,
      name: a.name,
      involved: a.involved,
      inScope: a.inScope,
    })),
    linesOfEnquiry: o.linesOfEnquiry,
    deadlines: o.deadlines,
    stageHistory: o.history.map((h) => ({
      kind: h.kind,
      from: h.fromStage,
      to: h.toStage,
      reason: h.reason,
      at: h.at.toISOString(),
      by: h.byName,
    })),
  };
}

export function reviewSummaryJson(r: {
  reference: string;
  pseudonym: string;
  type: string;
  stage: string;
  status: string;
  stageEnteredAt: Date;
  referredOn: string | null;
  nextDeadline: { what: string; due: string } | null;
}) {
  return {
    reference: r.reference,
    pseudonym: r.pseudonym,
    type: r.type,
    stage: r.stage,
    status: r.status,
    stageEnteredAt: r.stageEnteredAt.toISOString(),
    referredOn: r.referredOn,
    nextDeadline: r.nextDeadline ? { what: r.nextDeadline.what, due: r.nextDeadline.due } : null,
  };
}
