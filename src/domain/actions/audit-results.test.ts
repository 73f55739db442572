import { describe, expect, it } from 'vitest';
import { auditFinding, percentage, trend } from './audit-results.ts';

describe('audit results', () => {
  const rounds = [
    { roundDate: '2021-09-30', sampled: 50, compliant: 48 },
    { roundDate: '2021-06-30', sampled: 50, compliant: 31 },
  ];

  it('gives whole percentages and the trend by date, whatever order rounds arrive in', () => {
    expect(percentage(rounds[0]!)).toBe(96);
    expect(percentage(rounds[1]!)).toBe(62);
    expect(trend(rounds)).toBe('improving');
    expect(trend([...rounds].reverse())).toBe('improving');
    expect(trend([rounds[0]!, { roundDate: '2022-01-01', sampled: 20, compliant: 10 }])).toBe('worsening');
    expect(trend([rounds[0]!])).toBe('first round');
    expect(trend([])).toBe('no rounds');
  });

  it('states the latest finding in a briefing sentence', () => {
    expect(
      auditFinding(
        {
          sampleDescription: 'police crime reports',
          compliantMeans: 'recorded the children in the household',
        },
        rounds,
      ),
    ).toBe('An audit of police crime reports found 48 of 50 recorded the children in the household');
    expect(auditFinding({ sampleDescription: 'case files', compliantMeans: null }, rounds)).toBe(
      'An audit of case files found 48 of 50 were compliant (96%)',
    );
    expect(auditFinding({ sampleDescription: 'x', compliantMeans: null }, [])).toBeNull();
  });
});
