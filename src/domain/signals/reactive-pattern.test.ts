import { describe, expect, it } from 'vitest';
import type { ChronologyEntry } from '../chronology/entry.ts';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const patterns = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'reactive-pattern');
const incident = (date: string, ref: string) =>
  entry(date, 'police_incident', { ref, childrenPresent: 'yes' });
// Something later in the chronology, so the 14 days after the last incident have passed.
const later = entry('2021-06-01', 'health_appointment', { agency: 'gp' });

describe('reactive-pattern', () => {
  it('fires on 3 police incidents within 180 days none of which was followed up, citing them', () => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-07-01', 'P3'),
      later,
    );
    expect(patterns(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'reactive-pattern',
        severity: 'medium',
        from: '2020-01-05',
        to: '2020-07-01',
        evidence: ['P1', 'P2', 'P3'],
        explanation: expect.stringContaining('3 police incidents in 178 days'),
      },
    ]);
  });

  it('does not fire when the incidents span more than 180 days', () => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-07-04', 'P3'),
      later,
    );
    expect(patterns(c)).toEqual([]);
  });

  it.each<[string, ChronologyEntry]>([
    [
      'a referral to children’s social care',
      entry('2020-03-15', 'referral', { agency: 'police', summary: 'Referral to MASH' }),
    ],
    ['a strategy discussion', entry('2020-03-01', 'strategy_discussion')],
    ['an assessment', entry('2020-03-10', 'assessment_started')],
  ])('does not fire when one incident was followed within 14 days by %s', (_what, response) => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-05-01', 'P3'),
      response,
      later,
    );
    expect(patterns(c)).toEqual([]);
  });

  it('still fires when the response came 15 days later, or was a referral to another service', () => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-05-01', 'P3'),
      entry('2020-03-16', 'referral', { ref: 'R', agency: 'police', summary: 'Referral to MASH' }),
      entry('2020-05-02', 'referral', { agency: 'police', summary: 'Referral to drug and alcohol service' }),
      later,
    );
    expect(patterns(c).map((s) => s.evidence)).toEqual([['P1', 'P2', 'P3']]);
  });

  it('joins overlapping windows into one pattern and is high from 5 incidents', () => {
    const dates = ['2020-01-05', '2020-02-20', '2020-04-10', '2020-06-01', '2020-08-01', '2020-10-01'];
    const c = chronology(...dates.map((d, i) => incident(d, `P${i + 1}`)), later);
    expect(patterns(c).map((s) => [s.evidence.length, s.severity])).toEqual([[6, 'high']]);
  });

  it('does not judge an incident whose 14 days run past the end of the chronology', () => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-05-01', 'P3'),
    );
    expect(patterns(c)).toEqual([]);
    expect(patterns(c, undefined, { asOf: '2020-05-15' })).toHaveLength(1);
  });

  it('counts a month-only follow-up that could have been in time as a follow-up', () => {
    const c = chronology(
      incident('2020-01-05', 'P1'),
      incident('2020-03-01', 'P2'),
      incident('2020-05-01', 'P3'),
      entry('2020-05', 'strategy_discussion'),
      later,
    );
    expect(patterns(c)).toEqual([]);
  });

  it('reads its thresholds from the config', () => {
    const c = chronology(incident('2020-01-05', 'P1'), incident('2020-03-01', 'P2'), later);
    expect(patterns(c)).toEqual([]);
    expect(patterns(c, parseSignalConfig({ 'reactive-pattern': { incidents: 2 } }))).toHaveLength(1);
    expect(patterns([])).toEqual([]);
  });

  it('does not count incidents about the risk a child protection plan was made for, but does a new one', () => {
    const da = (date: string, ref: string, concerns: ChronologyEntry['concerns'] = ['domestic_abuse']) =>
      entry(date, 'police_incident', { ref, childrenPresent: 'yes', concerns });
    const plan = [
      entry('2020-01-02', 'strategy_discussion', { ref: 'S1', concerns: ['domestic_abuse'] }),
      entry('2020-01-20', 'cp_plan_start', { ref: 'CP1', concerns: ['domestic_abuse'] }),
    ];
    const quiet = chronology(
      ...plan,
      da('2020-02-01', 'P1'),
      da('2020-03-01', 'P2'),
      da('2020-04-01', 'P3'),
      later,
    );
    expect(patterns(quiet)).toEqual([]);
    const drugs = chronology(
      ...plan,
      da('2020-02-01', 'P1', ['drugs']),
      da('2020-03-01', 'P2', ['drugs']),
      da('2020-04-01', 'P3', ['domestic_abuse', 'drugs']),
      later,
    );
    expect(patterns(drugs).map((s) => s.evidence)).toEqual([['P1', 'P2', 'P3']]);
  });
});
