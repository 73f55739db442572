/**
 * Learning across reviews at scale (issue 16, docs/benchmarks.md): recurrence of themes and the
 * board's dashboard over 500 reviews, 5,000 learning statements and 2,000 library briefings, each
 * against the bare SQL aggregates it needs, measured in the same run; and the dashboard page itself
 * (GET /dashboard through the real application, signed in as a board member).
 *
 *   npx tsx bench/learning-across.ts [--pglite] [--rounds N]
 *
 * On PostgreSQL (BENCH_DATABASE_URL, default the test server) it creates a scratch database and
 * drops it afterwards; --pglite uses an in-memory PGlite. The demo partnership is loaded first (its
 * people, agencies and taxonomy), then the bulk rows are written by SQL. Each round runs the
 * baseline and ours in turn (alternating which goes first); the best and median are reported.
 *
 * Recurrence and the dashboard keep what they work out per version of the partnership's learning
 * data (drizzle/0023, src/services/versioned-cache.ts). Each is measured twice: as read again with
 * nothing changed (the figures kept), and after a change (a theme renamed to itself, which gives a
 * new version, made before each timed call and not timed): everything worked out afresh.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, serviceConnections } from '../src/db/client.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { loadConfig } from '../src/config.ts';
import { limitsFrom } from '../src/limits.ts';
import { buildApp } from '../src/runtime.ts';
import { londonDate } from '../src/domain/calendar/iso-date.ts';
import { scopeTransaction } from '../src/db/actor-scope.ts';

const args = process.argv.slice(2);
const usePglite = args.includes('--pglite');
/** Keep the scratch database afterwards (to profile against it). */
const keep = args.includes('--keep');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REVIEWS = 500;
const STATEMENTS_PER_REVIEW = 10;
const BRIEFINGS = 2000;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** 500 reviews over ten years with 10 learning statements each (2 themes a statement), 2 actions a review (half done), 2,000 briefings. */
async function generate(database: DatabaseHandle, partnershipId: string) {
  const run = (q: ReturnType<typeof sql>) => database.db.execute(q);
  await run(sql`
    insert into reviews (partnership_id, reference, type, stage, status, pseudonym)
    select ${partnershipId}, 'BEN-' || (2015 + i % 10) || '-' || lpad(i::text, 4, '0'), 'line_of_sight',
           (array['screening','terms_of_reference','information_gathering','analysis','event','learning_and_actions','briefing','impact','closed','closed'])[1 + i % 10],
           'active', 'Bench child ' || i
    from generate_series(1, ${REVIEWS}) i`);
  await run(sql`
    insert into referrals (review_id, referring_agency_id, referrer_name, referred_on, what_happened, why_learning)
    select r.id, (select id from agencies where partnership_id = ${partnershipId} and code = 'police'),
           'Bench referrer', make_date(split_part(r.reference, '-', 2)::int, 1 + (split_part(r.reference, '-', 3)::int % 12), 1 + (split_part(r.reference, '-', 3)::int % 28)),
           'Synthetic benchmark review.', 'Synthetic benchmark learning.'
    from reviews r where r.reference like 'BEN-%'`);
  await run(sql`
    insert into learning_statements (review_id, position, statement)
    select r.id, p, 'Benchmark learning statement ' || p
    from reviews r cross join generate_series(1, ${STATEMENTS_PER_REVIEW}) p where r.reference like 'BEN-%'`);
  await run(sql`
    with themes as (select array_agg(id order by key) as ids from learning_themes where partnership_id = ${partnershipId} and retired_at is null),
         numbered as (select s.id, row_number() over (order by s.id) as n from learning_statements s join reviews r on r.id = s.review_id where r.reference like 'BEN-%')
    insert into learning_statement_themes (statement_id, theme_id)
    select n.id, t.ids[1 + ((n.n * k) % array_length(t.ids, 1))]
    from numbered n cross join themes t cross join (values (1), (7)) as k(k)
    on conflict do nothing`);
  await run(sql`
    insert into review_actions (review_id, number, what, owning_agency_id, lead_user_id, due_date, success_measure, status)
    select r.id, k, 'Benchmark action ' || k,
           (select id from agencies where partnership_id = ${partnershipId} and code = (array['police','csc','health-visiting'])[1 + k % 3]),
           (select id from users where email = 'coordinator@demo.example'),
           f.referred_on + 200, 'Measured',
           (case when k = 1 then 'completed' else 'in_progress' end)
    from reviews r join referrals f on f.review_id = r.id cross join generate_series(1, 2) k where r.reference like 'BEN-%'`);
  await run(sql`
    insert into action_learning_statements (action_id, statement_id)
    select a.id, s.id from review_actions a join reviews r on r.id = a.review_id
    join learning_statements s on s.review_id = r.id and s.position = a.number
    where r.reference like 'BEN-%'`);
  await run(sql`
    insert into action_updates (action_id, note, status_from, status_to, at)
    select a.id, 'Done.', 'in_progress', 'completed', (f.referred_on + 180)::timestamptz
    from review_actions a join referrals f on f.review_id = a.review_id join reviews r on r.id = a.review_id
    where r.reference like 'BEN-%' and a.status = 'completed'`);
  await run(sql`
    insert into briefings (partnership_id, source, review_type, year, document_date, title)
    select ${partnershipId}, 'imported', 'line_of_sight', 2010 + i % 16, make_date(2010 + i % 16, 1 + i % 12, 1), 'Benchmark briefing ' || i
    from generate_series(1, ${BRIEFINGS}) i`);
  await run(sql`
    insert into briefing_versions (briefing_id, version, content, state, published_at, checked_at, findings)
    select b.id, 1, jsonb_build_object('title', b.title, 'sections', '[]'::jsonb), 'published', make_date(b.year, 6, 1)::timestamptz, now(), '[]'::jsonb
    from briefings b where b.title like 'Benchmark briefing %'`);
  await run(sql`
    with themes as (select array_agg(id order by key) as ids from learning_themes where partnership_id = ${partnershipId} and retired_at is null),
         numbered as (select b.id, row_number() over (order by b.id) as n from briefings b where b.title like 'Benchmark briefing %')
    insert into briefing_themes (briefing_id, theme_id)
    select n.id, t.ids[1 + ((n.n * k) % array_length(t.ids, 1))]
    from numbered n cross join themes t cross join (values (1), (5), (11)) as k(k)
    on conflict do nothing`);
  await run(sql`analyze`);
}

/** The bare aggregates recurrence needs: reviews per theme, briefings per theme, done actions per theme. */
function recurrenceBaseline(database: DatabaseHandle, partnershipId: string) {
  return async () => {
    await database.db.execute(sql`
      select lst.theme_id, count(distinct s.review_id), min(f.referred_on), max(f.referred_on)
      from learning_statement_themes lst join learning_statements s on s.id = lst.statement_id
      join referrals f on f.review_id = s.review_id join reviews r on r.id = s.review_id
      where r.partnership_id = ${partnershipId} group by lst.theme_id`);
    await database.db.execute(sql`
      select bt.theme_id, count(*), min(b.document_date), max(b.document_date)
      from briefing_themes bt join briefings b on b.id = bt.briefing_id
      where b.partnership_id = ${partnershipId} and b.review_id is null group by bt.theme_id`);
    await database.db.execute(sql`
      select lst.theme_id, a.review_id, max(u.at)
      from review_actions a join action_learning_statements als on als.action_id = a.id
      join learning_statement_themes lst on lst.statement_id = als.statement_id
      join action_updates u on u.action_id = a.id and u.status_to in ('completed', 'assured')
      where a.status in ('completed', 'assured') group by 1, 2`);
  };
}

/**
 * The bare aggregates that give what recurrence answers with, not only counts: each theme's
 * reviews (reference and referral date), briefings (id, title, date) and done actions (review,
 * number, status, when done), as arrays, one row a theme.
 */
function recurrenceListsBaseline(database: DatabaseHandle, partnershipId: string) {
  return async () => {
    await database.db.execute(sql`
      select lst.theme_id, array_agg(distinct r.reference || '|' || f.referred_on::text)
      from learning_statement_themes lst join learning_statements s on s.id = lst.statement_id
      join referrals f on f.review_id = s.review_id join reviews r on r.id = s.review_id
      where r.partnership_id = ${partnershipId} group by lst.theme_id`);
    await database.db.execute(sql`
      select bt.theme_id, array_agg(b.id::text || '|' || coalesce(b.title, '') || '|' || coalesce(b.document_date::text, ''))
      from briefing_themes bt join briefings b on b.id = bt.briefing_id
      where b.partnership_id = ${partnershipId} and b.review_id is null group by bt.theme_id`);
    await database.db.execute(sql`
      select lst.theme_id, array_agg(distinct a.id::text || '|' || r.reference || '|' || a.number || '|' || a.status || '|' || u.done::date)
      from review_actions a join reviews r on r.id = a.review_id
      join action_learning_statements als on als.action_id = a.id
      join learning_statement_themes lst on lst.statement_id = als.statement_id
      join lateral (select max(at) as done from action_updates where action_id = a.id and status_to in ('completed', 'assured')) u on true
      where r.partnership_id = ${partnershipId} and a.status in ('completed', 'assured') group by 1`);
  };
}

/**
 * The bare aggregates of the dashboard's six figures: themes by year with repeats, stages, returns,
 * actions by RAG, audit rounds, referrals by year. With `needs`, two of them become what their
 * figures cannot be given without: the clock of each review in progress (a review past a deadline
 * of the statutory or partnership clock is found from its type, stage, dates and screening
 * decision, src/domain/lifecycle/deadlines.ts: a count and a median by stage do not say it), and
 * the re-referrals within 12 months (each child's referrals in order, not referrals by year).
 */
function dashboardBaseline(
  database: Pick<DatabaseHandle, 'db'>,
  partnershipId: string,
  today: string,
  needs = false,
) {
  return async () => {
    // Themes over time: reviews per theme and year, and how many came after an action on the theme
    // in another review was done (each theme's two reviews whose actions were done first suffice).
    await database.db.execute(sql`
      with pairs as (select distinct lst.theme_id, s.review_id from learning_statement_themes lst
                     join learning_statements s on s.id = lst.statement_id),
           done as (select lst.theme_id, a.review_id, min(u.at)::date as done_on
                    from review_actions a join action_learning_statements als on als.action_id = a.id
                    join learning_statement_themes lst on lst.statement_id = als.statement_id
                    join action_updates u on u.action_id = a.id and u.status_to in ('completed', 'assured')
                    where a.status in ('completed', 'assured') group by 1, 2),
           ranked as (select *, row_number() over (partition by theme_id order by done_on) as n from done),
           firsts as (select theme_id, max(review_id::text) filter (where n = 1) as first_review,
                             max(done_on) filter (where n = 1) as first_done,
                             max(done_on) filter (where n = 2) as second_done
                      from ranked where n <= 2 group by theme_id)
      select p.theme_id, extract(year from f.referred_on) as year, count(*),
             count(*) filter (where (case when p.review_id::text = t.first_review then t.second_done else t.first_done end) < f.referred_on)
      from pairs p join referrals f on f.review_id = p.review_id join reviews r on r.id = p.review_id
      left join firsts t on t.theme_id = p.theme_id
      where r.partnership_id = ${partnershipId} group by 1, 2`);
    if (needs)
      await database.db.execute(sql`
        select r.reference, r.type, r.stage, r.status, r.stage_entered_at::date, f.referred_on, d.outcome, d.decided_on,
               d.rapid_review_outcome, d.outcome_decided_on, p.line_of_sight_target_weeks, p.single_agency_target_weeks
        from reviews r join partnerships p on p.id = r.partnership_id join referrals f on f.review_id = r.id
        left join screening_decisions d on d.review_id = r.id
        where r.partnership_id = ${partnershipId} and r.stage <> 'closed' and r.status <> 'stopped'`);
    else
      await database.db.execute(sql`
        select r.stage, count(*), percentile_cont(0.5) within group (order by current_date - r.stage_entered_at::date)
        from reviews r join referrals f on f.review_id = r.id where r.partnership_id = ${partnershipId} and r.stage <> 'closed' group by r.stage`);
    await database.db.execute(sql`
      select q.agency_id, count(*), count(*) filter (where q.due_date < ${today}::date)
      from agency_requests q join reviews r on r.id = q.review_id where r.partnership_id = ${partnershipId}
      and q.status in ('sent', 'in_progress', 'returned') group by 1`);
    await database.db.execute(sql`
      select a.owning_agency_id, count(*) filter (where a.status in ('not_started', 'in_progress') and a.due_date < ${today}::date),
             count(*) filter (where a.status in ('completed', 'assured'))
      from review_actions a join reviews r on r.id = a.review_id where r.partnership_id = ${partnershipId} group by 1`);
    await database.db.execute(sql`
      select p.id, r.round_date, r.sampled, r.compliant from practice_audit_rounds r join practice_audits p on p.id = r.audit_id
      where p.partnership_id = ${partnershipId} order by 1, 2`);
    if (needs)
      await database.db.execute(sql`
        with dated as (select c.id, left(u.d::text, 7) || '-01' as d from monitored_children c cross join lateral unnest(c.referrals) as u(d)
                       where c.partnership_id = ${partnershipId}),
             stepped as (select id, d::date as day, lag(d::date) over (partition by id order by d) as before from dated),
             once as (select id, day from stepped where before is null or day - before > 7),
             paired as (select day, lag(day) over (partition by id order by day) as previous from once)
        select extract(year from day), count(*), count(*) filter (where day <= (previous + interval '12 months')::date)
        from paired group by 1`);
    else
      await database.db.execute(sql`
        with dated as (select c.id, u.d::text as d from monitored_children c cross join lateral unnest(c.referrals) as u(d)
                       where c.partnership_id = ${partnershipId})
        select left(d, 4), count(*) from dated group by 1`);
  };
}

async function main() {
  const scratch = `los_bench_learning_${process.pid}`;
  let admin: pg.Client | null = null;
  let database: DatabaseHandle;
  if (usePglite) database = await openDatabase({ migrate: true });
  else {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${scratch}`);
    const url = new URL(serverUrl);
    url.pathname = `/${scratch}`;
    database = await openDatabase({ url: url.toString(), migrate: true });
  }
  try {
    console.log(
      `${database.kind}: loading the demo and generating ${REVIEWS} reviews, ${REVIEWS * STATEMENTS_PER_REVIEW} learning statements, ${BRIEFINGS} briefings`,
    );
    await loadDemo(database.db);
    const system = systemRepository(database.db);
    const board = actorFor((await system.userByEmail('board@demo.example'))!, 'bench');
    await generate(database, board.partnershipId);
    const services = createServices({ ...serviceConnections(database), now: () => new Date() });
    const today = londonDate(new Date());

    const recurrenceOurs = () => services.recurrence.list(board, {});
    const dashboardOurs = () => services.dashboard.view(board, {});
    /** A change to what the figures are read from: a new version, so nothing kept is reused. */
    const change = async () => {
      await database.db.execute(
        sql`update learning_themes set name = name where id = (select id from learning_themes where partnership_id = ${board.partnershipId} order by key limit 1)`,
      );
    };
    const pairs: {
      name: string;
      ours: () => Promise<unknown>;
      base: () => Promise<void>;
      before?: () => Promise<void>;
    }[] = [
      {
        name: 'recurrence (GET /api/v1/themes/recurrence service) against counts',
        ours: recurrenceOurs,
        base: recurrenceBaseline(database, board.partnershipId),
      },
      {
        name: 'recurrence against the aggregates giving its lists',
        ours: recurrenceOurs,
        base: recurrenceListsBaseline(database, board.partnershipId),
      },
      {
        name: 'recurrence against the aggregates giving its lists, after a change',
        ours: recurrenceOurs,
        base: recurrenceListsBaseline(database, board.partnershipId),
        before: change,
      },
      {
        name: 'dashboard (every figure)',
        ours: dashboardOurs,
        base: dashboardBaseline(database, board.partnershipId, today),
      },
      {
        name: 'dashboard (every figure), after a change',
        ours: dashboardOurs,
        base: dashboardBaseline(database, board.partnershipId, today),
        before: change,
      },
      {
        name: 'dashboard (every figure), after a change, against the aggregates its figures need',
        ours: dashboardOurs,
        base: dashboardBaseline(database, board.partnershipId, today, true),
        before: change,
      },
      {
        // The same aggregates as the service runs them: in a transaction as the application's role,
        // under the database's row-level policies for the board member (drizzle/0020).
        name: 'dashboard (every figure), after a change, against its aggregates under the row-level policies',
        ours: dashboardOurs,
        base: () =>
          database.db.transaction(async (tx) => {
            await scopeTransaction(tx, board);
            await dashboardBaseline(
              { db: tx as unknown as DatabaseHandle['db'] },
              board.partnershipId,
              today,
            )();
          }),
        before: change,
      },
    ];
    const items = (await recurrenceOurs()).items;
    console.log(
      `themes: ${items.length}, reviews carrying the first: ${items[0]?.reviews.length}, briefings: ${items[0]?.briefings.length}`,
    );
    for (const p of pairs) {
      await p.base();
      await p.ours(); // warm both
      const ratios: number[] = [];
      const oursTimes: number[] = [];
      const baseTimes: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await p.before?.();
        const [a, b] = i % 2 === 0 ? [p.base, p.ours] : [p.ours, p.base];
        const ta = await time(a);
        const tb = await time(b);
        const [base, ours] = i % 2 === 0 ? [ta, tb] : [tb, ta];
        baseTimes.push(base);
        oursTimes.push(ours);
        ratios.push(ours / base);
      }
      console.log(
        `${p.name}: baseline best ${ms(Math.min(...baseTimes))} median ${ms(median(baseTimes))}; ours best ${ms(Math.min(...oursTimes))} median ${ms(median(oursTimes))}; ratio of bests ${(Math.min(...oursTimes) / Math.min(...baseTimes)).toFixed(2)}, median ratio ${median(ratios).toFixed(2)}`,
      );
    }

    // The page itself, through the real application: signed in as a board member.
    const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), DATA_DIR: ':memory:' };
    const app = await buildApp(
      {
        config,
        database,
        services: createServices({ ...serviceConnections(database), now: () => new Date(), limits: limitsFrom(config) }),
      },
      {},
    );
    await app.ready();
    const { WebClient } = await import('../test/support/client.ts');
    const client = new WebClient(app);
    await client.signIn('board@demo.example');
    for (const afterChange of [false, true]) {
      const pageTimes: number[] = [];
      for (let i = 0; i < rounds + 1; i++) {
        if (afterChange) await change();
        const started = performance.now();
        const res = await client.get('/dashboard');
        if (res.statusCode !== 200) throw new Error(`GET /dashboard answered ${res.statusCode}`);
        if (i > 0) pageTimes.push(performance.now() - started);
      }
      console.log(
        `GET /dashboard page${afterChange ? ', after a change' : ''}: best ${ms(Math.min(...pageTimes))}, median ${ms(median(pageTimes))} (target < 300 ms)`,
      );
    }
    await app.close();
  } finally {
    await database.close();
    if (admin && keep) console.log(`kept the database ${scratch}`);
    else if (admin) await admin.query(`drop database if exists ${scratch} with (force)`);
    await admin?.end();
  }
}

await main();
