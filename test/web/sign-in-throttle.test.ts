import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { DEMO_PASSWORD, page, WebClient } from '../support/client.ts';

/**
 * Sign-in is throttled per account (the e-mail as typed, whether or not anyone has it) and per
 * address, in the database, with the service's clock moved instead of waiting.
 */
const NOT_RIGHT = 'The e-mail address or password is not right';
const waitFor = (words: string) =>
  `There have been too many attempts to sign in. Wait ${words}, then try again.`;

interface AuditRow {
  outcome: string;
  user_email: string;
  user_id: string | null;
  source_address: string | null;
  detail: Record<string, unknown>;
}

describe.each(DATABASE_KINDS)('sign-in throttling (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();
  /** The trusted proxy's app: TRUST_PROXY=10.0.0.1. */
  let proxied: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock });
    proxied = await buildTestApp(kind, { config: { TRUST_PROXY: ['10.0.0.1'] } });
  });
  afterAll(async () => {
    await t?.close();
    await proxied?.close();
  });

  const later = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  /** A browser: its CSRF cookie and token, then sign-in attempts from the address given. */
  async function browser(app: TestApp, address: string) {
    const client = new WebClient(app.app);
    const csrf = await client.csrfToken('/sign-in');
    return async (
      email: string,
      password: string,
      from: { remoteAddress?: string; forwardedFor?: string } = {},
    ): Promise<LightMyRequestResponse> =>
      app.app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: from.remoteAddress ?? address,
        payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
        headers: {
          cookie: client.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
        },
      });
  }

  const answer = (res: LightMyRequestResponse) => ({
    status: res.statusCode,
    errors: page(res).errorSummary,
  });

  async function audit(app: TestApp, email: string): Promise<AuditRow[]> {
    const result = (await app.database.db.execute(
      sql`select outcome, (select email from users where users.id = audit_events.user_id) as user_email, user_id, source_address, detail from audit_events
          where action = 'user.sign-in' and user_id in (select id from users where email = ${email}) order by id`,
    )) as unknown as { rows: AuditRow[] };
    return result.rows;
  }

  /** Attempts at accounts no one has: on record by where they came from, never the address typed. */
  async function auditOfUnknown(app: TestApp, from: string): Promise<AuditRow[]> {
    const result = (await app.database.db.execute(
      sql`select outcome, null as user_email, user_id, source_address, detail from audit_events
          where action = 'user.sign-in' and user_id is null and source_address = ${from} order by id`,
    )) as unknown as { rows: AuditRow[] };
    return result.rows;
  }

  async function sessionsOf(email: string): Promise<number> {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${email}`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  }

  it('locks an account after five failures, refuses even the right password until the lock ends, and a success clears the count', async () => {
    const signIn = await browser(t, '192.0.2.10');
    const email = 'chair@demo.example';
    const lockedAt = clock;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(answer(await signIn(email, `wrong-${i}`)));
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ status: 401, errors: [NOT_RIGHT] }));
    expect(answers[4]).toEqual({ status: 429, errors: [waitFor('a minute')] });

    const refused = await signIn(email, DEMO_PASSWORD);
    expect(answer(refused)).toEqual({ status: 429, errors: [waitFor('a minute')] });
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.cookies.map((c) => c.name)).not.toContain('los_session');
    expect(await sessionsOf(email)).toBe(0);

    later(30_000);
    expect(answer(await signIn(email, DEMO_PASSWORD))).toEqual({
      status: 429,
      errors: [waitFor('a minute')],
    });
    later(30_000);
    const signedIn = await signIn(email, DEMO_PASSWORD);
    expect(signedIn.statusCode).toBe(303);
    // The password is right: the chair's second factor comes next (its own count: test/web/second-factor.test.ts).
    expect(signedIn.headers.location).toBe('/sign-in/code');
    expect(await sessionsOf(email)).toBe(1);

    // The success forgot the failures: four more are answered as wrong, not locked.
    for (let i = 0; i < 4; i++)
      expect(answer(await signIn(email, `wrong-again-${i}`))).toEqual({ status: 401, errors: [NOT_RIGHT] });

    const rows = await audit(t, email);
    expect(rows.map((r) => [r.outcome, r.detail.reason ?? null])).toEqual([
      ...Array(5).fill(['failure', 'wrong-email-or-password']),
      ['denied', 'account-locked'],
      ['denied', 'account-locked'],
      ['success', null],
      ...Array(4).fill(['failure', 'wrong-email-or-password']),
    ]);
    expect(rows[4]!.detail).toMatchObject({
      failures: 5,
      lockedUntil: new Date(lockedAt.getTime() + 60_000).toISOString(),
    });
    expect(rows[5]!.user_id).not.toBeNull();
    expect(rows[5]!.source_address).toBe('192.0.2.10');
  });

  it('doubles the lock after each further failure', async () => {
    const signIn = await browser(t, '192.0.2.11');
    const email = 'board@demo.example';
    for (let i = 0; i < 5; i++) await signIn(email, 'wrong');
    later(60_000);
    expect(answer(await signIn(email, 'wrong'))).toEqual({ status: 429, errors: [waitFor('2 minutes')] });
    later(120_000);
    expect(answer(await signIn(email, 'wrong'))).toEqual({ status: 429, errors: [waitFor('4 minutes')] });
    later(4 * 60_000);
    expect((await signIn(email, DEMO_PASSWORD)).statusCode).toBe(303);
  });

  it('answers an account no one has exactly as one that exists', async () => {
    const signIn = await browser(t, '192.0.2.12');
    const known = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      known.push(answer(await signIn('hv.lead@demo.example', `wrong-${i}`)));
      unknown.push(answer(await signIn('no.one@demo.example', `wrong-${i}`)));
    }
    expect(unknown).toEqual(known);
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 429, 429]);
    // Even the page is the same but for the address typed.
    const a = await signIn('hv.lead@demo.example', DEMO_PASSWORD);
    const b = await signIn('no.one@demo.example', DEMO_PASSWORD);
    const strip = (res: LightMyRequestResponse, email: string) =>
      res.body
        .replaceAll(email, 'EMAIL')
        .replace(/name="_csrf" value="[^"]*"/, '')
        .replace(/nonce="[^"]*"/g, '');
    expect(strip(b, 'no.one@demo.example')).toBe(strip(a, 'hv.lead@demo.example'));
    const unknownRows = await auditOfUnknown(t, '192.0.2.12');
    expect(JSON.stringify(unknownRows)).not.toContain('no.one@demo.example');
    expect(unknownRows.map((r) => r.outcome)).toEqual([...Array(5).fill('failure'), 'denied', 'denied']);
  });

  it('counts the e-mail however it is typed', async () => {
    const signIn = await browser(t, '192.0.2.13');
    const typings = ['Practitioner@Demo.Example', ' practitioner@demo.example', 'PRACTITIONER@DEMO.EXAMPLE '];
    for (let i = 0; i < 5; i++) await signIn(typings[i % 3]!, 'wrong');
    expect(answer(await signIn('practitioner@demo.example', DEMO_PASSWORD)).status).toBe(429);
  });

  it('lets many attempts at once check only as many passwords as the limit allows', async () => {
    const signIn = await browser(t, '192.0.2.14');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signIn('csc.lead@demo.example', `wrong-${i}`, { remoteAddress: `198.51.100.${i + 1}` }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(4);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(16);
    const rows = await audit(t, 'csc.lead@demo.example');
    expect(rows.filter((r) => r.outcome === 'failure')).toHaveLength(5);
    expect(rows.filter((r) => r.outcome === 'denied')).toHaveLength(15);
  });

  it('limits an address across accounts, and only that address', async () => {
    const signIn = await browser(t, '192.0.2.15');
    const from = { remoteAddress: '203.0.113.50' };
    const answers = [];
    for (let i = 0; i < 30; i++)
      answers.push((await signIn(`guess-${i}@demo.example`, 'wrong', from)).statusCode);
    expect(answers).toEqual([...Array(29).fill(401), 429]);
    const refused = await signIn('police.lead@demo.example', DEMO_PASSWORD, from);
    expect(answer(refused)).toEqual({ status: 429, errors: [waitFor('2 minutes')] });
    const rows = await audit(t, 'police.lead@demo.example');
    expect(rows.at(-1)).toMatchObject({
      outcome: 'denied',
      source_address: '203.0.113.50',
      detail: { reason: 'too-many-from-address' },
    });
    // Someone elsewhere is not held up by it.
    expect(
      (await signIn('police.lead@demo.example', DEMO_PASSWORD, { remoteAddress: '203.0.113.51' })).statusCode,
    ).toBe(303);
    // The bucket empties by one every two minutes.
    later(2 * 60_000);
    expect((await signIn('police.lead@demo.example', DEMO_PASSWORD, from)).statusCode).toBe(303);
  });

  it('does not let someone who is not a configured proxy choose their address with X-Forwarded-For', async () => {
    const signIn = await browser(t, '192.0.2.16');
    const answers = [];
    for (let i = 0; i < 31; i++)
      answers.push(
        (
          await signIn(`rotating-${i}@demo.example`, 'wrong', {
            remoteAddress: '203.0.113.60',
            forwardedFor: `10.9.${i}.${i + 1}`,
          })
        ).statusCode,
      );
    expect(answers).toEqual([...Array(29).fill(401), 429, 429]);
    const rows = await auditOfUnknown(t, '203.0.113.60');
    expect(rows.at(-1)!.detail).toMatchObject({ reason: 'too-many-from-address' });
  });

  it('takes the forwarded address from a configured proxy, and only from it', async () => {
    const signIn = await browser(proxied, '192.0.2.17');
    const answers = [];
    for (let i = 0; i < 31; i++)
      answers.push(
        (
          await signIn(`behind-proxy-${i}@demo.example`, 'wrong', {
            remoteAddress: '10.0.0.1',
            forwardedFor: `198.51.100.${i + 1}`,
          })
        ).statusCode,
      );
    // Each forwarded address is its own: none reaches the limit.
    expect(answers).toEqual(Array(31).fill(401));
    expect((await auditOfUnknown(proxied, '198.51.100.8')).map((r) => r.outcome)).toEqual(['failure']);
    // A header from anyone else is ignored: the address is the peer's.
    await signIn('not-a-proxy@demo.example', 'wrong', {
      remoteAddress: '192.0.2.99',
      forwardedFor: '198.51.100.200',
    });
    expect((await auditOfUnknown(proxied, '192.0.2.99')).map((r) => r.outcome)).toEqual(['failure']);
    expect(await auditOfUnknown(proxied, '198.51.100.200')).toEqual([]);
  });

  it('does not check a password or count an attempt when a field is missing', async () => {
    const signIn = await browser(t, '192.0.2.18');
    const res = await signIn('admin@demo.example', '');
    expect(answer(res)).toEqual({ status: 400, errors: ['Enter your password'] });
    expect(await audit(t, 'admin@demo.example')).toEqual([]);
  });
});
