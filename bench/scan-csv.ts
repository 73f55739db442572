/**
 * `line-of-sight scan` over a large chronology CSV: rows per second and peak memory, against a
 * bare read of the same file with the same reader, measured in the same run (docs/benchmarks.md).
 *
 *   npx tsx bench/scan-csv.ts [FILE.csv]
 *
 * FILE defaults to .cache/signals/gen10k/chronology.csv (npm run generate -- --children 10000
 * --seed 42 --out .cache/signals/gen10k; about a million rows).
 */
import { Writable } from 'node:stream';
import { runScan } from '../src/cli/commands/scan.ts';
import { readChronologyFile } from '../src/files/chronology-reader.ts';

const file = process.argv[2] ?? '.cache/signals/gen10k/chronology.csv';

async function measure<T>(label: string, fn: () => Promise<T>) {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label}: ${seconds.toFixed(2)} s, peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);
    return { result, seconds, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

const read = await measure('bare read (reader only)', async () => {
  let rows = 0;
  for await (const entry of readChronologyFile(file)) if (entry) rows += 1;
  return rows;
});
const scan = await measure('scan --json', () =>
  runScan(file, { json: true, stdout: sink(), stderr: sink() }),
);
if (scan.result !== 0) throw new Error(`scan exited ${scan.result}`);
const rows = read.result;
console.log(
  `RESULT scan: ${rows} rows in ${scan.seconds.toFixed(1)} s = ${Math.round(rows / scan.seconds)} rows/s ` +
    `(${(scan.seconds / read.seconds).toFixed(2)}x the bare read at ${Math.round(rows / read.seconds)} rows/s); ` +
    `peak RSS ${scan.peakMb.toFixed(0)} MB (bare read ${read.peakMb.toFixed(0)} MB)`,
);
