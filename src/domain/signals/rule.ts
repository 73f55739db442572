import { entryCitation } from '../chronology/entry.ts';
import type { IsoDate } from '../calendar/iso-date.ts';
import type { ConcernPeriod } from './concern-open.ts';
import type { DatedEntry } from './timeline.ts';
import type { RuleId, Severity, Signal } from './types.ts';

/** What every rule reads: one child's sorted timeline and its concern periods. */
export interface ChildTimeline {
  readonly child: string | null;
  readonly entries: readonly DatedEntry[];
  readonly periods: readonly ConcernPeriod[];
  /** Whether a concern is open just after each entry. */
  readonly openAfter: readonly boolean[];
  /**
   * The day the chronology is known to be complete to. A rule that waits N days for a follow-up
   * judges an entry only once those days have passed by this date.
   */
  readonly asOf: IsoDate;
}

export function signal(
  timeline: ChildTimeline,
  rule: RuleId,
  severity: Severity,
  from: string,
  to: string,
  evidence: readonly DatedEntry[],
  explanation: string,
): Signal {
  return {
    child: timeline.child,
    rule,
    severity,
    from,
    to,
    evidence: [...new Set(evidence.map((e) => entryCitation(e.entry)))],
    explanation,
  };
}

/** Groups of items where each group is a run of overlapping windows [start, end] (by index). */
export function mergeWindows(windows: readonly (readonly [number, number])[]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of windows) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
