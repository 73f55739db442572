import type { SignalConfig } from './config.ts';
import { concernsClause, describeEntry } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { minDaysBetween, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

/**
 * No professional contact of any agency for more than N days while a concern is open. Every entry
 * is agency contact except a missed appointment (the family was not seen). A gap at the end of
 * the chronology is not reported: the end of a file is not evidence that nobody visited.
 */
export function serviceGap(t: ChildTimeline, config: SignalConfig['service-gap']): Signal[] {
  const limit = config.daysWithoutContact;
  // The gap is bounded by contacts, and by the entry that opened a concern even if not a contact.
  const bounds = t.entries.filter(
    (e, i) =>
      e.entry.eventType !== 'missed_appointment' || (t.openAfter[i] && !(i > 0 && t.openAfter[i - 1])),
  );
  const signals: Signal[] = [];
  for (let k = 1; k < bounds.length; k += 1) {
    const before = bounds[k - 1] as DatedEntry;
    const after = bounds[k] as DatedEntry;
    if (!t.openAfter[before.index]) continue;
    // Month-only dates: count the fewest days the gap can be.
    const days = minDaysBetween(before, after);
    if (days <= limit) continue;
    const atLeast = before.exact && after.exact ? '' : 'at least ';
    signals.push(
      signal(
        t,
        'service-gap',
        days >= 2 * limit ? 'high' : 'medium',
        before.entry.date,
        after.entry.date,
        [before, after],
        `No agency contact for ${atLeast}${days} days after ${describeEntry(before)}${concernsClause(before)}, ` +
          `while a concern was open, until ${describeEntry(after)}. The threshold is ${limit} days.`,
      ),
    );
  }
  return signals;
}
