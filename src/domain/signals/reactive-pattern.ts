import { formatDate } from '../calendar/format.ts';
import type { SignalConfig } from './config.ts';
import { listInWords } from './explain.ts';
import { coveredBefore } from './protection.ts';
import { mergeWindows, signal, type ChildTimeline } from './rule.ts';
import { couldFallWithin, isReferralToCsc, maxDaysBetween, windowEnd, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

const FOLLOW_UPS = new Set([
  'assessment_started',
  'assessment_completed',
  'strategy_discussion',
  'section_47_enquiry',
]);

export function isProtectiveResponse(e: DatedEntry): boolean {
  return FOLLOW_UPS.has(e.entry.eventType) || isReferralToCsc(e.entry);
}

/**
 * N or more police incidents within D days, none followed within F days by a referral to
 * children's social care, an assessment, a strategy discussion or a section 47 enquiry, nor about
 * risks only that the open episode's protection process has recorded.
 */
export function reactivePattern(t: ChildTimeline, config: SignalConfig['reactive-pattern']): Signal[] {
  const incidents = t.entries.filter((e) => e.entry.eventType === 'police_incident');
  const responses = t.entries.filter(isProtectiveResponse);
  // Not yet judgeable (the follow-up days run past the chronology) counts as followed up, and so
  // does an incident about a risk the open episode's protection process has already recorded: the
  // plan is the response (docs/signals.md, "The protection process").
  let covered: ReturnType<typeof coveredBefore> | null = null;
  const followedUp = (i: DatedEntry) => {
    const end = windowEnd(i, config.followUpWithinDays);
    if (end > t.asOf || responses.some((r) => couldFallWithin(r, i.first, end))) return true;
    const { concerns } = i.entry;
    if (concerns.length === 0) return false;
    covered ??= coveredBefore(t.entries, t.periods);
    const assessed = covered[i.index];
    return Boolean(assessed?.size) && concerns.every((c) => assessed?.has(c));
  };

  const signals: Signal[] = [];
  // A followed-up incident breaks the pattern: look at runs of incidents nobody followed up.
  let run: DatedEntry[] = [];
  const flush = () => {
    const windows: [number, number][] = [];
    for (let k = 0; k < run.length; k += 1) {
      let m = k;
      while (
        m + 1 < run.length &&
        maxDaysBetween(run[k] as DatedEntry, run[m + 1] as DatedEntry) <= config.withinDays
      ) {
        m += 1;
      }
      if (m - k + 1 >= config.incidents) windows.push([k, m]);
    }
    for (const [start, end] of mergeWindows(windows))
      signals.push(describe(t, config, run.slice(start, end + 1)));
    run = [];
  };
  for (const incident of incidents) {
    if (followedUp(incident)) flush();
    else run.push(incident);
  }
  flush();
  return signals;
}

function describe(t: ChildTimeline, config: SignalConfig['reactive-pattern'], pattern: DatedEntry[]): Signal {
  const first = pattern[0] as DatedEntry;
  const last = pattern[pattern.length - 1] as DatedEntry;
  const days = maxDaysBetween(first, last);
  return signal(
    t,
    'reactive-pattern',
    pattern.length >= config.incidents + 2 ? 'high' : 'medium',
    first.entry.date,
    last.entry.date,
    pattern,
    `${pattern.length} police incidents in ${days} days (${listInWords(pattern.map((e) => formatDate(e.entry.date)))}), ` +
      `none followed within ${config.followUpWithinDays} days by a referral to children's social care, ` +
      `an assessment, a strategy discussion or a section 47 enquiry.`,
  );
}
