import {
  AUDIT_EVENT_KIND_LABELS,
  auditEventDefinition,
  type AuditEventKind,
} from '../../domain/audit/catalogue.ts';
import type { AuditOutcome } from '../../db/repositories/audit-repository.ts';

/** The outcome of an event, in words. */
export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = {
  success: 'Done',
  denied: 'Refused',
  failure: 'Failed',
};

interface ListedEvent {
  action: string;
  outcome: string;
  userName: string | null;
  userEmail: string | null;
}

/** An audit row as people read it: the event and its outcome in words, who by name. */
export function auditRowForPeople<T extends ListedEvent>(row: T) {
  const definition = auditEventDefinition(row.action);
  return {
    ...row,
    event: definition?.words ?? 'An event no longer recorded',
    type: definition ? AUDIT_EVENT_KIND_LABELS[definition.kind] : '',
    outcomeWords: AUDIT_OUTCOME_LABELS[row.outcome as AuditOutcome] ?? row.outcome,
    who: row.userName ?? row.userEmail ?? 'Someone not signed in',
  };
}

/** The "type of event" filter's choices. */
export function auditTypeOptions(selected: AuditEventKind | undefined) {
  return [
    { value: '', text: 'Any', selected: !selected },
    ...(Object.entries(AUDIT_EVENT_KIND_LABELS) as [AuditEventKind, string][]).map(([value, text]) => ({
      value,
      text,
      selected: value === selected,
    })),
  ];
}
