import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const unseen = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'child-not-seen');

describe('child-not-seen: visits', () => {
  it.each([
    ['home_visit', 'no', 'medium', 'did not see the child'],
    ['assessment_completed', 'not_recorded', 'medium', 'does not record whether the child was seen'],
    ['section_47_enquiry', 'no', 'high', 'did not see the child'],
  ] as const)('fires on a %s with child_seen %s', (type, seen, severity, words) => {
    const c = chronology(entry('2020-02-03', type, { ref: 'V1', childSeen: seen }));
    expect(unseen(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'child-not-seen',
        severity,
        from: '2020-02-03',
        to: '2020-02-03',
        evidence: ['V1'],
        explanation: expect.stringContaining(words),
      },
    ]);
  });

  it('does not fire on a visit that saw the child, left the field empty, or is not a visit', () => {
    const c = chronology(
      entry('2020-02-03', 'home_visit', { childSeen: 'yes' }),
      entry('2020-02-04', 'home_visit'),
      entry('2020-02-05', 'office_visit', { childSeen: 'no' }),
      entry('2020-02-06', 'contact', { childSeen: 'not_recorded' }),
    );
    expect(unseen(c)).toEqual([]);
  });
});

describe('child-not-seen: periods of open concern', () => {
  it('fires on more than 90 days of open concern with no entry recording the child seen', () => {
    const c = chronology(
      entry('2020-01-06', 'referral', { ref: 'R', concerns: ['neglect'] }),
      entry('2020-01-10', 'home_visit', { ref: 'V1', childSeen: 'yes' }),
      entry('2020-02-20', 'office_visit', { childSeen: 'no' }),
      entry('2020-03-30', 'contact'),
      entry('2020-05-10', 'multi_agency_meeting'),
      entry('2020-06-01', 'home_visit', { ref: 'V2', childSeen: 'yes' }),
    );
    expect(unseen(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'child-not-seen',
        severity: 'medium',
        from: '2020-01-10',
        to: '2020-06-01',
        evidence: ['V1', 'V2'],
        explanation: expect.stringContaining('for 143 days while a concern was open'),
      },
    ]);
  });

  it('runs from the concern opening to the first sighting, and from the last sighting to closure', () => {
    const c = chronology(
      entry('2020-01-06', 'referral', { ref: 'R', concerns: ['neglect'] }),
      entry('2020-02-01', 'contact'),
      entry('2020-04-20', 'home_visit', { ref: 'V', childSeen: 'yes' }),
      entry('2020-06-01', 'contact'),
      entry('2020-08-01', 'case_closed', { ref: 'END' }),
    );
    expect(unseen(c).map((s) => s.evidence)).toEqual([
      ['R', 'V'],
      ['V', 'END'],
    ]);
  });

  it('runs to the last entry while the concern is still open', () => {
    const c = chronology(
      entry('2020-01-06', 'referral', { ref: 'R', concerns: ['neglect'], childSeen: 'yes' }),
      entry('2020-03-01', 'contact'),
      entry('2020-05-01', 'contact', { ref: 'LAST' }),
    );
    expect(unseen(c).map((s) => s.evidence)).toEqual([['R', 'LAST']]);
  });

  it('does not fire outside open concern or at exactly 90 days', () => {
    const c = chronology(
      entry('2019-01-01', 'health_appointment', { agency: 'gp' }),
      entry('2019-09-01', 'health_appointment', { agency: 'gp' }),
      entry('2020-01-01', 'referral', { concerns: ['neglect'], childSeen: 'yes' }),
      entry('2020-03-31', 'home_visit', { childSeen: 'yes' }),
      entry('2020-04-01', 'case_closed'),
    );
    expect(unseen(c)).toEqual([]);
  });

  it('uses the fewest days a month-only sighting allows', () => {
    const c = chronology(
      entry('2020-01-06', 'referral', { concerns: ['neglect'], childSeen: 'yes' }),
      entry('2020-04', 'health_appointment', { agency: 'gp', childSeen: 'yes' }),
      entry('2020-07-20', 'home_visit', { childSeen: 'yes' }),
    );
    // 6 January to any day in April is at most 115 days; April to 20 July at least 80.
    expect(unseen(c)).toEqual([]);
  });

  it('reads the days from the config', () => {
    const c = chronology(
      entry('2020-01-06', 'referral', { concerns: ['neglect'], childSeen: 'yes' }),
      entry('2020-03-20', 'home_visit', { childSeen: 'yes' }),
    );
    expect(unseen(c)).toEqual([]);
    expect(unseen(c, parseSignalConfig({ 'child-not-seen': { daysUnseen: 60 } }))).toHaveLength(1);
    expect(unseen([])).toEqual([]);
  });
});
