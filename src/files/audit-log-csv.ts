import { AUDIT_EVENT_KIND_LABELS, auditEventDefinition } from '../domain/audit/catalogue.ts';
import { csvField, neutraliseFormula } from './chronology-writer.ts';

interface ExportedEvent {
  id: number | string;
  at: Date;
  action: string;
  outcome: string;
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
  reviewReference: string | null;
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  sourceAddress: string | null;
  detail: unknown;
}

const HEADER = [
  'id',
  'at',
  'type',
  'event',
  'event_name',
  'outcome',
  'person',
  'person_email',
  'person_id',
  'review',
  'subject_type',
  'subject_id',
  'request_id',
  'source_address',
  'detail',
];

/**
 * The audit log as CSV for the data protection officer: the event in words and by its catalogue
 * name, the person as they are now known (the row holds only their id), the time in UTC. Every
 * cell is text a spreadsheet will not run.
 */
export function auditLogCsv(rows: readonly ExportedEvent[]): string {
  const line = (cells: readonly string[]) =>
    cells.map((c) => csvField(neutraliseFormula(c))).join(',') + '\r\n';
  return (
    line(HEADER) +
    rows
      .map((r) => {
        const definition = auditEventDefinition(r.action);
        return line([
          String(r.id),
          r.at.toISOString(),
          definition ? AUDIT_EVENT_KIND_LABELS[definition.kind] : '',
          definition?.words ?? '',
          r.action,
          r.outcome,
          r.userName ?? '',
          r.userEmail ?? '',
          r.userId ?? '',
          r.reviewReference ?? '',
          r.subjectType ?? '',
          r.subjectId ?? '',
          r.requestId ?? '',
          r.sourceAddress ?? '',
          r.detail == null ? '' : JSON.stringify(r.detail),
        ]);
      })
      .join('')
  );
}
