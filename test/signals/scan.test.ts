import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChronologyEntry } from '../../src/domain/chronology/entry.ts';
import { sortChronology } from '../../src/domain/chronology/merge.ts';
import { detectSignals, type Signal } from '../../src/domain/signals/index.ts';
import { readChronologyFile } from '../../src/files/chronology-reader.ts';
import { chronologyToCsv } from '../../src/files/chronology-writer.ts';
import { runScan } from '../../src/cli/commands/scan.ts';
import { scoreSignals, signalKey } from '../../src/synthetic/score.ts';
import type { ExpectedSignal } from '../../src/synthetic/story.ts';
import { writeSyntheticData } from '../../src/synthetic/write.ts';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/signals', name);

async function scan(
  file: string,
  options: { json?: boolean; config?: string; spillBucketBytes?: number; tty?: boolean } = {},
) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await runScan(file, { ...options, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const brief = (signals: Signal[]) => signals.map((s) => `${s.child} ${s.rule} ${s.evidence.join(',')}`);

describe('line-of-sight scan', () => {
  it('prints one line per signal under its child, then a count per rule, and exits 0', async () => {
    const { code, stdout, stderr } = await scan(fixture('two-children.csv'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('C-000101');
    expect(lines[1]).toMatch(
      /^ {2}2019-03-02 to 2019-09-14 {2}service-gap \(high\): No agency contact for 196 days .* Evidence: POL-118, CSC-2231\.$/,
    );
    expect(lines).toContain('C-000102');
    expect(stdout).toContain('7 practice signals for 2 of 2 children (10 chronology entries read).');
    expect(stdout).toMatch(/\n {2}service-gap +1\n {2}repeat-referral +1\n {2}reactive-pattern +0\n/);
  });

  it('prints a JSON array of signals with --json', async () => {
    const { code, stdout } = await scan(fixture('two-children.csv'), { json: true });
    expect(code).toBe(0);
    const signals = JSON.parse(stdout) as Signal[];
    expect(brief(signals)).toEqual([
      'C-000101 service-gap POL-118,CSC-2231',
      'C-000101 child-not-seen POL-118,CSC-2231',
      'C-000101 risk-not-assessed POL-118',
      'C-000101 concern-not-followed-up CSC-2231',
      'C-000101 child-not-recorded row:6',
      'C-000102 repeat-referral SCH-5,SCH-9',
      'C-000102 timescale-missed SCH-9,CSC-950',
    ]);
    // 24 December 2025 to 29 December is one working day (Christmas, Boxing Day, a weekend): no signal.
    expect(signals.some((s) => s.evidence.includes('CSC-900'))).toBe(false);
  });

  it('finds the same signals when the children’s rows are interleaved (grouped in memory)', async () => {
    const grouped = JSON.parse((await scan(fixture('two-children.csv'), { json: true })).stdout) as Signal[];
    const interleaved = JSON.parse(
      (await scan(fixture('interleaved.csv'), { json: true })).stdout,
    ) as Signal[];
    // Only the row number of the entry without a source_ref differs.
    expect(brief(interleaved)).toEqual(brief(grouped).map((s) => s.replace('row:6', 'row:10')));
  });

  it('changes the result with --config', async () => {
    const { code, stdout } = await scan(fixture('two-children.csv'), {
      json: true,
      config: fixture('longer-gap.json'),
    });
    expect(code).toBe(0);
    const rules = (JSON.parse(stdout) as Signal[]).map((s) => s.rule);
    expect(rules).not.toContain('service-gap');
    expect(rules).not.toContain('child-not-seen');
    expect(rules).toContain('risk-not-assessed');
  });

  it('exits 2 with one line naming the file, row and column of bad input', async () => {
    const { code, stdout, stderr } = await scan(fixture('bad-date.csv'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `line-of-sight scan: ${fixture('bad-date.csv')}: row 4, column "date": "2019-13-02" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.\n`,
    );
  });

  it.each([
    ['a missing file', fixture('nowhere.csv'), undefined, 'nowhere.csv: there is no such file.'],
    [
      'a missing config file',
      fixture('two-children.csv'),
      fixture('nowhere.json'),
      'nowhere.json: the config file cannot be read',
    ],
    [
      'a config with an unknown setting',
      fixture('two-children.csv'),
      fixture('bad-config.json'),
      'Unknown setting "service-gap.days"',
    ],
  ])('exits 2 for %s', async (_what, file, config, message) => {
    const { code, stdout, stderr } = await scan(file, config ? { config } : {});
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('scan of a generated file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'los-scan-'));
    await writeSyntheticData({ children: 40, seed: 7, out: dir });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the same signals, in order of first appearance, in a file in date order spilled over many buckets', async () => {
    const entries: ChronologyEntry[] = [];
    for await (const e of readChronologyFile(join(dir, 'chronology.csv'))) entries.push(e);
    // The same rows in date order, every child's mixed with the others': not grouped by child.
    const shuffled = sortChronology(entries);
    const file = join(dir, 'by-date.csv');
    await writeFile(file, chronologyToCsv(shuffled));
    const rowsAgain: ChronologyEntry[] = [];
    for await (const e of readChronologyFile(file)) rowsAgain.push(e);
    const expected = detectSignals(rowsAgain);
    const leftBefore = (await readdir(tmpdir())).filter((n) => n.startsWith('line-of-sight-scan-'));
    const { code, stdout, stderr } = await scan(file, { json: true, spillBucketBytes: 20_000 });
    expect([code, stderr]).toEqual([0, '']);
    const found = JSON.parse(stdout) as Signal[];
    expect(found.length).toBeGreaterThan(50);
    expect(found).toEqual(expected);
    // On a terminal, it says how far it has got through the parts.
    const shown = await scan(file, { json: true, spillBucketBytes: 20_000, tty: true });
    const lines = shown.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `The file is not grouped by child: scanned 100%, ${new Set(entries.map((e) => e.child)).size} children…`,
    );
    expect(lines.length).toBeGreaterThanOrEqual(10);
    // Spilled over more than one bucket, and removed afterwards.
    expect((await stat(file)).size / 20_000).toBeGreaterThan(10);
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('line-of-sight-scan-'))).toEqual(leftBefore);
  });

  it('finds exactly the ground truth through the CSV file', async () => {
    const truth = JSON.parse(await readFile(join(dir, 'ground-truth.json'), 'utf8')) as ExpectedSignal[];
    const { code, stdout } = await scan(join(dir, 'chronology.csv'), { json: true });
    expect(code).toBe(0);
    const found = JSON.parse(stdout) as Signal[];
    expect(truth.length).toBeGreaterThan(50);
    expect(new Set(found.map(signalKey))).toEqual(new Set(truth.map(signalKey)));
    expect(
      scoreSignals(truth, found).every((s) => s.expected === 0 || (s.precision === 1 && s.recall === 1)),
    ).toBe(true);
  });
});
