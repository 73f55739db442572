import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { addWorkingDays } from '../../src/domain/calendar/working-days.ts';
import { formatDate } from '../../src/domain/calendar/format.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

const today = londonDate(new Date());
const [y, m, d] = today.split('-');

async function count(t: TestApp, query: string): Promise<number> {
  const result = (await t.database.db.execute(sql.raw(query))) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]!.n);
}

const referral = {
  referringAgency: 'police',
  referrerName: 'Pat Police-Lead (demo)',
  'referredOn-day': d!,
  'referredOn-month': m!,
  'referredOn-year': y!,
  pseudonym: 'Child 9',
  'child-fullName': 'Testchild Nine Example',
  'child-postcode': 'ZZ99 9ZZ',
  'household-0-relationship': 'Mother',
  'household-0-fullName': 'Testmother Nine Example',
  agenciesInvolved: ['police', 'csc'],
  whatHappened: 'Police attended three times in a month; the children were not recorded.',
  whyLearning: 'Repeated incidents without a referral.',
};

describe.each(DATABASE_KINDS)('a review from referral to terms of reference (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('refuses a wrong password without saying which part was wrong', async () => {
    const client = new WebClient(t.app);
    const wrongPassword = page(
      await client.follow(await client.signIn('coordinator@demo.example', 'not-the-password')),
    );
    const unknownUser = page(
      await client.follow(await client.signIn('nobody@demo.example', 'demo-password-1')),
    );
    expect(wrongPassword.errorSummary).toEqual(['The e-mail address or password is not right']);
    expect(unknownUser.errorSummary).toEqual(wrongPassword.errorSummary);
    expect(
      await count(
        t,
        "select count(*)::int as n from audit_events where action = 'user.sign-in' and outcome = 'failure'",
      ),
    ).toBe(2);
  });

  it('keeps what was typed and saves nothing when the referral form is not complete', async () => {
    const client = new WebClient(t.app);
    await client.signIn('police.lead@demo.example');
    const before = await count(t, 'select count(*)::int as n from reviews');
    const res = await client.post('/reviews/new', {
      ...referral,
      pseudonym: '',
      'child-fullName': '',
      agenciesInvolved: [],
    });
    expect(res.statusCode).toBe(303);
    const form = page(await client.follow(res));
    expect(form.errorSummary).toEqual([
      'Enter the name the review will use for the child, for example Child 2',
      "Enter the child's full name",
      'Select the agencies involved with the child and family',
    ]);
    expect(form.$('#whatHappened').text()).toBe(referral.whatHappened);
    expect(form.$('a[href="#child-fullName"]').length).toBe(1);
    expect(await count(t, 'select count(*)::int as n from reviews')).toBe(before);
  });

  it('refers, screens, and sets the terms of reference, each step recorded', async () => {
    const agencyLead = new WebClient(t.app);
    await agencyLead.signIn('police.lead@demo.example');
    const referred = await agencyLead.post('/reviews/new', referral);
    expect(referred.statusCode).toBe(303);
    const hubUrl = referred.headers.location as string;
    expect(hubUrl).toMatch(new RegExp(`^/reviews/LOS-${y}-\\d{3}$`));
    const ref = hubUrl.split('/').pop()!;
    const hub = page(await agencyLead.follow(referred));
    expect(hub.banner).toBe('Referral received');
    expect(hub.$('.moj-identity-bar').text()).toContain('Child 9');
    expect(hub.$('.moj-identity-bar').text()).toContain('Referral');
    // The agency lead cannot move the review on: that is the coordinator's.
    expect(hub.$('button:contains("Move to screening")').length).toBe(0);

    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const screening = await coordinator.post(`${hubUrl}/stage`, { to: 'screening' });
    expect(page(await coordinator.follow(screening)).banner).toBe('Review moved to screening');

    // Out of order: refused with the reason, nothing changed.
    const skip = page(
      await coordinator.follow(await coordinator.post(`${hubUrl}/stage`, { to: 'terms_of_reference' })),
    );
    expect(skip.errorSummary).toEqual(['Record the screening decision first.']);

    const decided = await coordinator.post(`${hubUrl}/screening`, {
      outcome: 'rapid_review',
      rationale: 'Serious harm suspected.',
      decisionMaker: 'Chair of the review group',
      'decidedOn-day': d!,
      'decidedOn-month': m!,
      'decidedOn-year': y!,
    });
    const afterDecision = page(await coordinator.follow(decided));
    expect(afterDecision.banner).toBe('Screening decision recorded');
    const notifyBy = formatDate(addWorkingDays(today, 5));
    expect(afterDecision.$('.moj-identity-bar').text()).toContain(
      `Notify the Child Safeguarding Practice Review Panel due ${notifyBy}`,
    );
    expect(afterDecision.$('.moj-identity-bar').text()).toContain('Rapid review');

    await coordinator.post(`${hubUrl}/stage`, { to: 'terms_of_reference' });
    const notReady = page(
      await coordinator.follow(await coordinator.post(`${hubUrl}/stage`, { to: 'information_gathering' })),
    );
    expect(notReady.errorSummary).toEqual([
      'Set the period under review.',
      'Choose at least one agency in scope.',
      'Add at least one key line of enquiry.',
    ]);

    const badPeriod = page(
      await coordinator.follow(
        await coordinator.post(`${hubUrl}/terms-of-reference`, {
          'periodFrom-day': '1',
          'periodFrom-month': '6',
          'periodFrom-year': '2026',
          'periodTo-day': '1',
          'periodTo-month': '1',
          'periodTo-year': '2026',
          agenciesInScope: ['police'],
        }),
      ),
    );
    expect(badPeriod.errorSummary).toEqual([
      'The end of the period under review must be the same as or after its start',
    ]);

    await coordinator.post(`${hubUrl}/terms-of-reference`, {
      'periodFrom-day': '1',
      'periodFrom-month': '1',
      'periodFrom-year': '2024',
      'periodTo-day': '31',
      'periodTo-month': '12',
      'periodTo-year': '2025',
      agenciesInScope: ['police', 'csc'],
    });
    for (const question of [
      'Was the child seen?',
      "Was the child's lived experience understood?",
      'Was information shared?',
    ])
      await coordinator.post(`${hubUrl}/lines-of-enquiry`, { question });
    let tor = page(await coordinator.get(`${hubUrl}/terms-of-reference`));
    const questions = () =>
      tor
        .$('#lines-of-enquiry + ol > li')
        .map((_, li) => tor.$(li).contents().first().text().trim())
        .get();
    expect(questions()).toEqual([
      'Was the child seen?',
      "Was the child's lived experience understood?",
      'Was information shared?',
    ]);

    // Reorder, change and remove, as a coordinator would.
    const ids = tor
      .$('a:contains("Change")')
      .map((_, a) => tor.$(a).attr('href')!.split('/').pop())
      .get();
    await coordinator.post(`${hubUrl}/lines-of-enquiry/${ids[2]}/move`, { direction: 'up' });
    await coordinator.post(`${hubUrl}/lines-of-enquiry/${ids[0]}`, {
      question: 'Was the child seen and spoken to alone?',
    });
    await coordinator.post(`${hubUrl}/lines-of-enquiry/${ids[1]}/remove`, {});
    tor = page(await coordinator.get(`${hubUrl}/terms-of-reference`));
    expect(questions()).toEqual(['Was the child seen and spoken to alone?', 'Was information shared?']);

    const moved = page(
      await coordinator.follow(await coordinator.post(`${hubUrl}/stage`, { to: 'information_gathering' })),
    );
    expect(moved.banner).toBe('Review moved to information gathering');
    expect(moved.$('.moj-identity-bar').text()).toContain('Information gathering');

    const actions = await t.database.db.execute(
      sql`select action from audit_events where review_reference = ${ref} and outcome = 'success' and action <> 'review.view' order by id`,
    );
    expect((actions as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual([
      'review.refer',
      'review.stage.move',
      'review.screening.record',
      'review.stage.move',
      'review.terms-of-reference.update',
      'review.line-of-enquiry.add',
      'review.line-of-enquiry.add',
      'review.line-of-enquiry.add',
      'review.line-of-enquiry.reorder',
      'review.line-of-enquiry.update',
      'review.line-of-enquiry.remove',
      'review.stage.move',
    ]);
  });

  it('refuses every change to a closed review', async () => {
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const res = await coordinator.post('/reviews/LOS-2021-001/lines-of-enquiry', { question: 'Anything?' });
    const refused = page(await coordinator.follow(res));
    expect(refused.errorSummary).toEqual(['The review is closed: nothing in it can change.']);
    expect(
      await count(t, "select count(*)::int as n from lines_of_enquiry where question = 'Anything?'"),
    ).toBe(0);
  });

  it('refuses a form without its CSRF token and saves nothing', async () => {
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const res = await coordinator.post('/reviews/LOS-2021-002/lines-of-enquiry', {
      question: 'Forged?',
      _csrf: 'forged',
    });
    expect(res.statusCode).toBe(403);
    expect(page(res).h1).toBe('Your form has expired');
    expect(await count(t, "select count(*)::int as n from lines_of_enquiry where question = 'Forged?'")).toBe(
      0,
    );
  });

  it('records every view of the identifiable details, and refuses and records those not permitted', async () => {
    const chair = new WebClient(t.app);
    await chair.signIn('chair@demo.example');
    const named = page(await chair.get('/reviews/LOS-2021-002/referral/identifiable-details'));
    expect(named.$('.app-restricted').text()).toContain('Testchild Two Example');
    expect(named.$('.app-restricted').text()).toContain('Mother');

    const board = new WebClient(t.app);
    await board.signIn('board@demo.example');
    const plain = page(await board.get('/reviews/LOS-2021-002/referral'));
    expect(plain.$('main').text()).not.toContain('Testchild Two Example');
    const refused = await board.get('/reviews/LOS-2021-002/referral/identifiable-details');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('Testchild Two Example');

    const rows = (await t.database.db.execute(
      sql`select (select email from users where users.id = audit_events.user_id) as user_email, outcome from audit_events where action = 'review.identifiable.view' and user_id in (select id from users where email in ('chair@demo.example', 'board@demo.example')) and request_id <> 'demo-load' order by id`,
    )) as unknown as { rows: { user_email: string; outcome: string }[] };
    expect(rows.rows).toEqual([
      { user_email: 'chair@demo.example', outcome: 'success' },
      { user_email: 'board@demo.example', outcome: 'denied' },
    ]);
  });

  it('shows an agency lead only the reviews they are a member of', async () => {
    const hv = new WebClient(t.app);
    await hv.signIn('hv.lead@demo.example');
    const list = page(await hv.get('/reviews'));
    const refs = list
      .$('tbody tr td:first-child a')
      .map((_, a) => list.$(a).text())
      .get();
    // Exactly the reviews the demo made them a member of (Child 1 and 2, and the later reviews of
    // the demo's story their agency took part in), and not the others.
    const memberOf = (
      (await t.database.db.execute(
        sql`select r.reference from reviews r join review_members m on m.review_id = r.id
            join users u on u.id = m.user_id where u.email = 'hv.lead@demo.example' order by 1`,
      )) as unknown as { rows: { reference: string }[] }
    ).rows.map((r) => r.reference);
    expect(memberOf).toContain('LOS-2021-001');
    expect(memberOf).not.toContain('LOS-2026-001');
    expect(await count(t, 'select count(*) as n from reviews')).toBeGreaterThan(memberOf.length);
    expect(refs.sort()).toEqual(memberOf);
    const other = await hv.get('/reviews/LOS-2026-001');
    // Child 7 was referred this year by the police lead; the demo gives its reference for the current year.
    expect([403, 404]).toContain(other.statusCode);
  });
});
