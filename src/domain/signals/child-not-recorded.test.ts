import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const unrecorded = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'child-not-recorded');
const born = entry('2019-01-10', 'home_visit', {
  agency: 'health-visiting',
  childSeen: 'yes',
  summary: 'New birth visit',
});

describe('child-not-recorded', () => {
  it('fires on a police incident with children_present not_recorded, citing it', () => {
    const c = chronology(
      entry('2019-05-01', 'police_incident', { ref: 'POL-7', childrenPresent: 'not_recorded' }),
    );
    expect(unrecorded(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'child-not-recorded',
        severity: 'medium',
        from: '2019-05-01',
        to: '2019-05-01',
        evidence: ['POL-7'],
        explanation: 'A police incident (police, 1 May 2019) does not record whether children were present.',
      },
    ]);
  });

  it('is high when the incident records a serious risk such as domestic abuse', () => {
    const c = chronology(
      entry('2019-05-01', 'police_incident', {
        childrenPresent: 'not_recorded',
        concerns: ['domestic_abuse'],
      }),
    );
    expect(unrecorded(c)[0]).toMatchObject({
      severity: 'high',
      explanation: expect.stringContaining('with domestic abuse recorded'),
    });
  });

  it('fires on an empty field once agencies knew a child lived there, not before', () => {
    const c = chronology(
      entry('2018-11-01', 'police_incident', { ref: 'UNBORN' }),
      born,
      entry('2019-05-01', 'police_incident', { ref: 'AFTER' }),
    );
    expect(unrecorded(c).map((s) => s.evidence)).toEqual([['AFTER']]);
    expect(unrecorded(c)[0]?.explanation).toContain('already knew a child lived in the household');
  });

  it('learns of the child from an earlier incident that recorded children present', () => {
    const c = chronology(
      entry('2019-01-01', 'police_incident', { childrenPresent: 'yes' }),
      entry('2019-05-01', 'police_incident', { ref: 'EMPTY' }),
    );
    expect(unrecorded(c).map((s) => s.evidence)).toEqual([['EMPTY']]);
  });

  it('does not fire when children_present is yes or no, nor on other entries', () => {
    const c = chronology(
      born,
      entry('2019-05-01', 'police_incident', { childrenPresent: 'yes' }),
      entry('2019-06-01', 'police_incident', { childrenPresent: 'no' }),
      entry('2019-07-01', 'home_visit', { childrenPresent: 'not_recorded' }),
      entry('2019-08-01', 'police_incident', { childSeen: 'yes' }),
    );
    expect(unrecorded(c)).toEqual([]);
  });

  it('fires on a month-only incident (the field is missing whatever the day)', () => {
    const c = chronology(entry('2019-05', 'police_incident', { ref: 'P', childrenPresent: 'not_recorded' }));
    expect(unrecorded(c)).toMatchObject([{ from: '2019-05', to: '2019-05', evidence: ['P'] }]);
  });

  it('can be switched off', () => {
    const c = chronology(entry('2019-05-01', 'police_incident', { childrenPresent: 'not_recorded' }));
    expect(unrecorded(c, parseSignalConfig({ 'child-not-recorded': { enabled: false } }))).toEqual([]);
    expect(unrecorded([])).toEqual([]);
  });
});
