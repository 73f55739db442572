import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { DEMO_PASSWORD, page, WebClient } from '../support/client.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import {
  isCommonPassword,
  newPasswordProblem,
  topPasswords,
} from '../../src/domain/sign-in/password-rules.ts';
import { COMMON_PASSWORD_COUNT, commonPasswords } from '../../src/services/sign-in/common-passwords.ts';

/**
 * Accounts that look after themselves, through the pages: changing a password (NCSC rules), a
 * reset link e-mailed over real SMTP (once, for 30 minutes, saying nothing of whether the address
 * has an account), a person's own sessions, and the administrator's changes to people.
 */
const NEW_PASSWORD = 'testperson brass kettle lantern';

describe('the password rules', () => {
  const common = commonPasswords();
  const problem = (password: string, email?: string) => newPasswordProblem(password, { common, email });

  it('asks for 12 characters and refuses common passwords and their stretched forms, with no composition rules', () => {
    expect(problem('short pass')).toBe('Enter a password of at least 12 characters');
    for (const listed of [
      'password1234',
      'qwertyuiop123',
      'Sunshine2024!',
      'monkeymonkey',
      'iloveyouiloveyou',
      // Ranks 64,142 and 77,491 of the breached-password list.
      'sleepyhollow',
      'Handkerchief',
    ])
      expect(problem(listed)).toBe(
        'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
      );
    expect(problem('chair.person.2024', 'chair.person@demo.example')).toBe(
      'Enter a password that does not contain your e-mail address',
    );
    // Lower case words alone are fine: length, not composition.
    expect(problem('correct horse battery staple')).toBeNull();
    expect(isCommonPassword('correct horse battery staple', common)).toBe(false);
    expect(problem('x'.repeat(201))).toBe('Enter a password of 200 characters or fewer');
  });

  it('holds the top 100,000 breached passwords, compared without case', () => {
    // 100,000 lines of the list, 96,518 once "Password" and "password" are one.
    expect(COMMON_PASSWORD_COUNT).toBe(100_000);
    expect(common.size).toBe(96_518);
    expect(common.has('123456')).toBe(true); // the first line
    expect(common.has('070162')).toBe(true); // the 100,000th
    expect(common.has('07012006')).toBe(false); // the 100,001st
    expect(topPasswords('Dragon\r\n\n  \nqwerty\nmonkey\n', 2)).toEqual(new Set(['dragon', 'qwerty']));
  });
});

describe.each(DATABASE_KINDS)('accounts that look after themselves (%s)', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let clock = new Date();
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    process.env.PUBLIC_URL = 'http://los.test';
    t = await buildTestApp(kind, { now: () => clock });
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const audits = async (action: string, email?: string) =>
    rows<{
      outcome: string;
      user_email: string | null;
      subject_id: string | null;
      detail: Record<string, unknown>;
    }>(
      email
        ? sql`select outcome, (select email from users where users.id = audit_events.user_id) as user_email, subject_id, detail from audit_events where action = ${action} and user_id in (select id from users where email = ${email}) order by id`
        : sql`select outcome, (select email from users where users.id = audit_events.user_id) as user_email, subject_id, detail from audit_events where action = ${action} order by id`,
    );
  const post = async (
    client: WebClient,
    path: string,
    fields: Record<string, string | string[]>,
    from = path,
  ) => client.post(path, fields, await client.csrfToken(from));
  const userId = async (email: string) =>
    (await rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
  const sessionsOf = async (email: string) =>
    (
      await rows<{ n: number }>(
        sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${email}`,
      )
    )[0]!.n;
  async function mail() {
    await dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' }),
      () => clock,
    );
    return smtp.received;
  }

  it('changes a password: the rules, the current one, other sessions ended, on record', async () => {
    const elsewhere = new WebClient(t.app);
    await elsewhere.signIn('board@demo.example');
    const client = new WebClient(t.app);
    await client.signIn('board@demo.example');

    const weak = await post(client, '/account/password', {
      current: DEMO_PASSWORD,
      password: 'password1234',
      confirm: 'password1234',
    });
    expect(page(await client.follow(weak)).errorSummary).toEqual([
      'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
    ]);
    // Rank 77,491 of the breached-password list.
    const breached = await post(client, '/account/password', {
      current: DEMO_PASSWORD,
      password: 'handkerchief',
      confirm: 'handkerchief',
    });
    expect(page(await client.follow(breached)).errorSummary).toEqual([
      'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
    ]);
    const mismatch = await post(client, '/account/password', {
      current: DEMO_PASSWORD,
      password: NEW_PASSWORD,
      confirm: 'something else entirely',
    });
    expect(page(await client.follow(mismatch)).errorSummary).toEqual(['Enter the same new password again']);
    const wrong = await post(client, '/account/password', {
      current: 'not-my-password',
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(page(await client.follow(wrong)).errorSummary).toEqual(['Your current password is not right']);
    expect(await sessionsOf('board@demo.example')).toBe(2);

    const done = await post(client, '/account/password', {
      current: DEMO_PASSWORD,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(done.headers.location).toBe('/account');
    expect(page(await client.follow(done)).banner).toBe(
      'Password changed. You were signed out everywhere else (1 session).',
    );
    expect((await elsewhere.get('/reviews')).headers.location).toBe('/sign-in');
    expect((await client.get('/reviews')).statusCode).toBe(200);
    expect(
      (await audits('user.password.change', 'board@demo.example')).map((a) => [
        a.outcome,
        a.detail.reason ?? null,
      ]),
    ).toEqual([
      ['failure', 'invalid'],
      ['failure', 'invalid'],
      ['failure', 'invalid'],
      ['failure', 'wrong-current-password'],
      ['success', null],
    ]);
    expect((await new WebClient(t.app).signIn('board@demo.example')).statusCode).toBe(401);
    expect((await new WebClient(t.app).signIn('board@demo.example', NEW_PASSWORD)).headers.location).toBe(
      '/',
    );
    const told = (await mail()).filter((m) => m.subject === 'Your Line of Sight password was changed');
    expect(told.map((m) => m.to)).toEqual([['board@demo.example']]);
  });

  it('e-mails a single-use reset link for 30 minutes, and answers the same for an address with no account', async () => {
    const anonymous = new WebClient(t.app);
    const known = await post(anonymous, '/sign-in/forgot-password', { email: 'practitioner@demo.example' });
    const unknown = await post(anonymous, '/sign-in/forgot-password', { email: 'nobody.here@demo.example' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const text = (res: typeof known) =>
      page(res)
        .$('main')
        .text()
        .replace(/\S+@demo\.example/g, 'ADDRESS');
    expect(text(known)).toBe(text(unknown));
    expect(known.cookies.map((c) => c.name)).not.toContain('los_session');

    const sent = (await mail()).filter((m) => m.subject === 'Reset your Line of Sight password');
    expect(sent.map((m) => m.to)).toEqual([['practitioner@demo.example']]);
    const body = sent[0]!.body.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const link = /http:\/\/los\.test(\/sign-in\/reset-password\?token=[A-Za-z0-9_-]{43})/.exec(body)![1]!;
    expect(
      (await audits('user.password.reset-request')).map((a) => [a.outcome, a.detail.reason ?? null]),
    ).toEqual([
      ['success', null],
      ['denied', 'no-such-account'],
    ]);

    const form = page(await anonymous.get(link));
    expect(form.h1).toBe('Choose a new password');
    const token = new URL(link, 'http://los.test').searchParams.get('token')!;
    const weak = await post(
      anonymous,
      '/sign-in/reset-password',
      { token, password: 'short', confirm: 'short' },
      link,
    );
    expect(weak.statusCode).toBe(400);
    expect(page(weak).errorSummary).toEqual(['Enter a password of at least 12 characters']);
    // Rank 64,142 of the breached-password list: refused, and the link still works.
    const breached = await post(
      anonymous,
      '/sign-in/reset-password',
      { token, password: 'sleepyhollow', confirm: 'sleepyhollow' },
      link,
    );
    expect(breached.statusCode).toBe(400);
    expect(page(breached).errorSummary).toEqual([
      'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
    ]);
    const elsewhere = new WebClient(t.app);
    await elsewhere.signIn('practitioner@demo.example');
    const done = await post(
      anonymous,
      '/sign-in/reset-password',
      { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
      link,
    );
    expect(page(done).$('h1').text().trim()).toBe('Your password has been changed');
    expect((await elsewhere.get('/reviews')).headers.location).toBe('/sign-in');

    const reused = await anonymous.get(link);
    expect(reused.statusCode).toBe(410);
    expect(page(reused).h1).toBe('This link has been used already');
    const reusedPost = await post(
      anonymous,
      '/sign-in/reset-password',
      { token, password: 'another testperson phrase', confirm: 'another testperson phrase' },
      '/sign-in',
    );
    expect(reusedPost.statusCode).toBe(410);
    expect(
      (await new WebClient(t.app).signIn('practitioner@demo.example', NEW_PASSWORD)).headers.location,
    ).toBe('/');

    // A second link, opened after 30 minutes.
    await post(anonymous, '/sign-in/forgot-password', { email: 'practitioner@demo.example' });
    const second = (await mail()).filter((m) => m.subject === 'Reset your Line of Sight password').at(-1)!;
    const secondLink = /(\/sign-in\/reset-password\?token=[A-Za-z0-9_-]{43})/.exec(
      second.body.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
    )![1]!;
    later(30 * 60_000 + 1000);
    const expired = await anonymous.get(secondLink);
    expect(expired.statusCode).toBe(410);
    expect(page(expired).h1).toBe('This link has expired');
    expect((await anonymous.get('/sign-in/reset-password?token=made-up')).statusCode).toBe(404);
    expect((await audits('user.password.reset')).map((a) => [a.outcome, a.detail.reason ?? null])).toEqual([
      ['success', null],
      ['denied', 'link-used'],
      ['denied', 'link-used'],
      ['denied', 'link-expired'],
      ['denied', 'link-unknown'],
    ]);
    // The password is still the one set through the first link.
    expect(
      (await new WebClient(t.app).signIn('practitioner@demo.example', NEW_PASSWORD)).headers.location,
    ).toBe('/');
  });

  it('sends at most three links an hour to one person', async () => {
    later(2 * 3_600_000);
    const anonymous = new WebClient(t.app);
    for (let i = 0; i < 5; i++)
      await post(anonymous, '/sign-in/forgot-password', { email: 'police.lead@demo.example' });
    const sent = (await mail()).filter(
      (m) => m.subject === 'Reset your Line of Sight password' && m.to[0] === 'police.lead@demo.example',
    );
    expect(sent).toHaveLength(3);
    expect(
      (await audits('user.password.reset-request', 'police.lead@demo.example')).map(
        (a) => a.detail.reason ?? null,
      ),
    ).toEqual([null, null, null, 'too-many-links', 'too-many-links']);
  });

  it('shows a person where they are signed in, and ends one session or all the others', async () => {
    later(60_000);
    const laptop = new WebClient(t.app);
    await laptop.signIn('hv.lead@demo.example');
    later(60_000);
    const phone = new WebClient(t.app);
    await phone.signIn('hv.lead@demo.example');
    const list = page(await laptop.get('/account/sessions'));
    expect(list.$('caption').text().trim()).toBe('2 sessions');
    expect(
      list
        .$('tbody tr')
        .map((_, tr) => list.$(tr).find('td').eq(2).text().trim())
        .get(),
    ).toEqual(['Password and authenticator app', 'Password and authenticator app']);
    const form = list.$('tbody form').first();
    const ended = await laptop.post(
      form.attr('action')!,
      {},
      form.find('input[name="_csrf"]').val() as string,
    );
    expect(ended.headers.location).toBe('/account/sessions');
    expect((await phone.get('/reviews')).headers.location).toBe('/sign-in');
    expect((await laptop.get('/reviews')).statusCode).toBe(200);
    expect((await audits('user.session.end', 'hv.lead@demo.example')).map((a) => a.detail.current)).toEqual([
      false,
    ]);
    const made = await laptop.post(
      '/account/sessions/not-a-session/end',
      {},
      await laptop.csrfToken('/account/sessions'),
    );
    expect(page(await laptop.follow(made)).banner).toBe('That session had ended already.');
  });

  it('lets the administrator change roles and agency, disable someone and end their sessions, on record', async () => {
    later(60_000);
    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const target = await userId('csc.lead@demo.example');
    const csc = new WebClient(t.app);
    await csc.signIn('csc.lead@demo.example');
    const [{ name }] = (await rows<{ name: string }>(sql`select name from users where id = ${target}`)) as [
      { name: string },
    ];
    const personPage = page(await admin.get(`/admin/users/${target}`));
    expect(personPage.h1).toBe(name);

    // A first password the administrator sets follows the same rules (rank 81,931 of the list).
    const added = await post(admin, '/admin/users/new', {
      name: 'Testperson Added',
      email: 'testperson.added@demo.example',
      roles: ['board_member'],
      agency: '',
      password: 'weaknesspays',
    });
    expect(page(await admin.follow(added)).errorSummary).toEqual([
      'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
    ]);
    expect(await rows(sql`select id from users where email = 'testperson.added@demo.example'`)).toEqual([]);
    const at = `/admin/users/${target}`;

    const noAgency = await post(admin, `${at}/access`, { roles: ['agency_lead'], agency: '' }, at);
    expect(page(await admin.follow(noAgency)).errorSummary).toEqual([
      'An agency safeguarding lead needs their agency',
    ]);
    const changed = await post(
      admin,
      `${at}/access`,
      { roles: ['agency_lead', 'board_member'], agency: 'police' },
      at,
    );
    expect(page(await admin.follow(changed)).banner).toBe('Roles and agency saved');
    expect((await audits('user.roles.change', 'admin@demo.example')).at(-1)!.detail).toEqual({
      before: { roles: ['agency_lead'], agency: 'csc' },
      after: { roles: ['agency_lead', 'board_member'], agency: 'police' },
    });

    const self = await userId('admin@demo.example');
    const own = await post(
      admin,
      `/admin/users/${self}/access`,
      { roles: ['board_member'], agency: '' },
      `/admin/users/${self}`,
    );
    expect(page(await admin.follow(own)).errorSummary).toEqual([
      'You cannot take away your own administrator role: ask another administrator',
    ]);

    const token = (await t.services.auth.createApiToken('csc.lead@demo.example', 'script')).token;
    const disabled = await post(admin, `${at}/disable`, {}, at);
    expect(page(await admin.follow(disabled)).banner).toMatch(/is disabled: they cannot sign in/);
    expect((await csc.get('/reviews')).headers.location).toBe('/sign-in');
    expect(await sessionsOf('csc.lead@demo.example')).toBe(0);
    expect((await new WebClient(t.app).signIn('csc.lead@demo.example')).statusCode).toBe(401);
    const api = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reviews',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(401);
    await post(admin, `${at}/enable`, {}, at);
    const back = new WebClient(t.app);
    expect((await back.signIn('csc.lead@demo.example')).headers.location).toBe('/');
    const out = await post(admin, `${at}/end-sessions`, {}, at);
    expect(page(await admin.follow(out)).banner).toBe(`${name} is signed out everywhere (1 session ended)`);
    expect((await back.get('/reviews')).headers.location).toBe('/sign-in');
    const reset = await post(admin, `${at}/reset-authenticator`, {}, at);
    expect(reset.statusCode).toBe(303);
    const fresh = new WebClient(t.app);
    expect((await fresh.signIn('csc.lead@demo.example')).headers.location).toBe(
      '/sign-in/set-up-authenticator',
    );
    expect((await audits('user.disable')).map((a) => [a.outcome, a.subject_id])).toEqual([
      ['success', target],
    ]);
    expect((await audits('user.session.end-all')).map((a) => a.detail.sessionsEnded)).toEqual([1]);
    expect((await audits('user.mfa.reset')).map((a) => a.detail.hadAuthenticator)).toEqual([true]);
  });

  it('refuses these pages to anyone but an administrator, on record', async () => {
    const chair = new WebClient(t.app);
    await chair.signIn('chair@demo.example');
    const target = await userId('police.lead@demo.example');
    expect((await chair.get(`/admin/users/${target}`)).statusCode).toBe(403);
    const refused = await chair.post(`/admin/users/${target}/disable`, {}, await chair.csrfToken('/reviews'));
    expect(refused.statusCode).toBe(403);
    expect((await chair.get('/admin/sign-in')).statusCode).toBe(403);
    const denied = await rows<{ action: string }>(
      sql`select action from audit_events where user_id in (select id from users where email = 'chair@demo.example') and outcome = 'denied' and action in ('user.view', 'user.disable', 'administer', 'sign-in.settings.view') order by id`,
    );
    // Administration pages and changes are refused by the policy before anything is read, under
    // its name for them (administer): one row each.
    expect(denied.map((d) => d.action)).toEqual(['administer', 'administer', 'administer']);
    expect(
      (await rows<{ disabled_at: unknown }>(sql`select disabled_at from users where id = ${target}`))[0]!
        .disabled_at,
    ).toBeNull();
  });
});
