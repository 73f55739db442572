import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

/**
 * Fewer steps, nothing merged (issue 17): each submitted return is accepted or queried from the
 * requests list itself, or every one accepted at once; a referral of a child who already has a review (the same NHS number, or
 * the same name and date of birth) is warned with a link, sent only when confirmed, as a new review.
 */
describe.each(DATABASE_KINDS)('the requests list and a child referred again (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;

  /** The demonstration's review in information gathering, the first test's and the next's. */
  let gathering = '';

  it('accepts or queries each submitted return from the requests list', async () => {
    const ref = await reviewInInformationGathering(t);
    gathering = ref;
    const me = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(me, ref, { agencies: ['police', 'health-visiting'], workingDays: 10 });
    for (const [email, source] of [
      ['police.lead@demo.example', 'POL-1'],
      ['hv.lead@demo.example', 'HV-1'],
    ] as const) {
      const lead = await actorOf(t, email);
      await t.services.returns.addEntry(lead, ref, {
        date: '2019-03-02',
        event_type: 'home_visit',
        summary: 'Visit to the family home',
        source_ref: source,
      });
      await t.services.returns.submit(lead, ref);
    }
    const ids = Object.fromEntries(
      (
        await rows<{ id: string; code: string }>(
          sql`select q.id, a.code from agency_requests q join agencies a on a.id = q.agency_id
               join reviews r on r.id = q.review_id where r.reference = ${ref}`,
        )
      ).map((r) => [r.code, r.id]),
    );
    const url = `/reviews/${ref}/requests`;
    const list = page(await coordinator.get(url));
    const decisions = list
      .$('.app-return-decision')
      .map((_, d) => [
        [
          list.$(d).find('h3').text().trim(),
          list.$(d).find('form').first().attr('action'),
          list.$(d).find('details form').attr('action'),
        ],
      ])
      .get();
    expect(decisions.sort()).toEqual([
      [
        'Northshire Health Visiting Service: 1 entry',
        `${url}/${ids['health-visiting']}/accept`,
        `${url}/${ids['health-visiting']}/query`,
      ],
      ['Northshire Police: 1 entry', `${url}/${ids.police}/accept`, `${url}/${ids.police}/query`],
    ]);
    const token = list.$('input[name="_csrf"]').first().val() as string;

    const accepted = await coordinator.post(`${url}/${ids.police}/accept`, {}, token);
    expect(accepted.headers.location).toBe(url);
    const queried = await coordinator.post(
      `${url}/${ids['health-visiting']}/query`,
      { query: 'Was the visit announced?' },
      token,
    );
    expect(queried.headers.location).toBe(url);
    const after = page(await coordinator.follow(queried));
    expect(after.banner).toBe('Return sent back with your query');
    expect(after.$('.app-return-decision').length).toBe(0);
    expect(
      await rows<{ code: string; status: string; query: string | null }>(
        sql`select a.code, q.status, q.query from agency_requests q join agencies a on a.id = q.agency_id
             where q.id in (${ids.police}, ${ids['health-visiting']}) order by a.code`,
      ),
    ).toEqual([
      { code: 'health-visiting', status: 'returned', query: 'Was the visit announced?' },
      { code: 'police', status: 'accepted', query: null },
    ]);
    const actions = await rows<{ action: string }>(
      sql`select action from audit_events where action in ('request.accept', 'request.return')
           and review_reference = ${ref} order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['request.accept', 'request.return']);
  });

  it('accepts every submitted return at once from the requests list, each on record, then offers the move', async () => {
    // The test above's two returns, both submitted again (one was accepted, one queried).
    const ref = gathering;
    await t.database.db.execute(
      sql`update agency_requests set status = 'submitted', accepted_at = null, accepted_by = null, query = null
           where review_id = (select id from reviews where reference = ${ref})`,
    );
    const url = `/reviews/${ref}/requests`;
    const list = page(await coordinator.get(url));
    const all = list.$('form.app-accept-all');
    expect(all.attr('action')).toBe(`${url}/accept`);
    expect(all.find('button').text().trim()).toBe('Accept all submitted returns');
    const token = all.find('input[name="_csrf"]').val() as string;

    // Not for an agency lead.
    const police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    const refused = await police.post(`${url}/accept`, {}, await police.csrfToken(url));
    expect(refused.statusCode).toBe(403);

    const accepted = await coordinator.post(`${url}/accept`, {}, token);
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(url);
    const after = page(await coordinator.follow(accepted));
    expect(after.banner).toBe('2 returns accepted into the merged chronology');
    expect(after.$('.app-return-decision').length).toBe(0);
    // Every return accepted: the move to analysis is offered on this page.
    expect(after.$('.app-next-stage button').text().trim()).toBe('Move to analysis');
    expect(
      await rows<{ code: string; status: string }>(
        sql`select a.code, q.status from agency_requests q join agencies a on a.id = q.agency_id
             join reviews r on r.id = q.review_id where r.reference = ${ref} order by a.code`,
      ),
    ).toEqual([
      { code: 'health-visiting', status: 'accepted' },
      { code: 'police', status: 'accepted' },
    ]);
    const audited = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where action = 'request.accept' and outcome = 'success'
           and review_reference = ${ref}`,
    );
    // The one accepted above, and these two.
    expect(audited[0]!.n).toBe(3);

    // Nothing left to accept: refused with the reason, nothing changed.
    const again = await coordinator.post(`${url}/accept`, {}, token);
    expect(again.headers.location).toBe(url);
    expect(page(await coordinator.follow(again)).errorSummary).toEqual([
      'There are no submitted returns to accept.',
    ]);
  });

  it('warns of a child who already has a review, with a link, and makes a new review only when confirmed', async () => {
    const [child2] = await rows<{ reference: string; nhs: string }>(
      sql`select r.reference, s.nhs_number as nhs from reviews r join review_subjects s on s.review_id = r.id
           where r.pseudonym = 'Child 2'`,
    );
    expect(child2!.nhs).toMatch(/^\d{10}$/);
    const count = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from reviews`))[0]!.n;
    const before = await count();
    const referral = {
      referringAgency: 'police',
      referrerName: 'Pat Police-Lead (demo)',
      'referredOn-day': '3',
      'referredOn-month': '2',
      'referredOn-year': '2025',
      pseudonym: 'Child 12',
      'child-fullName': 'Testchild Twelve Example',
      // The same NHS number as Child 2's, typed with spaces.
      'child-nhsNumber': `${child2!.nhs.slice(0, 3)} ${child2!.nhs.slice(3, 6)} ${child2!.nhs.slice(6)}`,
      agenciesInvolved: ['police'],
      whatHappened: 'Police attended the home twice.',
      whyLearning: 'A second concern about the same family.',
    };
    const token = await coordinator.csrfToken('/reviews/new');
    const warned = await coordinator.post('/reviews/new', referral, token);
    expect(warned.statusCode).toBe(303);
    expect(warned.headers.location).toBe('/reviews/new#same-child');
    const form = page(await coordinator.follow(warned));
    expect(form.errorSummary).toEqual([
      'This child may already have a review: check it, then tick “Refer it as a new review” to send the referral',
    ]);
    expect(form.$('#same-child h2').text()).toBe('This child may already have a review');
    expect(form.$('#same-child li a').attr('href')).toBe(`/reviews/${child2!.reference}`);
    expect(form.$('#same-child li').text().trim()).toBe(`Review ${child2!.reference}`);
    // What was typed is all still there.
    expect(form.$('#child-fullName').val()).toBe('Testchild Twelve Example');
    expect(form.$('#whyLearning').text()).toBe('A second concern about the same family.');
    expect(await count()).toBe(before);
    const [warning] = await rows<{ detail: { references: string[] } }>(
      sql`select detail from audit_events where action = 'review.refer.same-child'`,
    );
    expect(warning!.detail.references).toEqual([child2!.reference]);

    const sent = await coordinator.post(
      '/reviews/new',
      { ...referral, sameChildConfirmed: 'yes' },
      form.$('input[name="_csrf"]').first().val() as string,
    );
    expect(sent.statusCode).toBe(303);
    expect(await count()).toBe(before + 1);
    const [made] = await rows<{ reference: string; detail: { sameChildAs: string[] } }>(
      sql`select review_reference as reference, detail from audit_events where action = 'review.refer' order by id desc limit 1`,
    );
    expect(sent.headers.location).toBe(`/reviews/${made!.reference}`);
    expect(made!.reference).not.toBe(child2!.reference);
    expect(made!.detail.sameChildAs).toEqual([child2!.reference]);
  });
});
