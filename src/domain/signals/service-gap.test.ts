import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const gaps = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'service-gap');

describe('service-gap', () => {
  it('fires on more than 90 days without contact while a concern is open, citing the entries either side', () => {
    const signals = gaps(
      chronology(
        entry('2019-03-02', 'police_incident', {
          ref: 'POL-118',
          concerns: ['drugs'],
          childrenPresent: 'no',
        }),
        entry('2019-03-20', 'home_visit', { ref: 'CSC-1', childSeen: 'yes' }),
        entry('2019-07-18', 'home_visit', { ref: 'CSC-2', childSeen: 'yes' }),
      ),
    );
    expect(signals).toEqual([
      {
        child: 'C-000001',
        rule: 'service-gap',
        severity: 'medium',
        from: '2019-03-20',
        to: '2019-07-18',
        evidence: ['CSC-1', 'CSC-2'],
        explanation: expect.stringContaining(
          'No agency contact for 120 days after a home visit (csc, 20 March 2019)',
        ),
      },
    ]);
  });

  it('is high at twice the threshold and says what was recorded before the gap', () => {
    const [signal] = gaps(
      chronology(
        entry('2019-03-02', 'police_incident', {
          ref: 'POL-118',
          concerns: ['drugs'],
          childrenPresent: 'no',
        }),
        entry('2019-09-14', 'home_visit', { ref: 'CSC-2231' }),
      ),
    );
    expect(signal?.severity).toBe('high');
    expect(signal?.explanation).toContain(
      '196 days after a police incident (police, 2 March 2019) with drugs recorded',
    );
  });

  it('does not fire at exactly 90 days', () => {
    const c = chronology(entry('2019-01-01', 'referral', { ref: 'R' }), entry('2019-04-01', 'home_visit'));
    expect(gaps(c)).toEqual([]);
  });

  it('does not fire before any concern was raised', () => {
    const c = chronology(
      entry('2018-01-01', 'health_appointment', { agency: 'gp' }),
      entry('2018-12-01', 'health_appointment', { agency: 'gp' }),
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
    );
    expect(gaps(c)).toEqual([]);
  });

  it('does not fire after the case closed', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
      entry('2019-02-01', 'case_closed'),
      entry('2019-12-01', 'health_appointment', { agency: 'gp' }),
    );
    expect(gaps(c)).toEqual([]);
  });

  it.each([
    ['outcome', { outcome: 'No further action, advice given' }],
    ['summary', { summary: 'Threshold not met. NFA.' }],
  ])('does not fire after a referral decision ending in no further action (%s)', (_where, text) => {
    const c = chronology(
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
      entry('2019-01-02', 'referral_decision', text),
      entry('2019-12-01', 'health_appointment', { agency: 'gp' }),
    );
    expect(gaps(c)).toEqual([]);
  });

  it('keeps the concern open when a referral decision proceeds', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
      entry('2019-01-02', 'referral_decision', { outcome: 'Proceed to child and family assessment' }),
      entry('2019-12-01', 'health_appointment', { agency: 'gp' }),
    );
    expect(gaps(c)).toHaveLength(1);
  });

  it('closes at the end of a plan with no new concern, but not at one that records a concern', () => {
    const closed = chronology(
      entry('2019-01-01', 'early_help_start', { concerns: ['school_attendance'], agency: 'school' }),
      entry('2019-03-01', 'early_help_end', { agency: 'school' }),
      entry('2019-12-01', 'contact', { agency: 'school' }),
    );
    expect(gaps(closed)).toEqual([]);
    const stillOpen = chronology(
      entry('2019-01-01', 'early_help_start', { concerns: ['school_attendance'], agency: 'school' }),
      entry('2019-03-01', 'early_help_end', { agency: 'school', concerns: ['school_attendance'] }),
      entry('2019-12-01', 'contact', { agency: 'school' }),
    );
    expect(gaps(stillOpen)).toHaveLength(1);
  });

  it('keeps the concern open through a step-down from a child protection plan to a child in need plan', () => {
    const c = chronology(
      entry('2019-03-15', 'cp_plan_start', { concerns: ['neglect'] }),
      entry('2019-06-01', 'cin_plan_start', { ref: 'CIN' }),
      entry('2019-06-01', 'cp_plan_end', { ref: 'CP-END' }),
      entry('2019-12-01', 'home_visit', { ref: 'HV' }),
    );
    expect(gaps(c).map((s) => s.evidence)).toEqual([['CIN', 'HV']]);
  });

  it('does not count a missed appointment as contact', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { ref: 'R', concerns: ['neglect'] }),
      entry('2019-02-15', 'missed_appointment', { agency: 'gp' }),
      entry('2019-05-01', 'home_visit', { ref: 'V' }),
    );
    expect(gaps(c).map((s) => s.evidence)).toEqual([['R', 'V']]);
  });

  it('measures a month-only date at the end of its month before the gap (fewest days it can be)', () => {
    const fires = chronology(
      entry('2020-01', 'referral', { ref: 'R', concerns: ['neglect'] }),
      entry('2020-05-01', 'home_visit', { ref: 'V' }),
    );
    const [signal] = gaps(fires);
    expect(signal).toMatchObject({ from: '2020-01', to: '2020-05-01', evidence: ['R', 'V'] });
    expect(signal?.explanation).toContain('at least 91 days');
    const tooVague = chronology(
      entry('2020-01', 'referral', { concerns: ['neglect'] }),
      entry('2020-04-25', 'home_visit'),
    );
    expect(gaps(tooVague)).toEqual([]);
  });

  it('cites row numbers where an entry has no source_ref', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
      entry('2019-06-01', 'home_visit'),
    );
    expect(gaps(c)[0]?.evidence).toEqual(['row:2', 'row:3']);
  });

  it('reads the threshold from the config', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { concerns: ['neglect'] }),
      entry('2019-05-01', 'home_visit'),
    );
    expect(gaps(c)).toHaveLength(1);
    expect(gaps(c, parseSignalConfig({ 'service-gap': { daysWithoutContact: 150 } }))).toEqual([]);
    expect(gaps(c, parseSignalConfig({ 'service-gap': { enabled: false } }))).toEqual([]);
  });

  it('gives the same answer whatever order the entries come in, and nothing for no entries', () => {
    const c = chronology(
      entry('2019-01-01', 'referral', { ref: 'R', concerns: ['neglect'] }),
      entry('2019-01-20', 'home_visit', { ref: 'A' }),
      entry('2019-06-01', 'home_visit', { ref: 'B' }),
      entry('2019-12-01', 'home_visit', { ref: 'C' }),
    );
    expect(detectSignals([...c].reverse())).toEqual(detectSignals(c));
    expect(gaps(c).map((s) => s.evidence)).toEqual([
      ['A', 'B'],
      ['B', 'C'],
    ]);
    expect(detectSignals([])).toEqual([]);
  });
});

describe('service-gap: month-only closure', () => {
  it('does not open a concern with a referral in the month a month-only NFA decision was recorded', () => {
    const c = chronology(
      entry('2024-03-14', 'referral', { concerns: ['neglect'] }),
      entry('2024-03', 'referral_decision', { outcome: 'NFA' }),
      entry('2024-12-01', 'health_appointment', { agency: 'gp' }),
    );
    expect(gaps(c)).toEqual([]);
  });
});
