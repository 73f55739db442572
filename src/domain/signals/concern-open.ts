import type { EventType } from '../chronology/entry.ts';
import { isNoFurtherAction, isReferralToCsc, type DatedEntry } from './timeline.ts';

/**
 * "Concern open" (docs/product.md): from the first referral or concern-tagged entry until the case
 * is closed, a referral ends in no further action, or a plan ends with no new concern.
 */
export interface ConcernPeriod {
  readonly opened: DatedEntry;
  /** The closing entry; null while the concern is still open at the end of the chronology. */
  readonly closed: DatedEntry | null;
}

type Plan = 'cp' | 'cin' | 'early_help';
const PLAN_STARTS: Partial<Record<EventType, Plan>> = {
  cp_plan_start: 'cp',
  cin_plan_start: 'cin',
  early_help_start: 'early_help',
};
const PLAN_ENDS: Partial<Record<EventType, Plan>> = {
  cp_plan_end: 'cp',
  cin_plan_end: 'cin',
  early_help_end: 'early_help',
};

export function opensConcern(e: DatedEntry): boolean {
  return e.entry.concerns.length > 0 || isReferralToCsc(e.entry);
}

function planStartsSameDay(timeline: readonly DatedEntry[], e: DatedEntry): boolean {
  // Same-day ends sort before starts, so looking forward is enough.
  for (let i = e.index + 1; i < timeline.length && timeline[i]?.first === e.first; i += 1) {
    const next = timeline[i];
    if (next && PLAN_STARTS[next.entry.eventType]) return true;
  }
  return false;
}

/** The concern periods of one child's timeline, in order. */
export function concernPeriods(timeline: readonly DatedEntry[]): ConcernPeriod[] {
  const periods: ConcernPeriod[] = [];
  const plans = new Set<Plan>();
  let opened: DatedEntry | null = null;
  // A case closed or decided NFA "some time in March" may well come after a referral of
  // 14 March, though it sorts before it: such a referral opens no concern (no signal on a guess).
  let closedInMonth: string | null = null;
  for (const e of timeline) {
    const { eventType, concerns } = e.entry;
    const started = PLAN_STARTS[eventType];
    const ended = PLAN_ENDS[eventType];
    if (started) plans.add(started);
    if (ended) plans.delete(ended);
    const closer = eventType === 'case_closed' || isNoFurtherAction(e.entry);
    if (!e.exact && closer) closedInMonth = e.entry.date;
    else if (closedInMonth && !e.entry.date.startsWith(closedInMonth)) closedInMonth = null;
    if (!opened && opensConcern(e) && !(closedInMonth && !closer)) opened = e;
    if (!opened) continue;

    let closes = false;
    if (eventType === 'case_closed') {
      closes = true;
      plans.clear();
    } else if (isNoFurtherAction(e.entry)) {
      // A new referral decided NFA while a plan runs does not end the plan's concern.
      closes = plans.size === 0;
    } else if (ended && concerns.length === 0) {
      // A step-down (CP plan ends, CIN plan starts the same day) keeps the concern open.
      closes = plans.size === 0 && !planStartsSameDay(timeline, e);
    }
    if (closes) {
      periods.push({ opened, closed: e });
      opened = null;
    }
  }
  if (opened) periods.push({ opened, closed: null });
  return periods;
}

/** For each timeline position, whether a concern is open just after that entry. */
export function openAfterEach(timeline: readonly DatedEntry[], periods: readonly ConcernPeriod[]): boolean[] {
  const open = timeline.map(() => false);
  for (const p of periods) {
    const end = p.closed ? p.closed.index : timeline.length;
    for (let i = p.opened.index; i < end; i += 1) open[i] = true;
  }
  return open;
}
