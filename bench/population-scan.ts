/**
 * Population scan of the monitoring dataset in the database vs a bare ordered read of the same
 * rows from the same database, measured in the same run (docs/benchmarks.md).
 *
 *   npx tsx bench/population-scan.ts [FILE.csv] [--pglite] [--runs N]
 *
 * FILE defaults to .cache/signals/gen10k/chronology.csv (npm run generate -- --children 10000
 * --seed 42 --out .cache/signals/gen10k). On PostgreSQL (BENCH_DATABASE_URL, default the test
 * server) it creates a scratch database and drops it afterwards; --pglite uses PGlite in a temporary
 * directory (removed afterwards).
 * The read and the scan take turns N times (default 3) and the best of each is compared.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, serviceConnections } from '../src/db/client.ts';
import { partnerships } from '../src/db/schema.ts';
import { DEFAULT_SIGNAL_CONFIG } from '../src/domain/signals/index.ts';
import { monitoringService, readImport, scanImport } from '../src/services/monitoring-service.ts';

const args = process.argv.slice(2);
const file =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ??
  '.cache/signals/gen10k/chronology.csv';
const usePglite = args.includes('--pglite');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Peak resident memory while `fn` runs, sampled every 20 ms. */
async function measure<T>(label: string, fn: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`${label}: ${seconds.toFixed(2)} s, peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);
    return { result, seconds, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const scratch = `los_bench_${process.pid}`;
  let admin: pg.Client | null = null;
  let database: DatabaseHandle;
  let pgliteDir: string | null = null;
  if (usePglite) {
    // On disk, as `npm start` runs it (./data): a million rows do not fit PGlite's memory.
    pgliteDir = await mkdtemp(join(tmpdir(), 'los-bench-'));
    database = await openDatabase({ dataDir: pgliteDir });
  } else {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${scratch}`);
    const url = new URL(serverUrl);
    url.pathname = `/${scratch}`;
    database = await openDatabase({ url: url.toString() });
  }
  try {
    await database.migrate();
    const [partnership] = await database.db
      .insert(partnerships)
      .values({ name: 'Benchmark partnership' })
      .returning();
    const ctx = { ...serviceConnections(database), now: () => new Date() };
    const size = (await stat(file)).size;
    console.log(`${database.kind}: ${file} (${(size / 1024 / 1024).toFixed(0)} MB)`);

    const load = await measure('load and scan (import)', () =>
      monitoringService(ctx).importCsv(
        { partnershipId: partnership!.id, label: 'benchmark' },
        createReadStream(file),
        {
          fileName: file,
          bytesTotal: size,
        },
      ),
    );
    const { id, rows, children, signals } = load.result;
    console.log(`  ${rows} rows, ${children} children, ${signals} signals`);

    // Each scan from a clean slate: its signals removed, its reads warm like the baseline's.
    const clear = () =>
      database.db.execute(
        sql`delete from monitoring_signals where child_id in (select id from monitored_children where import_id = ${id})`,
      );
    const reads: number[] = [];
    const ruleReads: number[] = [];
    const scans: number[] = [];
    let readPeak = 0;
    let scanPeak = 0;
    for (let run = 1; run <= runs; run += 1) {
      const read = await measure(`bare ordered read, every column (${run})`, () =>
        readImport(database.db, partnership!.id, id),
      );
      if (read.result !== rows) throw new Error(`read ${read.result} rows, loaded ${rows}`);
      reads.push(read.seconds);
      readPeak = Math.max(readPeak, read.peakMb);
      const ruleRead = await measure(`bare ordered read, the scan's columns (${run})`, () =>
        readImport(database.db, partnership!.id, id, 'rules'),
      );
      ruleReads.push(ruleRead.seconds);
      await clear();
      const scan = await measure(`population scan (${run})`, () =>
        scanImport(database.db, partnership!.id, id, DEFAULT_SIGNAL_CONFIG),
      );
      if (scan.result.signals !== signals)
        throw new Error(`scan found ${scan.result.signals} signals, import ${signals}`);
      scans.push(scan.seconds);
      scanPeak = Math.max(scanPeak, scan.peakMb);
    }
    const read = Math.min(...reads);
    const ruleRead = Math.min(...ruleReads);
    const scan = Math.min(...scans);
    console.log(
      `RESULT ${database.kind} (best of ${runs}): scan ${scan.toFixed(2)} s / read ${read.toFixed(2)} s = ` +
        `${(scan / read).toFixed(2)}x; / read of the scan's columns ${ruleRead.toFixed(2)} s = ${(scan / ruleRead).toFixed(2)}x; ` +
        `${Math.round(rows / scan)} rows/s scanned; peak RSS ${scanPeak.toFixed(0)} MB (scan), ${readPeak.toFixed(0)} MB (read), ` +
        `${load.peakMb.toFixed(0)} MB (import); import ${load.seconds.toFixed(1)} s`,
    );
  } finally {
    await database.close();
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
    if (admin) {
      await admin.query(`drop database if exists ${scratch}`);
      await admin.end();
    }
  }
}

await main();
