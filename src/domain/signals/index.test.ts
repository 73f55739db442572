import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSignals, RULE_IDS } from './index.ts';
import { chronology, entry } from './testing.ts';

// One chronology that trips several rules, for ordering and order-independence.
const busy = chronology(
  entry('2019-03-02', 'police_incident', { ref: 'POL-118', concerns: ['drugs'], childrenPresent: 'yes' }),
  entry('2019-03-02', 'referral', { ref: 'POL-119', agency: 'police', summary: 'Referral to MASH' }),
  entry('2019-03-06', 'referral_decision', { ref: 'CSC-1', outcome: 'Proceed to assessment' }),
  entry('2019-03-06', 'allocation', { ref: 'CSC-2', worker: 'SW-0001' }),
  entry('2019-04-01', 'allocation', { ref: 'CSC-3', worker: 'SW-0002' }),
  entry('2019-05-01', 'allocation', { ref: 'CSC-4', worker: 'SW-0003' }),
  entry('2019-06-01', 'allocation', { ref: 'CSC-5', worker: 'SW-0004' }),
  entry('2019-09-14', 'home_visit', { ref: 'CSC-2231', childSeen: 'no' }),
  entry('2019-12-01', 'referral', {
    ref: 'SCH-1',
    agency: 'school',
    summary: "Referral to children's social care",
  }),
  entry('2020-04-01', 'police_incident', { ref: 'POL-200', childrenPresent: 'not_recorded' }),
);

describe('detectSignals', () => {
  it('orders signals by from date, then rule', () => {
    const signals = detectSignals(busy);
    const keys = signals.map((s) => `${s.from} ${RULE_IDS.indexOf(s.rule)}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(signals.map((s) => s.rule))).toEqual(
      new Set([
        'service-gap',
        'repeat-referral',
        'child-not-recorded',
        'child-not-seen',
        'worker-churn',
        'timescale-missed',
      ]),
    );
  });

  it('gives the same signals whatever order the entries come in', () => {
    const expected = detectSignals(busy);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(busy, { minLength: busy.length, maxLength: busy.length }),
        (shuffled) => {
          expect(detectSignals(shuffled)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps children apart, in order of first appearance', () => {
    const other = busy.map((e) => ({ ...e, child: 'C-000002', row: e.row + 100 }));
    const signals = detectSignals([...other, ...busy]);
    const mine = detectSignals(busy);
    expect(signals.length).toBe(2 * mine.length);
    expect(signals.slice(mine.length)).toEqual(mine);
    expect(new Set(signals.slice(0, mine.length).map((s) => s.child))).toEqual(new Set(['C-000002']));
  });

  it('prints Signal JSON in the documented shape', () => {
    const [first] = detectSignals(busy);
    expect(Object.keys(first ?? {})).toEqual([
      'child',
      'rule',
      'severity',
      'from',
      'to',
      'evidence',
      'explanation',
    ]);
  });

  it('leaves out entries whose date is not a date instead of failing', () => {
    expect(
      detectSignals([entry('2019-02-30', 'police_incident', { childrenPresent: 'not_recorded' })]),
    ).toEqual([]);
  });
});
