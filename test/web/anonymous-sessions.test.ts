import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { scheduledJobs } from '../../src/runtime.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { DEMO_PASSWORD, page, WebClient } from '../support/client.ts';

/**
 * No session is stored until someone signs in (the CSRF secret and the page to return to are
 * signed cookies); a session ends after its idle time or SESSION_MAX_HOURS after sign-in, whatever
 * the person does; the `session-purge` job sweeps both.
 */
describe.each(DATABASE_KINDS)('sessions only for people signed in (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock });
  });
  afterAll(async () => t?.close());

  const count = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
  const sessionRows = () => count(sql`select count(*)::int as n from sessions`);
  const sessionCookie = (res: LightMyRequestResponse) => res.cookies.some((c) => c.name === 'los_session');

  it('writes no session row for anonymous pages, redirects or a refused sign-in', async () => {
    const before = await sessionRows();
    let cookies = 0;
    for (let i = 0; i < 20; i++) {
      const client = new WebClient(t.app);
      const form = await client.get('/sign-in');
      expect(form.statusCode).toBe(200);
      const redirected = await client.get('/reviews/LOS-2021-002');
      expect(redirected.statusCode).toBe(303);
      expect(redirected.headers.location).toBe('/sign-in');
      const missing = await client.get('/no-such-page');
      expect(missing.statusCode).toBe(303);
      const refused = await client.post('/sign-in', { email: `nobody-${i}@demo.example`, password: 'wrong' });
      expect(refused.statusCode).toBe(401);
      for (const res of [form, redirected, missing, refused]) if (sessionCookie(res)) cookies++;
    }
    expect(cookies).toBe(0);
    expect(await sessionRows()).toBe(before);
  });

  it('signs in with the form’s token and returns to the page asked for', async () => {
    const client = new WebClient(t.app);
    await client.get('/reviews/LOS-2021-002/chronology');
    const token = await client.csrfToken('/sign-in');
    const before = await sessionRows();
    const password = await client.post(
      '/sign-in',
      { email: 'coordinator@demo.example', password: DEMO_PASSWORD },
      token,
    );
    // The coordinator must use a second factor: the code from their authenticator follows.
    expect(password.headers.location).toBe('/sign-in/code');
    const res = await client.giveCode('coordinator@demo.example');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/reviews/LOS-2021-002/chronology');
    expect(sessionCookie(res)).toBe(true);
    expect(await sessionRows()).toBe(before + 1);
    expect((await client.follow(res)).statusCode).toBe(200);
  });

  it('refuses a sign-in without a valid token, and stores nothing for it', async () => {
    const before = await sessionRows();
    const client = new WebClient(t.app);
    const token = await client.csrfToken('/sign-in');
    const fields = { email: 'coordinator@demo.example', password: DEMO_PASSWORD };

    const none = await client.post('/sign-in', { ...fields, _csrf: '' });
    const forged = await client.post('/sign-in', fields, `${token.slice(0, -2)}xx`);
    // A token from another browser does not go with this browser's cookie.
    const other = new WebClient(t.app);
    const theirs = await other.csrfToken('/sign-in');
    const stranger = await client.post('/sign-in', fields, theirs);
    // Nor does a token without the cookie it was made for.
    const cookieless = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    for (const res of [none, forged, stranger, cookieless]) {
      expect(res.statusCode).toBe(403);
      expect(page(res).h1).toBe('Your form has expired');
      expect(sessionCookie(res)).toBe(false);
    }
    expect(await sessionRows()).toBe(before);
    // None of them reached the password check: the rows are the earlier sign-in's password and code.
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where action = 'user.sign-in' and user_id in (select id from users where email = 'coordinator@demo.example')`,
      ),
    ).toBe(2);
  });

  it('refuses a form token made before sign-in once signed in', async () => {
    const client = new WebClient(t.app);
    const beforeSignIn = await client.csrfToken('/sign-in');
    await client.post('/sign-in', { email: 'chair@demo.example', password: DEMO_PASSWORD }, beforeSignIn);
    await client.giveCode('chair@demo.example');
    const res = await client.post('/sign-out', {}, beforeSignIn);
    expect(res.statusCode).toBe(403);
    expect((await client.get('/reviews')).statusCode).toBe(200);
    const out = await client.post('/sign-out', {}, await client.csrfToken('/reviews'));
    expect(out.statusCode).toBe(303);
    expect((await client.get('/reviews')).headers.location).toBe('/sign-in');
  });

  it('ends a session SESSION_MAX_HOURS after sign-in, however active', async () => {
    const client = new WebClient(t.app);
    const signedInAt = clock.getTime();
    await client.signIn('board@demo.example');
    const expiry = async () => {
      const result = (await t.database.db.execute(
        sql`select s.expires_at from sessions s join users u on u.id = s.user_id where u.email = 'board@demo.example'`,
      )) as unknown as { rows: { expires_at: string | Date }[] };
      return result.rows.map((r) => new Date(r.expires_at).getTime());
    };
    // A page every 50 minutes keeps the hour's idle timeout from running out.
    const answers: number[] = [];
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      clock = new Date(signedInAt + minutes * 60_000);
      answers.push((await client.get('/reviews')).statusCode);
    }
    clock = new Date(signedInAt + 12 * 3_600_000 - 60_000);
    answers.push((await client.get('/reviews')).statusCode);
    expect(answers).toEqual(Array(answers.length).fill(200));
    // The row's expiry never rolls past the twelfth hour.
    expect(await expiry()).toEqual([signedInAt + 12 * 3_600_000]);
    clock = new Date(signedInAt + 12 * 3_600_000);
    const res = await client.get('/reviews');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    clock = new Date();
  });

  it('sweeps sessions past their idle time and past their absolute lifetime', async () => {
    const emails = ['hv.lead@demo.example', 'police.lead@demo.example', 'practitioner@demo.example'];
    for (const email of emails) await new WebClient(t.app).signIn(email);
    const ofUser = (email: string) => sql`user_id = (select id from users where email = ${email})`;
    // Idle too long.
    await t.database.db.execute(
      sql`update sessions set expires_at = ${new Date(Date.now() - 1000).toISOString()} where ${ofUser(emails[0]!)}`,
    );
    // Signed in thirteen hours ago, with an expiry still ahead (as if SESSION_MAX_HOURS was shortened).
    await t.database.db.execute(
      sql`update sessions set data = jsonb_set(data, '{signedInAt}', to_jsonb(${Date.now() - 13 * 3_600_000}::bigint))
          where ${ofUser(emails[1]!)}`,
    );
    const purge = scheduledJobs({
      config: loadConfig({ NODE_ENV: 'test' }),
      database: t.database,
      services: t.services,
      mailer: createMailer({ smtpUrl: undefined, from: 'test@example.org' }),
    }).find((job) => job.name === 'session-purge')!;
    await purge.run();
    const held = async () =>
      (
        (await t.database.db.execute(
          sql`select u.email, s.data = '{}'::jsonb as emptied from sessions s join users u on u.id = s.user_id
              where u.email in (${sql.join(emails, sql`, `)}) order by u.email`,
        )) as unknown as { rows: { email: string; emptied: boolean }[] }
      ).rows;
    // The two ended sessions are emptied at once; their bare rows say whose they were for a day
    // (a form sent from one is kept for that person), then go.
    expect(await held()).toEqual([
      { email: emails[0], emptied: true },
      { email: emails[1], emptied: true },
      { email: emails[2], emptied: false },
    ]);
    await t.database.db.execute(
      sql`update sessions set expires_at = expires_at - interval '25 hours' where data = '{}'::jsonb`,
    );
    await purge.run();
    expect((await held()).map((r) => r.email)).toEqual([emails[2]]);
  });
});
