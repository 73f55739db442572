import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { formatDate } from '../../src/domain/calendar/format.ts';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { commandInProcess, runCommand, startServe } from '../support/cli-process.ts';
import { build, currentBuild } from '../../scripts/build.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'los-cli-'));

/** A command in a process of its own, as a person runs it. */
const run = (...args: string[]) => runCommand(['--data', dataDir, ...args]);

/**
 * The same command through the command line's entry point in this process (commandInProcess): for
 * the commands whose point is what they answer, not that a process of their own starts.
 */
const command = (...args: string[]) => commandInProcess(['--data', dataDir, ...args]);

/** The `line-of-sight` command as a person runs it, on its own embedded database. */
describe('line-of-sight commands', { timeout: 400_000 }, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, loads the demonstration once, and prints a working API token', async () => {
    expect(run('migrate')).toMatchObject({ code: 0, stdout: 'Migrations applied (pglite).\n' });
    const demo = run('demo');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain(
      'Loaded the demonstration partnership "Northshire Safeguarding Children Partnership"',
    );
    expect(demo.stdout).toContain('coordinator@demo.example');

    // The database held open here, as the service holds it: the commands that follow go through
    // it (src/db/client.ts) rather than each starting the embedded database again.
    const held = await openDatabase({ dataDir });
    let token: Awaited<ReturnType<typeof command>>;
    try {
      expect((await command('demo')).stdout).toContain('is already loaded');

      token = await command('token', 'create', '--user', 'coordinator@demo.example', '--name', 'cli test');
      expect(token.code).toBe(0);
      expect(token.stdout.trim()).toMatch(/^los_[A-Za-z0-9_-]{40,}$/);
      // Every token expires: 90 days unless chosen, a year at most.
      const month = await command(
        'token',
        'create',
        '--user',
        'coordinator@demo.example',
        '--expires-in-days',
        '30',
      );
      expect(month.code).toBe(0);
      expect(month.stdout.trim()).toMatch(/^los_[A-Za-z0-9_-]{40,}$/);
      const inThirtyDays = formatDate(londonDate(new Date(Date.now() + 30 * 86_400_000)));
      expect(month.stderr.trim()).toBe(`The token expires on ${inThirtyDays}.`);
      const tooLong = await command(
        'token',
        'create',
        '--user',
        'coordinator@demo.example',
        '--expires-in-days',
        '400',
      );
      expect(tooLong.code).toBe(1);
      expect(tooLong.stderr.trim()).toBe(
        'line-of-sight: There is a problem with what was entered. expiresInDays: A token can last 365 days at most',
      );
      const notANumber = await command(
        'token',
        'create',
        '--user',
        'coordinator@demo.example',
        '--expires-in-days',
        'soon',
      );
      expect(notANumber.code).toBe(1);
      expect(notANumber.stderr.trim()).toBe(
        'line-of-sight: There is a problem with what was entered. expiresInDays: Enter the number of days the token lasts, from 1 to 365',
      );
      const unknown = await command('token', 'create', '--user', 'nobody@demo.example');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe(
        'line-of-sight: There is no active user with the e-mail nobody@demo.example.',
      );
    } finally {
      await held.close();
    }

    // Serve, call the API with the token, then stop. The process runs the compiled build (the run's
    // setup made it; made again here only if a source changed since): pages, views and static files
    // found from the bundle.
    await build({ quiet: true });
    expect(currentBuild()).toBeDefined();
    const server = await startServe(['--data', dataDir]);
    expect(server.output()).toContain('E-mail is written to this log');
    const health = await fetch(`${server.address}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${server.address}/sign-in`)).status).toBe(200);
    expect((await fetch(`${server.address}/static/application.css`)).status).toBe(200);
    const reviews = await fetch(`${server.address}/api/v1/reviews`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(reviews.status).toBe(200);
    expect(((await reviews.json()) as { total: number }).total).toBe(8);
    await new Promise((r) => setTimeout(r, 500));
    expect(await server.stop()).toBe(0);

    // The scheduler ran its jobs at start-up.
    const database = await openDatabase({ dataDir });
    const jobs = (await database.db.execute(
      sql`select name from scheduled_jobs where last_finished_at is not null order by name`,
    )) as unknown as {
      rows: { name: string }[];
    };
    await database.close();
    expect(
      jobs.rows.map((r) => r.name),
      JSON.stringify(jobs.rows),
    ).toEqual(expect.arrayContaining(['email-dispatch', 'session-purge', 'sign-in-throttle-purge']));
  });

  it('answers bad input with one line and a non-zero exit', async () => {
    const bad = await command('no-such-command');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown command 'no-such-command'");
  });
});
