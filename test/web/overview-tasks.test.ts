import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { actorOf } from '../chronology/setup.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The overview as people work it: the stage's task list (GOV.UK task list), the one next thing
 * this person can do as the primary button, a refused move's reasons shown before anyone presses,
 * and a chase of an overdue agency request sent now through the outbox and on record.
 */
describe.each(DATABASE_KINDS)('the overview says what to do next (%s)', (kind) => {
  let t: TestApp;
  let clock = new Date();
  let ref: string;
  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => clock });
    const result = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Infant 8'`,
    )) as unknown as { rows: { reference: string }[] };
    ref = result.rows[0]!.reference;
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;

  async function overviewOf(email: string) {
    const client = new WebClient(t.app);
    await client.signIn(email);
    const res = await client.get(`/reviews/${ref}`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    const tasks = p
      .$('.govuk-task-list__item')
      .map((_, li) => ({
        title: p
          .$(li)
          .find('.govuk-task-list__name-and-hint a, .govuk-task-list__name-and-hint > div')
          .first()
          .text()
          .trim(),
        hint: p.$(li).find('.govuk-task-list__hint').text().trim(),
        status: p.$(li).find('.govuk-task-list__status').text().trim(),
      }))
      .get();
    const buttons = p
      .$('main .govuk-button')
      .map((_, b) => p.$(b).text().trim())
      .get();
    const inset = p.$('main .govuk-inset-text');
    const reasons = inset
      .find('li')
      .map((_, li) => p.$(li).text().trim())
      .get();
    return { client, p, tasks, buttons, inset: [inset.find('p').text().trim(), ...reasons].join(' ').trim() };
  }

  it('gives the coordinator the next task of terms of reference, and says why the move would be refused', async () => {
    const { p, tasks, buttons, inset } = await overviewOf('coordinator@demo.example');
    expect(tasks.map((x) => [x.title, x.status])).toEqual([
      ['Set the period under review', 'Not yet started'],
      ['Choose the agencies in scope', 'Not yet started'],
      ['Add the key lines of enquiry', 'Not yet started'],
      ['Write the background and purpose', 'Not yet started'],
      ['Appoint the chair', 'Optional'],
    ]);
    expect(p.$('.govuk-task-list__item a:contains("Write the background and purpose")').attr('href')).toBe(
      `/reviews/${ref}/terms-of-reference#background-and-purpose`,
    );
    expect(buttons[0]).toBe('Set the period under review');
    expect(p.$('main a.govuk-button').first().attr('href')).toBe(`/reviews/${ref}/terms-of-reference`);
    expect(buttons).not.toContain('Move to information gathering');
    expect(inset).toBe(
      'The review cannot move to information gathering yet: Set the period under review. Choose at least one agency in scope. Add at least one key line of enquiry.',
    );
  });

  it('offers the move as the primary button once the stage holds what it needs and the background and purpose are written', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.reviews.setTermsOfReference(coordinator, ref, {
      periodFrom: '2018-03-01',
      periodTo: '2021-01-15',
      agenciesInScope: ['police', 'health-visiting'],
    });
    await t.services.reviews.addLineOfEnquiry(coordinator, ref, {
      question: 'Was the child seen and heard?',
    });
    const { client, p, tasks, buttons, inset } = await overviewOf('coordinator@demo.example');
    // The background and purpose are not needed to move on, but the briefing is written from them.
    expect(tasks.map((x) => x.status)).toEqual([
      'Completed',
      'Completed',
      'Completed',
      'Not yet started',
      'Optional',
    ]);
    expect(buttons.slice(0, 2)).toEqual([
      'Write the background and purpose',
      'Move to information gathering',
    ]);
    expect(p.$('main a.govuk-button').first().attr('href')).toBe(
      `/reviews/${ref}/terms-of-reference#background-and-purpose`,
    );
    expect(inset).toBe('');

    // Written on the terms of reference page: in progress with one of the two, done with both.
    const summary = `/reviews/${ref}/summary`;
    const token = await client.csrfToken(`/reviews/${ref}/terms-of-reference`);
    expect(
      (
        await client.post(
          summary,
          { background: 'Testchild Eight Example, aged 4 months.', purpose: '' },
          token,
        )
      ).headers.location,
    ).toBe(`/reviews/${ref}/terms-of-reference#background-and-purpose`);
    expect((await overviewOf('coordinator@demo.example')).tasks[3]!.status).toBe('In progress');
    await client.post(
      summary,
      {
        background: 'Testchild Eight Example, aged 4 months.',
        purpose: 'To learn how the discharge was planned.',
      },
      token,
    );
    const written = await overviewOf('coordinator@demo.example');
    expect(written.tasks[3]).toEqual({
      title: 'Write the background and purpose',
      hint: '',
      status: 'Completed',
    });
    expect(written.buttons[0]).toBe('Move to information gathering');
    // The page where the stage's last task was done offers the same move (a POST with CSRF to the
    // overview's move); only to someone who may move the review, and only while it would be allowed.
    const offered = page(await written.client.get(`/reviews/${ref}/terms-of-reference`)).$('.app-next-stage');
    expect(offered.find('button').text().trim()).toBe('Move to information gathering');
    expect(offered.find('form').attr('action')).toBe(`/reviews/${ref}/stage`);
    expect(offered.find('input[name="to"]').val()).toBe('information_gathering');
    expect(offered.find('input[name="_csrf"]').val()).toBeTruthy();
    const lead = new WebClient(t.app);
    await lead.signIn('chair@demo.example');
    expect(page(await lead.get(`/reviews/${ref}/terms-of-reference`)).$('.app-next-stage').length).toBe(0);
  });

  it("shows an agency lead their own return first, each agency's return waiting, and who moves the review on", async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
    const policeActor = await actorOf(t, 'police.lead@demo.example');
    const before = await t.services.requests.waitingCount(policeActor);
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 10,
    });
    const police = await overviewOf('police.lead@demo.example');
    // "Waiting on me" in the navigation counts the new request, and its page lists it.
    expect(police.p.$('.govuk-service-navigation__link:contains("Waiting on me")').text().trim()).toBe(
      `Waiting on me (${before + 1})`,
    );
    const waiting = page(await police.client.get('/returns'));
    expect(waiting.$('table').first().find('caption').text().trim()).toBe('Returns to complete');
    expect(waiting.$('table').first().text()).toContain(ref);
    expect(police.buttons).toEqual(["Complete your agency's return"]);
    expect(police.p.$('main a.govuk-button').attr('href')).toBe(`/reviews/${ref}/return`);
    expect(police.tasks.map((x) => [x.title, x.status])).toEqual([
      ['Send the agency requests', 'Completed'],
      ["Northshire Health Visiting Service's chronology and self-analysis", 'Sent'],
      ["Northshire Police's chronology and self-analysis", 'Sent'],
    ]);
    expect(police.tasks[2]!.hint).toMatch(
      /^Waiting on Northshire Police, due \d+ \w+ \d{4} \(due in 10 working days\)$/,
    );
    expect(police.p.$('main').text()).toContain(
      'The review coordinator moves the review on to its next stage.',
    );

    const coordinatorView = await overviewOf('coordinator@demo.example');
    // The board member has nothing waiting: no "Waiting on me" at all.
    const board = await overviewOf('board@demo.example');
    expect(board.p.$('.govuk-service-navigation__link:contains("Waiting on me")').length).toBe(0);
    expect(board.buttons).toEqual([]);
    expect(coordinatorView.buttons).toEqual([]);
    expect(coordinatorView.p.$('main').text()).toContain('Nothing in this stage is waiting on you.');
    expect(coordinatorView.inset).toBe(
      'The review cannot move to analysis yet: 2 agency requests are not yet accepted or withdrawn.',
    );
    // Refused now: the requests page (where the last return is accepted) offers no move yet.
    const requests = page(await coordinatorView.client.get(`/reviews/${ref}/requests`));
    expect(requests.$('.app-next-stage').length).toBe(0);
  });

  it('takes someone with exactly one thing waiting straight to it after signing in; otherwise, and after a page asked for, as before', async () => {
    // The police lead's one thing waiting: the return asked for above (the demonstration's police
    // return is long submitted).
    const police = await actorOf(t, 'police.lead@demo.example');
    expect(await t.services.requests.waitingCount(police)).toBe(1);
    const lead = new WebClient(t.app);
    const signedIn = await lead.signIn('police.lead@demo.example');
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/');
    expect((await lead.get('/')).headers.location).toBe(`/reviews/${ref}/return`);
    // Once, straight after signing in: the home page is the reviews list again after that.
    expect((await lead.get('/')).headers.location).toBe('/reviews');

    // A page asked for before signing in still wins.
    const asked = new WebClient(t.app);
    expect((await asked.get(`/reviews/${ref}/agencies`)).headers.location).toBe('/sign-in');
    expect((await asked.signIn('police.lead@demo.example')).headers.location).toBe(
      `/reviews/${ref}/agencies`,
    );
    expect((await asked.get(`/reviews/${ref}/agencies`)).statusCode).toBe(200);
    // And the home page after it is the reviews list: the landing was for the first page only.
    expect((await asked.get('/')).headers.location).toBe('/reviews');

    // Nothing waiting (the board member), or several (the health visiting lead: this return, the
    // demonstration's and its actions due): the reviews list, as before.
    const board = new WebClient(t.app);
    await board.signIn('board@demo.example');
    expect((await board.get('/')).headers.location).toBe('/reviews');
    const hv = await actorOf(t, 'hv.lead@demo.example');
    expect(await t.services.requests.waitingCount(hv)).toBeGreaterThan(1);
    const several = new WebClient(t.app);
    await several.signIn('hv.lead@demo.example');
    expect((await several.get('/')).headers.location).toBe('/reviews');
  });

  it('chases an overdue request now, once a day, through the outbox and on record; nobody else may', async () => {
    clock = new Date(Date.now() + 30 * DAY);
    const { client, buttons, tasks } = await overviewOf('coordinator@demo.example');
    expect(tasks[2]!.status).toBe('Overdue');
    expect(buttons).toEqual(['Chase Northshire Health Visiting Service now', 'Chase Northshire Police now']);
    const [police] = await rows<{ id: string }>(
      sql`select r.id from agency_requests r join agencies a on a.id = r.agency_id
          join reviews v on v.id = r.review_id where v.reference = ${ref} and a.code = 'police'`,
    );
    const chase = await client.post(`/reviews/${ref}/requests/${police!.id}/chase`, {});
    expect(chase.statusCode).toBe(303);
    expect(page(await client.follow(chase)).banner).toBe('Reminder sent to Northshire Police');
    const again = await client.post(`/reviews/${ref}/requests/${police!.id}/chase`, {});
    expect(page(await client.follow(again)).banner).toBe(
      'Northshire Police has already been chased today: the reminder was not sent again',
    );
    const mail = await rows<{ to: string; subject: string; text: string }>(
      sql`select "to", subject, text from outbound_emails where kind = 'request.chase'`,
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe('police.lead@demo.example');
    expect(mail[0]!.subject).toBe(`Overdue: the review coordinator asks for your return for review ${ref}`);
    expect(mail[0]!.text).not.toContain('Infant 8');
    const audit = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where action = 'request.chase' and outcome = 'success'
          and review_reference = ${ref}`,
    );
    expect(audit[0]!.n).toBe(2);

    const lead = new WebClient(t.app);
    await lead.signIn('police.lead@demo.example');
    const token = await lead.csrfToken(`/reviews/${ref}`);
    const refused = await lead.post(`/reviews/${ref}/requests/${police!.id}/chase`, {}, token);
    expect(refused.statusCode).toBe(403);
    expect(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from outbound_emails where kind = 'request.chase'`,
        )
      )[0]!.n,
    ).toBe(1);
  });
});
