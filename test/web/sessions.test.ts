import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { WebClient } from '../support/client.ts';

/**
 * Sessions live in the database and roll: each page extends the idle timeout. An unchanged session
 * is written back only when its expiry was set over a minute ago (src/web/plugins/session-store.ts).
 */
describe.each(DATABASE_KINDS)('signed-in sessions (%s)', (kind) => {
  let t: TestApp;
  let client: WebClient;
  let idleMs: number;

  const expiry = async (email: string) => {
    const rows = (
      (await t.database.db.execute(
        sql`select s.expires_at from sessions s join users u on u.id = s.user_id where u.email = ${email}`,
      )) as unknown as { rows: { expires_at: string | Date }[] }
    ).rows;
    expect(rows).toHaveLength(1);
    return new Date(rows[0]!.expires_at).getTime();
  };
  const setExpiry = (email: string, at: Date) =>
    t.database.db.execute(
      sql`update sessions set expires_at = ${at.toISOString()}
          where user_id = (select id from users where email = ${email})`,
    );

  beforeAll(async () => {
    t = await buildTestApp(kind);
    idleMs = loadConfig({ NODE_ENV: 'test' }).SESSION_IDLE_MINUTES * 60_000;
    client = new WebClient(t.app);
    await client.signIn('chair@demo.example');
  });
  afterAll(async () => t?.close());

  it('extends the idle timeout when a page is read after more than a minute', async () => {
    // As if the session was last touched ten minutes ago.
    await setExpiry('chair@demo.example', new Date(Date.now() + idleMs - 10 * 60_000));
    const before = Date.now();
    expect((await client.get('/reviews')).statusCode).toBe(200);
    const after = await expiry('chair@demo.example');
    expect(after).toBeGreaterThanOrEqual(before + idleMs - 1000);
  });

  it('writes nothing back for an unchanged session touched within the minute', async () => {
    const stamped = new Date(Date.now() + idleMs - 20_000);
    await setExpiry('chair@demo.example', stamped);
    expect((await client.get('/reviews')).statusCode).toBe(200);
    expect(await expiry('chair@demo.example')).toBe(stamped.getTime());
  });

  it('writes a changed session back at once, and removes it on sign-out', async () => {
    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const token = await admin.csrfToken('/admin/users/new');
    const stamped = new Date(Date.now() + idleMs - 20_000);
    await setExpiry('admin@demo.example', stamped);
    // A form with errors keeps them in the session for the page it returns to.
    const res = await admin.post('/admin/users/new', { email: '' }, token);
    expect(res.statusCode).toBe(303);
    expect(await expiry('admin@demo.example')).toBeGreaterThan(stamped.getTime());
    const form = await admin.get('/admin/users/new');
    expect(form.body).toContain('There is a problem');

    expect((await admin.post('/sign-out', {}, await admin.csrfToken('/reviews'))).statusCode).toBe(303);
    const rows = (
      (await t.database.db.execute(
        sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = 'admin@demo.example'`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(rows[0]!.n).toBe(0);
  });

  it('signs out a session past its idle timeout', async () => {
    const again = new WebClient(t.app);
    await again.signIn('chair@demo.example');
    await setExpiry('chair@demo.example', new Date(Date.now() - 1000));
    const res = await again.get('/reviews');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });
});
