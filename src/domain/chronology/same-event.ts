import type { ChronologyEntry, ConcernTag, Tristate } from './entry.ts';
import { sortChronology } from './merge.ts';

/** What a record says of the child, strongest first: one agency seeing the child is enough. */
const TRISTATE_ORDER: readonly (Tristate | null)[] = ['yes', 'no', 'not_recorded', null];

function strongest(values: readonly (Tristate | null)[]): Tristate | null {
  return TRISTATE_ORDER.find((v) => values.includes(v)) ?? null;
}

/**
 * Entries the coordinator linked "as one event" (the same `sameEvent` key) become one entry, so
 * an event two agencies both recorded counts once in the signals: its first record in date order,
 * with every record's concerns, the child seen or present if any record says so, and the other
 * records' source references kept in `extra.same_event_sources`. Unlinked entries pass through.
 */
export function asOneEvent<T extends ChronologyEntry & { sameEvent: string | null }>(
  entries: readonly T[],
): ChronologyEntry[] {
  const events = new Map<string, T[]>();
  for (const e of entries) {
    if (e.sameEvent === null) continue;
    const list = events.get(e.sameEvent);
    if (list) list.push(e);
    else events.set(e.sameEvent, [e]);
  }
  const out: ChronologyEntry[] = [];
  for (const e of entries) {
    const { sameEvent, ...entry } = e;
    const records = sameEvent === null ? undefined : events.get(sameEvent);
    if (!records || records.length < 2) {
      out.push(entry);
      continue;
    }
    const [first, ...others] = sortChronology(records);
    if (first !== e) continue; // folded into its event's first record
    const concerns = [...new Set(records.flatMap((r) => r.concerns))] as ConcernTag[];
    out.push({
      ...entry,
      concerns,
      childSeen: strongest(records.map((r) => r.childSeen)),
      childrenPresent: strongest(records.map((r) => r.childrenPresent)),
      extra: {
        ...entry.extra,
        same_event_sources: others.map((r) => r.sourceRef ?? `row:${r.row}`).join(';'),
      },
    });
  }
  return out;
}
