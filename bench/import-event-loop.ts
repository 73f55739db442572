/**
 * Does a population import hold other people up? Loads the monitoring file (default the
 * 10,000-child synthetic one) through the real web form on loopback (the upload is kept and queued,
 * and the import runs as a job off the request, issue 18; the step lasts until the job ends), on the embedded database
 * (PGlite on disk, as `npm start` runs it, in its own worker thread; the job in a worker thread of
 * its own, as the service runs it, or with BENCH_IMPORT_THREAD=0 on the service's thread), while two other processes
 * ask, one request after another: one for `/ping` (the event loop alone), one for `/health` (a
 * round trip to the database, which must wait its turn on PGlite's one session). The baseline is
 * the same two measures while the server does nothing else, in the same run, before and after the
 * import; the ratios are the import's worst and 99th percentile over the idle ones
 * (docs/benchmarks.md, "The monitoring import and the event loop").
 *
 *   npx tsx bench/import-event-loop.ts [FILE.csv] [ROUNDS]
 *
 * FILE defaults to .cache/signals/gen10k/chronology.csv
 * (npm run generate -- --children 10000 --seed 42 --out .cache/signals/gen10k).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { createServices } from '../src/services/index.ts';
import { buildApp } from '../src/runtime.ts';
import { WebClient } from '../test/support/client.ts';

const FILE = process.argv[2] ?? '.cache/signals/gen10k/chronology.csv';
const ROUNDS = Number(process.argv[3] ?? 1);
const bytes = statSync(FILE).size;

const dir = await mkdtemp(join(tmpdir(), 'los-import-loop-'));
const database = await openDatabase({ dataDir: join(dir, 'data'), access: 'exclusive' });
await database.migrate();
await loadDemo(database.db);
// As the service runs it: the load's job in a worker thread of its own (issue 18);
// BENCH_IMPORT_THREAD=0 runs it on the service's thread, as before, for comparison.
const inThread = process.env.BENCH_IMPORT_THREAD !== '0';
const services = createServices({
  ...serviceConnections(database),
  now: () => new Date(),
  uploadDir: join(dir, 'uploads'),
  ...(inThread ? { jobThread: database.reach } : {}),
});
const config = {
  ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.BENCH_LOG ?? 'silent' }),
  DATA_DIR: join(dir, 'data'),
};
const app = await buildApp({ config, database, services });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const coordinator = new WebClient(app);
await coordinator.signIn('coordinator@demo.example');
const csrf = await coordinator.csrfToken('/front-door/imports');

type Report = { worst: number; p99: number; count: number };
function pinger(path: string) {
  const child: ChildProcess = fork(fileURLToPath(new URL('./ping-client.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  child.send({ start: `${base}${path}` });
  return {
    report: () =>
      new Promise<Report>((resolve) => {
        child.once('message', (m) => resolve(m as Report));
        child.send({ report: true });
      }),
    stop: () => child.send({ stop: true }),
  };
}
const ping = pinger('/ping');
const health = pinger('/health');
await new Promise((resolve) => setTimeout(resolve, 1000));
await Promise.all([ping.report(), health.report()]);

/** The upload, streamed from disk in the multipart body, as a browser sends it. */
function upload(): Promise<{ status: number; location?: string }> {
  const boundary = '----lineofsightbench';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="population.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/front-door/imports?_csrf=${encodeURIComponent(csrf)}`,
      {
        method: 'POST',
        headers: {
          cookie: coordinator.cookieHeader(),
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + bytes + tail.length),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(FILE);
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
    file.on('error', reject);
  });
}

const loop = monitorEventLoopDelay({ resolution: 10 });
type Row = { seconds: number; ping: Report; health: Report; loop: number };
async function step(label: string, fn: () => Promise<string>): Promise<Row> {
  await Promise.all([ping.report(), health.report()]);
  loop.reset();
  loop.enable();
  const started = performance.now();
  // When the service's thread stalled (a timer late by 50 ms or more), seconds into the step.
  const stalls: string[] = [];
  let last = performance.now();
  const watch = setInterval(() => {
    const now = performance.now();
    if (now - last > 60)
      stalls.push(`${((now - started) / 1000).toFixed(1)} s (${(now - last - 10).toFixed(0)} ms)`);
    last = now;
  }, 10);
  const outcome = await fn();
  clearInterval(watch);
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  const [p, h] = await Promise.all([ping.report(), health.report()]);
  const row = { seconds, ping: p, health: h, loop: loop.max / 1e6 };
  console.log(
    `${label}: ${seconds.toFixed(1)} s, ${outcome}; /ping worst ${p.worst.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms (${p.count}); /health worst ${h.worst.toFixed(0)} ms, p99 ${h.p99.toFixed(0)} ms (${h.count}); event loop worst ${row.loop.toFixed(0)} ms; stalls of 50 ms or more at ${stalls.join(', ') || 'none'}`,
  );
  return row;
}
const idle = () => new Promise<string>((resolve) => setTimeout(() => resolve('nothing else running'), 5000));

console.log(
  `${FILE}: ${(bytes / 1048576).toFixed(0)} MB; the job ${inThread ? 'in its own thread' : "on the service's thread"}; ${new Date().toISOString()}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  const before = await step('idle (baseline)', idle);
  // The upload answers once the file is kept and its job queued (issue 18); the import runs off
  // the request as a job (started by the upload), measured on its own to its end.
  let res: { status: number; location?: string } = { status: 0 };
  const sent = await step('web upload, to its answer', async () => {
    res = await upload();
    return `status ${res.status}`;
  });
  const load = await step('the import as a job, to its end', async () => {
    await services.monitoring.runQueued();
    const id = res.location?.split('/').pop() ?? '';
    const { rows } = (await database.db.execute(
      sql`select status, rows_read, children from monitoring_imports where id = ${id}`,
    )) as unknown as { rows: { status: string; rows_read: number; children: number }[] };
    return `the job: ${rows[0]?.status}, ${rows[0]?.rows_read} rows, ${rows[0]?.children} children`;
  });
  const after = await step('idle (baseline, after)', idle);
  const floor = (f: (r: Row) => number) => Math.max(f(before), f(after), 1);
  console.log(
    `Round ${round}: during the job / idle (the upload's own: /ping worst ${sent.ping.worst.toFixed(0)} ms): /ping worst ${(load.ping.worst / floor((r) => r.ping.worst)).toFixed(1)}×, p99 ${(load.ping.p99 / floor((r) => r.ping.p99)).toFixed(1)}×; /health worst ${(load.health.worst / floor((r) => r.health.worst)).toFixed(1)}×, p99 ${(load.health.p99 / floor((r) => r.health.p99)).toFixed(1)}×; event loop worst ${(load.loop / floor((r) => r.loop)).toFixed(1)}×`,
  );
}

ping.stop();
health.stop();
await services.monitoring.stopJobs();
await app.close();
await database.close();
await rm(dir, { recursive: true, force: true });
