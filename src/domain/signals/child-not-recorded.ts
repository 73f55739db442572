import type { ConcernTag } from '../chronology/entry.ts';
import type { SignalConfig } from './config.ts';
import { capitalise, concernsClause, describeEntry } from './explain.ts';
import { signal, type ChildTimeline } from './rule.ts';
import type { Signal } from './types.ts';

/**
 * A police incident that does not say whether children were present: `not_recorded`, or left empty
 * once any agency has recorded the child (seen, or present at an earlier incident) — before that,
 * for example before birth, an empty field is not a recording failure we can prove.
 */
export function childNotRecorded(
  t: ChildTimeline,
  _config: SignalConfig['child-not-recorded'],
  riskConcerns: readonly ConcernTag[],
): Signal[] {
  const signals: Signal[] = [];
  let childKnown = false;
  for (const e of t.entries) {
    const { eventType, childrenPresent, childSeen, concerns } = e.entry;
    if (eventType === 'police_incident') {
      const unrecorded =
        childrenPresent === 'not_recorded' || (childrenPresent === null && childKnown && childSeen !== 'yes');
      if (unrecorded) {
        const risky = concerns.some((c) => riskConcerns.includes(c));
        signals.push(
          signal(
            t,
            'child-not-recorded',
            risky ? 'high' : 'medium',
            e.entry.date,
            e.entry.date,
            [e],
            `${capitalise(describeEntry(e))}${concernsClause(e)} does not record whether children were present` +
              (childrenPresent === null
                ? ', although agencies already knew a child lived in the household.'
                : '.'),
          ),
        );
      }
    }
    if (e.entry.childSeen === 'yes' || e.entry.childrenPresent === 'yes') childKnown = true;
  }
  return signals;
}
