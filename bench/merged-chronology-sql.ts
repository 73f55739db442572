/**
 * The parts of the merged chronology in SQL at N accepted entries (issue 18), without the web
 * page around them: the merge worked out and stored after a change, a page of it (first, last,
 * filtered), the gaps and the timeline's aggregates, against the read of every entry and the
 * in-memory merge they replace. PGlite in memory, or the server with URL=postgres://...
 * EXPLAIN=1 prints the plans of the merge and of a page.
 *
 *   npx tsx bench/merged-chronology-sql.ts [ENTRIES]
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { reviewRepository } from '../src/db/repositories/review-repository.ts';
import {
  dateOfBirthForAges,
  mergedChronologyRepository,
  pageSql,
} from '../src/db/repositories/merged-chronology-repository.ts';
import { DUPLICATE_WITHIN_DAYS, NOT_PROFESSIONAL_CONTACT } from '../src/domain/chronology/merge.ts';
import { mergeItems } from '../src/services/chronology-service.ts';

const N = Number(process.argv[2] ?? 10000);
const database = await openDatabase(process.env.URL ? { url: process.env.URL, poolSize: 2 } : {});
await database.migrate();
if (!process.env.URL) await loadDemo(database.db);
const db = database.db;
const ref = 'LOS-2021-002';
// N entries over 1,040 days, spread over the review's three accepted returns, as bench/chronology-page.ts.
await db.execute(sql`
  insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, concerns, source_ref, source_row)
  select r.review_id, r.id, r.agency_id, d::text, d::text || 'T00:00',
         (array['police_incident','home_visit','referral','contact','arrest','strategy_discussion','missed_appointment'])[1 + i % 7],
         'Entry ' || i || ': what the agency recorded', '{drugs}', 'x-' || i, i
  from generate_series(1, ${N}) i
  cross join lateral (select (date '2018-03-01' + (i * 1040 / ${N}))::date as d) dd
  join lateral (select ar.* from agency_requests ar join reviews rv on rv.id = ar.review_id
                where rv.reference = ${ref} and ar.status = 'accepted' order by ar.id offset (i % 3) limit 1) r on true`);
if (!process.env.NO_ANALYZE) await db.execute(sql`analyze`);
if (process.env.UNLOGGED) await db.execute(sql`alter table merged_chronology set unlogged`);
const coordinator = actorFor((await systemRepository(db).userByEmail('coordinator@demo.example'))!, 'bench');
const handle = (await reviewRepository(db, coordinator).find(ref))!.handle;
const repo = mergedChronologyRepository(db, coordinator);
const options = { notContact: [...NOT_PROFESSIONAL_CONTACT], duplicateWithinDays: DUPLICATE_WITHIN_DAYS };
async function time(label: string, fn: () => Promise<unknown>, n = 10) {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  console.log(`${label}: median ${times.sort((a, b) => a - b)[Math.floor(n / 2)]!.toFixed(1)} ms`);
}
const refresh = async () => {
  await db.execute(sql`delete from merged_chronology_versions where review_id = ${handle.id}`);
  await repo.refresh(handle, options);
};
await refresh();
console.log(`${(await repo.page(handle, {}, { limit: 100, offset: 0 })).total} accepted entries`);
await time('the merge worked out in SQL and stored (after a change)', refresh);
if (process.env.PARTS) {
  const { mergedSqlForBench } = await import('../src/db/repositories/merged-chronology-repository.ts');
  await time('  the merge alone (count of its rows)', () =>
    db.execute(
      sql`${mergedSqlForBench(handle, options)} select count(*), sum(days_since), count(duplicate_of) from merged`,
    ),
  );
  await time('  the delete alone', async () => {
    await db.execute(sql`begin`);
    await db.execute(sql`delete from merged_chronology where review_id = ${handle.id}`);
    await db.execute(sql`rollback`);
  });
}
await time('a page of 100, the first', () => repo.page(handle, {}, { limit: 100, offset: 0 }));
await time('a page of 100, the last', () => repo.page(handle, {}, { limit: 100, offset: N - 100 }));
await time('a page of 100, one agency', () =>
  repo.page(handle, { agency: 'police' }, { limit: 100, offset: 0 }),
);
await time('a page of 100, one month', () =>
  repo.page(handle, { from: '2019-03-01', to: '2019-03-31' }, { limit: 100, offset: 0 }),
);
await time('long gaps', () => repo.gaps(handle, 90, ['missed_appointment']));
await time('timeline aggregates', () => repo.timeline(handle, 'month'));
await time('the whole merge for a file', () => repo.all(handle), 3);
const dob = await dateOfBirthForAges(db, handle);
const rows = await repo.entries(handle);
await time('(before) the read of every entry', () => repo.entries(handle));
await time('(before) the merge in memory', async () => mergeItems(rows, dob));
await time('select 1', () => db.execute(sql`select 1`));
if (process.env.EXPLAIN) {
  const { mergedSqlForBench } = await import('../src/db/repositories/merged-chronology-repository.ts');
  const merge = (await db.execute(
    sql`explain (analyze) ${mergedSqlForBench(handle, options)} select count(*), sum(days_since), count(duplicate_of) from merged`,
  )) as unknown as { rows: Record<string, string>[] };
  console.log(merge.rows.map((x) => Object.values(x)[0]).join('\n'));
  const plan = (await db.execute(
    sql`explain (analyze) ${pageSql(handle, {}, { limit: 100, offset: 0 })}`,
  )) as unknown as { rows: Record<string, string>[] };
  console.log(plan.rows.map((x) => Object.values(x)[0]).join('\n'));
}
await database.close();
