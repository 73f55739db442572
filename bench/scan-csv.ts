/**
 * `line-of-sight scan` over a large chronology CSV: rows per second and peak memory, against a
 * bare read of the same file with the same reader, measured in the same run, the two alternating
 * (docs/benchmarks.md).
 *
 *   npx tsx bench/scan-csv.ts [FILE.csv] [--rounds N]
 *
 * FILE defaults to .cache/signals/gen10k/chronology.csv (npm run generate -- --children 10000
 * --seed 42 --out .cache/signals/gen10k; about a million rows). Each round reads the file bare,
 * then scans it; the result line takes the best of the rounds. CPU time is given beside the wall
 * time: on a machine shared with others under load, the wall time says more about them.
 */
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { runScan } from '../src/cli/commands/scan.ts';
import { readChronologyFile } from '../src/files/chronology-reader.ts';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
const file =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ??
  '.cache/signals/gen10k/chronology.csv';

interface Measure<T> {
  result: T;
  seconds: number;
  cpu: number;
  peakMb: number;
}

async function measure<T>(label: string, fn: () => Promise<T>): Promise<Measure<T>> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpuBefore);
    const cpu = (used.user + used.system) / 1e6;
    const peakMb = peak / 1024 / 1024;
    console.log(
      `${label}: ${seconds.toFixed(2)} s (CPU ${cpu.toFixed(2)} s), peak RSS ${peakMb.toFixed(0)} MB, load ${loadavg()[0]!.toFixed(1)}`,
    );
    return { result, seconds, cpu, peakMb };
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

const reads: Measure<number>[] = [];
const scans: Measure<number>[] = [];
for (let round = 1; round <= rounds; round += 1) {
  reads.push(
    await measure(`round ${round}, bare read (reader only)`, async () => {
      let rows = 0;
      for await (const batch of readChronologyFile(file).batches()) rows += batch.length;
      return rows;
    }),
  );
  const scan = await measure(`round ${round}, scan --json`, () =>
    runScan(file, { json: true, stdout: sink(), stderr: sink() }),
  );
  if (scan.result !== 0) throw new Error(`scan exited ${scan.result}`);
  scans.push(scan);
}
const best = (ms: Measure<number>[], by: 'seconds' | 'cpu') => Math.min(...ms.map((m) => m[by]));
const rows = reads[0]!.result;
const [read, scan] = [best(reads, 'seconds'), best(scans, 'seconds')];
const [readCpu, scanCpu] = [best(reads, 'cpu'), best(scans, 'cpu')];
console.log(
  `RESULT scan, best of ${rounds}: ${rows} rows in ${scan.toFixed(2)} s = ${Math.round(rows / scan)} rows/s ` +
    `(${(scan / read).toFixed(2)}x the bare read's ${read.toFixed(2)} s = ${Math.round(rows / read)} rows/s); ` +
    `CPU ${scanCpu.toFixed(2)} s = ${Math.round(rows / scanCpu)} rows per CPU second ` +
    `(${(scanCpu / readCpu).toFixed(2)}x the bare read's ${readCpu.toFixed(2)} s); ` +
    `peak RSS ${Math.max(...scans.map((m) => m.peakMb)).toFixed(0)} MB ` +
    `(bare read ${Math.max(...reads.map((m) => m.peakMb)).toFixed(0)} MB); load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
