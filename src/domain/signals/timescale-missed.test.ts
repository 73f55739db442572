import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const missed = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'timescale-missed');
const referral = (date: string, ref = 'R') => entry(date, 'referral', { ref, concerns: ['neglect'] });
const decision = (date: string, ref = 'D', outcome = 'Proceed to child and family assessment') =>
  entry(date, 'referral_decision', { ref, outcome });

describe('timescale-missed: referral decision (1 working day)', () => {
  it('fires on a decision 2 working days after the referral, citing both', () => {
    const c = chronology(referral('2025-03-03'), decision('2025-03-05'));
    expect(missed(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'timescale-missed',
        severity: 'medium',
        from: '2025-03-03',
        to: '2025-03-05',
        evidence: ['R', 'D'],
        explanation:
          'From the referral to its decision took 2 working days (3 March 2025 to 5 March 2025); the timescale is 1 working day.',
      },
    ]);
  });

  it('counts working days: Thursday 24 December 2025 to Monday 29 December is 1 (Christmas and Boxing Day)', () => {
    expect(missed(chronology(referral('2025-12-24'), decision('2025-12-29')))).toEqual([]);
    expect(missed(chronology(referral('2025-12-24'), decision('2025-12-30')))).toHaveLength(1);
  });

  it('takes a weekend referral as decided in time on Monday, and a same-day decision as in time', () => {
    expect(missed(chronology(referral('2025-03-01'), decision('2025-03-03')))).toEqual([]);
    expect(missed(chronology(decision('2025-03-03'), referral('2025-03-03')))).toEqual([]);
  });

  it('is high beyond twice the timescale', () => {
    expect(missed(chronology(referral('2025-03-03'), decision('2025-03-06')))[0]?.severity).toBe('high');
  });

  it('never fires on a month-only date', () => {
    expect(missed(chronology(referral('2025-03'), decision('2025-03-28')))).toEqual([]);
    expect(missed(chronology(referral('2025-02-03'), decision('2025-03')))).toEqual([]);
  });

  it('measures from the latest referral to children’s social care, not a referral to another service', () => {
    const c = chronology(
      entry('2025-03-03', 'referral', { ref: 'POL', agency: 'police', summary: 'Referral to MASH' }),
      entry('2025-03-04', 'referral', { ref: 'CSC', summary: 'Referral received from police' }),
      entry('2025-03-05', 'referral', { agency: 'gp', summary: 'Referral to physiotherapy' }),
      decision('2025-03-05'),
    );
    expect(missed(c)).toEqual([]);
  });
});

describe('timescale-missed: assessment (45 working days)', () => {
  it('fires on an assessment completed 46 working days after the referral', () => {
    const c = chronology(
      referral('2025-01-06'),
      decision('2025-01-06'),
      entry('2025-01-08', 'assessment_started', { ref: 'AS' }),
      entry('2025-03-11', 'assessment_completed', { ref: 'AC' }),
    );
    expect(missed(c)).toMatchObject([
      { from: '2025-01-06', to: '2025-03-11', evidence: ['R', 'AC'], severity: 'medium' },
    ]);
    expect(missed(c)[0]?.explanation).toContain(
      'From the referral to the completed assessment took 46 working days',
    );
  });

  it('does not fire at 45 working days, and counts bank holidays (Easter 2025)', () => {
    const c = chronology(
      referral('2025-03-03'),
      decision('2025-03-03'),
      entry('2025-05-08', 'assessment_completed'),
    );
    // 3 March to 8 May 2025: 48 weekdays less Good Friday, Easter Monday and the May bank holiday.
    expect(missed(c)).toEqual([]);
  });

  it('times an assessment with no referral from its start', () => {
    const c = chronology(
      entry('2025-01-06', 'assessment_started', { ref: 'AS' }),
      entry('2025-03-11', 'assessment_completed', { ref: 'AC' }),
    );
    expect(missed(c)).toMatchObject([{ evidence: ['AS', 'AC'] }]);
    expect(missed(c)[0]?.explanation).toContain('From the start of the assessment to its completion');
  });

  it('does not time an assessment from a referral that ended in no further action', () => {
    const c = chronology(
      referral('2024-06-03'),
      decision('2024-06-03', 'D', 'NFA'),
      entry('2025-01-06', 'assessment_started', { ref: 'AS' }),
      entry('2025-02-03', 'assessment_completed', { ref: 'AC' }),
    );
    expect(missed(c)).toEqual([]);
  });
});

describe('timescale-missed: child protection conferences', () => {
  it('fires on an initial conference 16 working days after the strategy discussion', () => {
    const c = chronology(
      entry('2025-06-02', 'strategy_discussion', { ref: 'SD1' }),
      entry('2025-06-03', 'strategy_discussion', { ref: 'SD2' }),
      entry('2025-06-25', 'initial_cp_conference', { ref: 'ICPC' }),
    );
    expect(missed(c)).toMatchObject([{ evidence: ['SD2', 'ICPC'] }]);
    const inTime = chronology(
      entry('2025-06-03', 'strategy_discussion'),
      entry('2025-06-24', 'initial_cp_conference'),
    );
    expect(missed(inTime)).toEqual([]);
  });

  it('fires on a first review more than 3 months after the initial conference, then 6 months between reviews', () => {
    const c = chronology(
      entry('2025-01-31', 'initial_cp_conference', { ref: 'I' }),
      entry('2025-04-30', 'review_cp_conference', { ref: 'R1' }),
      entry('2025-10-30', 'review_cp_conference', { ref: 'R2' }),
      entry('2026-05-01', 'review_cp_conference', { ref: 'R3' }),
    );
    expect(missed(c).map((s) => s.evidence)).toEqual([['R2', 'R3']]);
    const late = chronology(
      entry('2025-01-31', 'initial_cp_conference', { ref: 'I' }),
      entry('2025-05-01', 'review_cp_conference', { ref: 'R1' }),
    );
    expect(missed(late)).toMatchObject([{ evidence: ['I', 'R1'], severity: 'medium' }]);
    expect(missed(late)[0]?.explanation).toContain(
      'more than 3 months after the initial conference on 31 January 2025',
    );
  });

  it('expects no review after the plan ended', () => {
    const c = chronology(
      entry('2025-01-31', 'initial_cp_conference'),
      entry('2025-03-01', 'cp_plan_end'),
      entry('2025-09-01', 'review_cp_conference'),
    );
    expect(missed(c)).toEqual([]);
  });

  it('reads each timescale from the config', () => {
    const c = chronology(referral('2025-03-03'), decision('2025-03-05'));
    expect(missed(c, parseSignalConfig({ 'timescale-missed': { referralDecisionWorkingDays: 2 } }))).toEqual(
      [],
    );
    expect(missed([])).toEqual([]);
  });
});

describe('timescale-missed: month-only ends', () => {
  it('does not leave a referral decided "some time that month" waiting for a later decision', () => {
    const c = chronology(
      referral('2024-03-14', 'R1'),
      decision('2024-03', 'D1', 'NFA'),
      // A decision whose referral was not recorded must not be timed from March's.
      decision('2025-06-03', 'D2'),
    );
    expect(missed(c)).toEqual([]);
  });

  it('does not time an assessment started in the month a month-only completion was recorded', () => {
    const c = chronology(
      referral('2024-03-01', 'R1'),
      entry('2024-03-04', 'assessment_started', { ref: 'AS1' }),
      entry('2024-05', 'assessment_completed', { ref: 'AC1' }),
      entry('2024-05-20', 'assessment_started', { ref: 'AS2' }),
      entry('2025-06-02', 'assessment_completed', { ref: 'AC2' }),
    );
    // AS2 may be the start of the assessment completed in May: only the later pair is doubtful.
    expect(missed(c).map((s) => s.evidence)).toEqual([]);
  });
});
