import { percentage, trend, type AuditRound } from '../domain/actions/audit-results.ts';
import type { Rag } from '../domain/actions/rag.ts';

/** An action as the API shows it: agencies by code, ISO dates, camelCase. */
export function actionJson(
  a: {
    id: string;
    reviewReference: string;
    number: number;
    what: string;
    agencyCode: string;
    leadUserId: string;
    leadName: string;
    dueDate: string;
    successMeasure: string;
    status: string;
    rag: Rag;
    cancelledReason: string | null;
    assuredAt: Date | null;
  },
  learning?: { statementId: string; statement: string }[],
) {
  return {
    id: a.id,
    review: a.reviewReference,
    number: a.number,
    what: a.what,
    owningAgency: a.agencyCode,
    lead: { id: a.leadUserId, name: a.leadName },
    dueDate: a.dueDate,
    successMeasure: a.successMeasure,
    status: a.status,
    rag: a.rag,
    cancelledReason: a.cancelledReason,
    assuredAt: a.assuredAt?.toISOString() ?? null,
    ...(learning ? { learning: learning.map((l) => ({ id: l.statementId, statement: l.statement })) } : {}),
  };
}

export function updateJson(u: {
  id: string;
  note: string;
  statusFrom: string;
  statusTo: string;
  evidenceText: string | null;
  evidenceUrl: string | null;
  fileName: string | null;
  fileSize: number | null;
  byName: string | null;
  at: Date;
}) {
  return {
    id: u.id,
    note: u.note,
    statusFrom: u.statusFrom,
    statusTo: u.statusTo,
    evidenceText: u.evidenceText,
    evidenceUrl: u.evidenceUrl,
    file: u.fileName ? { name: u.fileName, size: u.fileSize } : null,
    by: u.byName,
    at: u.at.toISOString(),
  };
}

export function auditJson(a: {
  id: string;
  agencyCode: string;
  question: string;
  sampleDescription: string;
  compliantMeans: string | null;
  rounds: (AuditRound & { id: string; note: string | null })[];
  actionIds?: string[];
}) {
  return {
    id: a.id,
    agency: a.agencyCode,
    question: a.question,
    sampleDescription: a.sampleDescription,
    compliantMeans: a.compliantMeans,
    rounds: a.rounds.map((r) => ({ ...r, percentage: percentage(r) })),
    trend: trend(a.rounds),
    actions: a.actionIds ?? [],
  };
}
