import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { count, reviewAtStage } from '../support/learning.ts';

const REF = 'LOS-2021-002';

describe.each(DATABASE_KINDS)('the event, episodes, learning and traceability pages (%s)', (kind) => {
  let t: TestApp;
  let entryId: string;
  let entrySummary: string;
  let coordinator: WebClient;
  let chair: WebClient;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ({ entryId } = await reviewAtStage(t, REF, 'event'));
    const found = (await t.database.db.execute(
      sql`select summary from chronology_entries where id = ${entryId}`,
    )) as unknown as { rows: { summary: string }[] };
    entrySummary = found.rows[0]!.summary;
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    chair = new WebClient(t.app);
    await chair.signIn('chair@demo.example');
  });
  afterAll(async () => t?.close());

  const csrf = (client: WebClient) => client.csrfToken(`/reviews/${REF}/event`);

  it('refuses event details without a format, keeps what was typed and saves nothing', async () => {
    const before = await count(t, sql`select count(*)::int as n from review_events`);
    const res = await coordinator.post(
      `/reviews/${REF}/event`,
      { 'heldOn-day': '31', 'heldOn-month': '2', 'heldOn-year': '2021', venue: 'Town hall' },
      await csrf(coordinator),
    );
    expect(res.statusCode).toBe(303);
    const p = page(await coordinator.follow(res));
    expect(p.errorSummary).toEqual([
      'The date of the event must be a real date, with the day, month and year in numbers, for example 27 3 2026',
      'Select how the event is held',
    ]);
    expect(p.$('#venue').val()).toBe('Town hall');
    expect(await count(t, sql`select count(*)::int as n from review_events`)).toBe(before);
  });

  it('records the event, its invitees by agency and role, and their attendance', async () => {
    const token = await csrf(chair);
    let res = await chair.post(
      `/reviews/${REF}/event`,
      {
        'heldOn-day': '20',
        'heldOn-month': '4',
        'heldOn-year': '2021',
        format: 'hybrid',
        venue: 'Northshire House',
        link: 'https://meet.example.org/los',
      },
      token,
    );
    expect(page(await chair.follow(res)).banner).toContain('Event details saved');

    res = await chair.post(
      `/reviews/${REF}/event/attendees`,
      { agency: 'police', tier: 'practitioner' },
      token,
    );
    expect(page(await chair.follow(res)).errorSummary).toEqual(["Enter the person's name"]);

    for (const person of [
      { agency: 'police', name: 'PC Example One', tier: 'practitioner', email: 'pc.one@police.example' },
      {
        agency: 'health-visiting',
        name: 'HV Test Practitioner',
        tier: 'practitioner',
        email: 'practitioner@demo.example',
      },
      { agency: 'csc', name: 'Team manager Example', tier: 'supervisor', email: '' },
    ])
      expect((await chair.post(`/reviews/${REF}/event/attendees`, person, token)).statusCode).toBe(303);

    const ids = (await t.database.db.execute(
      sql`select a.id, a.name from event_attendees a join reviews r on r.id = a.review_id where r.reference = ${REF} order by a.name`,
    )) as unknown as { rows: { id: string; name: string }[] };
    const byName = new Map(ids.rows.map((r) => [r.name, r.id]));
    res = await chair.post(
      `/reviews/${REF}/event/attendance`,
      {
        [`attendance-${byName.get('PC Example One')}`]: 'attended',
        [`attendance-${byName.get('HV Test Practitioner')}`]: 'apologies',
      },
      token,
    );
    const p = page(await chair.follow(res));
    expect(p.banner).toContain('Attendance recorded');
    const captions = p
      .$('caption')
      .map((_, c) => p.$(c).text().trim())
      .get();
    expect(captions).toEqual(
      expect.arrayContaining([
        // The demonstration event already has ten attendees; all but the GP attended.
        'Northshire Police (4 of 4 attended)',
        'Northshire Health Visiting Service (2 of 3 attended)',
        "Northshire Children's Social Care (3 of 4 attended)",
      ]),
    );
    const row = p.$('tr').filter((_, tr) => p.$(tr).text().includes('HV Test Practitioner'));
    expect(row.find('option[selected]').text()).toBe('Sent apologies');
  });

  it('queues invitations with a link and no case detail, once, and opens the pre-reading pack to invitees', async () => {
    const practitioner = new WebClient(t.app);
    await practitioner.signIn('practitioner@demo.example');
    expect((await practitioner.get(`/reviews/${REF}/event/pre-reading`)).statusCode).toBe(403);

    const token = await csrf(coordinator);
    const res = await coordinator.post(`/reviews/${REF}/event/invitations`, {}, token);
    expect(page(await coordinator.follow(res)).banner).toContain(
      '2 invitations sent; 11 invitees have no e-mail address',
    );
    await coordinator.post(`/reviews/${REF}/event/invitations`, {}, token);
    const mails = (await t.database.db.execute(
      sql`select "to", subject, text from outbound_emails where kind = 'event.invitation' order by "to"`,
    )) as unknown as { rows: { to: string; subject: string; text: string }[] };
    expect(mails.rows.map((m) => m.to)).toEqual(['pc.one@police.example', 'practitioner@demo.example']);
    for (const m of mails.rows) {
      expect(m.subject).toBe(`Invitation: Line of Sight event for review ${REF}`);
      expect(m.text).toContain(`http://localhost:3000/reviews/${REF}/event/pre-reading`);
      expect(m.text).toContain('20 April 2021');
      for (const detail of ['Child 2', 'Testchild', 'Northshire House', 'meet.example.org'])
        expect(m.text).not.toContain(detail);
    }
    const pack = await practitioner.get(`/reviews/${REF}/event/pre-reading`);
    expect(pack.statusCode).toBe(200);
    expect(page(pack).h1).toBe('Pre-reading pack');
    expect(pack.body).toContain(`/reviews/${REF}/chronology`);
  });

  it('adds an invitee after the invitations went out, invites them alone, and withdraws the invitation of one removed', async () => {
    const token = await csrf(coordinator);
    const invitations = async () =>
      (
        (await t.database.db.execute(
          sql`select "to" from outbound_emails where kind = 'event.invitation' order by "to"`,
        )) as unknown as { rows: { to: string }[] }
      ).rows.map((r) => r.to);
    const earlier = await invitations();
    let res = await coordinator.post(
      `/reviews/${REF}/event/attendees`,
      { agency: 'police', name: 'PC Example Two', tier: 'practitioner', email: 'pc.two@police.example' },
      token,
    );
    let p = page(await coordinator.follow(res));
    expect(p.banner).toContain('Invitee added');
    expect(p.$('form[action$="/event/invitations"]').text()).toContain(
      '1 invitee has not been sent an invitation',
    );
    res = await coordinator.post(`/reviews/${REF}/event/invitations`, {}, token);
    expect(page(await coordinator.follow(res)).banner).toContain('1 invitation sent');
    expect(await invitations()).toEqual([...earlier, 'pc.two@police.example'].sort());

    // Removed before the outbox sent it: the invitation goes with them; the others stay.
    p = page(await coordinator.get(`/reviews/${REF}/event`));
    const remove = p
      .$('form[action*="/event/attendees/"]')
      .filter((_, f) => p.$(f).text().includes('PC Example Two'));
    expect(remove.find('input[name="_csrf"]').val()).toBeTruthy();
    res = await coordinator.post(remove.attr('action')!, {}, token);
    p = page(await coordinator.follow(res));
    expect(p.banner).toContain('Invitee removed');
    expect(p.$('#invitees').nextAll('table').text()).not.toContain('PC Example Two');
    expect(await invitations()).toEqual(earlier);
  });

  it('says episodes describe practice, not individuals, and links an episode to a chronology entry and a KLOE', async () => {
    const form = page(await chair.get(`/reviews/${REF}/episodes/new`));
    expect(form.$('.govuk-inset-text').text()).toContain('not individuals to blame');
    const kloe = form.$('input[name="lineOfEnquiryIds"]').first().val() as string;

    const token = await csrf(chair);
    let res = await chair.post(`/reviews/${REF}/episodes`, { whatHappened: 'x' }, token);
    expect(page(await chair.follow(res)).errorSummary).toEqual([
      'Enter a title for the episode',
      'Select whether the episode is expected good practice or an area for improvement',
    ]);
    res = await chair.post(
      `/reviews/${REF}/episodes`,
      {
        title: 'The child was not recorded as being in the home by the police and was not seen as a victim',
        kind: 'area_for_improvement',
        'periodFrom-day': '2',
        'periodFrom-month': '6',
        'periodFrom-year': '2019',
        'periodTo-day': '1',
        'periodTo-month': '5',
        'periodTo-year': '2019',
        entryIds: [entryId],
        lineOfEnquiryIds: [kloe],
      },
      token,
    );
    expect(page(await chair.follow(res)).errorSummary).toEqual([
      'The end of the episode must be the same as or after its start',
    ]);
    res = await chair.post(
      `/reviews/${REF}/episodes`,
      {
        title: 'The child was not recorded as being in the home by the police and was not seen as a victim',
        kind: 'area_for_improvement',
        'periodFrom-day': '2',
        'periodFrom-month': '6',
        'periodFrom-year': '2019',
        whatHappened: 'Police attended; the record does not say a child lived there.',
        agencies: ['police'],
        entryIds: [entryId],
        signalKeys: 'abc123def456abc123de',
        lineOfEnquiryIds: [kloe],
      },
      token,
    );
    const list = await chair.follow(res);
    expect(page(list).banner).toContain('Key practice episode added');
    expect(list.body).toContain(entrySummary);
    expect(list.body).toContain('abc123def456abc123de');
  });

  it('refuses an episode linked to another review’s entry or an unknown agency', async () => {
    const other = await reviewAtStage(t, 'LOS-2021-001', 'event');
    const token = await csrf(chair);
    const res = await coordinator.post(
      `/reviews/${REF}/episodes`,
      { title: 'Borrowed evidence', kind: 'good_practice', entryIds: [other.entryId], agencies: ['nowhere'] },
      await csrf(coordinator),
    );
    expect(page(await coordinator.follow(res)).errorSummary).toEqual(['Unknown agency: nowhere']);
    const res2 = await chair.post(
      `/reviews/${REF}/episodes`,
      { title: 'Borrowed evidence', kind: 'good_practice', entryIds: [other.entryId] },
      token,
    );
    expect(page(await chair.follow(res2)).errorSummary).toEqual([
      'Choose entries of this review’s merged chronology',
    ]);
    expect(
      await count(t, sql`select count(*)::int as n from practice_episodes where title = 'Borrowed evidence'`),
    ).toBe(0);
  });

  it('tags learning with two themes, links it to its episode, and keeps a renamed or retired theme on it', async () => {
    const form = page(await chair.get(`/reviews/${REF}/learning/new`));
    const episode = form
      .$('input[name="episodeIds"]')
      .filter((_, i) =>
        form
          .$(`label[for="${form.$(i).attr('id')}"]`)
          .text()
          .includes('not seen as a victim'),
      )
      .last()
      .val() as string;
    const token = await csrf(chair);
    let res = await chair.post(
      `/reviews/${REF}/learning`,
      { statement: 'Ensure children be included in any police report' },
      token,
    );
    expect(page(await chair.follow(res)).errorSummary).toEqual(['Select at least one theme']);
    res = await chair.post(
      `/reviews/${REF}/learning`,
      {
        statement: 'Record every child in the household on each police report (test)',
        themes: ['recording-chronologies', 'voice-of-the-child'],
        episodeIds: [episode],
      },
      token,
    );
    let learning = page(await chair.follow(res));
    expect(learning.banner).toContain('Learning added');
    const tags = () =>
      learning
        .$('.govuk-summary-card')
        .filter((_, c) => learning.$(c).text().includes('Record every child in the household'))
        .find('.app-theme-tag')
        .map((_, e) => learning.$(e).text().trim())
        .get();
    expect(tags()).toEqual(['Recording and chronologies', 'Voice and lived experience of the child']);

    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const themes = page(await admin.get('/admin/themes'));
    const row = themes.$('tr').filter((_, tr) => themes.$(tr).text().includes('Recording and chronologies'));
    const edit = row.find('a').attr('href')!;
    const adminToken = await admin.csrfToken('/admin/themes');
    await admin.post(edit, { name: 'Recording, chronologies and record keeping' }, adminToken);
    await admin.post(`${edit}/retire`, {}, adminToken);

    learning = page(await chair.get(`/reviews/${REF}/learning`));
    expect(tags()).toContain('Recording, chronologies and record keeping (retired)');
    res = await chair.post(
      `/reviews/${REF}/learning`,
      { statement: 'Something new', themes: ['recording-chronologies'] },
      token,
    );
    expect(page(await chair.follow(res)).errorSummary).toEqual([
      'This theme has been retired and cannot be chosen: Recording, chronologies and record keeping',
    ]);
    const history = page(await admin.get(edit));
    expect(history.$('ul.govuk-list').text()).toContain(
      'Renamed from “Recording and chronologies” to “Recording, chronologies and record keeping”',
    );
  });

  it('traces each KLOE to its evidence, episodes and learning and highlights the gaps', async () => {
    // A line of enquiry nothing answers yet.
    await t.database.db.execute(
      sql`insert into lines_of_enquiry (review_id, position, question)
          select id, 6, 'Was the father known to agencies?' from reviews where reference = ${REF}`,
    );
    const res = await coordinator.get(`/reviews/${REF}/traceability`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    const rows = p.$('table.app-trace-table tbody tr');
    expect(rows.length).toBe(6);
    const first = rows.eq(0).text();
    expect(first).toContain(entrySummary);
    expect(first).toContain('Record every child in the household on each police report (test)');
    expect(rows.eq(5).text()).toContain('No evidence');
    expect(rows.eq(5).text()).toContain('No actions yet');
    expect(p.$('.govuk-warning-text').text()).toContain('in the chain from enquiry to action');
    const gaps = p.$('ul.govuk-list--bullet').text();
    expect(gaps).toContain('Key line of enquiry 6 has no evidence');
    expect(gaps).toContain(
      'Learning “Record every child in the household on each police report (test)” has no action',
    );
    const print = await coordinator.get(`/reviews/${REF}/traceability/print`);
    expect(print.statusCode).toBe(200);
    expect(page(print).h1).toBe(`${REF} Child 2: traceability`);
    expect(print.body).toContain('Key line of enquiry 6 has no evidence');
  });

  it('lets agency leads read but not change, and refuses changes once the stage has passed', async () => {
    const police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    const event = await police.get(`/reviews/${REF}/event`);
    expect(event.statusCode).toBe(200);
    expect(page(event).$('form[action$="/event"]').length).toBe(0);
    const token = await police.csrfToken(`/reviews/${REF}/event`);
    expect(
      (await police.post(`/reviews/${REF}/learning`, { statement: 'x', themes: ['neglect'] }, token))
        .statusCode,
    ).toBe(403);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from audit_events where action = 'learning.record' and outcome = 'denied'`,
      ),
    ).toBe(1);

    await t.database.db.execute(sql`update reviews set stage = 'briefing' where reference = ${REF}`);
    const res = await chair.post(
      `/reviews/${REF}/learning`,
      { statement: 'Late learning', themes: ['neglect'] },
      await chair.csrfToken(`/reviews/${REF}/event`),
    );
    const refused = await chair.follow(res);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The learning cannot change once the review is in briefing.');
    expect(
      await count(
        t,
        sql`select count(*)::int as n from learning_statements where statement = 'Late learning'`,
      ),
    ).toBe(0);
    await t.database.db.execute(sql`update reviews set stage = 'event' where reference = ${REF}`);
  });
});
