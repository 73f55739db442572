import type { ChronologyEntry } from '../chronology/entry.ts';
import { concernPeriods, type ConcernPeriod } from './concern-open.ts';
import { isReferralToCsc, placeOnTimeline, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

/** What the front door lists show of one monitored child, from their chronology and signals. */
export interface ChildProfile {
  entries: number;
  firstDate: string | null;
  lastDate: string | null;
  /** A concern still open at the end of the chronology (docs/product.md "concern open"). */
  open: boolean;
  openSince: string | null;
  /** Dates of referrals to children's social care, in order, as recorded. */
  referrals: string[];
  high: number;
  medium: number;
  low: number;
  /** Rule ids that fired, each once, in the order of their first signal. */
  rules: string[];
}

export function childProfile(entries: readonly ChronologyEntry[], signals: readonly Signal[]): ChildProfile {
  const timeline = placeOnTimeline(entries);
  return profileOfTimeline(entries.length, timeline, concernPeriods(timeline), signals);
}

/** The profile from a timeline already placed (the population scan places each child once). */
export function profileOfTimeline(
  entries: number,
  timeline: readonly DatedEntry[],
  periods: readonly ConcernPeriod[],
  signals: readonly Signal[],
): ChildProfile {
  const last = periods[periods.length - 1];
  const openPeriod = last && last.closed === null ? last : null;
  const count = (severity: Signal['severity']) => signals.filter((s) => s.severity === severity).length;
  return {
    entries,
    firstDate: timeline[0]?.entry.date ?? null,
    lastDate: timeline[timeline.length - 1]?.entry.date ?? null,
    open: openPeriod !== null,
    openSince: openPeriod?.opened.entry.date ?? null,
    referrals: timeline.filter((e) => isReferralToCsc(e.entry)).map((e) => e.entry.date),
    high: count('high'),
    medium: count('medium'),
    low: count('low'),
    rules: [...new Set(signals.map((s) => s.rule))],
  };
}
