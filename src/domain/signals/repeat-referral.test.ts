import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const repeats = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'repeat-referral');

describe('repeat-referral', () => {
  it('fires on a second referral to children’s social care within 12 months, citing both', () => {
    const c = chronology(
      entry('2020-01-10', 'referral', { ref: 'SCH-1', agency: 'school', summary: 'Referral to MASH' }),
      entry('2020-11-02', 'referral', { ref: 'CSC-9' }),
    );
    expect(repeats(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'repeat-referral',
        severity: 'medium',
        from: '2020-01-10',
        to: '2020-11-02',
        evidence: ['SCH-1', 'CSC-9'],
        explanation: expect.stringContaining("2 referrals to children's social care within 12 months"),
      },
    ]);
  });

  it('pairs each referral with the one before it and is high from the third in 12 months', () => {
    const c = chronology(
      entry('2020-01-10', 'referral', { ref: 'A' }),
      entry('2020-05-10', 'referral', { ref: 'B' }),
      entry('2020-09-10', 'referral', { ref: 'C' }),
    );
    expect(repeats(c).map((s) => [s.evidence, s.severity])).toEqual([
      [['A', 'B'], 'medium'],
      [['B', 'C'], 'high'],
    ]);
  });

  it('counts exactly 12 months as within, a day more as not', () => {
    const within = chronology(entry('2020-01-10', 'referral'), entry('2021-01-10', 'referral'));
    expect(repeats(within)).toHaveLength(1);
    const after = chronology(entry('2020-01-10', 'referral'), entry('2021-01-11', 'referral'));
    expect(repeats(after)).toEqual([]);
  });

  it('treats the referrer’s record and children’s social care’s record of one referral as one', () => {
    const c = chronology(
      entry('2020-01-10', 'referral', {
        ref: 'POL-1',
        agency: 'police',
        summary: 'Referral to children’s social care',
      }),
      entry('2020-01-13', 'referral', { ref: 'CSC-1', summary: 'Referral received from police' }),
    );
    expect(repeats(c)).toEqual([]);
  });

  it('ignores referrals to other services', () => {
    const c = chronology(
      entry('2020-01-10', 'referral', {
        agency: 'health-visiting',
        summary: 'Referral to community paediatrics',
      }),
      entry('2020-03-10', 'referral', { agency: 'gp', summary: 'Referral to CAMHS, "urgent"' }),
    );
    expect(repeats(c)).toEqual([]);
  });

  it('never makes a repeat from a month-only date that could be the same referral or over 12 months apart', () => {
    const same = chronology(entry('2020-01', 'referral'), entry('2020-01-20', 'referral'));
    expect(repeats(same)).toEqual([]);
    const maybeOver = chronology(entry('2020-01-15', 'referral'), entry('2021-01', 'referral'));
    expect(repeats(maybeOver)).toEqual([]);
    const surely = chronology(
      entry('2020-01', 'referral', { ref: 'A' }),
      entry('2020-09-15', 'referral', { ref: 'B' }),
    );
    expect(repeats(surely)).toMatchObject([{ from: '2020-01', to: '2020-09-15', evidence: ['A', 'B'] }]);
  });

  it('reads the months and the same-referral days from the config', () => {
    const c = chronology(
      entry('2020-01-10', 'referral'),
      entry('2020-01-20', 'referral'),
      entry('2020-09-10', 'referral'),
    );
    expect(repeats(c)).toHaveLength(2);
    expect(repeats(c, parseSignalConfig({ 'repeat-referral': { sameReferralWithinDays: 14 } }))).toHaveLength(
      1,
    );
    expect(repeats(c, parseSignalConfig({ 'repeat-referral': { withinMonths: 6 } }))).toHaveLength(1);
    expect(repeats([])).toEqual([]);
  });
});
