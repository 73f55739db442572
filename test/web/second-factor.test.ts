import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { DEMO_PASSWORD, page, WebClient } from '../support/client.ts';
import { currentCode, rememberSecret } from '../support/second-factor.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { totpCode } from '../../src/services/sign-in/totp.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/partnership.ts';

/**
 * The second factor through the pages, with the service's clock moved instead of waiting:
 * setting up an authenticator at sign-in, codes (wrong, used, expired, locked out), recovery codes
 * (once each), the administrator choosing who must use one, and re-authentication for the named
 * view. Codes are computed here from the secret, as an authenticator app would.
 */
const NEW_PERSON = 'testperson.newcoordinator@demo.example';
const NEW_PASSWORD = 'a long testperson passphrase';

describe.each(DATABASE_KINDS)('the second factor (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock });
    const admin = actorFor(
      (await systemRepository(t.database.db).userByEmail('admin@demo.example'))!,
      'test',
    );
    await t.services.admin.addUser(admin, {
      name: 'Testperson Newcoordinator',
      email: NEW_PERSON,
      roles: ['review_coordinator'],
      agency: 'partnership',
      password: NEW_PASSWORD,
    });
  });
  afterAll(async () => t?.close());

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const audits = async (email: string, action: string) =>
    rows<{ outcome: string; detail: Record<string, unknown> }>(
      sql`select outcome, detail from audit_events where user_id in (select id from users where email = ${email}) and action = ${action} order by id`,
    );
  const codeOf = (secret: string, at = clock) => totpCode(secret, at);
  async function passwordStep(email: string, password = DEMO_PASSWORD) {
    const client = new WebClient(t.app);
    const res = await client.post('/sign-in', { email, password }, await client.csrfToken('/sign-in'));
    return { client, res };
  }
  const post = async (client: WebClient, path: string, fields: Record<string, string | string[]>) =>
    client.post(path, fields, await client.csrfToken(path));

  it('takes someone who must use a second factor to set one up at sign-in, then shows ten recovery codes once', async () => {
    const { client, res } = await passwordStep(NEW_PERSON, NEW_PASSWORD);
    expect(res.headers.location).toBe('/sign-in/set-up-authenticator');
    expect((await client.get('/reviews')).headers.location).toBe('/sign-in');
    const setUp = page(await client.get('/sign-in/set-up-authenticator'));
    expect(setUp.h1).toBe('Set up an authenticator app');
    expect(setUp.$('img.app-qr-code').attr('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = setUp.$('#secret').text().replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    const wrong = await post(client, '/sign-in/set-up-authenticator', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(page(wrong).errorSummary).toEqual([
      'The code is not right: enter the 6-digit code your authenticator app shows now',
    ]);
    expect(
      await rows(
        sql`select 1 from totp_enrolments t join users u on u.id = t.user_id where u.email = ${NEW_PERSON}`,
      ),
    ).toEqual([]);
    // The same secret is offered again after a wrong code.
    expect(page(wrong).$('#secret').text().replace(/\s/g, '')).toBe(secret);

    const done = await post(client, '/sign-in/set-up-authenticator', { code: await codeOf(secret) });
    expect(done.statusCode).toBe(200);
    const codes = page(done)
      .$('#recovery-codes li')
      .map((_, li) => page(done).$(li).text().trim())
      .get();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(10);
    const stored = await rows<{ code_hash: string }>(
      sql`select code_hash from recovery_codes r join users u on u.id = r.user_id where u.email = ${NEW_PERSON}`,
    );
    expect(stored).toHaveLength(10);
    for (const row of stored) {
      expect(row.code_hash).toMatch(/^\$argon2id\$/);
      for (const code of codes) expect(row.code_hash).not.toContain(code);
    }
    const [enrolment] = await rows<{ secret: string }>(
      sql`select secret from totp_enrolments t join users u on u.id = t.user_id where u.email = ${NEW_PERSON}`,
    );
    expect(enrolment!.secret).toMatch(/^v1\./);
    expect(enrolment!.secret).not.toContain(secret);
    expect((await client.get('/reviews')).statusCode).toBe(200);
    expect(
      (await audits(NEW_PERSON, 'user.mfa.enrol')).map((a) => [a.outcome, a.detail.reason ?? null]),
    ).toEqual([
      ['failure', 'wrong-code'],
      ['success', null],
    ]);
    rememberSecret(t.app, NEW_PERSON, secret);
    later(60_000);
  });

  it('refuses a wrong, a reused and an expired code, each with its message, on record, with no session', async () => {
    later(60_000);
    const { client } = await passwordStep('hv.lead@demo.example');
    const wrong = await post(client, '/sign-in/code', { code: '123 456' });
    expect(wrong.statusCode).toBe(401);
    expect(page(wrong).errorSummary).toEqual([
      'The code is not right: enter the 6-digit code your authenticator app shows now',
    ]);

    const expired = await post(client, '/sign-in/code', {
      code: await codeOf(DEMO_TOTP_SECRET, new Date(clock.getTime() - 3 * 60_000)),
    });
    expect(page(expired).errorSummary).toEqual([
      'That code has expired: enter the code your authenticator app shows now',
    ]);

    const code = await codeOf(DEMO_TOTP_SECRET);
    const accepted = await post(client, '/sign-in/code', { code });
    expect(accepted.headers.location).toBe('/');
    const other = await passwordStep('hv.lead@demo.example');
    const reused = await post(other.client, '/sign-in/code', { code });
    expect(reused.statusCode).toBe(401);
    expect(page(reused).errorSummary).toEqual([
      'That code has been used already: wait for your authenticator app to show a new code, then enter it',
    ]);
    expect((await other.client.get('/reviews')).headers.location).toBe('/sign-in');
    // An older code than the last one accepted is refused too.
    const older = await post(other.client, '/sign-in/code', {
      code: await codeOf(DEMO_TOTP_SECRET, new Date(clock.getTime() - 30_000)),
    });
    expect(page(older).errorSummary[0]).toMatch(/^That code has been used already/);
    // The next step's code works.
    later(30_000);
    expect(
      (await post(other.client, '/sign-in/code', { code: await codeOf(DEMO_TOTP_SECRET) })).headers.location,
    ).toBe('/');

    const rowsNow = await audits('hv.lead@demo.example', 'user.sign-in');
    expect(rowsNow.filter((r) => r.outcome === 'failure').map((r) => r.detail.reason)).toEqual([
      'wrong-code',
      'code-expired',
      'code-already-used',
      'code-already-used',
    ]);
    expect(rowsNow.at(-1)).toMatchObject({ outcome: 'success', detail: { method: 'password+totp' } });
  });

  it('locks the second factor after five wrong codes, even for the right one, then lets it in', async () => {
    later(60_000);
    const { client } = await passwordStep('csc.lead@demo.example');
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await post(client, '/sign-in/code', { code: `00000${i}` })).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    const locked = await post(client, '/sign-in/code', { code: await codeOf(DEMO_TOTP_SECRET) });
    expect(locked.statusCode).toBe(429);
    expect(page(locked).errorSummary).toEqual([
      'There have been too many attempts to sign in. Wait a minute, then try again.',
    ]);
    expect((await audits('csc.lead@demo.example', 'user.sign-in')).at(-1)).toMatchObject({
      outcome: 'denied',
      detail: { reason: 'account-locked' },
    });
    later(60_000);
    expect(
      (await post(client, '/sign-in/code', { code: await codeOf(DEMO_TOTP_SECRET) })).headers.location,
    ).toBe('/');
  });

  it('takes each recovery code once, and says how many are left', async () => {
    later(60_000);
    const { client } = await passwordStep(NEW_PERSON, NEW_PASSWORD);
    expect((await client.get('/sign-in/recovery-code')).statusCode).toBe(200);
    // Recovery codes were shown once at set-up; make new ones here, as the person would.
    const signedIn = new WebClient(t.app);
    await signedIn.signIn(NEW_PERSON, NEW_PASSWORD);
    const fresh = await signedIn.post('/account/recovery-codes', {}, await signedIn.csrfToken('/account'));
    expect(fresh.statusCode).toBe(200);
    const codes = page(fresh)
      .$('#recovery-codes li')
      .map((_, li) => page(fresh).$(li).text().trim())
      .get();
    expect(codes).toHaveLength(10);

    const used = await post(client, '/sign-in/recovery-code', { code: codes[0]!.toUpperCase() });
    expect(used.statusCode).toBe(200);
    expect(page(used).$('main p').first().text()).toBe(
      'That code will not work again. You have 9 recovery codes left.',
    );
    expect((await client.get('/reviews')).statusCode).toBe(200);

    const again = await passwordStep(NEW_PERSON, NEW_PASSWORD);
    const reused = await post(again.client, '/sign-in/recovery-code', { code: codes[0]! });
    expect(reused.statusCode).toBe(401);
    expect(page(reused).errorSummary).toEqual([
      'That recovery code has been used already: each one works once. Enter another',
    ]);
    const wrong = await post(again.client, '/sign-in/recovery-code', { code: 'abcde-fghjk' });
    expect(page(wrong).errorSummary[0]).toMatch(/^The recovery code is not right/);
    expect(
      (await audits(NEW_PERSON, 'user.sign-in'))
        .filter((r) => r.outcome === 'failure')
        .map((r) => r.detail.reason),
    ).toEqual(['recovery-code-already-used', 'wrong-recovery-code']);
  });

  it('sends a half-done sign-in back to the start after ten minutes', async () => {
    const { client } = await passwordStep('police.lead@demo.example');
    later(10 * 60_000 + 1000);
    expect((await client.get('/sign-in/code')).headers.location).toBe('/sign-in');
  });

  it('refuses an administration page to someone who may not administer before asking them to sign in again', async () => {
    const client = new WebClient(t.app);
    await client.signIn('police.lead@demo.example');
    later(31 * 60_000);
    const asksBefore = (await audits('police.lead@demo.example', 'user.reauthenticate')).length;
    const refusalsBefore = (await audits('police.lead@demo.example', 'administer')).length;
    const res = await client.get('/admin/users');
    expect(res.statusCode).toBe(403);
    expect((await audits('police.lead@demo.example', 'user.reauthenticate')).length).toBe(asksBefore);
    const refusals = await audits('police.lead@demo.example', 'administer');
    expect(refusals.length).toBe(refusalsBefore + 1);
    expect(refusals.at(-1)!.outcome).toBe('denied');
  });

  it('asks again for the password and code when the named view is opened long after sign-in', async () => {
    const client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    const named = '/reviews/LOS-2021-002/referral/identifiable-details';
    expect((await client.get(named)).statusCode).toBe(200);
    later(31 * 60_000);
    const asked = await client.get(named);
    expect(asked.headers.location).toBe('/sign-in/confirm');
    expect((await audits('coordinator@demo.example', 'user.reauthenticate')).at(-1)).toMatchObject({
      outcome: 'denied',
      detail: { reason: 'reauthenticate', for: 'named-view' },
    });
    const confirm = page(await client.get('/sign-in/confirm'));
    expect(confirm.h1).toBe('Confirm it is you');
    const wrong = await post(client, '/sign-in/confirm', { password: DEMO_PASSWORD, code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(page(wrong).errorSummary).toEqual([
      'The code is not right: enter the 6-digit code your authenticator app shows now',
    ]);
    later(30_000);
    const ok = await post(client, '/sign-in/confirm', {
      password: DEMO_PASSWORD,
      code: (await currentCode(t.app, 'coordinator@demo.example'))!,
    });
    expect(ok.headers.location).toBe(named);
    expect((await client.get(named)).statusCode).toBe(200);
    // Exports and administration too.
    later(31 * 60_000);
    expect((await client.get('/reviews/LOS-2021-002/chronology/export.csv')).headers.location).toBe(
      '/sign-in/confirm',
    );
  });

  it('lets the administrator choose which roles must use a second factor, on record', async () => {
    later(60_000);
    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const settings = page(await admin.get('/admin/sign-in'));
    expect(
      settings
        .$('input[name="secondFactorRoles"]:checked')
        .map((_, i) => settings.$(i).attr('value'))
        .get(),
    ).toEqual(['partnership_admin', 'review_coordinator', 'independent_reviewer', 'agency_lead']);
    // The demonstration's administrator set that rule, and it is on record as theirs.
    const demoRule = await audits('admin@demo.example', 'sign-in.settings.change');
    expect(demoRule).toHaveLength(1);
    expect(demoRule[0]).toMatchObject({
      outcome: 'success',
      detail: {
        secondFactorRoles: {
          after: ['partnership_admin', 'review_coordinator', 'independent_reviewer', 'agency_lead'],
        },
      },
    });
    const saved = await post(admin, '/admin/sign-in', {
      secondFactorRoles: [
        'partnership_admin',
        'review_coordinator',
        'independent_reviewer',
        'agency_lead',
        'practitioner',
      ],
    });
    expect(saved.headers.location).toBe('/admin/sign-in');
    const { res } = await passwordStep('practitioner@demo.example');
    expect(res.headers.location).toBe('/sign-in/set-up-authenticator');
    expect((await audits('admin@demo.example', 'sign-in.settings.change')).at(-1)!.detail).toMatchObject({
      secondFactorRoles: {
        after: [
          'partnership_admin',
          'review_coordinator',
          'independent_reviewer',
          'agency_lead',
          'practitioner',
        ],
      },
    });
    // A board member need not, and signs in with the password alone.
    expect((await passwordStep('board@demo.example')).res.headers.location).toBe('/');
  });
});
