import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/**
 * Terms of reference in fewer steps, nothing thrown away: the referral's agencies come ticked, a
 * key line of enquiry added keeps what was typed above it, and the chair is appointed here (and
 * so given access).
 */
describe.each(DATABASE_KINDS)('terms of reference, nothing thrown away (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  let ref: string;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    ref = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Infant 8'`)
    )[0]!.reference;
    url = `/reviews/${ref}/terms-of-reference`;
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  const ticked = (p: ReturnType<typeof page>) =>
    p
      .$('input[name="agenciesInScope"]:checked')
      .map((_, i) => p.$(i).attr('value'))
      .get()
      .sort();

  it('ticks the agencies named in the referral until the scope is saved', async () => {
    const p = page(await coordinator.get(url));
    expect(ticked(p)).toEqual(['gp', 'health-visiting', 'hospital', 'police']);
    expect(p.$('#question').attr('form')).toBe('terms-of-reference-form');
  });

  it('adds a key line of enquiry and keeps the period and agencies typed above it, unsaved', async () => {
    const res = await coordinator.post(`/reviews/${ref}/lines-of-enquiry`, {
      'periodFrom-day': '1',
      'periodFrom-month': '3',
      'periodFrom-year': '2018',
      'periodTo-day': '15',
      'periodTo-month': '1',
      'periodTo-year': '2021',
      agenciesInScope: ['police', 'gp'],
      chair: '',
      question: 'Was the baby seen by every agency?',
    });
    expect(res.statusCode).toBe(303);
    const p = page(await coordinator.follow(res));
    expect(p.banner).toBe('Key line of enquiry added');
    expect(p.$('#lines-of-enquiry + ol > li').first().contents().first().text().trim()).toBe(
      'Was the baby seen by every agency?',
    );
    expect(p.$('#periodFrom-day').val()).toBe('1');
    expect(p.$('#periodTo-year').val()).toBe('2021');
    expect(ticked(p)).toEqual(['gp', 'police']);
    const [review] = await rows<{ period_from: string | null }>(
      sql`select period_from from reviews where reference = ${ref}`,
    );
    expect(review!.period_from).toBeNull();
  });

  it('appoints the chair with the terms of reference, giving them access, and keeps a line typed but not added', async () => {
    const [chair] = await rows<{ id: string }>(sql`select id from users where email = 'chair@demo.example'`);
    const before = page(await coordinator.get(url));
    expect(
      before
        .$('#chair-select option')
        .map((_, o) => before.$(o).text())
        .get(),
    ).toEqual([
      'Not appointed yet',
      ...(
        await rows<{ name: string }>(
          sql`select name from users where 'independent_reviewer' = any(roles) and disabled_at is null order by name`,
        )
      ).map((r) => r.name),
    ]);
    const res = await coordinator.post(url, {
      'periodFrom-day': '1',
      'periodFrom-month': '3',
      'periodFrom-year': '2018',
      'periodTo-day': '15',
      'periodTo-month': '1',
      'periodTo-year': '2021',
      agenciesInScope: ['police', 'gp'],
      chair: chair!.id,
      question: 'Did anyone ask who cared for the baby at night?',
    });
    const p = page(await coordinator.follow(res));
    expect(p.banner).toBe('Terms of reference saved');
    expect(p.$('#question').text()).toBe('Did anyone ask who cared for the baby at night?');
    expect(p.$('#chair-select option[selected]').attr('value')).toBe(chair!.id);
    const member = await rows<{ n: number }>(
      sql`select count(*)::int as n from review_members m join reviews r on r.id = m.review_id
          where r.reference = ${ref} and m.user_id = ${chair!.id}`,
    );
    expect(member[0]!.n).toBe(1);
    const audit = await rows<{ action: string }>(
      sql`select action from audit_events where review_reference = ${ref} and subject_id = ${chair!.id} and outcome = 'success'`,
    );
    expect(audit.map((a) => a.action)).toEqual(['review.member.add']);
    // The chair now sees the review.
    const chairClient = new WebClient(t.app);
    await chairClient.signIn('chair@demo.example');
    expect((await chairClient.get(`/reviews/${ref}`)).statusCode).toBe(200);
  });

  it('refuses as chair someone whose role does not chair reviews', async () => {
    const [lead] = await rows<{ id: string }>(
      sql`select id from users where email = 'police.lead@demo.example'`,
    );
    const res = await coordinator.post(url, {
      'periodFrom-day': '1',
      'periodFrom-month': '3',
      'periodFrom-year': '2018',
      'periodTo-day': '15',
      'periodTo-month': '1',
      'periodTo-year': '2021',
      agenciesInScope: ['police'],
      chair: lead!.id,
    });
    expect(page(await coordinator.follow(res)).errorSummary).toEqual([
      'Select an independent reviewer / chair of this partnership',
    ]);
  });
});
