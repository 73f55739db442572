import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  allPartnerships,
  holdImportLease,
  monitoringRepository,
} from '../../src/db/repositories/monitoring-repository.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { spawnCommand, startServe } from '../support/cli-process.ts';
import type { ChronologyEntry } from '../../src/domain/chronology/entry.ts';

const entry = (child: string, row: number): ChronologyEntry => ({
  child,
  date: '2021-01-05',
  time: null,
  agency: 'police',
  eventType: 'police_incident',
  summary: 'Synthetic staged entry',
  childrenPresent: null,
  childSeen: null,
  childVoice: null,
  concerns: [],
  worker: null,
  practitionerRole: null,
  actionTaken: null,
  outcome: null,
  significance: null,
  sourceRef: `S${row}`,
  extra: {},
  row,
});

/**
 * An import whose process dies part-way (kill -9, a crash) leaves staged rows and a run saying
 * "Loading". They are found and cleared — when the service starts, before the next import and
 * hourly — and the run says it failed and why.
 */
describe.each(DATABASE_KINDS)('imports cut off part-way (%s)', (kind) => {
  let t: TestApp;
  let partnershipId: string;
  const count = async (query: ReturnType<typeof sql>) =>
    Number(((await t.database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  beforeAll(async () => {
    t = await buildTestApp(kind);
    partnershipId = (await allPartnerships(t.database.db))[0]!.id;
  });
  afterAll(async () => t?.close());

  /** A run left as a dead process leaves it: loading, with staged children and entries. */
  async function deadRun(fileName: string, quietMinutes: number) {
    const repo = monitoringRepository(t.database.db, partnershipId);
    const run = await repo.startImport({ fileName, bytesTotal: null, startedBy: null, label: 'test' });
    const ids = await repo.insertChildren(run.id, ['C-900001', 'C-900002']);
    await repo.insertEntries([
      { childId: ids.get('C-900001')!, entry: entry('C-900001', 2) },
      { childId: ids.get('C-900002')!, entry: entry('C-900002', 3) },
    ]);
    await t.database.db.execute(
      sql`update monitoring_imports set heartbeat_at = now() - make_interval(mins => ${quietMinutes}) where id = ${run.id}`,
    );
    return run.id;
  }
  const staged = (id: string) =>
    count(sql`select count(*)::int as n from monitored_children where import_id = ${id}`);
  const status = async (id: string) =>
    (
      (await t.database.db.execute(
        sql`select status, error from monitoring_imports where id = ${id}`,
      )) as unknown as {
        rows: { status: string; error: string | null }[];
      }
    ).rows[0]!;

  it('clears a run the database has not heard from, marks it failed with the reason and records it', async () => {
    const id = await deadRun('killed.csv', 10);
    expect(await staged(id)).toBe(2);
    const cleared = await t.services.monitoring.clearStopped();
    expect(cleared.map((r) => r.id)).toContain(id);
    expect(await staged(id)).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from monitoring_entries e join monitored_children c on c.id = e.child_id where c.import_id = ${id}`,
      ),
    ).toBe(0);
    expect(await status(id)).toEqual({
      status: 'failed',
      error:
        'The import stopped before it finished (the service stopped or restarted while it ran). Nothing from it was kept: load the file again.',
    });
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where action = 'monitoring.import' and outcome = 'failure' and subject_id = ${id}`,
      ),
    ).toBe(1);

    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const run = page(await coordinator.get(`/front-door/imports/${id}`));
    expect(run.$('main').text()).toContain('The import stopped before it finished');
    expect(run.$('main').text()).not.toContain('Refresh to see progress');
  });

  it('keeps an import that is alive: its lease held (a server) or its heartbeat recent', async () => {
    const id = await deadRun('running.csv', 0);
    const release = await holdImportLease(t.database.db, id);
    try {
      await t.services.monitoring.clearStopped();
      expect(await status(id)).toEqual({ status: 'loading', error: null });
      expect(await staged(id)).toBe(2);
    } finally {
      await release();
    }
    // Its lease released without finishing: on a server the process is known to be gone at once;
    // on the embedded database the heartbeat has to go quiet first.
    await t.services.monitoring.clearStopped();
    expect((await status(id)).status).toBe(kind === 'postgres' ? 'failed' : 'loading');
    await t.database.db.execute(
      sql`update monitoring_imports set heartbeat_at = now() - interval '6 minutes' where id = ${id}`,
    );
    await t.services.monitoring.clearStopped();
    expect(await status(id)).toMatchObject({ status: 'failed' });
    expect(await staged(id)).toBe(0);
  });

  it('clears a dead run of the partnership before its next import begins', async () => {
    const id = await deadRun('before-next.csv', 30);
    const { Readable } = await import('node:stream');
    await t.services.monitoring.importCsv(
      { partnershipId, label: 'test' },
      Readable.from(['child,date,agency,event_type,summary\nC-000001,2021-01-05,police,contact,Synthetic\n']),
      { fileName: 'next.csv' },
    );
    expect((await status(id)).status).toBe('failed');
    expect(await staged(id)).toBe(0);
  });
});

/** The real thing: the process doing the import is killed with SIGKILL part-way through. */
describe.each(DATABASE_KINDS)('an import killed part-way, then the service started again (%s)', (kind) => {
  let db: Awaited<ReturnType<typeof commandLineDatabase>>;
  const folder = mkdtempSync(join(tmpdir(), 'los-killed-import-'));
  const env = () => (db.url ? { DATABASE_URL: db.url } : {});

  beforeAll(async () => {
    db = await commandLineDatabase(kind);
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'generate', '--children', '3000', '--out', folder],
      {
        stdio: 'ignore',
      },
    );
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it(
    'shows the import failed with nothing staged, and the service starts',
    { timeout: 300_000 },
    async () => {
      let serve = await startServe(db.args, env());
      const importing = spawnCommand(
        [...db.args, 'monitor', 'import', join(folder, 'chronology.csv')],
        env(),
      );
      // Wait until some batches are in, then kill whichever process holds the import's data.
      const database = await db.open();
      const loading = async () =>
        (
          (await database.db.execute(
            sql`select id, rows_read from monitoring_imports where status = 'loading'`,
          )) as unknown as { rows: { id: string; rows_read: number }[] }
        ).rows;
      let run: { id: string; rows_read: number } | undefined;
      for (let i = 0; i < 600 && !((run = (await loading())[0]) && run.rows_read >= 5000); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(run?.rows_read).toBeGreaterThanOrEqual(5000);
      await database.close();
      if (kind === 'pglite')
        await serve.kill(); // the embedded database's owner: the import dies with it
      else importing.child.kill('SIGKILL'); // on a server the importing process itself
      const ended = await importing.result;
      expect(ended.code).not.toBe(0);
      if (kind === 'postgres') await serve.stop();

      serve = await startServe(db.args, env());
      const after = await db.open();
      try {
        const rows = (
          (await after.db.execute(
            sql`select status, error, (select count(*)::int from monitored_children c where c.import_id = i.id) as staged
            from monitoring_imports i where id = ${run!.id}`,
          )) as unknown as { rows: { status: string; error: string; staged: number }[] }
        ).rows;
        expect(rows[0]).toMatchObject({ status: 'failed', staged: 0 });
        expect(rows[0]!.error).toContain('The import stopped before it finished');
      } finally {
        await after.close();
        await serve.stop();
      }
    },
  );
});
