import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { poolOf, type Executor } from '../../src/db/client.ts';
import { APPLICATION_ROLE, scopeTransaction, type ActorScope } from '../../src/db/actor-scope.ts';
import { scopedTransaction } from '../../src/db/transaction-scope.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * PostgreSQL enforces the access policy as well (drizzle/0020): a transaction in the application's
 * role reads nothing until an actor is set, and as one partnership's actor even a hand-written
 * `select *` returns none of another partnership's rows.
 */
/** The part of node-postgres's connection that writes queries. */
interface WireConnection {
  query(text: string): unknown;
  parse(message: { text: string }): unknown;
}

describe.each(DATABASE_KINDS)('row-level security (%s)', (kind) => {
  let t: TestApp;
  let northshire: ActorScope;
  let other: ActorScope;
  const rowsOf = async <R>(db: Executor, query: ReturnType<typeof sql>) =>
    ((await db.execute(query)) as unknown as { rows: R[] }).rows;
  const count = async (db: Executor, table: string) =>
    (await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    const [coordinator] = await rowsOf<{ id: string; partnership_id: string; agency_id: string | null }>(
      t.database.db,
      sql`select id, partnership_id, agency_id from users where email = 'coordinator@demo.example'`,
    );
    northshire = { userId: coordinator!.id, partnershipId: coordinator!.partnership_id, agencyId: null };
    // Another partnership on the same database, with an agency and a person of its own.
    const [partnership] = await rowsOf<{ id: string }>(
      t.database.db,
      sql`insert into partnerships (name) values ('Southshire Safeguarding Children Partnership (test)') returning id`,
    );
    await t.database.db.execute(
      sql`insert into agencies (partnership_id, code, name, type) values (${partnership!.id}, 'southshire-police', 'Southshire Police (test)', 'police')`,
    );
    other = {
      userId: '00000000-0000-4000-8000-000000000001',
      partnershipId: partnership!.id,
      agencyId: null,
    };
  });
  afterAll(async () => t?.close());

  it('reads nothing in the application role with no actor set', async () => {
    expect(await count(t.database.db, 'reviews')).toBeGreaterThan(0);
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local role ${APPLICATION_ROLE}`));
      for (const table of [
        'partnerships',
        'reviews',
        'review_subjects',
        'referrals',
        'chronology_entries',
        'agencies',
        'users',
        'audit_events',
        'learning_statements',
        'briefings',
      ])
        expect(await count(tx, table), table).toBe(0);
    });
  });

  it("reads nothing on the application's own connection with no actor set", async () => {
    const tables = ['partnerships', 'reviews', 'referrals', 'chronology_entries', 'users', 'audit_events'];
    for (const table of tables) expect(await count(t.database.db, table), table).toBeGreaterThan(0);
    // A statement of its own, and one in a transaction of its own, as a forgotten scope would run.
    for (const table of tables) expect(await count(t.database.app, table), table).toBe(0);
    await t.database.app.transaction(async (tx) => {
      for (const table of tables) expect(await count(tx, table), table).toBe(0);
    });
    const [who] = await rowsOf<{ current: string; session: string }>(
      t.database.app,
      sql`select current_user as current, session_user as session`,
    );
    expect(who!.current).toBe(APPLICATION_ROLE);
    // The server: signed in as the role. PGlite: one session, its superuser's, given the role for
    // each turn of the application's connections (docs/security.md, "What holds where").
    expect(who!.session).toBe(kind === 'postgres' ? APPLICATION_ROLE : 'postgres');
  });

  it("cannot leave the application's role on the server by resetting it; on PGlite only for its turn", async () => {
    const reset = await t.database.app.transaction(async (tx) => {
      await tx.execute(sql`reset role`);
      const [row] = await rowsOf<{ current: string }>(tx, sql`select current_user as current`);
      return { role: row!.current, reviews: await count(tx, 'reviews') };
    });
    if (kind === 'postgres') expect(reset).toEqual({ role: APPLICATION_ROLE, reviews: 0 });
    else expect(reset).toEqual({ role: 'postgres', reviews: await count(t.database.db, 'reviews') });
    // The next turn of the application's connections has the role again.
    const [next] = await rowsOf<{ current: string }>(t.database.app, sql`select current_user as current`);
    expect(next!.current).toBe(APPLICATION_ROLE);
    expect(await count(t.database.app, 'reviews')).toBe(0);
  });

  it("gives one partnership's actor none of another's rows, even to select *", async () => {
    const seen = async (actor: ActorScope) =>
      t.database.db.transaction(async (tx) => {
        await scopeTransaction(tx, actor);
        return {
          role: (await rowsOf<{ r: string }>(tx, sql`select current_user as r`))[0]!.r,
          partnerships: (await rowsOf<{ id: string }>(tx, sql`select * from partnerships`)).map((r) => r.id),
          agencies: (await rowsOf<{ partnership_id: string }>(tx, sql`select * from agencies`)).map(
            (r) => r.partnership_id,
          ),
          reviews: (await rowsOf<{ partnership_id: string }>(tx, sql`select * from reviews`)).map(
            (r) => r.partnership_id,
          ),
          entries: await count(tx, 'chronology_entries'),
        };
      });
    const ours = await seen(northshire);
    expect(ours.role).toBe(APPLICATION_ROLE);
    expect(ours.partnerships).toEqual([northshire.partnershipId]);
    expect(ours.agencies.length).toBeGreaterThan(3);
    expect(new Set(ours.agencies)).toEqual(new Set([northshire.partnershipId]));
    expect(new Set(ours.reviews)).toEqual(new Set([northshire.partnershipId]));
    expect(ours.entries).toBe(await count(t.database.db, 'chronology_entries'));

    const theirs = await seen(other);
    expect(theirs.partnerships).toEqual([other.partnershipId]);
    expect(theirs.agencies).toEqual([other.partnershipId]);
    expect(theirs.reviews).toEqual([]);
    expect(theirs.entries).toBe(0);
  });

  it("sends a person's settings with their transaction's BEGIN, and scopes only that transaction", async () => {
    // What goes over the wire, read where each connection writes its messages (not changed): a
    // simple-protocol query, or the parse message of an extended-protocol one.
    const sent: string[] = [];
    const pool = poolOf(t.database.db);
    const watched = new Map<WireConnection, Pick<WireConnection, 'query' | 'parse'>>();
    const watch = (client: pg.PoolClient) => {
      const wire = (client as unknown as { connection: WireConnection }).connection;
      if (watched.has(wire)) return;
      const { query, parse } = wire;
      watched.set(wire, { query, parse });
      wire.query = (text: string) => {
        sent.push(text);
        return query.call(wire, text);
      };
      wire.parse = (message: { text: string }) => {
        sent.push(message.text);
        return parse.call(wire, message);
      };
    };
    pool.on('acquire', watch);
    try {
      const inside = await scopedTransaction(t.database.db, other, async (tx) => {
        const [row] = await rowsOf<{ role: string; partnership: string; agency: string }>(
          tx,
          sql`select current_user as role, current_setting('los.partnership_id') as partnership, current_setting('los.agency_id') as agency`,
        );
        return row;
      });
      expect(inside).toEqual({ role: APPLICATION_ROLE, partnership: other.partnershipId, agency: '' });
      const scopedBegins = sent.filter((text) => text.startsWith('begin;'));
      expect(scopedBegins).toHaveLength(1);
      expect(scopedBegins[0]).toContain(`set_config('los.partnership_id', '${other.partnershipId}', true)`);
      // No settings statement of its own: they went with the BEGIN.
      expect(sent.filter((text) => text.trim().startsWith('select set_config'))).toEqual([]);
    } finally {
      pool.off('acquire', watch);
      for (const [wire, own] of watched) Object.assign(wire, own);
    }
    // The settings ended with the transaction: the next one on the pool is the owner's again.
    const after = await t.database.db.transaction(async (tx) =>
      rowsOf<{ role: string; partnership: string | null }>(
        tx,
        sql`select current_user as role, current_setting('los.partnership_id', true) as partnership`,
      ),
    );
    expect(after[0]!.role).not.toBe(APPLICATION_ROLE);
    expect(after[0]!.partnership ?? '').toBe('');
  });

  it("refuses to write a row into another partnership's tables", async () => {
    await expect(
      t.database.db.transaction(async (tx) => {
        await scopeTransaction(tx, other);
        await tx.execute(
          sql`insert into agencies (partnership_id, code, name, type) values (${northshire.partnershipId}, 'planted', 'Planted (test)', 'police')`,
        );
      }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '42501' }) });
    expect(
      (
        await rowsOf<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from agencies where code = 'planted'`,
        )
      )[0]!.n,
    ).toBe(0);
  });

  it("lets a person's use case work under the policies: the reviews list is whole", async () => {
    const actorRow = (
      await rowsOf<{ email: string }>(
        t.database.db,
        sql`select email from users where email = 'coordinator@demo.example'`,
      )
    )[0]!;
    const { actorFor } = await import('../../src/services/auth-service.ts');
    const user = (await t.services.auth.userById(northshire.userId))!;
    const reviews = await t.services.reviews.list(actorFor(user, 'rls-test'), {});
    expect(actorRow.email).toBe('coordinator@demo.example');
    expect(reviews.total).toBe(await count(t.database.db, 'reviews'));
  });

  it('puts every table holding a partnership’s or a review’s rows under a policy', async () => {
    const unprotected = await rowsOf<{ table_name: string }>(
      t.database.db,
      sql`select distinct c.table_name from information_schema.columns c
          join pg_class k on k.relname = c.table_name and k.relkind = 'r'
          join pg_namespace n on n.oid = k.relnamespace and n.nspname = 'public'
          where c.table_schema = 'public' and c.column_name in ('partnership_id', 'review_id')
            and not k.relrowsecurity
          order by 1`,
    );
    expect(unprotected.map((r) => r.table_name)).toEqual([]);
  });
});
