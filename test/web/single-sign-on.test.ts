import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import {
  startTestIdentityProvider,
  type TestClient,
  type TestIdentityProvider,
} from '../support/identity-provider.ts';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on loopback: the
 * administrator sets it up, people sign in, are linked at their first sign-in, get roles from
 * their groups, and every forged or replayed answer is refused with a clear message, on record,
 * changing nothing. Line of Sight is reached through inject; the "browser" at the provider is fetch.
 */
const PUBLIC = 'http://los.test';
const LOS: TestClient = {
  clientId: 'line-of-sight',
  secret: 'test-client-secret-for-line-of-sight',
  redirectUri: `${PUBLIC}/sign-in/sso/callback`,
  postLogoutRedirectUri: `${PUBLIC}/sign-in`,
};
const OTHER_APP: TestClient = {
  clientId: 'other-app',
  secret: 'other-secret-000000000000',
  redirectUri: 'http://other.test/cb',
};
const ACCOUNTS = {
  'idp-chair': { email: 'chair@demo.example', groups: ['Safeguarding reviewers'] },
  'idp-practitioner': { email: 'practitioner@demo.example', groups: ['LOS board'] },
  'idp-stranger': {
    email: 'testperson.stranger@demo.example',
    name: 'Testperson Stranger',
    groups: ['Police safeguarding'],
  },
  'idp-unverified': { email: 'board@demo.example', emailVerified: false },
};
const SSO_PROBLEM = 'You have not been signed in';

describe.each(DATABASE_KINDS)('single sign-on with OpenID Connect (%s)', (kind) => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  let elsewhere: TestIdentityProvider;
  let admin: WebClient;
  let providerId: string;
  let clock = new Date();

  beforeAll(async () => {
    process.env.PUBLIC_URL = PUBLIC;
    process.env.OIDC_NORTHSHIRE_COUNCIL_CLIENT_SECRET = LOS.secret;
    idp = await startTestIdentityProvider({ accounts: ACCOUNTS, clients: [LOS, OTHER_APP] });
    elsewhere = await startTestIdentityProvider({ accounts: ACCOUNTS, clients: [LOS] });
    t = await buildTestApp(kind, { now: () => clock });
    admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
    await elsewhere?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const lastSsoAudit = async () =>
    (
      await rows<{ action: string; outcome: string; detail: Record<string, unknown> }>(
        sql`select action, outcome, detail from audit_events where action = 'user.sign-in' and detail->>'method' = 'sso' order by id desc limit 1`,
      )
    )[0]!;
  const identities = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from user_identities`))[0]!.n;

  /** A browser at the provider: signs in there as `login` and returns where it sends the browser back. */
  async function atProvider(authorizeUrl: string, login: string, mfa = false): Promise<string> {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair = ''] = c.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return new URL(res.headers.get('location')!, idp.issuer).href;
    };
    const interaction = await go(authorizeUrl);
    let next = await go(`${interaction}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login, ...(mfa ? { mfa: 'yes' } : {}) }).toString(),
    });
    while (!next.startsWith(PUBLIC)) next = await go(next);
    return next.slice(PUBLIC.length);
  }

  /** Starts a single sign-on from the sign-in page; returns the provider's address it sends the browser to. */
  async function start(client: WebClient): Promise<string> {
    const res = await client.get('/sign-in/sso/northshire-council');
    expect(res.statusCode).toBe(303);
    return res.headers.location as string;
  }

  it('lets the administrator set up the provider, and shows its button on the sign-in page', async () => {
    const csrf = await admin.csrfToken('/admin/sign-in/providers/new');
    const refused = await admin.post(
      '/admin/sign-in/providers/new',
      {
        name: 'Northshire County Council',
        key: 'northshire-council',
        issuer: 'ftp://nowhere',
        clientId: LOS.clientId,
        roleMappings: 'LOS board = Chief bottle washer',
        enabled: 'yes',
      },
      csrf,
    );
    expect(refused.statusCode).toBe(303);
    const form = page(await admin.follow(refused));
    expect(form.errorSummary).toEqual([
      'Enter the issuer’s address, starting https://, like https://login.microsoftonline.com/your-tenant-id/v2.0',
      'Line 1: “Chief bottle washer” is not a role. Use one of: Partnership administrator, Review coordinator, Independent reviewer / chair, Agency safeguarding lead, Practitioner, Board member',
    ]);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from identity_providers`))[0]!.n).toBe(0);

    const saved = await admin.post(
      '/admin/sign-in/providers/new',
      {
        name: 'Northshire County Council',
        key: 'northshire-council',
        issuer: idp.issuer,
        clientId: LOS.clientId,
        roleMappings: 'LOS board = Board member',
        agencyMappings: 'Police safeguarding = police',
        enabled: 'yes',
      },
      await admin.csrfToken('/admin/sign-in/providers/new'),
    );
    expect(saved.headers.location).toBe('/admin/sign-in');
    const list = page(await admin.follow(saved));
    expect(list.$('table').text()).toContain('Northshire County Council');
    expect(list.$('table').text()).toContain('Set');
    const [row] = await rows<{ id: string }>(
      sql`select id from identity_providers where key = 'northshire-council'`,
    );
    providerId = row!.id;
    // A link drawn as a button: the browser goes on to the provider, which a form may not (CSP).
    const signInPage = page(await new WebClient(t.app).get('/sign-in'));
    const link = signInPage.$('a.govuk-button');
    expect(link.text().trim()).toBe('Sign in with Northshire County Council');
    expect(link.attr('href')).toBe('/sign-in/sso/northshire-council');
  });

  it('links a known person at their first sign-in; with the provider’s second factor no code is asked', async () => {
    const client = new WebClient(t.app);
    const back = await atProvider(await start(client), 'idp-chair', true);
    expect(back).toMatch(/^\/sign-in\/sso\/callback\?code=/);
    const res = await client.get(back);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(
      page(await client.get('/account'))
        .$('main')
        .text(),
    ).toContain('Single sign-on with Northshire County Council');
    expect(await identities()).toBe(1);
    const audits = await rows<{ action: string; detail: Record<string, unknown> }>(
      sql`select action, detail from audit_events where detail->>'provider' = 'northshire-council' and outcome = 'success' order by id`,
    );
    expect(audits.map((a) => a.action)).toEqual(['user.sso.link', 'user.sign-in']);
    expect(audits[1]!.detail).toMatchObject({ method: 'sso', amr: ['pwd', 'mfa'] });
  });

  it('asks its own code of someone who must use a second factor when the provider used one factor', async () => {
    const client = new WebClient(t.app);
    const back = await atProvider(await start(client), 'idp-chair', false);
    const res = await client.get(back);
    expect(res.headers.location).toBe('/sign-in/code');
    expect((await client.get('/reviews')).headers.location).toBe('/sign-in');
    const done = await client.giveCode('chair@demo.example');
    expect(done.headers.location).toBe('/');
    expect(
      page(await client.get('/account'))
        .$('main')
        .text(),
    ).toContain('Single sign-on and authenticator app with Northshire County Council');
    expect(await identities()).toBe(1);
  });

  it('gives roles and agency from the token’s groups, and records the change', async () => {
    const client = new WebClient(t.app);
    const res = await client.get(await atProvider(await start(client), 'idp-practitioner'));
    expect(res.headers.location).toBe('/');
    const [user] = await rows<{ roles: string[] }>(
      sql`select roles from users where email = 'practitioner@demo.example'`,
    );
    expect(user!.roles).toEqual(['board_member']);
    const change = await rows<{ detail: Record<string, unknown> }>(
      sql`select detail from audit_events where action = 'user.roles.change' and detail->>'via' = 'sso'`,
    );
    expect(change).toHaveLength(1);
    expect(change[0]!.detail).toMatchObject({
      before: { roles: ['practitioner'] },
      after: { roles: ['board_member'] },
    });
  });

  it('refuses someone Line of Sight does not know unless the administrator lets the provider add them', async () => {
    const client = new WebClient(t.app);
    const refused = await client.get(await atProvider(await start(client), 'idp-stranger'));
    expect(refused.statusCode).toBe(401);
    expect(page(refused).h1).toBe(SSO_PROBLEM);
    expect(page(refused).$('#problem').text()).toBe(
      'You do not have a Line of Sight account. Ask your partnership’s administrator to add you with the e-mail address your organisation’s sign-in holds for you.',
    );
    expect(await lastSsoAudit()).toMatchObject({
      action: 'user.sign-in',
      outcome: 'failure',
      detail: { reason: 'unknown-person' },
    });
    expect(
      (await rows(sql`select 1 from users where email = 'testperson.stranger@demo.example'`)).length,
    ).toBe(0);

    const csrf = await admin.csrfToken(`/admin/sign-in/providers/${providerId}`);
    const saved = await admin.post(
      `/admin/sign-in/providers/${providerId}`,
      {
        name: 'Northshire County Council',
        key: 'northshire-council',
        issuer: idp.issuer,
        clientId: LOS.clientId,
        roleMappings: 'LOS board = Board member',
        agencyMappings: 'Police safeguarding = police',
        createUnknown: 'yes',
        defaultRole: 'practitioner',
        enabled: 'yes',
      },
      csrf,
    );
    expect(saved.headers.location).toBe(`/admin/sign-in/providers/${providerId}`);
    const again = new WebClient(t.app);
    const added = await again.get(await atProvider(await start(again), 'idp-stranger'));
    expect(added.headers.location).toBe('/');
    const [user] = await rows<{ roles: string[]; name: string; password_hash: string | null; code: string }>(
      sql`select u.roles, u.name, u.password_hash, a.code from users u join agencies a on a.id = u.agency_id where u.email = 'testperson.stranger@demo.example'`,
    );
    expect(user).toEqual({
      roles: ['practitioner'],
      name: 'Testperson Stranger',
      password_hash: null,
      code: 'police',
    });
  });

  it('refuses an e-mail address the provider has not confirmed', async () => {
    const client = new WebClient(t.app);
    const refused = await client.get(await atProvider(await start(client), 'idp-unverified'));
    expect(refused.statusCode).toBe(401);
    expect(await lastSsoAudit()).toMatchObject({
      outcome: 'failure',
      detail: { reason: 'email-not-verified' },
    });
  });

  describe('bad answers: refused with a clear message, on record, nothing changed', () => {
    const TRY_AGAIN =
      'This sign-in could not be completed: it was not started from this browser, took longer than 10 minutes, or has been used already. Sign in again.';
    const UNTRUSTED =
      'The answer from your organisation’s sign-in could not be trusted, so you have not been signed in. Sign in again; if this happens again, tell your partnership’s administrator.';

    async function expectRefused(
      res: Awaited<ReturnType<WebClient['get']>>,
      message: string,
      reason: string,
    ) {
      expect(res.statusCode).toBe(401);
      expect(page(res).$('#problem').text()).toBe(message);
      expect(res.cookies.map((c) => c.name)).not.toContain('los_session');
      expect(await lastSsoAudit()).toMatchObject({
        action: 'user.sign-in',
        outcome: 'failure',
        detail: { reason },
      });
    }

    it('a forged state', async () => {
      const before = await identities();
      const client = new WebClient(t.app);
      const back = await atProvider(await start(client), 'idp-chair', true);
      const forged = back.replace(/state=[^&]+/, 'state=forged-by-someone-else');
      await expectRefused(await client.get(forged), TRY_AGAIN, 'state-mismatch');
      expect(await identities()).toBe(before);
    });

    it('an answer with no sign-in started from this browser', async () => {
      const client = new WebClient(t.app);
      const back = await atProvider(await start(client), 'idp-chair', true);
      await expectRefused(await new WebClient(t.app).get(back), TRY_AGAIN, 'not-started');
    });

    it('a replayed answer, even with the browser’s own cookie', async () => {
      const client = new WebClient(t.app);
      const back = await atProvider(await start(client), 'idp-chair', true);
      const cookie = client.cookieHeader();
      expect((await client.get(back)).headers.location).toBe('/');
      const replay = await t.app.inject({ method: 'GET', url: back, headers: { cookie } });
      await expectRefused(replay, TRY_AGAIN, 'state-replayed');
    });

    it('a replayed code, sent with a new sign-in’s state', async () => {
      const first = new WebClient(t.app);
      const used = await atProvider(await start(first), 'idp-chair', true);
      expect((await first.get(used)).headers.location).toBe('/');
      const attacker = new WebClient(t.app);
      const fresh = new URL(await start(attacker));
      const code = new URL(used, PUBLIC).searchParams.get('code')!;
      const forged = `/sign-in/sso/callback?code=${encodeURIComponent(code)}&state=${fresh.searchParams.get('state')}&iss=${encodeURIComponent(idp.issuer)}`;
      await expectRefused(
        await attacker.get(forged),
        'Your organisation’s sign-in did not confirm who you are. Sign in again.',
        'code-refused',
      );
    });

    for (const [what, reason, token] of [
      [
        'an ID token from another issuer',
        'wrong-issuer',
        () => elsewhere.idTokenFor(LOS, 'idp-chair', 'any-nonce'),
      ],
      [
        'an ID token for another audience',
        'wrong-audience',
        () => idp.idTokenFor(OTHER_APP, 'idp-chair', 'any-nonce'),
      ],
      [
        'an ID token of another sign-in (its nonce)',
        'wrong-nonce',
        () => idp.idTokenFor(LOS, 'idp-chair', 'someone-elses-nonce'),
      ],
    ] as const) {
      it(what, async () => {
        const foreign = await token();
        const sessionsBefore = (await rows<{ n: number }>(sql`select count(*)::int as n from sessions`))[0]!
          .n;
        const client = new WebClient(t.app);
        const back = await atProvider(await start(client), 'idp-chair', true);
        idp.tamperWithTokens((answer) => ({ ...answer, id_token: foreign }));
        try {
          await expectRefused(await client.get(back), UNTRUSTED, reason);
        } finally {
          idp.tamperWithTokens(null);
        }
        expect((await rows<{ n: number }>(sql`select count(*)::int as n from sessions`))[0]!.n).toBe(
          sessionsBefore,
        );
      });
    }
  });

  it('signs out here and at the provider (RP-initiated logout)', async () => {
    const client = new WebClient(t.app);
    expect(
      (await client.get(await atProvider(await start(client), 'idp-chair', true))).headers.location,
    ).toBe('/');
    const out = await client.post('/sign-out', {}, await client.csrfToken('/reviews'));
    expect(out.statusCode).toBe(200);
    expect(page(out).h1).toBe('You are signed out of Line of Sight');
    const link = page(out).$('a.govuk-button');
    expect(link.text().trim()).toBe('Sign out of Northshire County Council too');
    const logout = new URL(link.attr('href')!);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC}/sign-in`);
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect((await client.get('/reviews')).headers.location).toBe('/sign-in');
    const [signOut] = await rows<{ action: string }>(
      sql`select action from audit_events where action = 'user.sign-out' and user_id in (select id from users where email = 'chair@demo.example')`,
    );
    expect(signOut!.action).toBe('user.sign-out');
  });

  it('asks someone signed in through the provider to sign in there again for the named view, then takes them on', async () => {
    const client = new WebClient(t.app);
    expect(
      (await client.get(await atProvider(await start(client), 'idp-chair', true))).headers.location,
    ).toBe('/');
    const named = '/reviews/LOS-2021-002/referral/identifiable-details';
    const firstH1 = page(await client.get(named)).h1;
    expect((await client.get(named)).statusCode).toBe(200);

    clock = new Date(clock.getTime() + 31 * 60_000);
    const asked = await client.get(named);
    expect(asked.headers.location).toBe('/sign-in/confirm');
    const confirm = page(await client.follow(asked));
    expect(confirm.h1).toBe('Confirm it is you');
    const again = confirm.$('a.govuk-button');
    expect(again.text().trim()).toBe('Sign in again with Northshire County Council');
    expect(again.attr('href')).toBe('/sign-in/sso/northshire-council?reauthenticate=yes');

    const leave = await client.get(again.attr('href')!);
    expect(leave.statusCode).toBe(303);
    const authorize = new URL(leave.headers.location as string);
    // The provider is told to ask again, not to answer from its own session.
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(authorize.searchParams.get('max_age')).toBe('0');
    const back = await client.get(await atProvider(authorize.href, 'idp-chair', true));
    expect(back.headers.location).toBe(named);
    const shown = await client.get(named);
    expect(shown.statusCode).toBe(200);
    expect(page(shown).h1).toBe(firstH1);
    expect(await lastSsoAudit()).toMatchObject({
      action: 'user.sign-in',
      outcome: 'success',
      detail: { method: 'sso', reauthenticate: true },
    });
  });

  it('does not let a sign-in at the provider as someone else confirm who the signed-in person is', async () => {
    const client = new WebClient(t.app);
    await client.get(await atProvider(await start(client), 'idp-chair', true));
    clock = new Date(clock.getTime() + 31 * 60_000);
    const leave = await client.get('/sign-in/sso/northshire-council?reauthenticate=yes');
    const back = await client.get(await atProvider(leave.headers.location as string, 'idp-practitioner'));
    // Whoever signed in at the provider is who this browser is now: never the chair's session renewed.
    expect(back.headers.location).toBe('/');
    const [signedIn] = await rows<{ email: string }>(
      sql`select u.email from audit_events a join users u on u.id = a.user_id where a.action = 'user.sign-in' and a.outcome = 'success' order by a.id desc limit 1`,
    );
    expect(signedIn!.email).toBe('practitioner@demo.example');
    const [chair] = await rows<{ name: string }>(
      sql`select name from users where email = 'chair@demo.example'`,
    );
    const [practitioner] = await rows<{ name: string }>(
      sql`select name from users where email = 'practitioner@demo.example'`,
    );
    const bar = page(await client.get('/account'))
      .$('.app-account-bar')
      .text();
    expect(bar).toContain(practitioner!.name);
    expect(bar).not.toContain(chair!.name);
  });
});
