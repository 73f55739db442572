import type { ChronologyEntry, ConcernTag, EventType, Tristate } from '../../domain/chronology/entry.ts';

/** A chronology entry's stored columns as the driver returns them from a plain statement. */
export interface StoredEntryRow {
  date: string;
  time: string | null;
  agency: string;
  event_type: string;
  summary: string;
  children_present: string | null;
  child_seen: string | null;
  child_voice: string | null;
  concerns: string[];
  worker: string | null;
  practitioner_role: string | null;
  action_taken: string | null;
  outcome: string | null;
  significance: string | null;
  source_ref: string | null;
  extra: Record<string, string> | null;
  source_row: number | null;
}

const NO_EXTRA: Record<string, string> = Object.freeze({});

/** The one mapping of the stored columns to the domain's entry (a review's and monitoring's alike). */
export function entryFromRow(row: StoredEntryRow, child: string | null): ChronologyEntry {
  return {
    child,
    date: row.date,
    time: row.time,
    agency: row.agency,
    eventType: row.event_type as EventType,
    summary: row.summary,
    childrenPresent: row.children_present as Tristate | null,
    childSeen: row.child_seen as Tristate | null,
    childVoice: row.child_voice,
    concerns: row.concerns as ConcernTag[],
    worker: row.worker,
    practitionerRole: row.practitioner_role,
    actionTaken: row.action_taken,
    outcome: row.outcome,
    significance: row.significance,
    sourceRef: row.source_ref,
    extra: row.extra ?? NO_EXTRA,
    row: row.source_row ?? 0,
  };
}
