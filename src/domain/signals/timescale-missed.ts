import { formatDate } from '../calendar/format.ts';
import { addMonths } from '../calendar/iso-date.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import type { SignalConfig } from './config.ts';
import { plural } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { isNoFurtherAction, isReferralToCsc, type DatedEntry } from './timeline.ts';
import type { Signal } from './types.ts';

type Config = SignalConfig['timescale-missed'];

/**
 * Statutory timescales (docs/domain.md §3), each measured between two entries of the chronology:
 * referral → decision (working days), referral (or assessment start) → assessment completed
 * (working days), strategy discussion → initial conference (working days), initial conference →
 * first review and review → review (months). Never judged on a month-only date: a timescale of
 * days cannot be measured from a month.
 */
export function timescaleMissed(t: ChildTimeline, config: Config): Signal[] {
  const signals: Signal[] = [];
  let undecided: DatedEntry | null = null; // latest referral awaiting a decision
  let referral: DatedEntry | null = null; // latest referral not yet used by an assessment
  let assessmentClock: DatedEntry | null = null; // what the open assessment is timed from
  let strategy: DatedEntry | null = null; // latest strategy discussion since the last conference
  let conference: { entry: DatedEntry; initial: boolean } | null = null;
  // A month-only decision or completion sorts before the days of its month, so it may belong to
  // a referral or assessment later that month: those are not timed (they may be done already).
  let decidedIn: string | null = null;
  let completedIn: string | null = null;
  const inMonth = (e: DatedEntry, month: string | null) => month !== null && e.entry.date.startsWith(month);

  const workingDays = (start: DatedEntry, end: DatedEntry, limit: number, what: string) => {
    if (!start.exact || !end.exact) return;
    const taken = workingDaysBetween(start.first, end.first);
    if (taken <= limit) return;
    signals.push(
      signal(
        t,
        'timescale-missed',
        taken > 2 * limit ? 'high' : 'medium',
        start.entry.date,
        end.entry.date,
        [start, end],
        `${what} took ${plural(taken, 'working day')} (${formatDate(start.first)} to ${formatDate(end.first)}); ` +
          `the timescale is ${plural(limit, 'working day')}.`,
      ),
    );
  };
  const months = (start: DatedEntry, end: DatedEntry, limit: number, what: string, from: string) => {
    if (!start.exact || !end.exact || end.first <= addMonths(start.first, limit)) return;
    signals.push(
      signal(
        t,
        'timescale-missed',
        end.first > addMonths(start.first, 2 * limit) ? 'high' : 'medium',
        start.entry.date,
        end.entry.date,
        [start, end],
        `${what} was held on ${formatDate(end.first)}, more than ${plural(limit, 'month')} after the ` +
          `${from} on ${formatDate(start.first)} (due by ${formatDate(addMonths(start.first, limit))}).`,
      ),
    );
  };

  for (const e of t.entries) {
    switch (e.entry.eventType) {
      case 'referral':
        if (!isReferralToCsc(e.entry)) break;
        undecided = inMonth(e, decidedIn) ? null : e;
        referral = inMonth(e, completedIn) ? null : e;
        break;
      case 'referral_decision':
        if (undecided)
          workingDays(undecided, e, config.referralDecisionWorkingDays, 'From the referral to its decision');
        undecided = null;
        decidedIn = e.exact ? null : e.entry.date;
        if (isNoFurtherAction(e.entry)) referral = null;
        break;
      case 'assessment_started':
        if (!inMonth(e, completedIn)) assessmentClock ??= referral ?? e;
        referral = null;
        break;
      case 'assessment_completed': {
        const clock = assessmentClock ?? referral;
        const what =
          clock?.entry.eventType === 'referral'
            ? 'From the referral to the completed assessment'
            : 'From the start of the assessment to its completion';
        if (clock) workingDays(clock, e, config.assessmentWorkingDays, what);
        assessmentClock = referral = null;
        completedIn = e.exact ? null : e.entry.date;
        break;
      }
      case 'strategy_discussion':
        strategy = e;
        break;
      case 'initial_cp_conference':
        if (strategy) {
          const what = 'From the strategy discussion to the initial child protection conference';
          workingDays(strategy, e, config.initialConferenceWorkingDays, what);
        }
        strategy = null;
        conference = { entry: e, initial: true };
        break;
      case 'review_cp_conference':
        if (conference) {
          const [limit, what, from] = conference.initial
            ? [config.firstReviewMonths, 'The first review child protection conference', 'initial conference']
            : [config.laterReviewMonths, 'The review child protection conference', 'previous review'];
          months(conference.entry, e, limit, what, from);
        }
        conference = { entry: e, initial: false };
        break;
      case 'cp_plan_end':
        conference = null;
        break;
      case 'cp_plan_start':
      case 'cin_plan_start':
        referral = null; // an assessment started under a plan is timed from its own start
        break;
      case 'case_closed':
        undecided = referral = assessmentClock = strategy = null;
        conference = null;
        break;
      default:
        break;
    }
  }
  return signals;
}
