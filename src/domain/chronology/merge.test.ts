import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChronologyEntry } from './entry.ts';
import { ageAt, duplicateKey, longGaps, mergeChronology, sortChronology } from './merge.ts';

let nextRow = 2;
function entry(overrides: Partial<ChronologyEntry> = {}): ChronologyEntry {
  return {
    child: null,
    date: '2019-03-02',
    time: null,
    agency: 'police',
    eventType: 'contact',
    summary: 'Something happened.',
    childrenPresent: null,
    childSeen: null,
    childVoice: null,
    concerns: [],
    worker: null,
    practitionerRole: null,
    actionTaken: null,
    outcome: null,
    significance: null,
    sourceRef: null,
    extra: {},
    row: nextRow++,
    ...overrides,
  };
}

describe('mergeChronology: order', () => {
  it('puts entries in date and time order, a month-only entry before the dated entries of its month', () => {
    const merged = mergeChronology([
      entry({ sourceRef: 'd', date: '2019-04-01' }),
      entry({ sourceRef: 'c', date: '2019-03-02', time: '14:00' }),
      entry({ sourceRef: 'b', date: '2019-03-02', time: '09:30' }),
      entry({ sourceRef: 'a', date: '2019-03' }),
      entry({ sourceRef: 'z', date: '2019-02-28' }),
    ]);
    expect(merged.map((e) => e.sourceRef)).toEqual(['z', 'a', 'b', 'c', 'd']);
  });

  it('keeps the input order for entries that tie', () => {
    const merged = mergeChronology([
      entry({ sourceRef: 'csc', agency: 'csc' }),
      entry({ sourceRef: 'police', agency: 'police' }),
      entry({ sourceRef: 'gp', agency: 'gp' }),
    ]);
    expect(merged.map((e) => e.sourceRef)).toEqual(['csc', 'police', 'gp']);
  });

  it('sorts any input into non-decreasing sort keys, keeping every entry', () => {
    const dates = fc.oneof(
      fc
        .date({ min: new Date('2015-01-01'), max: new Date('2024-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc
        .date({ min: new Date('2015-01-01'), max: new Date('2024-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 7)),
    );
    fc.assert(
      fc.property(fc.array(dates, { maxLength: 40 }), (ds) => {
        const input = ds.map((date, i) => entry({ date, row: i }));
        const sorted = sortChronology(input);
        expect(sorted).toHaveLength(input.length);
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          const ka = a.date.length === 7 ? `${a.date}-00` : a.date;
          const kb = b.date.length === 7 ? `${b.date}-00` : b.date;
          expect(ka <= kb).toBe(true);
          if (ka === kb) expect(a.row).toBeLessThan(b.row);
        }
      }),
    );
  });
});

describe('ageAt', () => {
  const dob = '2019-01-15';
  it.each([
    ['2019-01-10', 'unborn'],
    ['2019-01-15', 'day of birth'],
    ['2019-01-16', '1 day'],
    ['2019-02-14', '30 days'],
    ['2019-02-15', '1 month'],
    ['2019-07-15', '6 months'],
    ['2020-01-14', '11 months'],
    ['2020-01-15', '1 year'],
    ['2020-07-15', '1 year 6 months'],
    ['2021-02-20', '2 years 1 month'],
    ['2019-07', 'about 5 months'],
    ['2020-01', 'about 11 months'],
    ['2019-01', 'month of birth'],
    ['2018-12', 'unborn'],
  ])('on %s a child born on 2019-01-15 is %j', (date, age) => {
    expect(ageAt(date, dob)).toBe(age);
  });

  it('counts whole months to the end of a shorter month', () => {
    expect(ageAt('2019-02-28', '2019-01-31')).toBe('1 month');
    expect(ageAt('2021-02-28', '2020-02-29')).toBe('1 year');
  });

  it('is given on each merged entry, and null without a date of birth', () => {
    const entries = [entry({ date: '2019-07-15' })];
    expect(mergeChronology(entries, { dateOfBirth: dob })[0]!.age).toBe('6 months');
    expect(mergeChronology(entries)[0]!.age).toBeNull();
  });
});

describe('mergeChronology: days since the previous professional contact', () => {
  it('counts from the last contact by any agency, null for the first', () => {
    const merged = mergeChronology([
      entry({ date: '2019-03-02', agency: 'police', eventType: 'police_incident' }),
      entry({ date: '2019-03-10', agency: 'csc', eventType: 'referral' }),
      entry({ date: '2019-04-01', agency: 'health-visiting', eventType: 'home_visit' }),
    ]);
    expect(merged.map((e) => e.daysSincePreviousContact)).toEqual([null, 8, 22]);
    expect(merged.map((e) => e.daysApproximate)).toEqual([false, false, false]);
  });

  it('does not count a missed appointment, an allocation, a closure or information sharing as contact', () => {
    const merged = mergeChronology([
      entry({ date: '2019-03-01', eventType: 'home_visit' }),
      entry({ date: '2019-03-05', eventType: 'missed_appointment' }),
      entry({ date: '2019-03-06', eventType: 'allocation' }),
      entry({ date: '2019-03-07', eventType: 'information_shared' }),
      entry({ date: '2019-03-08', eventType: 'case_closed' }),
      entry({ date: '2019-03-11', eventType: 'contact' }),
    ]);
    expect(merged.map((e) => e.daysSincePreviousContact)).toEqual([null, 4, 5, 6, 7, 10]);
  });

  it('gives the 196 days of the interfaces.md example', () => {
    const merged = mergeChronology([
      entry({ date: '2019-09-14', agency: 'csc', eventType: 'referral', sourceRef: 'CSC-2231' }),
      entry({ date: '2019-03-02', agency: 'police', eventType: 'police_incident', sourceRef: 'POL-118' }),
    ]);
    expect(merged.map((e) => [e.sourceRef, e.daysSincePreviousContact])).toEqual([
      ['POL-118', null],
      ['CSC-2231', 196],
    ]);
  });

  it('measures month-only entries from the first of the month and says the count is approximate', () => {
    const merged = mergeChronology([
      entry({ date: '2019-03' }),
      entry({ date: '2019-03-20' }),
      entry({ date: '2019-04-01' }),
    ]);
    expect(merged.map((e) => [e.daysSincePreviousContact, e.daysApproximate])).toEqual([
      [null, false],
      [19, true],
      [12, false],
    ]);
  });

  it('measures each child against its own contacts', () => {
    const merged = mergeChronology([
      entry({ child: 'C-000001', date: '2019-03-01' }),
      entry({ child: 'C-000002', date: '2019-03-05' }),
      entry({ child: 'C-000001', date: '2019-03-11' }),
    ]);
    expect(merged.map((e) => e.daysSincePreviousContact)).toEqual([null, null, 10]);
  });
});

describe('mergeChronology: possible duplicates', () => {
  it('groups entries on the same day with the same event type from two agencies under one key', () => {
    const merged = mergeChronology(
      [
        entry({
          date: '2019-09-16',
          agency: 'police',
          eventType: 'strategy_discussion',
          sourceRef: 'POL-240',
        }),
        entry({ date: '2019-09-16', agency: 'csc', eventType: 'strategy_discussion', sourceRef: 'CSC-2240' }),
        entry({ date: '2019-09-16', agency: 'csc', eventType: 'home_visit', sourceRef: 'CSC-2241' }),
        entry({ date: '2019-09-17', agency: 'gp', eventType: 'strategy_discussion', sourceRef: 'GP-1' }),
      ],
      { duplicateWithinDays: 0 },
    );
    expect(merged.map((e) => [e.sourceRef, e.possibleDuplicateOf])).toEqual([
      ['POL-240', '2019-09-16/strategy_discussion'],
      ['CSC-2240', '2019-09-16/strategy_discussion'],
      ['CSC-2241', null],
      ['GP-1', null],
    ]);
  });

  it('flags the same referral logged by two agencies a day apart, and not two days apart by default', () => {
    const merged = mergeChronology([
      entry({ date: '2019-03-01', agency: 'school', eventType: 'referral', sourceRef: 'SCH-1' }),
      entry({ date: '2019-03-02', agency: 'csc', eventType: 'referral', sourceRef: 'CSC-1' }),
      entry({ date: '2019-06-01', agency: 'school', eventType: 'referral', sourceRef: 'SCH-2' }),
      entry({ date: '2019-06-03', agency: 'csc', eventType: 'referral', sourceRef: 'CSC-2' }),
    ]);
    expect(merged.map((e) => [e.sourceRef, e.possibleDuplicateOf])).toEqual([
      ['SCH-1', '2019-03-01/referral'],
      ['CSC-1', '2019-03-01/referral'],
      ['SCH-2', null],
      ['CSC-2', null],
    ]);
    const wider = mergeChronology(merged, { duplicateWithinDays: 2 });
    expect(wider.map((e) => e.possibleDuplicateOf)).toEqual([
      '2019-03-01/referral',
      '2019-03-01/referral',
      '2019-06-01/referral',
      '2019-06-01/referral',
    ]);
  });

  it("gives an event's later linked records the interval of its first", () => {
    const linked = new Map([
      ['SCH-1', 'event-1'],
      ['CSC-1', 'event-1'],
    ]);
    const merged = mergeChronology(
      [
        entry({ date: '2019-01-01', agency: 'gp', eventType: 'health_appointment', sourceRef: 'GP-1' }),
        entry({ date: '2019-03-01', agency: 'school', eventType: 'referral', sourceRef: 'SCH-1' }),
        entry({ date: '2019-03-02', agency: 'csc', eventType: 'referral', sourceRef: 'CSC-1' }),
        entry({ date: '2019-03-05', agency: 'csc', eventType: 'home_visit', sourceRef: 'CSC-2' }),
      ],
      { sameEventOf: (e) => linked.get(e.sourceRef ?? '') ?? null },
    );
    expect(merged.map((e) => e.daysSincePreviousContact)).toEqual([null, 59, 59, 3]);
  });

  it('does not flag one agency recording two events of a type on a day', () => {
    const merged = mergeChronology([
      entry({ date: '2019-09-16', agency: 'police', eventType: 'police_incident' }),
      entry({ date: '2019-09-16', agency: 'police', eventType: 'police_incident' }),
    ]);
    expect(merged.map((e) => e.possibleDuplicateOf)).toEqual([null, null]);
  });

  it('never flags month-only entries, which have no day', () => {
    const merged = mergeChronology([
      entry({ date: '2019-09', agency: 'police', eventType: 'contact' }),
      entry({ date: '2019-09', agency: 'csc', eventType: 'contact' }),
    ]);
    expect(merged.map((e) => e.possibleDuplicateOf)).toEqual([null, null]);
  });

  it('keeps children apart and names the child in the key', () => {
    expect(duplicateKey({ child: 'C-000002', date: '2019-09-16', eventType: 'court' })).toBe(
      'C-000002/2019-09-16/court',
    );
    const merged = mergeChronology([
      entry({ child: 'C-000001', agency: 'police', eventType: 'court' }),
      entry({ child: 'C-000002', agency: 'csc', eventType: 'court' }),
    ]);
    expect(merged.map((e) => e.possibleDuplicateOf)).toEqual([null, null]);
  });
});

describe('longGaps', () => {
  it('finds periods of at least minDays with no entry, in date order', () => {
    const entries = [
      entry({ date: '2019-09-14' }),
      entry({ date: '2019-03-02' }),
      entry({ date: '2019-03-05' }),
      entry({ date: '2019-12-13' }),
    ];
    expect(longGaps(entries, 90)).toEqual([
      { from: '2019-03-05', to: '2019-09-14', days: 193 },
      { from: '2019-09-14', to: '2019-12-13', days: 90 },
    ]);
    expect(longGaps(entries, 91)).toEqual([{ from: '2019-03-05', to: '2019-09-14', days: 193 }]);
  });

  it('treats a month-only entry as covering its whole month', () => {
    expect(
      longGaps(
        [entry({ date: '2019-01-10' }), entry({ date: '2019-05' }), entry({ date: '2019-10-15' })],
        60,
      ),
    ).toEqual([
      { from: '2019-01-10', to: '2019-05-01', days: 111 },
      { from: '2019-05-31', to: '2019-10-15', days: 137 },
    ]);
  });

  it('has nothing to say about fewer than two entries, or days with entries', () => {
    expect(longGaps([], 1)).toEqual([]);
    expect(longGaps([entry({ date: '2019-01-10' })], 1)).toEqual([]);
    expect(longGaps([entry({ date: '2019-01-10' }), entry({ date: '2019-01-10' })], 0)).toEqual([]);
  });
});
