import { formatDate } from '../calendar/format.ts';
import { addWorkingDays, workingDaysBetween } from '../calendar/working-days.ts';
import type { SignalConfig } from './config.ts';
import { capitalise, concernLabel, describeEntry, listInWords } from './explain.ts';
import { isProtectiveResponse } from './reactive-pattern.ts';
import { coveredBefore, isProtectionStep } from './protection.ts';
import { signal, type ChildTimeline } from './rule.ts';
import { couldFallWithin } from './timeline.ts';
import type { Signal } from './types.ts';

/**
 * A serious risk (default: drugs, domestic abuse, organised crime, exploitation) recorded with a
 * child present, or about the child, and no referral to children's social care, strategy
 * discussion, section 47 enquiry or assessment within N working days. "With a child present" is
 * `children_present` = `yes`; exploitation is taken to be about the child unless `children_present`
 * says `no`. Never judged on a month-only date (a timescale of days cannot be measured from a month).
 *
 * The protection process is the response: a step of it (strategy discussion, section 47 enquiry,
 * assessment, conference, plan) is never itself reported, and a risk such a step has already looked
 * at in the open episode is being assessed, so recording it again (at a visit, a conference, a
 * police incident during the plan) is not a new risk. A different risk recorded during the episode
 * is new, and judged.
 */
export function riskNotAssessed(t: ChildTimeline, config: SignalConfig['risk-not-assessed']): Signal[] {
  const limit = config.responseWithinWorkingDays;
  const responses = t.entries.filter(isProtectiveResponse);
  const signals: Signal[] = [];
  let covered: ReturnType<typeof coveredBefore> | null = null;
  for (const e of t.entries) {
    const { childrenPresent, concerns } = e.entry;
    if (!e.exact || isProtectiveResponse(e) || isProtectionStep(e)) continue;
    let risks = concerns.filter((c) => config.concerns.includes(c));
    if (risks.length === 0) continue;
    covered ??= coveredBefore(t.entries, t.periods);
    const assessed = covered[e.index];
    if (assessed?.size) risks = risks.filter((c) => !assessed.has(c));
    const aboutChild =
      childrenPresent === 'yes' || (risks.includes('exploitation') && childrenPresent !== 'no');
    if (risks.length === 0 || !aboutChild) continue;
    const due = addWorkingDays(e.first, limit);
    if (due > t.asOf) continue; // the working days have not all passed yet
    if (responses.some((r) => r !== e && couldFallWithin(r, e.first, due))) continue;
    const late = responses.find((r) => r.first > due);
    const lateDays = late ? workingDaysBetween(e.first, late.first) : null;
    const tail =
      lateDays === null
        ? ' None is recorded afterwards.'
        : ` The first came ${lateDays} working days after (${formatDate(late?.entry.date)}).`;
    signals.push(
      signal(
        t,
        'risk-not-assessed',
        lateDays !== null && lateDays <= 2 * limit ? 'medium' : 'high',
        e.entry.date,
        due,
        [e],
        `${capitalise(listInWords(risks.map(concernLabel)))} recorded at ${describeEntry(e)}` +
          `${childrenPresent === 'yes' ? ' with a child present' : ''}; no referral to children's social care, ` +
          `strategy discussion, section 47 enquiry or assessment followed within ${limit} working days ` +
          `(by ${formatDate(due)}).${tail}`,
      ),
    );
  }
  return signals;
}
