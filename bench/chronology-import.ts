/**
 * Importing an agency's 100,000-row chronology CSV with full validation (the upload path: streaming
 * reader, row checks, agency check, batched inserts in one transaction) against PostgreSQL's own
 * COPY of the same rows into the same table, measured in the same run (docs/benchmarks.md).
 *
 *   npx tsx bench/chronology-import.ts [ROWS] [ROUNDS]
 *
 * Uses a scratch database on postgres://postgres@127.0.0.1:5432/test (created and dropped here;
 * BENCH_DATABASE_URL to change). COPY reads a file on the server, so the server must be local.
 */
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { chronologySortKey } from '../src/domain/chronology/entry.ts';
import { agencyUpload } from '../src/files/agency-upload.ts';
import { readChronologyCsv } from '../src/files/chronology-reader.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { LIMITS } from '../src/limits.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TYPES = ['police_incident', 'home_visit', 'referral', 'contact', 'arrest', 'strategy_discussion'];

function row(i: number) {
  const day = new Date(Date.UTC(2018, 2, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
  return {
    date: day,
    eventType: TYPES[i % TYPES.length]!,
    summary: `Synthetic entry ${i}: officers attended, "words of advice", nothing further`,
    childrenPresent: i % 3 === 0 ? 'not_recorded' : 'yes',
    concerns: i % 2 ? 'drugs;neglect' : 'domestic_abuse',
    worker: `PC-${i % 40}`,
    sourceRef: `POL-${i}`,
  };
}

async function time(label: string, fn: () => Promise<unknown>) {
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds).toLocaleString('en-GB')} rows/s)`,
  );
  return seconds;
}

const name = `los_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
await admin.query(`create database ${name}`);
const dir = await mkdtemp(join(tmpdir(), 'los-bench-'));
const url = SERVER.replace(/\/[^/]*$/, `/${name}`);
const database = await openDatabase({ url });
try {
  await database.migrate();
  await loadDemo(database.db);
  const system = systemRepository(database.db);
  const actor = async (email: string) => actorFor((await system.userByEmail(email))!, 'bench');
  // A return of ROWS entries: past the default limit on one return (src/limits.ts) when over 50,000.
  const services = createServices({
    ...serviceConnections(database),
    now: () => new Date(),
    limits: { ...LIMITS, returnEntries: Math.max(ROWS, LIMITS.returnEntries) },
  });
  const coordinator = await actor('coordinator@demo.example');
  const police = await actor('police.lead@demo.example');
  const found = (await database.db.execute(
    sql`select reference from reviews where pseudonym = 'Infant 8'`,
  )) as unknown as {
    rows: { reference: string }[];
  };
  const ref = found.rows[0]!.reference;
  await services.reviews.setTermsOfReference(coordinator, ref, {
    periodFrom: '2018-03-01',
    periodTo: '2021-01-15',
    agenciesInScope: ['police'],
  });
  await services.reviews.addLineOfEnquiry(coordinator, ref, { question: 'Benchmark' });
  await services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
  await services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
  const [request] = await services.requests.list(coordinator, ref);

  // The agency's file, and the same rows shaped as the table for COPY.
  const csv = join(dir, 'police.csv');
  const table = join(dir, 'table.csv');
  const lines = ['date,agency,event_type,summary,children_present,concerns,worker,source_ref'];
  const tableLines: string[] = [];
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  for (let i = 0; i < ROWS; i++) {
    const r = row(i);
    lines.push(
      [
        r.date,
        'police',
        r.eventType,
        q(r.summary),
        r.childrenPresent,
        r.concerns,
        r.worker,
        r.sourceRef,
      ].join(','),
    );
    tableLines.push(
      [
        request!.request.reviewId,
        request!.request.id,
        request!.request.agencyId,
        r.date,
        chronologySortKey({ date: r.date, time: null }),
        r.eventType,
        q(r.summary),
        r.childrenPresent,
        `"{${r.concerns.replace(';', ',')}}"`,
        r.worker,
        r.sourceRef,
        i + 2,
      ].join(','),
    );
  }
  await writeFile(csv, lines.join('\n') + '\n');
  await writeFile(table, tableLines.join('\n') + '\n');
  await chmod(dir, 0o755);
  await chmod(table, 0o644);
  console.log(
    `${ROWS.toLocaleString('en-GB')} rows; ${new Date().toISOString()}; PostgreSQL server ${url.replace(/\/\/.*@/, '//')}`,
  );

  const count = async () => {
    const n = (await database.db.execute(
      sql`select count(*)::int as n from chronology_entries where request_id = ${request!.request.id}`,
    )) as unknown as { rows: { n: number }[] };
    return n.rows[0]!.n;
  };
  // Each run starts from the same table: the previous run's rows deleted and vacuumed away.
  const clear = async () => {
    await database.db.execute(sql`delete from chronology_entries where request_id = ${request!.request.id}`);
    await database.db.execute(sql`vacuum analyze chronology_entries`);
  };
  const copy = () =>
    time('PostgreSQL COPY (baseline)', () =>
      database.db.execute(
        sql.raw(
          `copy chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, children_present, concerns, worker, source_ref, source_row) from '${table}' with (format csv)`,
        ),
      ),
    );
  const upload = () =>
    time('Upload with full validation', () =>
      services.returns.upload(police, ref, {
        name: 'police.csv',
        entries: ({ agencyCode, maxRows }) =>
          agencyUpload(readChronologyCsv(createReadStream(csv), { file: 'police.csv', maxRows }), {
            file: 'police.csv',
            agencyCode,
          }),
      }),
    );
  // The machine is shared: several rounds, alternating which goes first, each ratio from one round.
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const seconds: Record<'copy' | 'upload', number> = { copy: 0, upload: 0 };
    for (const which of round % 2 ? (['copy', 'upload'] as const) : (['upload', 'copy'] as const)) {
      seconds[which] = await (which === 'copy' ? copy() : upload());
      const n = await count();
      if (n !== ROWS) throw new Error(`expected ${ROWS} rows, found ${n}`);
      await clear();
    }
    ratios.push(seconds.upload / seconds.copy);
    console.log(`round ${round}: ratio upload / COPY ${(seconds.upload / seconds.copy).toFixed(2)}`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(
    `ratio upload / COPY over ${ROUNDS} rounds: best ${sorted[0]!.toFixed(2)}, median ${median.toFixed(2)}, worst ${sorted.at(-1)!.toFixed(2)} (target ≤ 2)`,
  );
} finally {
  await database.close();
  await admin.query(`drop database if exists ${name}`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
