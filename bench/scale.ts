/**
 * The monitoring dataset at scale on the PostgreSQL server (issue 18, docs/benchmarks.md "Scale"):
 * for each size, a generated file is loaded into a scratch database and measured against baselines
 * taken in the same run on the same rows.
 *
 *   npx tsx bench/scale.ts [CHILDREN...]          e.g. 10000 30000 (≈1M and ≈3M entries)
 *
 * For each size:
 * - COPY of the file into a table of its columns as text (the baseline of the import: PostgreSQL
 *   reading the same rows with no checks);
 * - the import as the service runs it (`monitoring.importCsv`: read, check, stage, scan, swap);
 * - a bare ordered read of every row (the baseline of the scan) and the population scan itself;
 * - the front door's two lists, first page, as a review coordinator: the first read and the
 *   median of five after it;
 * - the peak memory of this process and of the busiest PostgreSQL server process, sampled
 *   every 100 ms from /proc.
 * Files are generated into BENCH_SCALE_DIR (default /tmp/los-scale, readable by the server for
 * COPY) with the project's generator, seed 42, unless already there.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/client.ts';
import { partnerships, users } from '../src/db/schema.ts';
import { CHRONOLOGY_COLUMNS } from '../src/domain/chronology/validate.ts';
import { DEFAULT_SIGNAL_CONFIG } from '../src/domain/signals/index.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { monitoringService, readImport, scanImport } from '../src/services/monitoring-service.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10_000, 30_000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = process.env.BENCH_SCALE_DIR ?? '/tmp/los-scale';

const mb = (bytes: number) => bytes / 1024 / 1024;

/** Resident memory (kB) of every process whose command is `postgres`, by pid. */
function serverProcesses(): Map<number, number> {
  const found = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (!/^Name:\s+postgres$/m.test(status)) continue;
      const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (rss) found.set(Number(name), Number(rss[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** Time, this process's peak RSS and the busiest server process's peak RSS while `fn` runs. */
async function measure<T>(label: string, fn: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  let serverPeak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    for (const kb of serverProcesses().values()) serverPeak = Math.max(serverPeak, kb * 1024);
  };
  const timer = setInterval(sample, 100);
  const started = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    sample();
    console.log(
      `  ${label}: ${seconds.toFixed(2)} s, peak RSS ${mb(peak).toFixed(0)} MB here, ` +
        `${mb(serverPeak).toFixed(0)} MB in the busiest server process (load ${loadAverage()})`,
    );
    return { result, seconds, peakMb: mb(peak), serverPeakMb: mb(serverPeak) };
  } finally {
    clearInterval(timer);
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function generated(children: number): Promise<string> {
  const out = join(dir, `children-${children}`);
  const file = join(out, 'chronology.csv');
  if (!existsSync(file)) {
    console.log(`generating ${children.toLocaleString('en-GB')} children into ${out}`);
    execFileSync(
      'npx',
      ['tsx', 'src/cli/generate.ts', '--children', String(children), '--seed', '42', '--out', out],
      {
        stdio: 'inherit',
      },
    );
  }
  // COPY runs as the server's own user: it must be able to read the file.
  await chmod(dir, 0o755);
  await chmod(out, 0o755);
  await chmod(file, 0o644);
  return file;
}

async function one(children: number, admin: pg.Client) {
  const file = await generated(children);
  const size = (await stat(file)).size;
  const scratch = `los_scale_${process.pid}_${children}`;
  await admin.query(`create database ${scratch}`);
  const url = new URL(serverUrl);
  url.pathname = `/${scratch}`;
  let database: DatabaseHandle | null = null;
  try {
    database = await openDatabase({ url: url.toString() });
    await database.migrate();
    const db = database.db;
    const [partnership] = await db.insert(partnerships).values({ name: 'Benchmark partnership' }).returning();
    const [user] = await db
      .insert(users)
      .values({
        partnershipId: partnership!.id,
        email: 'coordinator@scale.example',
        name: 'Scale Coordinator (synthetic)',
        roles: ['review_coordinator'],
      })
      .returning();
    const actor = actorFor(user!, 'bench-scale');
    const ctx = { db, system: db, now: () => new Date() };
    const monitoring = monitoringService(ctx);
    console.log(`${children.toLocaleString('en-GB')} children: ${file} (${mb(size).toFixed(0)} MB)`);

    await db.execute(
      sql.raw(`create table copy_baseline (${CHRONOLOGY_COLUMNS.map((c) => `${c} text`).join(', ')})`),
    );
    const copy = await measure('COPY of the file (baseline of the import)', () =>
      db.execute(
        sql.raw(`copy copy_baseline from '${file.replace(/'/g, "''")}' with (format csv, header true)`),
      ),
    );
    await db.execute(sql`drop table copy_baseline`);

    const load = await measure('import (read, check, stage, scan, swap)', () =>
      monitoring.importCsv({ partnershipId: partnership!.id, label: 'benchmark' }, createReadStream(file), {
        fileName: file,
        bytesTotal: size,
      }),
    );
    const { id, rows, signals } = load.result;
    await db.execute(sql`analyze`);

    const read = await measure('bare ordered read, every column (baseline of the scan)', () =>
      readImport(db, partnership!.id, id),
    );
    await db.execute(
      sql`delete from monitoring_signals where child_id in (select id from monitored_children where import_id = ${id})`,
    );
    const scan = await measure('population scan', () =>
      scanImport(db, partnership!.id, id, DEFAULT_SIGNAL_CONFIG),
    );
    if (scan.result.signals !== signals)
      throw new Error(`scan found ${scan.result.signals} signals, import ${signals}`);

    const lists: Record<string, { first: number; warm: number; total: number }> = {};
    for (const kind of ['re-referrals', 'check-and-challenge'] as const) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 6; i += 1) {
        const started = performance.now();
        const page = await (kind === 're-referrals'
          ? monitoring.reReferrals(actor, {})
          : monitoring.checkAndChallenge(actor, {}));
        times.push(performance.now() - started);
        total = page.total;
      }
      const warm = times.slice(1).sort((a, b) => a - b)[2]!;
      lists[kind] = { first: times[0]!, warm, total };
      console.log(
        `  ${kind}, first page: first ${times[0]!.toFixed(1)} ms, median after ${warm.toFixed(1)} ms (${total} children)`,
      );
    }
    console.log(
      `RESULT ${children} children, ${rows} rows, ${signals} signals: ` +
        `import ${load.seconds.toFixed(1)} s = ${(load.seconds / copy.seconds).toFixed(2)}x COPY ${copy.seconds.toFixed(1)} s; ` +
        `scan ${scan.seconds.toFixed(1)} s = ${(scan.seconds / read.seconds).toFixed(2)}x read ${read.seconds.toFixed(1)} s; ` +
        `lists first page ${lists['re-referrals']!.first.toFixed(0)} / ${lists['check-and-challenge']!.first.toFixed(0)} ms first, ` +
        `${lists['re-referrals']!.warm.toFixed(0)} / ${lists['check-and-challenge']!.warm.toFixed(0)} ms after; ` +
        `peak RSS here ${Math.max(load.peakMb, scan.peakMb, read.peakMb).toFixed(0)} MB, busiest server process ` +
        `${Math.max(copy.serverPeakMb, load.serverPeakMb, scan.serverPeakMb, read.serverPeakMb).toFixed(0)} MB`,
    );
  } finally {
    await database?.close();
    await admin.query(`drop database if exists ${scratch}`);
  }
}

async function main() {
  await mkdir(dir, { recursive: true });
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const children of sizes) await one(children, admin);
  } finally {
    await admin.end();
  }
}

await main();
