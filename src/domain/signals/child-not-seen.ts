import type { SignalConfig } from './config.ts';
import { capitalise, describeEntry } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { minDaysBetween, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

const MUST_SEE = new Set(['home_visit', 'assessment_started', 'assessment_completed', 'section_47_enquiry']);

/**
 * A home visit, assessment or section 47 enquiry that did not see the child (`no` or
 * `not_recorded`; an empty field is not read as either), or more than N days of open concern in
 * which no entry records the child seen.
 */
export function childNotSeen(t: ChildTimeline, config: SignalConfig['child-not-seen']): Signal[] {
  return [...unseenVisits(t), ...unseenPeriods(t, config.daysUnseen)];
}

function unseenVisits(t: ChildTimeline): Signal[] {
  return t.entries
    .filter(
      (e) =>
        MUST_SEE.has(e.entry.eventType) &&
        (e.entry.childSeen === 'no' || e.entry.childSeen === 'not_recorded'),
    )
    .map((e) =>
      signal(
        t,
        'child-not-seen',
        e.entry.eventType === 'section_47_enquiry' ? 'high' : 'medium',
        e.entry.date,
        e.entry.date,
        [e],
        `${capitalise(describeEntry(e))} ${
          e.entry.childSeen === 'no' ? 'did not see the child' : 'does not record whether the child was seen'
        }.`,
      ),
    );
}

function unseenPeriods(t: ChildTimeline, limit: number): Signal[] {
  const signals: Signal[] = [];
  const last = t.entries[t.entries.length - 1];
  for (const period of t.periods) {
    const end = period.closed ?? last;
    if (!end) continue;
    // The period is bounded by its opening, each time the child was seen, and its end.
    const bounds: DatedEntry[] = [period.opened];
    for (let i = period.opened.index + 1; i < end.index; i += 1) {
      const e = t.entries[i] as DatedEntry;
      if (e.entry.childSeen === 'yes') bounds.push(e);
    }
    if (end !== period.opened) bounds.push(end);
    for (let k = 1; k < bounds.length; k += 1) {
      const from = bounds[k - 1] as DatedEntry;
      const to = bounds[k] as DatedEntry;
      const days = minDaysBetween(from, to);
      if (days <= limit) continue;
      const atLeast = from.exact && to.exact ? '' : 'at least ';
      signals.push(
        signal(
          t,
          'child-not-seen',
          days >= 2 * limit ? 'high' : 'medium',
          from.entry.date,
          to.entry.date,
          [from, to],
          `No agency recorded seeing the child for ${atLeast}${days} days while a concern was open, ` +
            `from ${describeEntry(from)} to ${describeEntry(to)}. The threshold is ${limit} days.`,
        ),
      );
    }
  }
  return signals;
}
