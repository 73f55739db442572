/**
 * The merged chronology page of a review with 2,000 accepted entries (GET through the real app:
 * session, access checks, audit row, queries, merge, presenters, template) against rendering the
 * same view model through the same template without the database, in the same run
 * (docs/benchmarks.md). Embedded database (PGlite, in memory).
 *
 *   npx tsx bench/chronology-page.ts [ENTRIES] [REQUESTS]
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { buildApp } from '../src/runtime.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { createNunjucksEnvironment } from '../src/web/plugins/views.ts';
import { chronologyFilters, mergedRows } from '../src/web/presenters/merged-chronology.ts';
import { reviewHub } from '../src/web/presenters/review-hub.ts';
import { timeline } from '../src/web/presenters/timeline.ts';
import { paths } from '../src/web/paths.ts';
import { WebClient } from '../test/support/client.ts';

const ENTRIES = Number(process.argv[2] ?? 2000);
const REQUESTS = Number(process.argv[3] ?? 30);
const TYPES = [
  'police_incident',
  'home_visit',
  'referral',
  'contact',
  'arrest',
  'strategy_discussion',
  'missed_appointment',
];

const database = await openDatabase({});
await database.migrate();
await loadDemo(database.db);
const services = createServices({ db: database.db, now: () => new Date() });
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
const app = await buildApp({ config, database, services });
await app.ready();
const client = new WebClient(app);
await client.signIn('coordinator@demo.example');
const url = paths.reviews.chronology({ ref });

// The same view model the route builds, once, for rendering without the database.
const overview = await services.reviews.overview(coordinator, ref);
const merged = await services.chronology.merged(coordinator, ref, {});
const agencies = [
  ...new Map(merged.all.map((e) => [e.agency, { code: e.agency, name: e.agencyName }])).values(),
];
const model = {
  hub: reviewHub(overview.review, 'chronology', { deadline: overview.deadlines[0], today: overview.today }),
  ...merged,
  rows: mergedRows(merged.items),
  filters: chronologyFilters(merged.query, agencies, merged.total, url),
  base: url,
  named: false,
  timeline: timeline(merged.all, { gaps: merged.gaps }),
  errorList: [],
  linkable: true,
  csrfToken: 'x'.repeat(40),
  paths,
};
const env = createNunjucksEnvironment();

async function time(label: string, fn: () => Promise<unknown> | unknown) {
  await fn(); // warm
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) await fn();
  const ms = (performance.now() - started) / REQUESTS;
  console.log(`${label}: ${ms.toFixed(1)} ms per page`);
  return ms;
}

if (process.env.BENCH_PROFILE) {
  await time('overview', () => services.reviews.overview(coordinator, ref));
  await time('merged', () => services.chronology.merged(coordinator, ref, {}));
  const { mergedChronologyRepository } =
    await import('../src/db/repositories/merged-chronology-repository.ts');
  const { reviewRepository } = await import('../src/db/repositories/review-repository.ts');
  const { mergeItems } = await import('../src/services/chronology-service.ts');
  const handle = (await reviewRepository(database.db, coordinator).find(ref))!.handle;
  const rows = await mergedChronologyRepository(database.db, coordinator).entries(handle);
  await time('query', () => mergedChronologyRepository(database.db, coordinator).entries(handle));
  await time('mergeItems', () => mergeItems(rows, '2017-09-14'));
}
console.log(
  `${ENTRIES} accepted entries, ${REQUESTS} pages each; ${new Date().toISOString()}; PGlite in memory`,
);
const render = await time('Template only, no database (baseline)', () =>
  env.render('pages/chronology/merged.njk', model),
);
const page = await time('Merged chronology page through the app', async () => {
  const res = await client.get(url);
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
});
console.log(`ratio page / template: ${(page / render).toFixed(2)} (target ≤ 1.5)`);
await app.close();
await database.close();
