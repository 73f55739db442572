import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { limitsFrom } from '../../src/limits.ts';
import { createServices } from '../../src/services/index.ts';
import { auditChainService } from '../../src/services/audit-chain-service.ts';
import { scheduledJobs, type Runtime } from '../../src/runtime.ts';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';
import type { TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { runCommand, spawnCommand, startServe, type ServeProcess } from '../support/cli-process.ts';
import { serverUrl } from '../support/paths.ts';
import { tableContents, type Contents } from '../backup/contents.ts';
import { serviceConnections } from '../../src/db/client.ts';

const AUDIT_KEY = 'killed-mid-work-audit-key-0123456789-abcdef';
const BRIEFING = 'LOS-2021-002';

/**
 * What the running service itself changes as it goes (job claims, the audit log and its
 * checkpoints, tokens' last use, sessions, sent e-mail, generated settings, the learning figures'
 * version): everything else must be
 * exactly as it was before the work that was killed.
 */
const KEPT_BY_THE_SERVICE = [
  'scheduled_jobs',
  'audit_events',
  'audit_chain_heads',
  'audit_checkpoints',
  'api_tokens',
  'sessions',
  'sign_in_throttles',
  'outbound_emails',
  'app_settings',
  // A new version of the learning figures on any change to what they are read from (0023): the
  // stopped import marked failed is such a change, and a version is never reused.
  'learning_figures_versions',
];

/**
 * kill -9 in the middle of a chronology upload, a monitoring import, a briefing publication and a
 * backup; then the service is started again and found whole: it starts, nothing of the killed work
 * is half there, everything else is as it was, and the audit log still proves itself. "In the
 * middle" is made certain: a trigger the test adds pauses the work's transaction after its first
 * write (pg_sleep), and the process is killed while it waits there.
 */
describe.each(DATABASE_KINDS)(
  'killed in the middle of work, then started again (%s)',
  { timeout: 900_000 },
  (kind) => {
    let db: Awaited<ReturnType<typeof commandLineDatabase>>;
    let serve: ServeProcess;
    let ref: string;
    const tokens: Record<string, string> = {};
    const folder = mkdtempSync(join(tmpdir(), 'los-killed-'));
    const env = () => ({ AUDIT_KEY, ...(db.url ? { DATABASE_URL: db.url } : {}) });

    /** A connection of the test's own: through the service on the embedded database. */
    async function withDatabase<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
      const handle = await db.open();
      try {
        return await fn(handle);
      } finally {
        await handle.close();
      }
    }
    const rows = async <R>(handle: DatabaseHandle, query: ReturnType<typeof sql>) =>
      ((await handle.db.execute(query)) as unknown as { rows: R[] }).rows;

    const contents = () =>
      withDatabase(async (h) => {
        const all = await tableContents(h.db);
        for (const table of KEPT_BY_THE_SERVICE) delete all.tables[table];
        return all;
      });
    /**
     * The same rows in every table and the same schema. Sequences only move on: PostgreSQL logs them
     * ahead (32 values), so after a crash they resume past where they stood, leaving a gap.
     */
    const expectSame = (after: Contents, before: Contents) => {
      expect(after.tables).toEqual(before.tables);
      expect(after.migrations).toEqual(before.migrations);
      for (const [name, value] of Object.entries(before.sequences))
        expect(BigInt(after.sequences[name]!) >= BigInt(value), name).toBe(true);
    };
    const audited = (action: string) =>
      withDatabase(
        async (h) =>
          (
            await rows<{ n: number }>(
              h,
              sql`select count(*)::int as n from audit_events where action = ${action}`,
            )
          )[0]!.n,
      );
    const verify = () =>
      withDatabase((h) => auditChainService({ ...serviceConnections(h), now: () => new Date() }).verify({ key: AUDIT_KEY }));

    /** Waits until the service's scheduled jobs have run and let go (they run once at start). */
    const settled = () =>
      withDatabase(async (h) => {
        const jobs = scheduledJobs({} as Runtime).length;
        for (let i = 0; i < 600; i++) {
          const [state] = await rows<{ done: number; busy: number }>(
            h,
            sql`select count(*) filter (where last_finished_at is not null)::int as done,
                     count(*) filter (where locked_until is not null)::int as busy from scheduled_jobs`,
          );
          if (state!.done >= jobs && state!.busy === 0) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the scheduled jobs did not settle');
      });

    /** The fault: the next statement of this kind on the table waits a long time inside its transaction. */
    const pauseAfter = (table: string, event: 'INSERT' | 'UPDATE') =>
      withDatabase(async (h) => {
        await h.db.execute(
          sql.raw(`create or replace function los_test_pause() returns trigger language plpgsql as $$
                 begin perform pg_sleep(120); return null; end $$`),
        );
        await h.db.execute(
          sql.raw(
            `create trigger los_test_pause after ${event} on ${table} for each statement execute function los_test_pause()`,
          ),
        );
      });
    const removePause = (table: string) =>
      withDatabase(async (h) => {
        await h.db.execute(sql.raw(`drop trigger if exists los_test_pause on ${table}`));
        await h.db.execute(sql.raw(`drop function if exists los_test_pause()`));
      });

    /**
     * Until the work is waiting inside its transaction: on a server PostgreSQL says so; the embedded
     * database has one session, which the work holds, so a question from outside goes unanswered.
     */
    async function waitUntilPaused() {
      for (let i = 0; i < 300; i++) {
        if (kind === 'postgres') {
          const waiting = await withDatabase(async (h) =>
            rows<{ n: number }>(
              h,
              sql`select count(*)::int as n from pg_stat_activity where wait_event = 'PgSleep' and datname = current_database()`,
            ),
          );
          if (waiting[0]!.n > 0) return;
        } else {
          const handle = await db.open();
          const answered = await Promise.race([
            handle.db.execute(sql`select 1`).then(() => true),
            new Promise<false>((r) => setTimeout(() => r(false), 2_000)),
          ]);
          if (!answered) {
            void handle.close().catch(() => undefined);
            return;
          }
          await handle.close();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the work never reached its pause');
    }

    const restart = async (how: 'kill' | 'stop') => {
      if (how === 'kill') await serve.kill();
      else await serve.stop();
      serve = await startServe(db.args, env());
      expect((await fetch(`${serve.address}/ping`)).status).toBe(200);
      await settled();
    };

    const api = (who: string, method: string, path: string, body?: string | object) =>
      fetch(`${serve.address}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(typeof body === 'string'
            ? { 'content-type': 'text/csv' }
            : body
              ? { 'content-type': 'application/json' }
              : {}),
        },
        ...(body ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });

    beforeAll(async () => {
      db = await commandLineDatabase(kind);
      if (db.url) {
        // A server notices a client that died while its statement runs (PostgreSQL 14+), as production should.
        const admin = new pg.Client({ connectionString: db.url });
        await admin.connect();
        await admin.query(
          `alter database "${new URL(db.url).pathname.slice(1)}" set client_connection_check_interval = '250ms'`,
        );
        await admin.end();
      }
      // Before the service starts: a review taking agency returns, and tokens for the API.
      await withDatabase(async (handle) => {
        const services = createServices({ ...serviceConnections(handle), now: () => new Date(), limits: limitsFrom({}) });
        const t = { services, database: handle } as unknown as TestApp;
        ref = await reviewInInformationGathering(t);
        await services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
          agencies: ['police'],
          workingDays: 15,
        });
        for (const who of ['coordinator', 'chair', 'police.lead'])
          tokens[who] = (await services.auth.createApiToken(`${who}@demo.example`, 'kill test')).token;
      });
      serve = await startServe(db.args, env());
      await settled();
    });
    afterAll(async () => {
      await serve?.stop();
      await db?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('a chronology upload: none of it is kept, and the return takes the file after', async () => {
      const before = await contents();
      const uploads = await audited('return.upload');
      const csv = ['date,agency,event_type,summary,source_ref'];
      for (let i = 0; i < 3000; i++)
        csv.push(
          `2019-05-${String((i % 28) + 1).padStart(2, '0')},police,contact,Synthetic killed upload,K-${i}`,
        );
      await pauseAfter('chronology_entries', 'INSERT');
      const sending = api('police.lead', 'POST', `/reviews/${ref}/chronology`, csv.join('\n') + '\n').catch(
        (e: unknown) => e as Error,
      );
      await waitUntilPaused();
      await restart('kill');
      expect(await sending).toBeInstanceOf(Error);
      await removePause('chronology_entries');

      expectSame(await contents(), before);
      expect(await audited('return.upload')).toBe(uploads);
      expect((await verify()).breaks).toEqual([]);
      // Nothing is left holding the return: the same file goes in whole now.
      const again = await api('police.lead', 'POST', `/reviews/${ref}/chronology`, csv.join('\n') + '\n');
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual({ added: 3000 });
    });

    it('a monitoring import: the run says it stopped, nothing of it is staged, the current dataset is untouched', async () => {
      const before = await contents();
      const runs = await withDatabase((h) => rows<{ id: string }>(h, sql`select id from monitoring_imports`));
      await pauseAfter('monitoring_entries', 'INSERT');
      const importing = spawnCommand(
        [...db.args, 'monitor', 'import', 'test/fixtures/signals/two-children.csv'],
        env(),
      );
      await waitUntilPaused();
      if (kind === 'pglite') {
        // The embedded database's process holds the import's transaction: kill it.
        await serve.kill();
        expect((await importing.result).code).not.toBe(0);
        serve = await startServe(db.args, env());
        await settled();
      } else {
        importing.child.kill('SIGKILL');
        expect((await importing.result).code).toBe(null);
        await restart('stop');
      }
      await removePause('monitoring_entries');

      const after = await contents();
      expect(after.migrations).toEqual(before.migrations);
      const { monitoring_imports: importsAfter, ...restAfter } = after.tables;
      const { monitoring_imports: importsBefore, ...restBefore } = before.tables;
      expect(restAfter).toEqual(restBefore);
      expect(importsAfter!.rows).toBe(importsBefore!.rows + 1);
      const known = new Set(runs.map((r) => r.id));
      const killed = await withDatabase((h) =>
        rows<{ id: string; status: string; error: string; staged: number }>(
          h,
          sql`select i.id, i.status, i.error, (select count(*)::int from monitored_children c where c.import_id = i.id) as staged
            from monitoring_imports i`,
        ),
      ).then((all) => all.filter((r) => !known.has(r.id)));
      expect(killed).toEqual([
        {
          id: expect.any(String),
          status: 'failed',
          error:
            'The import stopped before it finished (the service stopped or restarted while it ran). Nothing from it was kept: load the file again.',
          staged: 0,
        },
      ]);
      expect((await verify()).breaks).toEqual([]);
    });

    it('a briefing publication: the version stays approved, the library unchanged, and it publishes after', async () => {
      const versions = `/reviews/${BRIEFING}/briefing`;
      expect(
        (await api('coordinator', 'POST', `${versions}/versions`, { note: 'Reissued to test a crash' }))
          .status,
      ).toBe(201);
      expect((await api('coordinator', 'POST', `${versions}/check`)).status).toBe(200);
      expect((await api('coordinator', 'POST', `${versions}/submit`)).status).toBe(200);
      expect(await (await api('chair', 'POST', `${versions}/approve`)).json()).toEqual({
        version: 3,
        state: 'approved',
      });
      await settled();
      const before = await contents();
      const published = await audited('briefing.publish');

      await pauseAfter('briefing_versions', 'UPDATE');
      const publishing = api('coordinator', 'POST', `${versions}/publish`).catch((e: unknown) => e as Error);
      await waitUntilPaused();
      await restart('kill');
      expect(await publishing).toBeInstanceOf(Error);
      await removePause('briefing_versions');

      expectSame(await contents(), before);
      expect(await audited('briefing.publish')).toBe(published);
      expect((await verify()).breaks).toEqual([]);
      const now = await api('coordinator', 'POST', `${versions}/publish`);
      expect(await now.json()).toEqual({ version: 3, state: 'published' });
    });

    it('a backup: no file under its name, the service carries on, and the next backup replaces what it left', async () => {
      const file = join(folder, 'nightly.backup.gz');
      const before = await contents();
      const backing = spawnCommand([...db.args, 'backup', file], env());
      const partial = `.nightly.backup.gz.partial-${backing.child.pid}`;
      // Killed once its file is being written: the snapshot is open and rows are going out.
      for (let i = 0; i < 6000 && !existsSync(join(folder, partial)); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(existsSync(join(folder, partial))).toBe(true);
      backing.child.kill('SIGKILL');
      expect((await backing.result).code).toBe(null);
      expect(existsSync(file)).toBe(false);
      expect((await fetch(`${serve.address}/ping`)).status).toBe(200);
      await restart('stop');

      expectSame(await contents(), before);
      expect((await verify()).breaks).toEqual([]);
      const next = runCommand([...db.args, 'backup', file], env());
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout).toMatch(/^Backed up [\d,]+ rows in \d+ tables to .*nightly\.backup\.gz \(/);
      expect(readdirSync(folder)).toEqual(['nightly.backup.gz']);
    });

    it('restores the backup taken while the service runs into a new database, refusing the one in use', async () => {
      const file = join(folder, 'nightly.backup.gz');
      const inUse = runCommand([...db.args, 'restore', file], env());
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toEqual(
        kind === 'pglite'
          ? `line-of-sight: the embedded database in ${db.args[1]} is in use by process ${serve.process.pid} (serve): stop it before restoring, or restore into a new directory with --data DIR.\n`
          : // An instance's idle connections close after a while: then it is its data that refuses.
            expect.stringMatching(
              /^line-of-sight: the database is (in use \(\d+ other connections?\): stop every instance of Line of Sight|not empty \(\w+ holds rows\): restore into a new, empty database)/,
            ),
      );

      const target = await newDatabase(kind);
      try {
        const restored = runCommand([...target.args, 'restore', file], target.env);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout).toMatch(
          /^Restored [\d,]+ rows in \d+ tables from .* every table was read back and matches the backup\.\nThe audit log holds together: [\d,]+ rows in \d+ chains checked\.\n$/,
        );
        const source = await contents();
        const copy = await target.contents();
        expect(copy.tables).toEqual(source.tables);
        // And the service runs on it: the people and tokens came back too.
        const second = await startServe(target.args, target.env);
        try {
          const reviews = await fetch(`${second.address}/api/v1/reviews?limit=1`, {
            headers: { authorization: `Bearer ${tokens.coordinator}` },
          });
          expect(reviews.status).toBe(200);
        } finally {
          await second.stop();
        }
      } finally {
        await target.drop();
      }
    });
  },
);

/** A new, empty database addressed as the command line would, and a view of its contents. */
async function newDatabase(kind: 'pglite' | 'postgres') {
  const { openDatabase } = await import('../../src/db/client.ts');
  const contentsOf = async (open: () => Promise<DatabaseHandle>): Promise<Contents> => {
    const handle = await open();
    try {
      const all = await tableContents(handle.db);
      for (const table of KEPT_BY_THE_SERVICE) delete all.tables[table];
      return all;
    } finally {
      await handle.close();
    }
  };
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'los-restored-'));
    return {
      args: ['--data', dir],
      env: { AUDIT_KEY },
      contents: () => contentsOf(() => openDatabase({ dataDir: dir })),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = process.env.TEST_DATABASE_URL!;
  const name = `los_test_restored_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = serverUrl(server, name);
  return {
    args: [] as string[],
    env: { AUDIT_KEY, DATABASE_URL: url },
    contents: () => contentsOf(() => openDatabase({ url, poolSize: 1 })),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: server });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
