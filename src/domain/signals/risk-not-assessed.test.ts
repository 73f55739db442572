import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const unassessed = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'risk-not-assessed');
const incident = (date: string, spec: Parameters<typeof entry>[2] = {}) =>
  entry(date, 'police_incident', {
    ref: 'POL-1',
    childrenPresent: 'yes',
    concerns: ['domestic_abuse'],
    ...spec,
  });
const later = entry('2026-03-01', 'health_appointment', { agency: 'gp' });

describe('risk-not-assessed', () => {
  it('fires on domestic abuse with a child present and no response within 10 working days, citing the entry', () => {
    const c = chronology(incident('2025-03-03'), later);
    expect(unassessed(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'risk-not-assessed',
        severity: 'high',
        from: '2025-03-03',
        to: '2025-03-17',
        evidence: ['POL-1'],
        explanation:
          "Domestic abuse recorded at a police incident (police, 3 March 2025) with a child present; no referral to children's " +
          'social care, strategy discussion, section 47 enquiry or assessment followed within 10 working days ' +
          '(by 17 March 2025). None is recorded afterwards.',
      },
    ]);
  });

  it('is medium when a response came late but within twice the time', () => {
    const c = chronology(incident('2025-03-03'), entry('2025-03-24', 'strategy_discussion'), later);
    expect(unassessed(c)).toMatchObject([
      { severity: 'medium', explanation: expect.stringContaining('The first came 15 working days after') },
    ]);
  });

  it.each([
    [
      'a same-day referral to children’s social care',
      entry('2025-03-03', 'referral', { agency: 'police', summary: 'Referral to MASH', row: 1 }),
    ],
    ['a strategy discussion on the 10th working day', entry('2025-03-17', 'strategy_discussion')],
    ['a section 47 enquiry', entry('2025-03-10', 'section_47_enquiry')],
    ['an assessment', entry('2025-03-12', 'assessment_started')],
    ['a month-only assessment that could be in time', entry('2025-03', 'assessment_started')],
  ])('does not fire when followed by %s', (_what, response) => {
    expect(unassessed(chronology(incident('2025-03-03'), response, later))).toEqual([]);
  });

  it('counts working days across Christmas: 24 December 2025 has until 12 January 2026', () => {
    const c = chronology(incident('2025-12-24'), entry('2026-01-12', 'strategy_discussion'), later);
    expect(unassessed(c)).toEqual([]);
    const late = chronology(incident('2025-12-24'), entry('2026-01-13', 'strategy_discussion'), later);
    expect(unassessed(late)).toMatchObject([{ to: '2026-01-12' }]);
  });

  it('does not fire without a child present, on other concerns, on a month-only date, or on unknown presence', () => {
    const c = chronology(
      incident('2025-03-03', { childrenPresent: 'no' }),
      incident('2025-04-01', { concerns: ['alcohol', 'housing'] }),
      incident('2025-05', {}),
      incident('2025-06-02', { childrenPresent: 'not_recorded' }),
      incident('2025-07-01', { childrenPresent: null }),
      later,
    );
    expect(unassessed(c)).toEqual([]);
  });

  it('takes exploitation as about the child unless children_present says no', () => {
    const c = chronology(
      entry('2025-03-03', 'contact', { ref: 'SCH-1', agency: 'school', concerns: ['exploitation'] }),
      entry('2025-04-01', 'contact', { agency: 'school', concerns: ['exploitation'], childrenPresent: 'no' }),
      later,
    );
    expect(unassessed(c).map((s) => s.evidence)).toEqual([['SCH-1']]);
  });

  it('does not count a referral to another service as the response', () => {
    const c = chronology(
      incident('2025-03-03', { concerns: ['drugs'] }),
      entry('2025-03-04', 'referral', { agency: 'police', summary: 'Referral to drug and alcohol service' }),
      later,
    );
    expect(unassessed(c)).toHaveLength(1);
  });

  it('waits until the working days have passed', () => {
    const c = chronology(incident('2025-03-03'), entry('2025-03-10', 'home_visit'));
    expect(unassessed(c)).toEqual([]);
    expect(unassessed(c, undefined, { asOf: '2025-03-17' })).toHaveLength(1);
  });

  it('reads the working days and the concerns from the config', () => {
    const c = chronology(incident('2025-03-03'), entry('2025-03-24', 'strategy_discussion'), later);
    expect(
      unassessed(c, parseSignalConfig({ 'risk-not-assessed': { responseWithinWorkingDays: 15 } })),
    ).toEqual([]);
    expect(unassessed(c, parseSignalConfig({ 'risk-not-assessed': { concerns: ['drugs'] } }))).toEqual([]);
    expect(unassessed([])).toEqual([]);
  });

  describe('the protection process', () => {
    // A child on a plan for exploitation: the strategy discussion, enquiry and assessment happened.
    const exploitation = ['exploitation', 'missing'] as const;
    const onPlan = [
      entry('2025-03-03', 'referral', {
        ref: 'SCH-1',
        agency: 'school',
        summary: 'Referral to MASH',
        concerns: [...exploitation],
      }),
      entry('2025-03-04', 'strategy_discussion', { ref: 'CSC-1', concerns: [...exploitation] }),
      entry('2025-03-05', 'section_47_enquiry', {
        ref: 'CSC-2',
        childSeen: 'yes',
        concerns: [...exploitation],
      }),
      entry('2025-03-05', 'assessment_started', { ref: 'CSC-3', concerns: [...exploitation] }),
      entry('2025-03-20', 'initial_cp_conference', { ref: 'CSC-4', concerns: [...exploitation] }),
      entry('2025-03-20', 'cp_plan_start', { ref: 'CSC-5', concerns: [...exploitation] }),
      entry('2025-03-27', 'home_visit', {
        ref: 'CSC-6',
        childSeen: 'yes',
        childrenPresent: 'yes',
        concerns: [...exploitation],
      }),
      incident('2025-05-02', { ref: 'POL-9', concerns: ['exploitation'] }),
    ];
    const later2 = entry('2025-12-01', 'health_appointment', { agency: 'gp' });

    it('does not fire at the conference, the plan start, a visit seeing the child or an incident about the same risk', () => {
      expect(unassessed(chronology(...onPlan, later2))).toEqual([]);
    });

    it('fires on a risk the plan has not looked at, naming only that one', () => {
      const c = chronology(
        ...onPlan,
        incident('2025-06-02', { ref: 'POL-10', concerns: ['exploitation', 'drugs'] }),
        later2,
      );
      expect(unassessed(c)).toMatchObject([
        { evidence: ['POL-10'], explanation: expect.stringMatching(/^Drugs recorded at a police incident/) },
      ]);
    });

    it('judges the same risk afresh once the episode has closed', () => {
      const c = chronology(
        ...onPlan,
        entry('2025-08-01', 'cp_plan_end', { ref: 'CSC-7' }),
        incident('2025-09-01', { ref: 'POL-11', concerns: ['exploitation'] }),
        later2,
      );
      expect(unassessed(c).map((s) => s.evidence)).toEqual([['POL-11']]);
    });

    it('takes a step that records no concern as looking at those recorded before it in the episode', () => {
      const c = chronology(
        incident('2025-03-03', { ref: 'POL-1', concerns: ['domestic_abuse'] }),
        entry('2025-03-05', 'strategy_discussion', { ref: 'CSC-1' }),
        incident('2025-04-01', { ref: 'POL-2', concerns: ['domestic_abuse'] }),
        incident('2025-04-02', { ref: 'POL-3', concerns: ['drugs'] }),
        later2,
      );
      expect(unassessed(c).map((s) => s.evidence)).toEqual([['POL-3']]);
    });

    it('does not count a plan of early help as assessing a risk', () => {
      const c = chronology(
        entry('2025-03-03', 'early_help_start', { agency: 'early-help', concerns: ['domestic_abuse'] }),
        incident('2025-04-01', { ref: 'POL-2' }),
        later2,
      );
      expect(unassessed(c).map((s) => s.evidence)).toEqual([['POL-2']]);
    });
  });
});
