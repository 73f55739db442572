import { describe, expect, it } from 'vitest';
import {
  importCancellable,
  importProgressWords,
  importState,
  importStatusWords,
  rowsEstimated,
  type ImportRunView,
} from './monitoring-import.ts';

const run = (over: Partial<ImportRunView>): ImportRunView => ({
  status: 'loading',
  phase: 'Reading rows',
  fileName: 'nightly.csv',
  bytesTotal: 1_000_000,
  bytesRead: 0,
  rowsRead: 0,
  children: 0,
  childrenScanned: 0,
  signals: 0,
  error: null,
  cancelRequestedAt: null,
  cancelledBy: null,
  ...over,
});

describe('a load of the monitoring dataset in words', () => {
  it('estimates the rows of the file from the bytes read so far, never fewer than read', () => {
    expect(rowsEstimated(run({ bytesRead: 250_000, rowsRead: 2_000 }))).toBe(8_000);
    expect(rowsEstimated(run({ bytesRead: 1_000_000, rowsRead: 9_000, bytesTotal: 900_000 }))).toBe(9_000);
    expect(rowsEstimated(run({}))).toBe(null);
    expect(rowsEstimated(run({ bytesTotal: null, bytesRead: 10, rowsRead: 1 }))).toBe(null);
  });

  it('says where each state is, with its figures', () => {
    expect(importProgressWords(run({ status: 'queued', phase: null }))).toBe(
      'Waiting to start: the load begins as soon as the service is free.',
    );
    expect(importProgressWords(run({}))).toBe('Importing: starting to read the file.');
    expect(importProgressWords(run({ bytesRead: 250_000, rowsRead: 2_000, children: 40 }))).toBe(
      'Importing: 2,000 of about 8,000 rows read, 40 children so far.',
    );
    expect(
      importProgressWords(
        run({ phase: 'Scanning children', children: 1_200, childrenScanned: 500, signals: 31 }),
      ),
    ).toBe('Scanning: 500 of 1,200 children scanned, 31 signals so far.');
    expect(
      importProgressWords(run({ status: 'current', rowsRead: 12, children: 3, signals: 7, phase: null })),
    ).toBe('Finished: loaded 12 rows for 3 children, 7 signals. This is the dataset the lists read.');
    expect(importStatusWords(run({ status: 'replaced' }))).toBe('Finished: replaced by a later load');
    expect(importProgressWords(run({ status: 'failed', error: 'x.csv: row 2, column "date": …' }))).toBe(
      'Failed: nothing was changed.',
    );
    expect(importProgressWords(run({ status: 'cancelled', cancelledBy: 'coordinator@demo.example' }))).toBe(
      'Cancelled by coordinator@demo.example: nothing was changed.',
    );
  });

  it('can be cancelled while it waits or runs, once', () => {
    expect(importCancellable(run({ status: 'queued' }))).toBe(true);
    expect(importCancellable(run({}))).toBe(true);
    const stopping = run({ cancelRequestedAt: new Date('2026-12-07T20:00:00Z'), cancelledBy: 'a@b.example' });
    expect(importState(stopping)).toBe('stopping');
    expect(importCancellable(stopping)).toBe(false);
    expect(importCancellable(run({ status: 'current' }))).toBe(false);
  });
});
