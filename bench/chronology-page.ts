/**
 * The merged chronology page of a review with 2,000 accepted entries (GET through the real app on
 * loopback HTTP: session, access check, audit row, hub, merge, signals, presenters, templates)
 * against rendering the same view model through the same templates without the database, in the
 * same run (docs/benchmarks.md). Embedded database (PGlite, in memory), or the PostgreSQL server
 * with --server. BENCH_PROFILE=1 times the parts; BENCH_QUERIES=1 lists a page's statements;
 * BENCH_PHASES=1 splits a request at its hooks; BENCH_FLOOR=1 (or =bare) times the page with
 * rendering free (with its read, or without); BENCH_CPU_PROFILE=FILE writes a CPU profile.
 *
 *   npx tsx bench/chronology-page.ts [ENTRIES] [REQUESTS] [--server]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { sql } from 'drizzle-orm';
import nunjucks from 'nunjucks';
import pg from 'pg';
import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { buildApp } from '../src/runtime.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { createNunjucksEnvironment } from '../src/web/plugins/views.ts';
import { chronologyFilters, mergedRows } from '../src/web/presenters/merged-chronology.ts';
import { reviewHub } from '../src/web/presenters/review-hub.ts';
import { signalMarkers } from '../src/web/presenters/review-signals.ts';
import { densityTimeline, timeline } from '../src/web/presenters/timeline.ts';
import { paths } from '../src/web/paths.ts';
import { WebClient } from '../test/support/client.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const ENTRIES = Number(args[0] ?? 2000);
const REQUESTS = Number(args[1] ?? 30);
// --server: on a scratch database of the PostgreSQL server (production's database), created and
// dropped here; BENCH_DATABASE_URL to change which server. Otherwise PGlite in memory.
const ON_SERVER = process.argv.includes('--server');
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TYPES = [
  'police_incident',
  'home_visit',
  'referral',
  'contact',
  'arrest',
  'strategy_discussion',
  'missed_appointment',
];

const scratch = `los_bench_page_${process.pid}`;
const admin = ON_SERVER ? new pg.Client({ connectionString: SERVER }) : null;
if (admin) {
  await admin.connect();
  await admin.query(`create database ${scratch}`);
}
const database = await openDatabase(
  admin ? { url: SERVER.replace(/\/[^/]*$/, `/${scratch}`), poolSize: 4 } : {},
);
await database.migrate();
await loadDemo(database.db);
const services = createServices({ ...serviceConnections(database), now: () => new Date() });
const system = systemRepository(database.db);
const actor = async (email: string) => actorFor((await system.userByEmail(email))!, 'bench');
const coordinator = await actor('coordinator@demo.example');
const found = (await database.db.execute(
  sql`select reference from reviews where pseudonym = 'Infant 8'`,
)) as unknown as {
  rows: { reference: string }[];
};
const ref = found.rows[0]!.reference;
await services.reviews.setTermsOfReference(coordinator, ref, {
  periodFrom: '2018-03-01',
  periodTo: '2021-01-15',
  agenciesInScope: ['police', 'csc', 'health-visiting'],
});
await services.reviews.addLineOfEnquiry(coordinator, ref, { question: 'Benchmark' });
await services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
await services.requests.send(coordinator, ref, {
  agencies: ['police', 'csc', 'health-visiting'],
  workingDays: 15,
});
const leads = {
  police: 'police.lead@demo.example',
  csc: 'csc.lead@demo.example',
  'health-visiting': 'hv.lead@demo.example',
};
const codes = Object.keys(leads) as (keyof typeof leads)[];
for (const [a, code] of codes.entries()) {
  const lead = await actor(leads[code]);
  const entries = [];
  for (let i = a; i < ENTRIES; i += codes.length) {
    const date = new Date(Date.UTC(2018, 2, 1) + Math.floor((i * 1040) / ENTRIES) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    entries.push({
      date,
      eventType: TYPES[i % TYPES.length]!,
      summary: `Entry ${i}: what the agency recorded`,
      childSeen: 'not_recorded',
      concerns: ['drugs'],
      sourceRef: `${code}-${i}`,
    });
  }
  await services.returns.addEntries(lead, ref, { entries });
  await services.returns.submit(lead, ref);
}
for (const r of await services.requests.list(coordinator, ref))
  await services.requests.accept(coordinator, ref, r.request.id);

const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), DATA_DIR: ':memory:' };
// BENCH_PHASES=1 times where a page request's time goes, with hooks on the page's route.
const phases: Record<string, number[]> = {};
const mark = new WeakMap<object, number>();
const phase = (name: string) => async (request: object) => {
  const now = performance.now();
  (phases[name] ??= []).push(now - (mark.get(request) ?? now));
  mark.set(request, now);
};
// BENCH_FLOOR=1: the page's route does its read (access check, audit row, hub, signals) and sends
// the page already rendered: what the page would cost if rendering it were free.
let renderedPage = '';
const app = await buildApp(
  { config, database, services },
  process.env.BENCH_PHASES || process.env.BENCH_FLOOR
    ? {
        onRoute: (route) => {
          if (!route.url.endsWith('/chronology') || route.method !== 'GET') return;
          if (process.env.BENCH_FLOOR)
            route.handler = async (request, reply) => {
              const { ref } = request.params as { ref: string };
              if (process.env.BENCH_FLOOR !== 'bare')
                await services.chronology.page(request.actor!, ref, request.query);
              return reply.type('text/html; charset=utf-8').send(renderedPage);
            };
          if (!process.env.BENCH_PHASES) return;
          route.onRequest = async (request) => void mark.set(request, performance.now());
          route.preHandler = [...[route.preHandler ?? []].flat(), phase('session loaded → handler starts')];
          route.onSend = [...[route.onSend ?? []].flat(), phase('handler → sent hooks done')];
          route.onResponse = [...[route.onResponse ?? []].flat(), phase('→ response written')];
        },
      }
    : {},
);
await app.ready();
const client = new WebClient(app);
await client.signIn('coordinator@demo.example');
const url = paths.reviews.chronology({ ref });

// The same view model the route builds, once, for rendering without the database.
const merged = await services.chronology.page(coordinator, ref, {});
const agencies = merged.agencies;
// The timeline as the page draws it: every entry of a short chronology, a long one's aggregates.
const picture = (markers = signalMarkers(ref, merged.signals)) =>
  merged.timeline.kind === 'entries'
    ? timeline(merged.timeline.entries, { gaps: merged.gaps, markers })
    : densityTimeline(merged.timeline, { gaps: merged.gaps, markers });
const model = {
  ...merged,
  hub: reviewHub(merged.hub.review, 'chronology', {
    deadline: merged.hub.deadlines[0],
    today: merged.hub.today,
  }),
  rows: mergedRows(merged.items),
  filters: chronologyFilters(merged.query, agencies, merged.total, url),
  base: url,
  named: false,
  timeline: picture(),
  errorList: [],
  linkable: true,
  csrfToken: 'x'.repeat(40),
  paths,
};
const env = createNunjucksEnvironment();
// The page includes the timeline figure rendered from its own template (which the app keeps while
// the chronology is unchanged): the baseline renders both, every time.
const renderTemplate = () =>
  env.render('pages/chronology/merged.njk', {
    ...model,
    timelineFigure: new nunjucks.runtime.SafeString(env.render('partials/timeline.njk', model)),
  });
renderedPage = Buffer.from(renderTemplate()).toString();

async function time(label: string, fn: () => Promise<unknown> | unknown) {
  await fn(); // warm
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) await fn();
  const ms = (performance.now() - started) / REQUESTS;
  console.log(`${label}: ${ms.toFixed(1)} ms per page`);
  return ms;
}

if (process.env.BENCH_PROFILE) {
  await time('template, the figure rendered too (the baseline)', renderTemplate);
  await time('template, the figure already rendered', () =>
    env.render('pages/chronology/merged.njk', { ...model, timelineFigure: '' }),
  );
  await time('timeline figure alone', () => env.render('partials/timeline.njk', model));
  await time('hub', () => services.reviews.hub(coordinator, ref));
  await time('merged', () => services.chronology.merged(coordinator, ref, {}));
  await time('page read (hub, merged, signals)', () => services.chronology.page(coordinator, ref, {}));
  console.log(`(${merged.signals.length} signals)`);
  const { partnershipSignalConfig } = await import('../src/services/signal-settings-service.ts');
  await time('signal config', () => partnershipSignalConfig(database.db, coordinator.partnershipId));
  await time('select 1', () => database.db.execute(sql`select 1`));
  await time('a signed-in 404 through the app', () => client.get('/no-such-page'));
  await time('timeline presenter', () => picture([]));
  await time('rows presenter', () => mergedRows(merged.items));
  const { mergedChronologyRepository } =
    await import('../src/db/repositories/merged-chronology-repository.ts');
  const { reviewRepository } = await import('../src/db/repositories/review-repository.ts');
  const { mergeItems } = await import('../src/services/chronology-service.ts');
  const handle = (await reviewRepository(database.db, coordinator).find(ref))!.handle;
  const rows = await mergedChronologyRepository(database.db, coordinator).entries(handle);
  const { DUPLICATE_WITHIN_DAYS, NOT_PROFESSIONAL_CONTACT } =
    await import('../src/domain/chronology/merge.ts');
  const options = { notContact: [...NOT_PROFESSIONAL_CONTACT], duplicateWithinDays: DUPLICATE_WITHIN_DAYS };
  const repo = mergedChronologyRepository(database.db, coordinator);
  await time('the merge worked out again in SQL and stored (after a change)', async () => {
    await database.db.execute(sql`delete from merged_chronology_versions where review_id = ${handle.id}`);
    await repo.refresh(handle, options);
  });
  await time('a page of the stored merge (first 100)', () =>
    repo.page(handle, {}, { limit: 100, offset: 0 }),
  );
  await time('a page of the stored merge (last 100)', () =>
    repo.page(handle, {}, { limit: 100, offset: ENTRIES - 100 }),
  );
  await time('long gaps (kept per version)', () => repo.gaps(handle, 90, ['missed_appointment']));
  await time("timeline's aggregates (kept per version)", () => repo.timeline(handle, 'month'));
  // What else a first view after a change works out again: the practice signals.
  const { reviewSignalsRepository } = await import('../src/db/repositories/review-signals-repository.ts');
  const { asOneEvent } = await import('../src/domain/chronology/same-event.ts');
  const { detectSignals } = await import('../src/domain/signals/index.ts');
  const { signalKey } = await import('../src/domain/signals/key.ts');
  const signalConfig = await partnershipSignalConfig(database.db, coordinator.partnershipId);
  const accepted = await reviewSignalsRepository(database.db).ruleEntries(handle);
  await time('signals: every accepted entry read whole (before)', () =>
    reviewSignalsRepository(database.db).acceptedEntries(handle),
  );
  await time("signals: the rules' columns of the stored merge, one row of JSON", () =>
    reviewSignalsRepository(database.db).ruleEntries(handle),
  );
  await time('signals: the rules over them', async () => detectSignals(asOneEvent(accepted), signalConfig));
  const found = detectSignals(asOneEvent(accepted), signalConfig);
  await time("signals: their keys (decisions' join)", async () => found.map((x) => signalKey(x)));
  await time('(before) read of every entry', () =>
    mergedChronologyRepository(database.db, coordinator).entries(handle),
  );
  await time('(before) mergeItems of every entry', () => mergeItems(rows, '2017-09-14'));
}
console.log(
  `${ENTRIES} accepted entries, ${REQUESTS} pages each; ${new Date().toISOString()}; ${
    ON_SERVER ? 'PostgreSQL server on loopback' : 'PGlite in memory'
  }`,
);
// BENCH_QUERIES=1 lists the statements one page request sends to the database, with row counts.
if (process.env.BENCH_QUERIES) {
  // Both databases are reached with pg (the embedded one through its socket): watch its client.
  type Query = (this: pg.Client, ...a: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  const seen: string[] = [];
  proto.query = function (this: pg.Client, ...a: unknown[]) {
    const t = performance.now();
    const result = original.apply(this, a);
    if (result instanceof Promise)
      void result.then((r: { rows?: unknown[] }) => {
        const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string }).text;
        seen.push(
          `${(performance.now() - t).toFixed(2)} ms ${r.rows?.length ?? 0} rows: ${String(text).replace(/\s+/g, ' ').slice(0, 110)}`,
        );
      });
    return result;
  };
  await client.get(url);
  seen.push('-- second request --');
  await client.get(url);
  for (let i = 0; i < 20; i++) await client.get(url);
  seen.splice(seen.indexOf('-- second request --') + 12);
  console.log(seen.join('\n'));
}
// The two take turns in blocks of five, so that both meet the same load on a shared machine; the
// medians are compared (the means are printed too).
// Three ways to fetch the page, each timed from the request to its last byte:
//  - a browser's way (the headline): over HTTP on loopback from a client in a process of its own
//    (bench/page-client.ts), so that reading the response does not take the server's thread;
//  - the same over HTTP, but from a client in this process, sharing the server's thread;
//  - Fastify's inject, the tests' simulated socket (it copies the body several times).
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const cookie = client.cookieHeader();
const sameProcess = () =>
  new Promise<void>((resolve, reject) => {
    http
      .get(`${origin}${url}`, { agent, headers: { cookie } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 && bytes > 0 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
const browser = fork(fileURLToPath(new URL('./page-client.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx'],
});
const fromBrowser = (count: number) =>
  new Promise<number[]>((resolve, reject) => {
    browser.once('message', (m: { times?: number[]; error?: string }) =>
      m.times ? resolve(m.times) : reject(new Error(m.error)),
    );
    browser.send({ url: `${origin}${url}`, cookie, count });
  });
const injected = async () => {
  const res = await client.get(url);
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
};
const timed = async (fn: () => Promise<void>) => {
  const a = performance.now();
  await fn();
  return performance.now() - a;
};
console.log(
  `page ${(Buffer.byteLength(renderTemplate()) / 1024).toFixed(0)} KB rendered, ${(Buffer.byteLength((await client.get(url)).body) / 1024).toFixed(0)} KB served`,
);
await fromBrowser(3);
await sameProcess();
await injected();
// BENCH_CPU_PROFILE=FILE writes a CPU profile of the timed part (open it in DevTools).
const profiler = process.env.BENCH_CPU_PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
// They take turns in blocks of five, so that all meet the same load on a shared machine; medians
// are compared (means are printed too).
const renders: number[] = [];
const pages: number[] = [];
const sameProcessPages: number[] = [];
const injectedPages: number[] = [];
const BLOCK = 5;
for (let i = 0; i < REQUESTS; i += BLOCK) {
  for (let j = 0; j < BLOCK; j++) {
    const a = performance.now();
    renderTemplate();
    renders.push(performance.now() - a);
  }
  pages.push(...(await fromBrowser(BLOCK)));
  for (let j = 0; j < BLOCK; j++) sameProcessPages.push(await timed(sameProcess));
  for (let j = 0; j < BLOCK; j++) injectedPages.push(await timed(injected));
}
// The first view after a change: a change to one accepted entry gives the review a new version of
// its chronology (drizzle/0009), so what any reader kept of the old one no longer serves; then one
// page from the browser process. CHANGES of them (default 10), each timed alone.
const CHANGES = Number(process.env.BENCH_CHANGES ?? 10);
const firstViews: number[] = [];
for (let i = 0; i < CHANGES; i++) {
  await database.db.execute(
    sql`update chronology_entries set summary = ${`Changed ${i}: what the agency recorded`}
        where id = (select e.id from chronology_entries e join reviews r on r.id = e.review_id
                    where r.reference = ${ref} and e.source_ref = 'police-0')`,
  );
  firstViews.push(...(await fromBrowser(1)));
}
browser.kill();
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
const render = median(renders);
const line = (label: string, xs: number[]) =>
  console.log(
    `${label}: median ${median(xs).toFixed(1)} ms, mean ${mean(xs).toFixed(1)} ms per page` +
      (xs === renders ? '' : ` (${(median(xs) / render).toFixed(2)}× the template)`),
  );
line('Template only, no database (baseline)', renders);
line('Merged chronology page, from a browser process over HTTP', pages);
line('  the same from a client sharing the server process', sameProcessPages);
line("  the same through Fastify's inject", injectedPages);
line('First view after a change, from a browser process over HTTP', firstViews);
for (const [name, xs] of Object.entries(phases)) console.log(`  ${name}: median ${median(xs).toFixed(1)} ms`);
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(profile));
}
console.log(
  `ratio page / template: ${(median(pages) / render).toFixed(2)} (medians; means ${(mean(pages) / mean(renders)).toFixed(2)}) (target ≤ 1.5)`,
);
await app.close();
await database.close();
if (admin) {
  await admin.query(`drop database if exists ${scratch}`);
  await admin.end();
}
