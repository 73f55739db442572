import { addMonths } from '../calendar/iso-date.ts';
import type { SignalConfig } from './config.ts';
import { agencyWords } from './explain.ts';
import { mergeWindows, signal, type ChildTimeline } from './rule.ts';
import { maxDaysBetween, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

interface Change {
  readonly from: DatedEntry;
  readonly to: DatedEntry;
}

/**
 * N or more changes of allocated worker within M months, counted per agency (a health visitor's
 * allocation is not a change of social worker). A change is an allocation to a different worker
 * than the agency's previous allocation; the first allocation is not a change.
 */
export function workerChurn(t: ChildTimeline, config: SignalConfig['worker-churn']): Signal[] {
  const byAgency = new Map<string, DatedEntry[]>();
  for (const e of t.entries) {
    if (e.entry.eventType !== 'allocation' || !e.entry.worker?.trim()) continue;
    const agency = e.entry.agency.trim().toLowerCase();
    const list = byAgency.get(agency);
    if (list) list.push(e);
    else byAgency.set(agency, [e]);
  }
  const signals: Signal[] = [];
  for (const allocations of byAgency.values()) {
    const changes: Change[] = [];
    for (let k = 1; k < allocations.length; k += 1) {
      const from = allocations[k - 1] as DatedEntry;
      const to = allocations[k] as DatedEntry;
      if (worker(from) !== worker(to)) changes.push({ from, to });
    }
    const windows: [number, number][] = [];
    for (let k = 0; k < changes.length; k += 1) {
      const start = (changes[k] as Change).to;
      let m = k;
      // Judged on the widest span month-only dates allow.
      while (
        m + 1 < changes.length &&
        (changes[m + 1] as Change).to.last <= addMonths(start.first, config.withinMonths)
      ) {
        m += 1;
      }
      if (m - k + 1 >= config.changes) windows.push([k, m]);
    }
    for (const [start, end] of mergeWindows(windows)) {
      signals.push(describe(t, config, changes.slice(start, end + 1)));
    }
  }
  return signals;
}

function worker(e: DatedEntry): string {
  return (e.entry.worker ?? '').trim().toLowerCase();
}

function describe(t: ChildTimeline, config: SignalConfig['worker-churn'], changes: Change[]): Signal {
  const first = changes[0] as Change;
  const last = changes[changes.length - 1] as Change;
  const allocations = [first.from, ...changes.map((c) => c.to)];
  const days = maxDaysBetween(first.to, last.to);
  return signal(
    t,
    'worker-churn',
    changes.length >= config.changes + 2 ? 'high' : 'medium',
    first.from.entry.date,
    last.to.entry.date,
    allocations,
    `The allocated worker (${agencyWords(first.to.entry)}) changed ${changes.length} times in ${days} days: ` +
      `${allocations.map((a) => a.entry.worker?.trim()).join(' → ')}. ` +
      `The threshold is ${config.changes} changes within ${config.withinMonths} months.`,
  );
}
