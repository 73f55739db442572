import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { scopeTransaction, type ActorScope } from '../../src/db/actor-scope.ts';
import type { Executor } from '../../src/db/client.ts';
import { RETURN_STATUSES_OTHERS_READ } from '../../src/domain/chronology/requests.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The database's own policies reach every table of a partnership's or a review's rows, those that
 * belong through another table too (drizzle/0028), and keep an agency's draft return to that
 * agency: a query that forgot its conditions, or a hand-written `select *`, cannot return another
 * partnership's or another agency's rows.
 */

/** Tables with no policy, and why: none holds a partnership's case or personal data for a person to read. */
const SYSTEM_TABLES = {
  app_settings: "the installation's own values (its generated session secret)",
  audit_chain_heads: "each audit chain's last hash, written with every audit row",
  audit_checkpoints: "the chains' signed checkpoints: hashes and signatures only",
  scheduled_jobs: "the scheduler's claims: a job's name, who holds it, when",
  sign_in_throttles: 'failed sign-ins by a hashed e-mail or an address, read before anyone is known',
  sso_states_used: 'hashes of single sign-on states already used',
};

describe.each(DATABASE_KINDS)('row-level security on every table (%s)', (kind) => {
  let t: TestApp;
  const rowsOf = async <R>(db: Executor, query: ReturnType<typeof sql>) =>
    ((await db.execute(query)) as unknown as { rows: R[] }).rows;
  const as = <T>(actor: ActorScope, fn: (tx: Executor) => Promise<T>) =>
    t.database.db.transaction(async (tx) => {
      await scopeTransaction(tx, actor);
      return fn(tx);
    });

  let draft: { id: string; review_id: string; agency_id: string; partnership_id: string };
  let submitted: { id: string; agency_id: string };
  let ownLead: ActorScope;
  let otherLead: ActorScope;
  let coordinator: ActorScope;
  let southshire: ActorScope;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    const db = t.database.db;
    // A review with a return still being written and one submitted or accepted, from other agencies.
    const [pair] = await rowsOf<{ draft: string; done: string }>(
      db,
      sql`select d.id as draft, s.id as done from agency_requests d
          join agency_requests s on s.review_id = d.review_id and s.agency_id <> d.agency_id
          where d.status in ('sent', 'in_progress') and s.status in ('submitted', 'accepted')
          order by d.id, s.id limit 1`,
    );
    draft = (
      await rowsOf<typeof draft>(
        db,
        sql`select q.id, q.review_id, q.agency_id, r.partnership_id from agency_requests q
          join reviews r on r.id = q.review_id where q.id = ${pair!.draft}`,
      )
    )[0]!;
    submitted = (
      await rowsOf<typeof submitted>(
        db,
        sql`select id, agency_id from agency_requests where id = ${pair!.done}`,
      )
    )[0]!;
    // Two entries of the draft, as its agency's lead would have written them.
    await db.execute(sql`
      insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary)
      values (${draft.review_id}, ${draft.id}, ${draft.agency_id}, '2021-03-04', '2021-03-04', 'contact', 'Synthetic draft entry one'),
             (${draft.review_id}, ${draft.id}, ${draft.agency_id}, '2021-03-05', '2021-03-05', 'contact', 'Synthetic draft entry two')`);
    const person = async (where: ReturnType<typeof sql>) => {
      const [u] = await rowsOf<{ id: string; partnership_id: string; agency_id: string | null }>(
        db,
        sql`select id, partnership_id, agency_id from users where ${where} order by email limit 1`,
      );
      return { userId: u!.id, partnershipId: u!.partnership_id, agencyId: u!.agency_id };
    };
    ownLead = { ...(await person(sql`partnership_id = ${draft.partnership_id}`)), agencyId: draft.agency_id };
    otherLead = { ...ownLead, agencyId: submitted.agency_id };
    coordinator = await person(sql`email = 'coordinator@demo.example'`);
    // A second partnership with a person of its own, a session and a token.
    const [partnership] = await rowsOf<{ id: string }>(
      db,
      sql`insert into partnerships (name) values ('Southshire Safeguarding Children Partnership (test)') returning id`,
    );
    const [user] = await rowsOf<{ id: string }>(
      db,
      sql`insert into users (partnership_id, email, name, roles)
          values (${partnership!.id}, 'coordinator@southshire.example', 'Southshire Coordinator (synthetic)', '{review_coordinator}')
          returning id`,
    );
    await db.execute(
      sql`insert into sessions (id_hash, user_id, data, expires_at) values ('southshire-session', ${user!.id}, '{}', now() + interval '1 hour')`,
    );
    await db.execute(
      sql`insert into api_tokens (user_id, name, token_hash) values (${user!.id}, 'Southshire tool', 'southshire-token-hash')`,
    );
    southshire = { userId: user!.id, partnershipId: partnership!.id, agencyId: null };
  });
  afterAll(async () => t?.close());

  it('has a policy on every table but the named system tables', async () => {
    const open = await rowsOf<{ relname: string }>(
      t.database.db,
      sql`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity order by 1`,
    );
    expect(open.map((r) => r.relname)).toEqual(Object.keys(SYSTEM_TABLES).sort());
  });

  it("keeps an agency's draft return to that agency, and shows a submitted one to others", async () => {
    const entries = (actor: ActorScope, requestId: string) =>
      as(actor, async (tx) =>
        (
          await rowsOf<{ summary: string }>(
            tx,
            sql`select * from chronology_entries where request_id = ${requestId} order by summary`,
          )
        ).map((r) => r.summary),
      );
    const submittedCount = (
      await rowsOf<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from chronology_entries where request_id = ${submitted.id}`,
      )
    )[0]!.n;
    expect(submittedCount).toBeGreaterThan(0);

    expect(await entries(ownLead, draft.id)).toEqual([
      'Synthetic draft entry one',
      'Synthetic draft entry two',
    ]);
    expect(await entries(otherLead, draft.id)).toEqual([]);
    expect(await entries(coordinator, draft.id)).toEqual([]);
    expect((await entries(otherLead, submitted.id)).length).toBe(submittedCount);
    expect((await entries(coordinator, submitted.id)).length).toBe(submittedCount);

    // Writing into another agency's draft is refused by the database itself.
    const refused = await as(otherLead, (tx) =>
      tx.execute(sql`
        insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary)
        values (${draft.review_id}, ${draft.id}, ${draft.agency_id}, '2021-03-06', '2021-03-06', 'contact', 'Not theirs')`),
    ).then(
      () => null,
      (error: unknown) =>
        (error as { code?: string; cause?: { code?: string } }).cause?.code ??
        (error as { code?: string }).code,
    );
    expect(refused).toBe('42501');
  });

  it('uses the statuses of the data layer for the return policy', async () => {
    const [policy] = await rowsOf<{ qual: string }>(
      t.database.db,
      sql`select qual from pg_policies where tablename = 'chronology_entries' and policyname = 'los_review'`,
    );
    const statuses = [...policy!.qual.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
    expect(new Set(statuses)).toEqual(new Set(RETURN_STATUSES_OTHERS_READ));
  });

  it("gives one partnership none of another's rows held through another table", async () => {
    const seen = (actor: ActorScope) =>
      as(actor, async (tx) => ({
        sessions: (await rowsOf<{ user_id: string }>(tx, sql`select * from sessions`)).map((r) => r.user_id),
        tokens: (await rowsOf<{ name: string }>(tx, sql`select * from api_tokens`)).map((r) => r.name),
        monitored: (
          await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from monitoring_entries`)
        )[0]!.n,
        versions: (await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from briefing_versions`))[0]!
          .n,
        updates: (await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from action_updates`))[0]!.n,
      }));
    const theirs = await seen(southshire);
    expect(theirs).toEqual({
      sessions: [southshire.userId],
      tokens: ['Southshire tool'],
      monitored: 0,
      versions: 0,
      updates: 0,
    });
    const ours = await seen(coordinator);
    expect(ours.sessions).not.toContain(southshire.userId);
    expect(ours.tokens).not.toContain('Southshire tool');
    // The demonstration holds a monitoring dataset, published briefings and action updates.
    expect(ours.monitored).toBeGreaterThan(0);
    expect(ours.versions).toBeGreaterThan(0);
    expect(ours.updates).toBeGreaterThan(0);
  });
});
