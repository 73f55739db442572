import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { runCommand, startCommand, startServe, type ServeProcess } from '../support/cli-process.ts';
import { LIBRARY_BRIEFINGS } from '../../src/demo/library-briefings.ts';

/**
 * One embedded database directory, one process holding it: the service. Every command run while
 * it serves goes through it, so nothing it writes is lost and the directory still opens after.
 */
describe('commands while the service runs on the same embedded database', { timeout: 600_000 }, () => {
  let db: Awaited<ReturnType<typeof commandLineDatabase>>;
  let serve: ServeProcess;
  const data = () => db.args; // ['--data', DIR]

  const briefingFile = join(mkdtempSync(join(tmpdir(), 'los-export-')), 'briefing.md');

  beforeAll(async () => {
    db = await commandLineDatabase('pglite');
    serve = await startServe(data());
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  const api = (token: string, path: string, body?: unknown) =>
    fetch(`${serve.address}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses a second service on the directory at once, naming the one that runs', () => {
    const started = Date.now();
    const second = runCommand([...data(), 'serve', '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`is in use by Line of Sight process ${serve.process.pid} (serve`);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('runs every database command through the service, while the service takes writes', async () => {
    const token = runCommand([...data(), 'token', 'create', '--user', 'coordinator@demo.example']);
    expect(token.code).toBe(0);
    const coordinator = token.stdout.trim();
    expect(coordinator).toMatch(/^los_[A-Za-z0-9_-]{40,}$/);
    expect((await api(coordinator, '/api/v1/reviews')).status).toBe(200);

    // Referrals through the API, all answered 201, while commands write through the same service.
    const referrals = (async () => {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await api(coordinator, '/api/v1/reviews', {
          referringAgency: 'police',
          referrerName: 'Pat Police-Lead (demo)',
          referredOn: '2026-11-02',
          pseudonym: `Concurrent ${i}`,
          child: { fullName: `Testchild Concurrent${i} Example` },
          agenciesInvolved: ['police'],
          whatHappened: 'Synthetic referral written while commands run.',
          whyLearning: 'Checks that nothing answered 201 is lost.',
        });
        codes.push(response.status);
      }
      return codes;
    })();
    const monitoring = startCommand([
      ...data(),
      'monitor',
      'import',
      'test/fixtures/signals/two-children.csv',
    ]);
    const tokens = await Promise.all(
      ['hv.lead@demo.example', 'police.lead@demo.example', 'board@demo.example'].map((user) =>
        startCommand([...data(), 'token', 'create', '--user', user]),
      ),
    );
    const briefing = runCommand([
      ...data(),
      'briefing',
      'export',
      'LOS-2021-002',
      '--format',
      'md',
      '--user',
      'coordinator@demo.example',
      '--out',
      briefingFile,
    ]);
    expect(briefing.code, briefing.stderr).toBe(0);
    expect(readFileSync(briefingFile, 'utf8')).toContain('Child 2');
    const saved = runCommand([
      ...data(),
      'briefing',
      'import',
      'test/fixtures/briefings/line-of-sight-briefing-child-2.txt',
      '--save',
      '--user',
      'coordinator@demo.example',
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const migrate = runCommand([...data(), 'migrate']);
    expect(migrate).toMatchObject({ code: 0, stdout: 'Migrations applied (pglite).\n' });
    const demo = runCommand([...data(), 'demo']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('is already loaded');

    expect(await referrals).toEqual(Array(30).fill(201));
    const imported = await monitoring;
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Loaded ');
    for (const t of tokens) expect(t.code, t.stderr).toBe(0);
    const hvToken = tokens[0]!.stdout.trim();
    expect((await api(hvToken, '/api/v1/reviews')).status).toBe(200);

    // Stopped and started again: the directory opens and holds everything answered above.
    expect(await serve.stop()).toBe(0);
    serve = await startServe(data());
    expect((await api(coordinator, '/api/v1/reviews?limit=1')).status).toBe(200);
    expect((await api(hvToken, '/api/v1/reviews?limit=1')).status).toBe(200);
    const reviews = (await (await api(coordinator, '/api/v1/reviews?limit=100')).json()) as {
      items: { pseudonym: string }[];
    };
    expect(reviews.items.filter((r) => r.pseudonym.startsWith('Concurrent ')).length).toBe(30);
    const through = await db.open();
    try {
      expect(through.embedded).toBe('through');
      const rows = (await through.db.execute(
        sql`select (select count(*)::int from api_tokens) as tokens,
                   (select status from monitoring_imports order by started_at desc limit 1) as status,
                   (select count(*)::int from briefings where review_id is null) as imported`,
      )) as unknown as { rows: unknown[] };
      // One imported here, besides the demo's library briefings of neighbouring partnerships.
      expect(rows.rows[0]).toEqual({ tokens: 4, status: 'current', imported: 1 + LIBRARY_BRIEFINGS.length });
    } finally {
      await through.close();
    }
  });

  it("runs the README's API example as written while the service runs", () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /## The API[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(block).toContain('TOKEN=$(npx line-of-sight token create --user coordinator@demo.example)');
    // The service of this test listens on a port of its own, and DATA_DIR points at its directory.
    const script = block.replaceAll('http://localhost:3000', serve.address);
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: data()[1]!, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // curl prints the two answers one after the other: the list, then the refusal with its reasons.
    const refusal = out.indexOf('{"error":');
    expect(refusal).toBeGreaterThan(0);
    expect((JSON.parse(out.slice(0, refusal)) as { total: number }).total).toBeGreaterThanOrEqual(4);
    const refused = JSON.parse(out.slice(refusal)) as {
      error: { code: string; details: { reasons: string[] } };
    };
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.details.reasons.length).toBeGreaterThan(0);
  });

  it('frees the directory when the service is killed, and the directory opens after', async () => {
    await serve.kill();
    serve = await startServe(data());
    const health = await fetch(`${serve.address}/ping`);
    expect(health.status).toBe(200);
  });
});
