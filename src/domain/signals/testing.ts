import type { ChronologyEntry, EventType } from '../chronology/entry.ts';

/** Test-data builder: one chronology entry with quiet defaults; `ref` becomes its source_ref. */
export type EntrySpec = Partial<Omit<ChronologyEntry, 'date' | 'eventType'>> & { ref?: string };

export function entry(date: string, eventType: EventType, spec: EntrySpec = {}): ChronologyEntry {
  const { ref, ...rest } = spec;
  return {
    child: 'C-000001',
    date,
    time: null,
    agency: eventType === 'police_incident' || eventType === 'arrest' ? 'police' : 'csc',
    eventType,
    summary: `${eventType} on ${date}`,
    childrenPresent: null,
    childSeen: null,
    childVoice: null,
    concerns: [],
    worker: null,
    practitionerRole: null,
    actionTaken: null,
    outcome: null,
    significance: null,
    sourceRef: ref ?? null,
    extra: {},
    row: 0,
    ...rest,
  };
}

/** Numbers the entries' rows as a file would (the header is row 1). */
export function chronology(...entries: ChronologyEntry[]): ChronologyEntry[] {
  return entries.map((e, i) => ({ ...e, row: e.row || i + 2 }));
}
