import { describe, expect, it } from 'vitest';
import { detectSignals, parseSignalConfig } from './index.ts';
import { chronology, entry } from './testing.ts';

const churn = (...args: Parameters<typeof detectSignals>) =>
  detectSignals(...args).filter((s) => s.rule === 'worker-churn');
const allocate = (date: string, worker: string, ref: string, agency = 'csc') =>
  entry(date, 'allocation', { worker, ref, agency });

describe('worker-churn', () => {
  it('fires on 3 changes of allocated worker within 12 months, citing the allocations', () => {
    const c = chronology(
      allocate('2020-01-06', 'SW-0001', 'A1'),
      allocate('2020-03-02', 'SW-0002', 'A2'),
      allocate('2020-06-01', 'SW-0003', 'A3'),
      allocate('2020-12-01', 'SW-0004', 'A4'),
    );
    expect(churn(c)).toEqual([
      {
        child: 'C-000001',
        rule: 'worker-churn',
        severity: 'medium',
        from: '2020-01-06',
        to: '2020-12-01',
        evidence: ['A1', 'A2', 'A3', 'A4'],
        explanation:
          'The allocated worker (csc) changed 3 times in 274 days: SW-0001 → SW-0002 → SW-0003 → SW-0004. ' +
          'The threshold is 3 changes within 12 months.',
      },
    ]);
  });

  it('does not fire on 2 changes, on re-allocation to the same worker, or when the changes span over 12 months', () => {
    const c = chronology(
      allocate('2020-01-06', 'SW-0001', 'A1'),
      allocate('2020-03-02', 'SW-0002', 'A2'),
      allocate('2020-04-02', 'SW-0002', 'A2b'),
      allocate('2020-06-01', 'SW-0003', 'A3'),
      allocate('2021-03-03', 'SW-0004', 'A4'),
    );
    expect(churn(c)).toEqual([]);
  });

  it('counts changes per agency, so a health visitor does not count as a change of social worker', () => {
    const c = chronology(
      allocate('2020-01-06', 'SW-0001', 'A1'),
      allocate('2020-02-06', 'HV-0001', 'H1', 'health-visiting'),
      allocate('2020-03-02', 'SW-0002', 'A2'),
      allocate('2020-04-06', 'HV-0002', 'H2', 'health-visiting'),
      allocate('2020-06-01', 'SW-0003', 'A3'),
    );
    expect(churn(c)).toEqual([]);
  });

  it('returns to an earlier worker as a change and joins long runs into one high signal', () => {
    const workers = ['SW-0001', 'SW-0002', 'SW-0001', 'SW-0003', 'SW-0004', 'SW-0005'];
    const c = chronology(...workers.map((w, i) => allocate(`2020-0${i + 1}-10`, w, `A${i}`)));
    expect(churn(c).map((s) => [s.evidence.length, s.severity])).toEqual([[6, 'high']]);
  });

  it('ignores allocations with no worker and judges month-only dates on their widest span', () => {
    const c = chronology(
      allocate('2020-01-06', 'SW-0001', 'A1'),
      entry('2020-02-01', 'allocation', { worker: null }),
      allocate('2020-03-02', 'SW-0002', 'A2'),
      allocate('2020-06-01', 'SW-0003', 'A3'),
      allocate('2021-03', 'SW-0004', 'A4'),
    );
    // 2 March 2020 to some day in March 2021 may be more than 12 months.
    expect(churn(c)).toEqual([]);
  });

  it('reads its thresholds from the config', () => {
    const c = chronology(
      allocate('2020-01-06', 'SW-0001', 'A1'),
      allocate('2020-03-02', 'SW-0002', 'A2'),
      allocate('2020-06-01', 'SW-0003', 'A3'),
    );
    expect(churn(c)).toEqual([]);
    expect(churn(c, parseSignalConfig({ 'worker-churn': { changes: 2 } }))).toHaveLength(1);
    expect(churn(c, parseSignalConfig({ 'worker-churn': { changes: 2, withinMonths: 2 } }))).toEqual([]);
    expect(churn([])).toEqual([]);
  });
});
