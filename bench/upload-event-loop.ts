/**
 * Does a large upload hold other people up? Uploads an agency's return of ROWS rows through the
 * real app on loopback HTTP — a text/csv body through the API, then an .xlsx through the web
 * form — and opens the return's "check your answers" and task list pages with that draft, while
 * another process asks for `/ping` every 5 ms. For each step it prints how long it took, the
 * slowest `/ping` answer and the event loop's worst delay (perf_hooks.monitorEventLoopDelay)
 * (docs/benchmarks.md). Embedded database (PGlite, in memory: it runs in its own thread).
 *
 *   npx tsx bench/upload-event-loop.ts [ROWS] [ROUNDS]
 *
 * Each round does every step; the summary gives, per step, the median over the rounds of its
 * slowest /ping and of the event loop's worst delay, and their worst.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { loadConfig } from '../src/config.ts';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { buildApp } from '../src/runtime.ts';
import { WebClient } from '../test/support/client.ts';

const ROWS = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 3);
// A full collection before each step, so no step pays for the garbage of making the files (the
// workbook's row objects alone are hundreds of megabytes) or of the step before.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const TYPES = ['police_incident', 'home_visit', 'referral', 'contact', 'arrest', 'strategy_discussion'];
const HEADER = [
  'date',
  'agency',
  'event_type',
  'summary',
  'children_present',
  'concerns',
  'worker',
  'source_ref',
];

function row(i: number): string[] {
  const day = new Date(Date.UTC(2018, 2, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
  return [
    day,
    'police',
    TYPES[i % TYPES.length]!,
    `Synthetic entry ${i}: officers attended; words of advice; nothing further`,
    i % 3 === 0 ? 'not_recorded' : 'yes',
    i % 2 ? 'drugs;neglect' : 'domestic_abuse',
    `PC-${i % 40}`,
    `POL-${i}`,
  ];
}

const database = await openDatabase({});
await database.migrate();
await loadDemo(database.db);
const services = createServices({ ...serviceConnections(database), now: () => new Date() });
const system = systemRepository(database.db);
const coordinator = actorFor((await system.userByEmail('coordinator@demo.example'))!, 'bench');
const found = (await database.db.execute(
  sql`select reference from reviews where pseudonym = 'Infant 8'`,
)) as unknown as { rows: { reference: string }[] };
const ref = found.rows[0]!.reference;
await services.reviews.setTermsOfReference(coordinator, ref, {
  periodFrom: '2018-03-01',
  periodTo: '2021-01-15',
  agenciesInScope: ['police'],
});
await services.reviews.addLineOfEnquiry(coordinator, ref, { question: 'Benchmark' });
await services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
await services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
const { token } = await services.auth.createApiToken('police.lead@demo.example', 'bench');

const config = {
  ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG ?? 'silent' }),
  DATA_DIR: ':memory:',
};
const app = await buildApp({ config, database, services });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const police = new WebClient(app);
await police.signIn('police.lead@demo.example');

const csv = Buffer.from(
  [HEADER, ...Array.from({ length: ROWS }, (_, i) => row(i))].map((r) => r.join(',')).join('\n') + '\n',
);
// Built in a function so the workbook's 50,000 row objects are garbage before anything is timed.
async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Police chronology');
  sheet.addRow(HEADER);
  for (let i = 0; i < ROWS; i++) sheet.addRow(row(i));
  return Buffer.from(await book.xlsx.writeBuffer());
}
const xlsx = await workbook();

/** One HTTP request with its body sent in 64 KB chunks, as a network would deliver it. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; location?: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, bytes }));
    });
    req.on('error', reject);
    if (!body) return void req.end();
    let at = 0;
    const next = () => {
      while (at < body.length) {
        const chunk = body.subarray(at, at + 65_536);
        at += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', next);
      }
      req.end();
    };
    next();
  });
}

const pinger: ChildProcess = fork(fileURLToPath(new URL('./ping-client.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx'],
});
const report = () =>
  new Promise<{ worst: number; p99: number; count: number }>((resolve) => {
    pinger.once('message', (m) => resolve(m as { worst: number; p99: number; count: number }));
    pinger.send({ report: true });
  });
pinger.send({ start: `${base}/ping` });
await new Promise((resolve) => setTimeout(resolve, 500));
await report();

const loop = monitorEventLoopDelay({ resolution: 10 });
// Garbage collection pauses the main thread (PGlite's thread has a heap of its own): the longest
// pause in a step says how much of the worst delay was the collector rather than our code.
let longestGc = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
}).observe({ entryTypes: ['gc'] });
const results = new Map<string, { ping: number; loop: number; seconds: number; cpuSeconds: number }[]>();
async function step(label: string, fn: () => Promise<string>) {
  collect();
  await report();
  loop.reset();
  loop.enable();
  longestGc = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  loop.disable();
  const ping = await report();
  const list = results.get(label) ?? [];
  list.push({ ping: ping.worst, loop: loop.max / 1e6, seconds, cpuSeconds });
  results.set(label, list);
  console.log(
    `${label}: ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s of CPU), ${outcome}; slowest /ping ${ping.worst.toFixed(0)} ms (p99 ${ping.p99.toFixed(0)} ms, ${ping.count} pings); event loop worst delay ${(loop.max / 1e6).toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms); longest GC pause ${longestGc.toFixed(0)} ms`,
  );
}
const entries = async () => {
  const result = (await database.db.execute(
    sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id
        where r.reference = ${ref} and e.removed_at is null`,
  )) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
};

// The machine's own noise: the same measures while the server does nothing but answer /ping.
const idle = async () => {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return 'nothing else running';
};
console.log(
  `${ROWS.toLocaleString('en-GB')} rows: CSV ${(csv.length / 1048576).toFixed(1)} MB, XLSX ${(xlsx.length / 1048576).toFixed(1)} MB; ${new Date().toISOString()}`,
);
const clear = () =>
  database.db.execute(
    sql`delete from chronology_entries where review_id = (select id from reviews where reference = ${ref})`,
  );
const uploadUrl = `/reviews/${ref}/return/upload`;
const csrf = await police.csrfToken(uploadUrl);
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`Round ${round} of ${ROUNDS}`);
  await clear();
  await step('idle (the noise floor)', idle);
  await step('API text/csv upload', async () => {
    const res = await send(
      'POST',
      `/api/v1/reviews/${ref}/chronology`,
      {
        authorization: `Bearer ${token}`,
        'content-type': 'text/csv',
      },
      csv,
    );
    return `status ${res.status}, ${await entries()} entries in the draft`;
  });
  await clear();

  await step('web .xlsx upload', async () => {
    const boundary = '----lineofsightbench';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="police.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
      ),
      xlsx,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await send(
      'POST',
      `${uploadUrl}?_csrf=${encodeURIComponent(csrf)}`,
      {
        cookie: police.cookieHeader(),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
    );
    return `status ${res.status} to ${res.location}, ${await entries()} entries in the draft`;
  });
  for (const [label, path] of [
    ['"check your answers" page', `/reviews/${ref}/return/check`],
    ['task list page', `/reviews/${ref}/return`],
  ] as const)
    await step(label, async () => {
      const res = await send('GET', path, { cookie: police.cookieHeader() });
      return `status ${res.status}, ${(res.bytes / 1024).toFixed(0)} KB of HTML`;
    });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `\nOver ${ROUNDS} rounds: the median (and worst) of each step's slowest /ping and worst event-loop delay`,
);
for (const [label, list] of results)
  console.log(
    `  ${label}: ${median(list.map((r) => r.seconds)).toFixed(2)} s (${median(list.map((r) => r.cpuSeconds)).toFixed(2)} s of CPU); slowest /ping ${median(list.map((r) => r.ping)).toFixed(0)} ms (worst ${Math.max(...list.map((r) => r.ping)).toFixed(0)}); event loop ${median(list.map((r) => r.loop)).toFixed(0)} ms (worst ${Math.max(...list.map((r) => r.loop)).toFixed(0)})`,
  );

pinger.send({ stop: true });
await app.close();
await database.close();
