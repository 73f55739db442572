import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/**
 * A session that times out loses nothing (issue 17). With a one-minute idle limit: every page says
 * when the session ends and carries the warning's timings; a form sent after the session ended is
 * kept (sealed) for that session's person, shown to them alone after they sign in again, and
 * applied only when they send it again, with a fresh CSRF token, through the route it was meant
 * for. Another person signing in on the same browser gets nothing. The background and purpose,
 * written on the terms of reference tab, are the form used.
 */
describe.each(DATABASE_KINDS)('a session that times out loses nothing (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();
  let ref: string;
  let tor: string;
  const background =
    'Testchild Eight Example was seen by the health visitor at six weeks.\nNo one asked who else lived there.';
  const purpose = 'To learn how agencies hear about the adults in a baby’s home.';

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock, config: { SESSION_IDLE_MINUTES: 1 } });
    ref = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Infant 8'`)
    )[0]!.reference;
    tor = `/reviews/${ref}/terms-of-reference`;
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  const summaryOf = async () =>
    (
      await rows<{ background: string | null }>(sql`select background from reviews where reference = ${ref}`)
    )[0]!.background;
  const kept = () =>
    rows<{ id: string; email: string; sealed: string; path: string }>(
      sql`select k.id, u.email, k.sealed, k.path from kept_forms k join users u on u.id = k.user_id order by k.created_at`,
    );
  const audited = async (action: string) =>
    (
      await rows<{ email: string }>(
        sql`select u.email from audit_events a join users u on u.id = a.user_id where a.action = ${action} order by a.id`,
      )
    ).map((r) => r.email);
  const later = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('allows an idle limit of one minute, not less', () => {
    expect(loadConfig({ NODE_ENV: 'test', SESSION_IDLE_MINUTES: '1' }).SESSION_IDLE_MINUTES).toBe(1);
    expect(() => loadConfig({ NODE_ENV: 'test', SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  it('says on every page when the session ends, and "Stay signed in" extends it', async () => {
    const client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    const p = page(await client.get('/reviews'));
    expect(p.$('.app-account-bar__timeout').text()).toMatch(
      /^You will be signed out at \d{1,2}:\d\d[ap]m if you do nothing \(1 minute without a page or form\)\.$/,
    );
    const dialog = p.$('dialog[data-module="app-timeout-warning"]');
    // A minute, less the store's touch interval (a tenth of it); the warning a quarter before.
    expect(dialog.attr('data-ends-in-ms')).toBe('54000');
    expect(dialog.attr('data-warn-before-ms')).toBe('15000');
    expect(dialog.find('h2').first().text()).toBe('You’re about to be signed out');

    later(40_000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/session/keep-alive',
      headers: { cookie: client.cookieHeader(), 'x-csrf-token': dialog.attr('data-csrf-token')! },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().endsInMs).toBe(54_000);
    // Forty more seconds: 80 s after sign-in, still signed in (the idle limit ran from the keep-alive).
    later(40_000);
    expect((await client.get('/reviews')).statusCode).toBe(200);
  });

  it('keeps a form sent after the session ended, for that person, sealed, and applies nothing', async () => {
    const client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    const form = page(await client.get(tor));
    expect(form.$('#background').length).toBe(1);
    const token = form.$(`form[action="/reviews/${ref}/summary"] input[name="_csrf"]`).val() as string;
    const before = await summaryOf();

    later(2 * 60_000);
    const res = await client.post(`/reviews/${ref}/summary`, { background, purpose }, token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?session=kept');
    expect(await summaryOf()).toBe(before);
    const [row, ...more] = await kept();
    expect(more).toEqual([]);
    expect(row!.email).toBe('coordinator@demo.example');
    expect(row!.path).toBe(`/reviews/${ref}/summary`);
    expect(row!.sealed).not.toContain('Testchild');
    expect(await audited('kept-form.keep')).toEqual(['coordinator@demo.example']);

    const signIn = page(await client.follow(res));
    expect(signIn.$('.govuk-notification-banner').text()).toContain('What you had typed is kept for you.');
    expect(signIn.$('.govuk-notification-banner__heading').text().trim()).toBe(
      'You were signed out after 1 minute without a page or form',
    );

    // Another person signing in on the same browser is sent to it, and finds nothing.
    const chair = await client.signIn('chair@demo.example');
    expect(chair.headers.location).toBe(`/account/kept-forms/${row!.id}`);
    expect((await client.follow(chair)).statusCode).toBe(404);
    expect(
      page(await client.get('/account/kept-forms'))
        .$('main')
        .text(),
    ).toContain('Nothing is kept for you.');
    const discard = await client.post(
      `/account/kept-forms/${row!.id}/discard`,
      {},
      await client.csrfToken('/reviews'),
    );
    expect(discard.statusCode).toBe(404);
    expect(await kept()).toHaveLength(1);
    expect(await audited('kept-form.view')).toEqual([]);
    await client.post('/sign-out', {}, await client.csrfToken('/reviews'));

    // Its person signs in again: it is listed, shown, and applied only when sent again.
    await client.signIn('coordinator@demo.example');
    const list = page(await client.get('/account/kept-forms'));
    const link = list.$(`a[href="/account/kept-forms/${row!.id}"]`);
    expect(link.text()).toBe(`Review ${ref}: summary`);
    const confirm = page(await client.get(`/account/kept-forms/${row!.id}`));
    expect(confirm.h1).toBe('Send what you had typed?');
    const shown = confirm
      .$('.govuk-summary-list__row')
      .map((_, r) => [[confirm.$(r).find('dt').text().trim(), confirm.$(r).find('dd').text().trim()]])
      .get();
    expect(shown).toEqual([
      ['Where it was going', `Review ${ref}: summary`],
      ['Background', background],
      ['Purpose', purpose],
    ]);
    expect(await audited('kept-form.view')).toEqual(['coordinator@demo.example']);
    expect(await summaryOf()).toBe(before);

    const resend = confirm.$(`form[action="/reviews/${ref}/summary"]`);
    const fields: Record<string, string> = {};
    resend.find('input[type="hidden"]').each((_, i) => {
      fields[confirm.$(i).attr('name')!] = confirm.$(i).val() as string;
    });
    expect(Object.keys(fields).sort()).toEqual(['_csrf', '_keptForm', 'background', 'purpose']);
    expect(fields._csrf).not.toBe(token);
    const sent = await client.post(`/reviews/${ref}/summary`, fields);
    expect(sent.statusCode).toBe(303);
    expect(page(await client.follow(sent)).banner).toBe('Background and purpose saved');
    expect(await summaryOf()).toBe(background);
    expect(await kept()).toEqual([]);
    expect(await audited('kept-form.send')).toEqual(['coordinator@demo.example']);
    expect((await audited('review.summary.update')).at(-1)).toBe('coordinator@demo.example');
    // Saved, it is on the terms of reference tab, in the boxes to change it.
    expect(
      page(await client.get(tor))
        .$('#background')
        .text(),
    ).toBe(background);
  });

  it('keeps nothing sent with a token from another session, or after signing out', async () => {
    const forger = new WebClient(t.app);
    await forger.signIn('coordinator@demo.example');
    const foreign = page(await forger.get(tor))
      .$('input[name="_csrf"]')
      .first()
      .val() as string;
    const client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    await client.get(tor);
    later(2 * 60_000);
    // The token was made in another session: refused, as any forged form.
    expect((await client.post(`/reviews/${ref}/summary`, { background: 'Forged' }, foreign)).statusCode).toBe(
      403,
    );

    const leaving = new WebClient(t.app);
    await leaving.signIn('coordinator@demo.example');
    const token = page(await leaving.get(tor))
      .$('input[name="_csrf"]')
      .first()
      .val() as string;
    await leaving.post('/sign-out', {}, token);
    const res = await leaving.post(`/reviews/${ref}/summary`, { background: 'After signing out' }, token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?session=ended');
    expect(await kept()).toEqual([]);
  });
});
