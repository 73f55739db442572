import type { ConcernTag } from '../chronology/entry.ts';
import type { SignalConfig } from './config.ts';
import { capitalise, concernLabel, describeEntry, listInWords } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { couldFallWithin, minDaysBetween, windowEnd, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

const DEVELOPMENT_FOLLOW_UPS = new Set(['developmental_check', 'health_appointment']);

function followsUp(e: DatedEntry, tag: ConcernTag): boolean {
  return (
    e.entry.concerns.includes(tag) ||
    (tag === 'developmental_delay' && DEVELOPMENT_FOLLOW_UPS.has(e.entry.eventType))
  );
}

/**
 * A watched concern (default: developmental delay, neglect, mental health) raised and then left:
 * no later entry within N days carries the same concern (or, for developmental delay, is a
 * developmental check or health appointment). "Raised" means not already recorded in the N days
 * before — a concern mentioned at every visit is being followed, and only its first mention counts.
 * A referral that carries the concern is itself the follow-up.
 */
export function concernNotFollowedUp(
  t: ChildTimeline,
  config: SignalConfig['concern-not-followed-up'],
): Signal[] {
  const days = config.followUpWithinDays;
  const signals: Signal[] = [];
  for (const raised of t.entries) {
    if (raised.entry.eventType === 'referral' || raised.entry.concerns.length === 0) continue;
    if (!config.concerns.some((tag) => raised.entry.concerns.includes(tag))) continue;
    const end = windowEnd(raised, days);
    if (end > t.asOf) continue; // not yet known whether it will be followed up
    const dropped = config.concerns.filter(
      (tag) =>
        raised.entry.concerns.includes(tag) &&
        !alreadyRecorded(t, raised, tag, days) &&
        !followedUp(t, raised, tag, end),
    );
    if (dropped.length === 0) continue;
    const labels = listInWords(dropped.map(concernLabel));
    signals.push(
      signal(
        t,
        'concern-not-followed-up',
        'medium',
        raised.entry.date,
        end,
        [raised],
        `${capitalise(labels)} recorded at ${describeEntry(raised)}; no entry in the following ${days} days ` +
          `mentions it${dropped.includes('developmental_delay') ? ' or is a developmental check or health appointment' : ''}.`,
      ),
    );
  }
  return signals;
}

// Month-only entries sort at the start of their month, so scans reach back a month further.
const A_MONTH = 31;

function alreadyRecorded(t: ChildTimeline, raised: DatedEntry, tag: ConcernTag, days: number): boolean {
  const stop = raised.firstDay - (days + A_MONTH);
  for (let i = raised.index - 1; i >= 0; i -= 1) {
    const e = t.entries[i] as DatedEntry;
    if (e.firstDay < stop) return false;
    if (e.entry.concerns.includes(tag) && minDaysBetween(e, raised) <= days) return true;
  }
  return false;
}

function followedUp(t: ChildTimeline, raised: DatedEntry, tag: ConcernTag, end: string): boolean {
  // Same-day entries count whatever their row order; a month-only entry counts if it could be in time.
  const sameDayFrom = raised.firstDay - A_MONTH;
  for (let i = raised.index - 1; i >= 0 && (t.entries[i] as DatedEntry).firstDay >= sameDayFrom; i -= 1) {
    const e = t.entries[i] as DatedEntry;
    if (e.last >= raised.first && followsUp(e, tag)) return true;
  }
  for (let i = raised.index + 1; i < t.entries.length; i += 1) {
    const e = t.entries[i] as DatedEntry;
    if (e.first > end) break;
    if (couldFallWithin(e, raised.first, end) && followsUp(e, tag)) return true;
  }
  return false;
}
