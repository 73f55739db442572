import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { isAuditAction } from '../../src/domain/audit/catalogue.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, signedInClients } from '../support/client.ts';

/**
 * The audit log as the administrator and data protection officer read it: events in words, who by
 * name (rows hold ids only), filters by person, review, type and outcome, an export on record,
 * and "who has seen this child's identifiable details" answered in one place.
 */
describe.each(DATABASE_KINDS)('the audit log page (%s)', (kind) => {
  let t: TestApp;
  let as: ReturnType<typeof signedInClients>;
  let reference: string;
  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    as = signedInClients(() => t.app);
    reference = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Child 7'`)
    )[0]!.reference;
    const coordinator = await as('coordinator@demo.example');
    for (let i = 0; i < 2; i++)
      expect((await coordinator.get(`/reviews/${reference}/referral/identifiable-details`)).statusCode).toBe(
        200,
      );
    const board = await as('board@demo.example');
    expect((await board.get(`/reviews/${reference}/referral/identifiable-details`)).statusCode).toBe(403);
  });
  afterAll(async () => t?.close());

  it('shows events in words, by person and type, with no internal name on the page', async () => {
    const admin = await as('admin@demo.example');
    const res = await admin.get(
      `/admin/audit?type=identifiable+view&review=${reference}&user=${encodeURIComponent('coordinator@demo.example')}`,
    );
    expect(res.statusCode).toBe(200);
    const p = page(res);
    const cells = p
      .$('tbody tr')
      .map((_, tr) =>
        [
          p.$(tr).find('td').eq(1).text().trim(),
          p.$(tr).find('td').eq(2).text().trim(),
          p.$(tr).find('td').eq(3).text().trim(),
        ].join(' | '),
      )
      .get();
    expect(cells).toEqual([
      `Casey Coordinator (demo) | Opened the child's identifiable details | Done`,
      `Casey Coordinator (demo) | Opened the child's identifiable details | Done`,
    ]);
    expect(p.$('main').text()).not.toContain('review.identifiable.view');
    // A person found by part of their name; the board member's refusal under "Refused".
    const refused = page(await admin.get(`/admin/audit?user=Board&outcome=denied&review=${reference}`));
    expect(
      refused
        .$('tbody tr td:nth-child(4)')
        .map((_, td) => refused.$(td).text().trim())
        .get(),
    ).toEqual(['Refused']);
  });

  it("answers who has seen a child's identifiable details, and records the question", async () => {
    const admin = await as('admin@demo.example');
    const before = (
      await rows<{ n: number }>(
        sql`select count(*)::int as n from audit_events where action = 'audit.view' and review_reference = ${reference}`,
      )
    )[0]!.n;
    const res = await admin.get(`/admin/audit/identifiable-views?review=${reference}`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    expect(p.h1).toBe("Who has seen a child's identifiable details");
    const people = p
      .$('table')
      .first()
      .find('tbody tr')
      .map((_, tr) => [p.$(tr).find('td').eq(0).text().trim() + ' ' + p.$(tr).find('td').eq(1).text().trim()])
      .get();
    // The coordinator twice; the board member was refused, so has not seen them.
    expect(people).toEqual(['Casey Coordinator (demo) 2']);
    expect(p.$('caption').first().text().trim()).toBe(
      `1 person has seen the identifiable details of ${reference}`,
    );
    const after = (
      await rows<{ n: number }>(
        sql`select count(*)::int as n from audit_events where action = 'audit.view' and review_reference = ${reference}`,
      )
    )[0]!.n;
    expect(after - before).toBe(1);
  });

  it('exports the filtered events as CSV, on record with the filter and not what was typed', async () => {
    const admin = await as('admin@demo.example');
    const res = await admin.get(`/admin/audit/export.csv?review=${reference}&type=identifiable+view`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const records = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.event, r.outcome, r.person_email])).toEqual([
      ["Opened the child's identifiable details", 'denied', 'board@demo.example'],
      ["Opened the child's identifiable details", 'success', 'coordinator@demo.example'],
      ["Opened the child's identifiable details", 'success', 'coordinator@demo.example'],
    ]);
    const exported = await rows<{ detail: { filter: Record<string, unknown>; rows: number } }>(
      sql`select detail from audit_events where action = 'audit.export' order by id desc limit 1`,
    );
    expect(exported[0]!.detail.rows).toBe(3);
    expect(exported[0]!.detail.filter).toMatchObject({ review: reference, type: 'identifiable view' });

    // What was typed to find a person is kept as the people found, by id.
    await admin.get(`/admin/audit?user=${encodeURIComponent('hv.lead@demo.example')}`);
    const viewed = await rows<{ detail: { filter: { people: string[] } } }>(
      sql`select detail from audit_events where action = 'audit.view' order by id desc limit 1`,
    );
    const hvLead = (
      await rows<{ id: string }>(sql`select id from users where email = 'hv.lead@demo.example'`)
    )[0]!.id;
    expect(viewed[0]!.detail.filter.people).toEqual([hvLead]);
  });

  it('refuses the log to anyone but the administrator, on record', async () => {
    const coordinator = await as('coordinator@demo.example');
    for (const url of [
      '/admin/audit',
      '/admin/audit/export.csv',
      `/admin/audit/identifiable-views?review=${reference}`,
    ])
      expect((await coordinator.get(url)).statusCode, url).toBe(403);
    // Refused by the policy before anything is read, under its name for them: one row each.
    const refusals = await rows<{ route: string }>(
      sql`select detail->>'route' as route from audit_events where outcome = 'denied' and action = 'audit-log.read'
          and detail->>'route' like 'GET /admin/audit%'
          and user_id = (select id from users where email = 'coordinator@demo.example') order by id`,
    );
    expect(refusals.map((r) => r.route)).toEqual([
      'GET /admin/audit',
      'GET /admin/audit/export.csv',
      'GET /admin/audit/identifiable-views',
    ]);
  });

  it('copies no e-mail address into any row it writes, and writes only events of the catalogue', async () => {
    const written = await rows<{ action: string; n: number }>(
      sql`select action, count(*)::int as n from audit_events
          where user_email is not null or detail::text like '%@%' group by action`,
    );
    expect(written).toEqual([]);
    const actions = (await rows<{ action: string }>(sql`select distinct action from audit_events`)).map(
      (r) => r.action,
    );
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => !isAuditAction(a))).toEqual([]);
  });
});
