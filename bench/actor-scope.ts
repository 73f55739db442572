/**
 * What the database's own policies cost (issue 13): the merged chronology page's read
 * (services.chronology.page: access check, audit row, hub, merge, signals) of a review with
 * ENTRIES accepted entries, through services on the application's connection, whose transactions
 * are scoped to the person (the application role under row-level security, drizzle/0020 and 0028),
 * against the same services unscoped on the owner's connection (no policy applies), alternating,
 * in the same run. Embedded database (PGlite,
 * in memory), or the PostgreSQL server with --server (a scratch database, dropped after).
 *
 *   npx tsx bench/actor-scope.ts [ENTRIES] [ROUNDS] [--server]
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const ENTRIES = Number(args[0] ?? 2000);
const ROUNDS = Number(args[1] ?? 20);
const ON_SERVER = process.argv.includes('--server');
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TYPES = ['police_incident', 'home_visit', 'referral', 'contact', 'strategy_discussion'];

const scratch = `los_bench_scope_${process.pid}`;
const admin = ON_SERVER ? new pg.Client({ connectionString: SERVER }) : null;
if (admin) {
  await admin.connect();
  await admin.query(`create database ${scratch}`);
}
const database = await openDatabase(
  admin ? { url: SERVER.replace(/\/[^/]*$/, `/${scratch}`), poolSize: 4 } : {},
);
try {
  await database.migrate();
  await loadDemo(database.db);
  const ctx = { ...serviceConnections(database), now: () => new Date() };
  const scoped = createServices(ctx);
  // The baseline: the same services on the owner's connection, which no policy binds.
  const unscoped = createServices({ ...ctx, db: database.db }, { actorScoped: false });
  const system = systemRepository(database.db);
  const actor = async (email: string) => actorFor((await system.userByEmail(email))!, 'bench');
  const coordinator = await actor('coordinator@demo.example');
  const ref = (
    (await database.db.execute(
      sql`select reference from reviews where pseudonym = 'Infant 8'`,
    )) as unknown as {
      rows: { reference: string }[];
    }
  ).rows[0]!.reference;
  await scoped.reviews.setTermsOfReference(coordinator, ref, {
    periodFrom: '2018-03-01',
    periodTo: '2021-01-15',
    agenciesInScope: ['police', 'csc', 'health-visiting'],
  });
  await scoped.reviews.addLineOfEnquiry(coordinator, ref, { question: 'Benchmark' });
  await scoped.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
  await scoped.requests.send(coordinator, ref, {
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
    for (let i = a; i < ENTRIES; i += codes.length)
      entries.push({
        date: new Date(Date.UTC(2018, 2, 1) + Math.floor((i * 1040) / ENTRIES) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        eventType: TYPES[i % TYPES.length]!,
        summary: `Entry ${i}: what the agency recorded`,
        childSeen: 'not_recorded',
        concerns: ['drugs'],
        sourceRef: `${code}-${i}`,
      });
    await scoped.returns.addEntries(lead, ref, { entries });
    await scoped.returns.submit(lead, ref);
  }
  for (const r of await scoped.requests.list(coordinator, ref))
    await scoped.requests.accept(coordinator, ref, r.request.id);

  const time = async (services: typeof scoped) => {
    const start = performance.now();
    await services.chronology.page(coordinator, ref, {});
    return performance.now() - start;
  };
  // Warm both (the figure's cache, the statements), then alternate so drift falls on both alike.
  for (let i = 0; i < 3; i++) {
    await time(scoped);
    await time(unscoped);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      a.push(await time(unscoped));
      b.push(await time(scoped));
    } else {
      b.push(await time(scoped));
      a.push(await time(unscoped));
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const base = median(a);
  const withPolicies = median(b);
  console.log(
    `${ON_SERVER ? 'PostgreSQL server' : 'PGlite'}: chronology page read, ${ENTRIES} entries, ${ROUNDS} rounds each`,
  );
  console.log(`  unscoped (owner, no policy)       median ${base.toFixed(1)} ms`);
  console.log(`  scoped (application role, RLS)    median ${withPolicies.toFixed(1)} ms`);
  console.log(`  ratio ${(withPolicies / base).toFixed(3)}x`);
} finally {
  await database.close();
  if (admin) {
    await admin.query(`drop database if exists ${scratch} with (force)`);
    await admin.end();
  }
}
