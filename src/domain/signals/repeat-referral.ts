import { addMonths } from '../calendar/iso-date.ts';
import type { SignalConfig } from './config.ts';
import { describeEntry, plural } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { isReferralToCsc, maxDaysBetween, minDaysBetween, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

/**
 * The referrals to children's social care, one per referral: the referrer's record and CSC's own
 * record of the same referral a day or two later are one referral, not a repeat.
 */
export function distinctReferrals(t: ChildTimeline, sameWithinDays: number): DatedEntry[][] {
  const groups: DatedEntry[][] = [];
  for (const e of t.entries) {
    if (!isReferralToCsc(e.entry)) continue;
    const group = groups[groups.length - 1];
    const first = group?.[0];
    // "Could be the same referral" keeps month-only dates from making a repeat out of one referral.
    if (group && first && minDaysBetween(first, e) <= sameWithinDays) group.push(e);
    else groups.push([e]);
  }
  return groups;
}

/** A referral to children's social care within N months of an earlier one (the DfE re-referral). */
export function repeatReferral(t: ChildTimeline, config: SignalConfig['repeat-referral']): Signal[] {
  const referrals = distinctReferrals(t, config.sameReferralWithinDays).map((g) => g[0] as DatedEntry);
  const within = (earlier: DatedEntry, later: DatedEntry) =>
    later.last <= addMonths(earlier.first, config.withinMonths);
  const signals: Signal[] = [];
  for (let k = 1; k < referrals.length; k += 1) {
    const earlier = referrals[k - 1] as DatedEntry;
    const later = referrals[k] as DatedEntry;
    // Judged on the widest the gap can be, so a month-only date never makes a repeat.
    if (!within(earlier, later)) continue;
    let count = 2;
    for (let j = k - 2; j >= 0 && within(referrals[j] as DatedEntry, later); j -= 1) count += 1;
    const gap =
      earlier.exact && later.exact
        ? `${maxDaysBetween(earlier, later)} days later`
        : `up to ${maxDaysBetween(earlier, later)} days later`;
    signals.push(
      signal(
        t,
        'repeat-referral',
        count >= 3 ? 'high' : 'medium',
        earlier.entry.date,
        later.entry.date,
        [earlier, later],
        `${plural(count, 'referral')} to children's social care within ${config.withinMonths} months: ` +
          `${describeEntry(earlier)}, then ${describeEntry(later)} ${gap}.`,
      ),
    );
  }
  return signals;
}
