import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const dropped = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'concern-not-followed-up');
const hv = (date: string, spec: Parameters<typeof entry>[2] = {}) =>
  entry(date, 'home_visit', { agency: 'health-visiting', childSeen: 'yes', ...spec });
const later = entry('2021-06-01', 'contact', { agency: 'school' });

describe('concern-not-followed-up', () => {
  it('fires on developmental delay recorded and not followed up within 90 days, citing the entry', () => {
    const c = chronology(
      hv('2020-02-03', { ref: 'HV-1', concerns: ['developmental_delay'] }),
      hv('2020-04-01'),
      later,
    );
    expect(dropped(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'concern-not-followed-up',
        severity: 'medium',
        from: '2020-02-03',
        to: '2020-05-03',
        evidence: ['HV-1'],
        explanation:
          'Developmental delay recorded at a home visit (health-visiting, 3 February 2020); no entry in the following ' +
          '90 days mentions it or is a developmental check or health appointment.',
      },
    ]);
  });

  it.each([
    ['a later entry carrying the concern', hv('2020-04-20', { concerns: ['developmental_delay'] })],
    ['a developmental check', entry('2020-05-03', 'developmental_check', { agency: 'health-visiting' })],
    ['a health appointment', entry('2020-03-01', 'health_appointment', { agency: 'gp' })],
    [
      'a same-day referral about it',
      entry('2020-02-03', 'referral', { concerns: ['developmental_delay'], row: 1 }),
    ],
    ['a month-only check that could be in time', entry('2020-05', 'developmental_check', { agency: 'gp' })],
  ])('does not fire when followed up by %s', (_what, followUp) => {
    const c = chronology(followUp, hv('2020-02-03', { concerns: ['developmental_delay'] }), later);
    expect(dropped(c)).toEqual([]);
  });

  it('does not accept a missed appointment or a check after 90 days as follow-up', () => {
    const c = chronology(
      hv('2020-02-03', { ref: 'HV-1', concerns: ['developmental_delay'] }),
      entry('2020-03-01', 'missed_appointment', { agency: 'gp' }),
      entry('2020-05-04', 'developmental_check', { agency: 'health-visiting' }),
      later,
    );
    expect(dropped(c).map((s) => s.evidence)).toEqual([['HV-1']]);
  });

  it('follows neglect and mental health only by entries that carry them', () => {
    const c = chronology(
      hv('2020-02-03', { ref: 'N', concerns: ['neglect', 'mental_health'] }),
      entry('2020-03-01', 'health_appointment', { agency: 'gp', concerns: ['mental_health'] }),
      later,
    );
    const [signal] = dropped(c);
    expect(signal?.evidence).toEqual(['N']);
    expect(signal?.explanation).toMatch(/^Neglect recorded/);
  });

  it('counts only the raising of a concern, not each later mention of it', () => {
    const c = chronology(
      hv('2020-01-06', { ref: 'FIRST', concerns: ['neglect'] }),
      hv('2020-03-01', { ref: 'LAST-MENTION', concerns: ['neglect'] }),
      later,
    );
    expect(dropped(c)).toEqual([]);
    const again = chronology(
      hv('2019-01-06', { ref: 'OLD', concerns: ['neglect'] }),
      hv('2019-02-01', { concerns: ['neglect'] }),
      hv('2020-03-01', { ref: 'RAISED-AGAIN', concerns: ['neglect'] }),
      later,
    );
    expect(dropped(again).map((s) => s.evidence)).toEqual([['RAISED-AGAIN']]);
  });

  it('does not fire on a referral (the referral is the follow-up), or on unwatched concerns', () => {
    const c = chronology(
      entry('2020-02-03', 'referral', { concerns: ['neglect'] }),
      hv('2020-02-04', { concerns: ['housing'] }),
      later,
    );
    expect(dropped(c)).toEqual([]);
  });

  it('waits until the 90 days have passed in the chronology', () => {
    const c = chronology(hv('2020-02-03', { concerns: ['developmental_delay'] }), hv('2020-04-01'));
    expect(dropped(c)).toEqual([]);
    expect(dropped(c, undefined, { asOf: '2020-05-03' })).toHaveLength(1);
  });

  it('reads the days and the watched concerns from the config', () => {
    const c = chronology(
      hv('2020-02-03', { concerns: ['housing'] }),
      hv('2020-04-20', { concerns: [] }),
      later,
    );
    expect(dropped(c)).toEqual([]);
    const watchHousing = parseSignalConfig({ 'concern-not-followed-up': { concerns: ['housing'] } });
    expect(dropped(c, watchHousing)).toHaveLength(1);
    const d = chronology(
      hv('2020-02-03', { ref: 'N1', concerns: ['neglect'] }),
      hv('2020-04-20', { ref: 'N2', concerns: ['neglect'] }),
      later,
    );
    expect(dropped(d)).toEqual([]);
    // 77 days apart: with 60 days the first is not followed up, and the second raises it afresh.
    const sixtyDays = parseSignalConfig({ 'concern-not-followed-up': { followUpWithinDays: 60 } });
    expect(dropped(d, sixtyDays).map((s) => s.evidence)).toEqual([['N1'], ['N2']]);
    expect(dropped([])).toEqual([]);
  });
});
