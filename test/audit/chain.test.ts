import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { auditRepository } from '../../src/db/repositories/audit-repository.ts';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { runCommand } from '../support/cli-process.ts';

const KEY = 'test-audit-key-that-is-long-enough-0123456789';

/**
 * The audit log proves itself: `verify` passes on an untouched log and finds a row changed, deleted,
 * inserted or reordered behind the application's back (as a superuser would, with the append-only
 * trigger switched off), and a chain rewritten whole is caught by the signed checkpoints.
 */
describe.each(DATABASE_KINDS)('the audit chain (%s)', (kind) => {
  let t: TestApp;
  const run = (statement: string) => t.database.db.execute(sql.raw(statement));
  /** The log, its chain heads and checkpoints as the demonstration left them. */
  const KEPT = ['audit_events', 'audit_chain_heads', 'audit_checkpoints'];

  // One database for the file: each test tampers with the log, and the log is put back after it
  // exactly as it was (as a superuser would, triggers off) and proven whole again before the next.
  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const table of KEPT) await run(`create table kept_${table} as select * from ${table}`);
  });
  afterAll(async () => t?.close());
  afterEach(async () => {
    await t.database.db.transaction(async (tx) => {
      for (const table of KEPT) {
        await tx.execute(sql.raw(`alter table ${table} disable trigger user`));
        await tx.execute(sql.raw(`delete from ${table}`));
        await tx.execute(sql.raw(`insert into ${table} select * from kept_${table}`));
        await tx.execute(sql.raw(`alter table ${table} enable trigger user`));
      }
      await tx.execute(sql`delete from outbound_emails where kind = 'audit.break'`);
    });
    expect((await verify()).breaks).toEqual([]);
  });

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  /** As a superuser would: with the append-only trigger off for the one statement. */
  const behindTheBack = async (statement: string) => {
    await run('alter table audit_events disable trigger audit_events_append_only');
    try {
      await run(statement);
    } finally {
      await run('alter table audit_events enable trigger audit_events_append_only');
    }
  };
  const verify = () => t.services.auditChain.verify({ key: KEY });
  /** A row in the middle of the demo partnership's chain. */
  const middle = async () => {
    const [row] = await rows<{ id: number; chain: string; chain_seq: number }>(
      sql`select id, chain, chain_seq from audit_events where chain <> 'global'
          order by chain_seq offset 5 limit 1`,
    );
    return { ...row!, id: Number(row!.id), chain_seq: Number(row!.chain_seq) };
  };

  it('holds together on the demonstration, and every new row joins the chain in order', async () => {
    for (let i = 0; i < 5; i++)
      await auditRepository(t.database.db).write({
        action: 'audit.verify',
        outcome: 'success',
        detail: { i },
      });
    const report = await verify();
    expect(report.breaks).toEqual([]);
    expect(report.rows).toBe(
      Number((await rows<{ n: number }>(sql`select count(*)::int as n from audit_events`))[0]!.n),
    );
    const seqs = await rows<{ gaps: number }>(
      sql`select count(*)::int as gaps from (
            select chain_seq - lag(chain_seq) over (partition by chain order by chain_seq) as step from audit_events
          ) s where step <> 1`,
    );
    expect(seqs[0]!.gaps).toBe(0);
  });

  it('finds a row whose content was changed', async () => {
    const row = await middle();
    await behindTheBack(
      `update audit_events set outcome = 'success', detail = '{"edited": true}' where id = ${row.id}`,
    );
    expect((await verify()).breaks).toEqual([
      expect.objectContaining({ kind: 'changed', rowId: row.id, chain: row.chain }),
    ]);
  });

  it('finds a row that was deleted', async () => {
    const row = await middle();
    await behindTheBack(`delete from audit_events where id = ${row.id}`);
    const [found] = (await verify()).breaks;
    expect(found).toMatchObject({ kind: 'deleted', chain: row.chain });
    expect(found!.message).toContain(`places ${row.chain_seq} of the chain are missing`);
  });

  it('finds rows deleted from the end, even with the chain head put back', async () => {
    const { chain } = await middle();
    await t.services.auditChain.checkpoint(KEY);
    const last = async () =>
      (
        await rows<{ id: number; chain_seq: number; prev_hash: string }>(
          sql`select id, chain_seq, prev_hash from audit_events where chain = ${chain} order by chain_seq desc limit 1`,
        )
      )[0]!;
    const before = await last();
    await behindTheBack(`delete from audit_events where id = ${Number(before.id)}`);
    expect((await verify()).breaks[0]).toMatchObject({ kind: 'deleted', chain });
    // The head set back to the row that is now last: the signed checkpoint still knows better.
    const now = await last();
    await run(
      `update audit_chain_heads set seq = ${Number(now.chain_seq)}, hash = (select row_hash from audit_events where id = ${Number(now.id)}) where chain = '${chain}'`,
    );
    const [found] = (await verify()).breaks;
    expect(found).toMatchObject({ kind: 'deleted', chain });
    expect(found!.message).toContain('signed checkpoint');
  });

  it('finds a row inserted behind the application, with or without a place in the chain', async () => {
    const row = await middle();
    await run('alter table audit_events disable trigger audit_events_chain');
    try {
      await run(
        `insert into audit_events (action, outcome, partnership_id) values ('forged', 'success', '${row.chain}')`,
      );
    } finally {
      await run('alter table audit_events enable trigger audit_events_chain');
    }
    expect((await verify()).breaks[0]).toMatchObject({ kind: 'inserted', chain: '(none)' });
  });

  it('finds rows put in another order, and a back-dated row', async () => {
    const row = await middle();
    await behindTheBack(
      `update audit_events set chain_seq = case when chain_seq = ${row.chain_seq} then -1 else chain_seq end where chain = '${row.chain}' and chain_seq = ${row.chain_seq}`,
    );
    await behindTheBack(
      `update audit_events set chain_seq = ${row.chain_seq} where chain = '${row.chain}' and chain_seq = ${row.chain_seq + 1}`,
    );
    await behindTheBack(`update audit_events set chain_seq = ${row.chain_seq + 1} where chain_seq = -1`);
    expect((await verify()).breaks[0]).toMatchObject({ kind: 'out-of-order', chain: row.chain });
  });

  it('dates every row by the database under the chain lock: a row cannot be written back-dated', async () => {
    await run(
      `insert into audit_events (action, outcome, at) values ('back-dated', 'success', '2019-01-01T00:00:00Z')`,
    );
    const [row] = await rows<{ year: number }>(
      sql`select extract(year from at)::int as year from audit_events where action = 'back-dated'`,
    );
    expect(row!.year).toBeGreaterThanOrEqual(2026);
    expect((await verify()).breaks).toEqual([]);
  });

  it('catches a chain rewritten whole by its signed checkpoints, and a forged checkpoint', async () => {
    expect(await t.services.auditChain.checkpoint(KEY)).toBeGreaterThan(0);
    const row = await middle();
    // Someone who knows the algorithm changes a row and recomputes every hash after it.
    await behindTheBack(`update audit_events set detail = '{"rewritten": true}' where id = ${row.id}`);
    await behindTheBack(`
      do $$ declare r audit_events%rowtype; prev text; begin
        select prev_hash into prev from audit_events where id = ${row.id};
        for r in select * from audit_events where chain = '${row.chain}' and chain_seq >= ${row.chain_seq} order by chain_seq loop
          r.prev_hash := prev; r.row_hash := audit_event_hash(prev, audit_event_content(r));
          update audit_events set prev_hash = r.prev_hash, row_hash = r.row_hash where id = r.id;
          prev := r.row_hash;
        end loop;
        update audit_chain_heads set hash = prev where chain = '${row.chain}';
      end $$`);
    expect((await verify()).breaks).toEqual([
      expect.objectContaining({ kind: 'checkpoint', chain: row.chain }),
    ]);

    // And a checkpoint forged to match: its signature is not the key's.
    const [head] = await rows<{ seq: number; hash: string }>(
      sql`select seq, hash from audit_chain_heads where chain = ${row.chain}`,
    );
    const { keyIdOf } = await import('../../src/domain/audit/chain.ts');
    await run(
      `insert into audit_checkpoints (chain, seq, hash, key_id, signature) values ('${row.chain}', ${Number(head!.seq)}, '${head!.hash}', '${keyIdOf(KEY)}', '${'f'.repeat(64)}')`,
    );
    expect((await verify()).breaks[0]).toMatchObject({ kind: 'checkpoint' });
  });

  it('refuses TRUNCATE of the log, its chain heads and checkpoints', async () => {
    for (const table of ['audit_events', 'audit_chain_heads', 'audit_checkpoints'])
      await expect(run(`truncate ${table}`)).rejects.toMatchObject({
        cause: expect.objectContaining({ message: 'audit_events is append-only' }),
      });
  });

  it('tells the administrators when the daily check finds a break, and records it', async () => {
    const row = await middle();
    await behindTheBack(`update audit_events set action = 'edited' where id = ${row.id}`);
    const report = await t.services.auditChain.verifyAndAlert(KEY);
    expect(report.breaks).toHaveLength(1);
    const mail = await rows<{ to: string; subject: string; text: string }>(
      sql`select "to", subject, text from outbound_emails where kind = 'audit.break'`,
    );
    expect(mail.map((m) => m.to)).toEqual(['admin@demo.example']);
    expect(mail[0]!.subject).toBe('Line of Sight: the audit log failed its integrity check');
    expect(mail[0]!.text).toContain(`audit row ${row.id}`);
    const recorded = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where action = 'audit.verify' and outcome = 'failure'`,
    );
    expect(recorded[0]!.n).toBe(1);
  });

  it('keeps one order when many transactions write at once', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.database.db.transaction(async (tx) => {
          await auditRepository(tx).write({ action: 'audit.verify', outcome: 'success', detail: { i } });
          await auditRepository(tx).write({
            action: 'audit.verify',
            outcome: 'success',
            detail: { i, two: true },
          });
        }),
      ),
    );
    expect((await verify()).breaks).toEqual([]);
  });
});

describe.each(DATABASE_KINDS)('line-of-sight audit verify (%s)', (kind) => {
  it(
    'says the log holds together, then exits 4 naming the row changed behind its back',
    { timeout: 180_000 },
    async () => {
      const db = await commandLineDatabase(kind);
      const env = db.url ? { DATABASE_URL: db.url } : {};
      try {
        const ok = runCommand([...db.args, 'audit', 'verify'], env);
        expect(ok.stderr).toBe('');
        expect(ok.code).toBe(0);
        expect(ok.stdout).toMatch(/^The audit log holds together: \d+ rows in \d+ chains checked\.\n$/);
        const bad = runCommand([...db.args, 'audit', 'verify', '--from', 'yesterday'], env);
        expect(bad).toMatchObject({
          code: 1,
          stderr: 'line-of-sight: --from must be a date like 2026-01-31, not "yesterday".\n',
        });

        const handle = await db.open();
        let id: number;
        try {
          const result = (await handle.db.execute(
            sql`select id from audit_events where chain <> 'global' order by chain_seq offset 3 limit 1`,
          )) as unknown as { rows: { id: number }[] };
          id = Number(result.rows[0]!.id);
          await handle.db.execute(
            sql.raw('alter table audit_events disable trigger audit_events_append_only'),
          );
          await handle.db.execute(sql.raw(`update audit_events set outcome = 'denied' where id = ${id}`));
          await handle.db.execute(
            sql.raw('alter table audit_events enable trigger audit_events_append_only'),
          );
        } finally {
          await handle.close();
        }
        const broken = runCommand([...db.args, 'audit', 'verify'], env);
        expect(broken.code).toBe(4);
        expect(broken.stdout).toBe('');
        expect(broken.stderr).toContain(`line-of-sight audit verify: audit row ${id} (place `);
        expect(broken.stderr).toContain('was changed after it was written');
      } finally {
        await db.drop();
      }
    },
  );
});
