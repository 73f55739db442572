import type { ConcernTag } from '../chronology/entry.ts';
import { concernLabel, eventPhrase } from '../chronology/words.ts';
import { formatDate } from '../calendar/format.ts';
import type { DatedEntry } from './timeline.ts';

export { concernLabel, eventPhrase };

/** "drugs", "drugs and domestic abuse", "drugs, neglect and domestic abuse". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "a police incident (Northshire Police, 2 March 2019)" — "March 2019" for a month-only date; the
 * agency as the file names it where the partnership does not know its code.
 */
export function describeEntry(e: DatedEntry): string {
  return `${eventPhrase(e.entry.eventType)} (${agencyWords(e.entry)}, ${formatDate(e.entry.date)})`;
}

export function agencyWords(entry: { agency: string; agencyName?: string }): string {
  return entry.agencyName ?? entry.agency;
}

/** " with drugs and domestic abuse recorded", or nothing. */
export function concernsClause(e: DatedEntry, only?: readonly ConcernTag[]): string {
  const tags = only ? e.entry.concerns.filter((t) => only.includes(t)) : e.entry.concerns;
  return tags.length ? ` with ${listInWords(tags.map(concernLabel))} recorded` : '';
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
