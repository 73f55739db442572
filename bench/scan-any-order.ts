/**
 * `line-of-sight scan` of a file not grouped by child: time and peak memory, each measure in a
 * process of its own (so one's heap is not another's peak), against two baselines measured in the
 * same run: a bare read of the same file with the same reader, and the scan of the same rows
 * grouped by child (docs/benchmarks.md, "scan of a file in any order").
 *
 *   npx tsx bench/scan-any-order.ts [GROUPED.csv] [UNGROUPED.csv] [--scan-module PATH]
 *
 * GROUPED defaults to .cache/signals/gen10k/chronology.csv (npm run generate -- --children 10000
 * --seed 42 --out .cache/signals/gen10k); UNGROUPED to by-date.csv beside it (the same rows in date
 * order, every child's mixed with the others': `npx tsx bench/scan-any-order.ts --write-by-date`
 * writes it). --scan-module runs another version of src/cli/commands/scan.ts (e.g. the previous
 * commit's, to compare).
 */
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChronologyEntry } from '../src/domain/chronology/entry.ts';
import { sortChronology } from '../src/domain/chronology/merge.ts';
import { readChronologyFile } from '../src/files/chronology-reader.ts';
import { writeChronologyCsv } from '../src/files/chronology-writer.ts';

const args = process.argv.slice(2);
const moduleAt = args.indexOf('--scan-module');
const scanModule =
  moduleAt >= 0
    ? args[moduleAt + 1]!
    : fileURLToPath(new URL('../src/cli/commands/scan.ts', import.meta.url));
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--scan-module');
const grouped = files[0] ?? '.cache/signals/gen10k/chronology.csv';
const ungrouped = files[1] ?? join(dirname(grouped), 'by-date.csv');

type Measure = { rows: number; seconds: number; peakMb: number };

if (args[0] === '--child') {
  // One measure in this process: `--child read|scan FILE MODULE`.
  const [, kind, file, module] = args as [string, string, string, string];
  const started = performance.now();
  let rows = 0;
  if (kind === 'read') {
    for await (const batch of readChronologyFile(file).batches()) rows += batch.length;
  } else {
    const { runScan } = (await import(
      pathToFileURL(module).href
    )) as typeof import('../src/cli/commands/scan.ts');
    const sink = new Writable({ write: (_c, _e, done) => done() });
    let last = '';
    const stderr = new Writable({
      write: (chunk: Buffer, _e, done) => {
        last = chunk.toString();
        done();
      },
    });
    const code = await runScan(file, { json: true, stdout: sink, stderr });
    if (code !== 0) throw new Error(`scan exited ${code}`);
    rows = Number(/Read ([\d,]+) rows/.exec(last)?.[1]?.replace(/,/g, '') ?? 0);
  }
  const seconds = (performance.now() - started) / 1000;
  process.send!({ rows, seconds, peakMb: process.resourceUsage().maxRSS / 1024 } satisfies Measure);
  process.exit(0);
} else if (args[0] === '--write-by-date') {
  const entries: ChronologyEntry[] = [];
  for await (const e of readChronologyFile(grouped)) entries.push(e);
  await writeChronologyCsv(
    (async function* () {
      yield* sortChronology(entries);
    })(),
    createWriteStream(ungrouped, 'utf8'),
  );
  console.log(`Wrote ${entries.length} rows in date order to ${ungrouped}`);
} else {
  const run = (kind: 'read' | 'scan', file: string) =>
    new Promise<Measure>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--child', kind, file, scanModule], {
        execArgv: ['--import', 'tsx'],
      });
      child.once('message', (m) => resolve(m as Measure));
      child.once('exit', (code) => (code ? reject(new Error(`${kind} ${file} exited ${code}`)) : undefined));
    });
  const show = (label: string, m: Measure) =>
    console.log(
      `${label}: ${m.seconds.toFixed(1)} s, ${Math.round(m.rows / m.seconds).toLocaleString('en-GB')} rows/s, peak RSS ${m.peakMb.toFixed(0)} MB`,
    );
  console.log(`scan module: ${scanModule}; ${new Date().toISOString()}`);
  const read = await run('read', ungrouped);
  show('bare read of the ungrouped file (baseline)', read);
  const inOrder = await run('scan', grouped);
  show('scan of the grouped file (baseline)', { ...inOrder, rows: read.rows });
  const anyOrder = await run('scan', ungrouped);
  show('scan of the ungrouped file', { ...anyOrder, rows: read.rows });
  console.log(
    `RESULT ungrouped scan: ${(anyOrder.seconds / read.seconds).toFixed(2)}× the bare read's time, ` +
      `${(anyOrder.seconds / inOrder.seconds).toFixed(2)}× the grouped scan's; peak RSS ` +
      `${anyOrder.peakMb.toFixed(0)} MB = ${(anyOrder.peakMb / inOrder.peakMb).toFixed(2)}× the grouped scan's`,
  );
}
