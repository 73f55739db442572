import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { formatDate, formatDateTime } from '../../src/domain/calendar/format.ts';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, signedInClients, WebClient } from '../support/client.ts';

/**
 * Personal API tokens: a person makes, sees and revokes their own on "Your API tokens"; the
 * partnership administrator sees and revokes anyone's; the API does the same. Every token expires.
 */
const DAY = 86_400_000;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

interface AuditRow {
  action: string;
  outcome: string;
  user_email: string;
  subject_id: string | null;
  detail: Record<string, unknown> | null;
}

describe.each(DATABASE_KINDS)('personal API tokens (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();
  let as: (email: string) => Promise<WebClient>;

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock });
    as = signedInClients(() => t.app);
  });
  afterAll(async () => t?.close());

  const api = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
  const json = (res: LightMyRequestResponse) => res.json() as Record<string, unknown>;
  const tokenId = async (name: string) => {
    const result = (await t.database.db.execute(
      sql`select id from api_tokens where name = ${name}`,
    )) as unknown as { rows: { id: string }[] };
    return result.rows[0]!.id;
  };
  const userId = async (email: string) =>
    (
      (await t.database.db.execute(sql`select id from users where email = ${email}`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows[0]!.id;
  const audits = async (action: string, subjectId: string) =>
    (
      (await t.database.db.execute(
        sql`select action, outcome, (select email from users where users.id = audit_events.user_id) as user_email, subject_id, detail from audit_events
            where action = ${action} and subject_id = ${subjectId} order by id`,
      )) as unknown as { rows: AuditRow[] }
    ).rows;
  const visibleText = (res: LightMyRequestResponse) => page(res).$('main').text();

  /** Creates a token on the page and returns it as shown (once). */
  async function createOnPage(client: WebClient, name: string, days: string) {
    const form = await client.get('/account/api-tokens/new');
    const res = await client.post(
      '/account/api-tokens',
      { name, expiresInDays: days },
      await client.csrfToken('/account/api-tokens/new'),
    );
    return { form, res, token: page(res).$('#token').text().trim() };
  }

  it('lets a person make a token on the page, shown once, that works in the API until it expires', async () => {
    const coordinator = await as('coordinator@demo.example');
    const home = await coordinator.get('/reviews');
    expect(page(home).$('a[href="/account/api-tokens"]').text()).toBe('Your API tokens');

    const { form, res, token } = await createOnPage(coordinator, 'Nightly export', '30');
    expect(page(form).h1).toBe('Create an API token');
    expect(page(form).$('input[name="expiresInDays"]:checked').val()).toBe('90');
    expect(res.statusCode).toBe(200);
    expect(page(res).h1).toBe('Your new API token');
    expect(token).toMatch(/^los_[A-Za-z0-9_-]{43}$/);
    const expires = formatDate(londonDate(new Date(clock.getTime() + 30 * DAY)));
    expect(visibleText(res)).toContain(`Expires on ${expires}`);
    expect(visibleText(res)).not.toMatch(ISO_DATE);
    // Only its hash is kept.
    const stored = (await t.database.db.execute(
      sql`select token_hash from api_tokens where name = 'Nightly export'`,
    )) as unknown as {
      rows: { token_hash: string }[];
    };
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    const id = await tokenId('Nightly export');
    expect(await audits('api-token.create', id)).toEqual([
      {
        action: 'api-token.create',
        outcome: 'success',
        user_email: 'coordinator@demo.example',
        subject_id: id,
        detail: {
          name: 'Nightly export',
          expiresAt: new Date(clock.getTime() + 30 * DAY).toISOString(),
          via: 'page',
        },
      },
    ]);

    const list = await coordinator.get('/account/api-tokens');
    const row = page(list)
      .$('tbody tr')
      .filter((_, tr) => page(list).$(tr).text().includes('Nightly export'));
    expect(
      row
        .find('td')
        .map((_, td) => page(list).$(td).text().trim())
        .get(),
    ).toEqual([
      'Nightly export',
      'Active',
      formatDate(londonDate(clock)),
      'Never used',
      `Expires on ${expires}`,
      'Revoke Nightly export',
    ]);
    expect(visibleText(list)).not.toMatch(ISO_DATE);
    expect(list.body).not.toContain(token);

    expect((await api(token, 'GET', '/api/v1/reviews')).statusCode).toBe(200);
    const used = page(await coordinator.get('/account/api-tokens'));
    expect(used.$('tbody tr').first().find('td').eq(3).text()).toBe(formatDateTime(clock));

    clock = new Date(clock.getTime() + 30 * DAY);
    const expired = await api(token, 'GET', '/api/v1/reviews');
    expect(expired.statusCode).toBe(401);
    expect(json(expired)).toEqual({
      error: {
        code: 'unauthorised',
        message: 'The API token has expired: make a new one on the “Your API tokens” page.',
      },
    });
    // A month on, the session has long gone too: a new one to look.
    const later = new WebClient(t.app);
    await later.signIn('coordinator@demo.example');
    const afterwards = page(await later.get('/account/api-tokens'));
    expect(afterwards.$('tbody tr').first().find('td').eq(1).text().trim()).toBe('Expired');
    expect(afterwards.$('tbody tr').first().find('td').eq(4).text().trim()).toBe(`Expired on ${expires}`);
    clock = new Date();
  });

  it('keeps what was typed and makes nothing when the form is wrong', async () => {
    const chair = await as('chair@demo.example');
    const token = await chair.csrfToken('/account/api-tokens/new');
    const before = page(await chair.get('/account/api-tokens')).$('tbody tr').length;
    const res = await chair.post('/account/api-tokens', { name: '', expiresInDays: '400' }, token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/api-tokens/new');
    const form = page(await chair.follow(res));
    expect(form.errorSummary).toEqual([
      'Enter a name for the token, such as the script that will use it',
      'A token can last 365 days at most',
    ]);
    expect(page(await chair.get('/account/api-tokens')).$('tbody tr').length).toBe(before);
  });

  it('lets a person revoke their own token, which then gets 401, on record', async () => {
    const hvLead = await as('hv.lead@demo.example');
    const { token } = await createOnPage(hvLead, 'Upload script', '90');
    const id = await tokenId('Upload script');
    const res = await hvLead.post(
      `/account/api-tokens/${id}/revoke`,
      {},
      await hvLead.csrfToken('/account/api-tokens'),
    );
    expect(res.statusCode).toBe(303);
    const list = page(await hvLead.follow(res));
    expect(list.banner).toBe('Token “Upload script” revoked: it no longer works');
    expect(list.$('tbody tr').first().find('td').eq(1).text().trim()).toBe('Revoked');
    expect(list.$('tbody tr').first().find('td').eq(4).text().trim()).toBe(
      `Revoked on ${formatDate(londonDate(clock))}`,
    );
    const refused = await api(token, 'GET', '/api/v1/reviews');
    expect(refused.statusCode).toBe(401);
    expect(json(refused)).toEqual({
      error: { code: 'unauthorised', message: 'The API token has been revoked.' },
    });
    expect((await audits('api-token.revoke', id)).map((r) => [r.outcome, r.user_email])).toEqual([
      ['success', 'hv.lead@demo.example'],
    ]);
  });

  it('refuses someone else’s token to anyone but the administrator, on record', async () => {
    const coordinator = await as('coordinator@demo.example');
    const { token } = await createOnPage(coordinator, 'Coordinator report', '90');
    const id = await tokenId('Coordinator report');
    const practitioner = await as('practitioner@demo.example');
    const practitionerToken = (
      await t.services.auth.createApiToken('practitioner@demo.example', 'practitioner script')
    ).token;

    const web = await practitioner.post(
      `/account/api-tokens/${id}/revoke`,
      {},
      await practitioner.csrfToken('/account/api-tokens'),
    );
    expect(web.statusCode).toBe(403);
    expect(page(web).h1).toBe('You do not have access');
    const viaApi = await api(practitionerToken, 'DELETE', `/api/v1/tokens/${id}`);
    expect(viaApi.statusCode).toBe(404);
    expect(
      page(await practitioner.get('/account/api-tokens'))
        .$('main')
        .text(),
    ).not.toContain('Coordinator report');
    const ownList = json(await api(practitionerToken, 'GET', '/api/v1/tokens'));
    expect((ownList.items as { name: string }[]).map((i) => i.name)).toEqual(['practitioner script']);
    // Nor the administrator's pages or the API's view of other people's tokens.
    const adminPage = await practitioner.get('/admin/api-tokens');
    expect(adminPage.statusCode).toBe(403);
    const adminRevoke = await practitioner.post(
      `/admin/api-tokens/${id}/revoke`,
      {},
      await practitioner.csrfToken('/account/api-tokens'),
    );
    expect(adminRevoke.statusCode).toBe(403);
    const everyone = await api(practitionerToken, 'GET', '/api/v1/tokens?user=all');
    expect(everyone.statusCode).toBe(403);

    expect((await api(token, 'GET', '/api/v1/reviews')).statusCode).toBe(200);
    expect((await audits('api-token.revoke', id)).map((r) => [r.outcome, r.user_email])).toEqual([
      ['denied', 'practitioner@demo.example'],
      ['denied', 'practitioner@demo.example'],
    ]);
    const listRefusals = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where user_id in (select id from users where email = 'practitioner@demo.example')
          and outcome = 'denied' and action in ('api-token.list', 'api-token.revoke') and subject_id is null`,
    )) as unknown as { rows: { n: number }[] };
    // The API's list of everyone's tokens is refused by the token service; the administrator's page
    // and revoke by the policy before anything is read, under its name for them (administer).
    expect(listRefusals.rows[0]!.n).toBe(1);
    const beforeInput = (await t.database.db.execute(
      sql`select detail->>'route' as route from audit_events where user_id in (select id from users where email = 'practitioner@demo.example')
          and outcome = 'denied' and action = 'administer' order by id`,
    )) as unknown as { rows: { route: string }[] };
    expect(beforeInput.rows.map((r) => r.route)).toEqual([
      'GET /admin/api-tokens',
      'POST /admin/api-tokens/:id/revoke',
    ]);
  });

  it('lets the administrator see and revoke anyone’s token in the partnership, from People and roles', async () => {
    const police = await as('police.lead@demo.example');
    const { token } = await createOnPage(police, 'Police upload', '180');
    const id = await tokenId('Police upload');
    const admin = await as('admin@demo.example');
    const people = page(await admin.get('/admin/users'));
    const link = people
      .$('tbody tr')
      .filter((_, tr) => people.$(tr).text().includes('police.lead@demo.example'))
      .find('a')
      .filter((_, a) => people.$(a).text().startsWith('API tokens'));
    const href = link.attr('href')!;
    expect(href).toMatch(/^\/admin\/api-tokens\?user=[0-9a-f-]{36}$/);
    const theirs = await admin.get(href);
    expect(theirs.statusCode).toBe(200);
    expect(page(theirs).h1).toMatch(/’s API tokens$/);
    expect(page(theirs).$('tbody tr').length).toBe(1);
    expect(page(theirs).$('main').text()).not.toMatch(ISO_DATE);

    const res = await admin.post(
      `/admin/api-tokens/${id}/revoke`,
      { user: href.split('=')[1]! },
      await admin.csrfToken(href),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(href);
    expect(page(await admin.follow(res)).banner).toMatch(
      /’s token “Police upload” revoked: it no longer works$/,
    );
    expect((await api(token, 'GET', '/api/v1/reviews')).statusCode).toBe(401);
    const [row] = await audits('api-token.revoke', id);
    expect(row).toMatchObject({
      outcome: 'success',
      user_email: 'admin@demo.example',
      detail: { name: 'Police upload', ownerId: await userId('police.lead@demo.example') },
    });
    // The row names its people by id: no e-mail address is copied into it.
    expect(JSON.stringify(row)).not.toContain('police.lead@demo.example');
    // The owner sees who revoked it.
    const ownerView = page(await police.get('/account/api-tokens'));
    expect(ownerView.$('tbody tr').first().find('td').eq(4).text().trim()).toMatch(/^Revoked on .+ by .+$/);
  });

  it('gives the API the same: list, create (not outlasting the token used), revoke', async () => {
    const { token } = await t.services.auth.createApiToken('board@demo.example', 'board script', {
      expiresInDays: 30,
    });
    const created = await api(token, 'POST', '/api/v1/tokens', { name: 'Made by the API', expiresInDays: 7 });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({
      name: 'Made by the API',
      status: 'active',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(body.owner).toMatchObject({ email: 'board@demo.example' });
    expect(body.token).toMatch(/^los_/);
    expect(new Date(body.expiresAt as string).getTime()).toBe(
      new Date(body.createdAt as string).getTime() + 7 * DAY,
    );
    expect((await api(body.token as string, 'GET', '/api/v1/reviews')).statusCode).toBe(200);

    const tooLong = await api(token, 'POST', '/api/v1/tokens', { name: 'Outlasting', expiresInDays: 60 });
    expect(tooLong.statusCode).toBe(400);
    expect(json(tooLong)).toMatchObject({
      error: {
        code: 'invalid',
        details: {
          fields: {
            expiresInDays: 'A token made with another token cannot outlast it: enter 30 days or fewer',
          },
        },
      },
    });
    const overYear = await api(token, 'POST', '/api/v1/tokens', { name: 'Too long', expiresInDays: 366 });
    expect(overYear.statusCode).toBe(400);

    const list = json(await api(token, 'GET', '/api/v1/tokens'));
    expect(list.total).toBe(2);
    // (The clock stands still here, so both were made at the same moment: no order to check.)
    expect((list.items as { name: string }[]).map((item) => item.name).sort()).toEqual([
      'Made by the API',
      'board script',
    ]);
    expect(JSON.stringify(list)).not.toContain('token_hash');
    expect(JSON.stringify(list)).not.toContain('tokenHash');

    const removed = await api(token, 'DELETE', `/api/v1/tokens/${body.id as string}`);
    expect(removed.statusCode).toBe(204);
    expect((await api(body.token as string, 'GET', '/api/v1/reviews')).statusCode).toBe(401);
    expect(
      (await api(token, 'DELETE', '/api/v1/tokens/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await api(token, 'DELETE', '/api/v1/tokens/not-an-id')).statusCode).toBe(404);

    const adminToken = (await t.services.auth.createApiToken('admin@demo.example', 'admin script')).token;
    const all = json(await api(adminToken, 'GET', '/api/v1/tokens?user=all'));
    const owners = new Set((all.items as { owner: { email: string } }[]).map((i) => i.owner.email));
    expect(owners).toContain('board@demo.example');
    expect(owners).toContain('coordinator@demo.example');

    const openapi = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const documented = openapi.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(documented['/api/v1/tokens']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(documented['/api/v1/tokens/{id}']!)).toEqual(['delete']);
  });

  it('holds a person to 25 tokens that still work, on every way in', async () => {
    for (let i = 0; i < 25; i++) await t.services.auth.createApiToken('csc.lead@demo.example', `script ${i}`);
    await expect(t.services.auth.createApiToken('csc.lead@demo.example', 'one more')).rejects.toMatchObject({
      fieldErrors: {
        _: 'You have 25 tokens that still work, the most a person may hold. Revoke one you no longer use first',
      },
    });
    const csc = await as('csc.lead@demo.example');
    const res = await csc.post(
      '/account/api-tokens',
      { name: 'one more', expiresInDays: '7' },
      await csc.csrfToken('/account/api-tokens/new'),
    );
    expect(page(await csc.follow(res)).errorSummary).toEqual([
      'You have 25 tokens that still work, the most a person may hold. Revoke one you no longer use first',
    ]);
  });
});
