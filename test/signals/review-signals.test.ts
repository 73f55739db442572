import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { addAcceptedEntries, SIGNAL_ENTRIES } from './accepted-chronology.ts';

describe.each(DATABASE_KINDS)('practice signals in a review (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: WebClient;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await buildTestApp(kind);
    const found = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Child 7'`,
    )) as unknown as { rows: { reference: string }[] };
    ref = found.rows[0]!.reference;
    // Test data setup: the review in analysis with an accepted merged chronology.
    await t.database.db.execute(sql`update reviews set stage = 'analysis' where reference = ${ref}`);
    await addAcceptedEntries(t.database.db, ref, SIGNAL_ENTRIES);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    for (const who of ['coordinator', 'admin', 'police.lead', 'board'])
      tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'test')).token;
  });
  afterAll(async () => t?.close());

  const api = async (who: string, url = `/api/v1/reviews/${ref}/signals`) => {
    const res = await t.app.inject({ url, headers: { authorization: `Bearer ${tokens[who]}` } });
    return { status: res.statusCode, body: res.json() };
  };
  const signal = async (rule: string) => {
    const { body } = await api('coordinator');
    return (
      body.items as { rule: string; key: string; decision: string | null; reason: string | null }[]
    ).find((s) => s.rule === rule);
  };
  const count = async (action: string) => {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = ${action} and review_reference = ${ref}`,
    )) as unknown as { rows: { n: number }[] };
    return Number(result.rows[0]!.n);
  };

  it('lists the signals by date, each with its rule, one line and its decision, linked to its own page with its evidence', async () => {
    const res = await coordinator.get(`/reviews/${ref}/signals`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    expect(p.h1).toBe('Practice signals');
    const rows = p
      .$('tbody tr')
      .map((_, tr) =>
        p
          .$(tr)
          .find('td')
          .map((_, td) => p.$(td).text().trim())
          .get()
          .join(' | '),
      )
      .get();
    expect(rows).toEqual([
      expect.stringMatching(
        /^5 January 2021 \| Child not recorded, 5 January 2021 \| A police incident \(Northshire Police, 5 January 2021\)[^|]* \| High \| Not decided yet$/,
      ),
      expect.stringMatching(/^\d+ \w+ 2021 \| Repeat referral/),
      expect.stringMatching(
        /^3 February 2021 \| Gap in service, 3 February 2021 \| No agency contact for 198 days after [^|]*\| \w+ \| Not decided yet$/,
      ),
      expect.stringMatching(/^\d+ \w+ 2021 \| Child not seen/),
    ]);
    const gapHref = p.$('tbody a:contains("Gap in service")').attr('href')!;
    const gap = page(await coordinator.get(gapHref));
    expect(gap.h1).toContain('3 February 2021 to 20 August 2021');
    expect(gap.$('.govuk-caption-l').text()).toBe('Practice signal: Gap in service');
    const links = gap
      .$('.govuk-summary-list a')
      .map((_, a) => gap.$(a).attr('href'))
      .get();
    expect(links).toEqual([
      `/reviews/${ref}/chronology?from=2021-02-03&to=2021-02-03#entry-T-CSC-3`,
      `/reviews/${ref}/chronology?from=2021-08-20&to=2021-08-20#entry-T-HV-1`,
    ]);
    expect(gap.$('.govuk-summary-list').text()).toContain(
      "T-CSC-3: 3 February 2021, Northshire Children's Social Care",
    );
    // Nothing decided yet: neither choice is selected.
    expect(gap.$('input[name="decision"]:checked').length).toBe(0);
    const { body } = await api('coordinator');
    expect(body.items.map((s: { rule: string }) => s.rule)).toEqual([
      'child-not-recorded',
      'repeat-referral',
      'service-gap',
      'child-not-seen',
    ]);
    expect(body.items[0]).toMatchObject({
      child: null,
      severity: 'high',
      from: '2021-01-05',
      evidence: ['T-POL-1'],
      decision: null,
    });
    expect(await count('review.view')).toBeGreaterThan(0);
  });

  it('needs a reason to dismiss a signal, and records nothing without one', async () => {
    const gap = (await signal('service-gap'))!;
    const url = `/reviews/${ref}/signals/${gap.key}/decision`;
    const res = await coordinator.post(
      url,
      { decision: 'dismissed', reason: ' ' },
      await coordinator.csrfToken(`/reviews/${ref}/signals`),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/reviews/${ref}/signals/${gap.key}`);
    const back = page(await coordinator.follow(res));
    expect(back.errorSummary).toEqual(['Enter why you are dismissing this signal']);
    expect(back.$('a[href="#reason"]').length).toBe(1);
    // What was chosen comes back with the error.
    expect(back.$('input[name="decision"]:checked').val()).toBe('dismissed');
    expect((await signal('service-gap'))!.decision).toBeNull();
    expect(await count('signal.dismiss')).toBe(0);
  });

  it('keeps a dismissal through recomputation while the signal still fires, and drops it when the evidence changes', async () => {
    const gap = (await signal('service-gap'))!;
    const url = `/reviews/${ref}/signals/${gap.key}/decision`;
    // The timeline figure is kept between views of the chronology page; a decision redraws it.
    const timelineLink = async () =>
      page(await coordinator.get(`/reviews/${ref}/chronology`))
        .$(`.app-timeline a.govuk-link[href="/reviews/${ref}/signals/${gap.key}"]`)
        .text();
    expect(await timelineLink()).toBe('3 February 2021: Gap in service');
    const res = await coordinator.post(
      url,
      { decision: 'dismissed', reason: 'The family moved out of area for this period.' },
      await coordinator.csrfToken(`/reviews/${ref}/signals`),
    );
    const after = page(await coordinator.follow(res));
    expect(after.banner).toContain('Signal dismissed');
    expect(await timelineLink()).toBe('3 February 2021: Gap in service (dismissed)');
    // The saved decision is shown as selected, with its reason, ready to change.
    expect(after.$('input[name="decision"]:checked').val()).toBe('dismissed');
    expect(after.$('textarea[name="reason"]').text()).toBe('The family moved out of area for this period.');
    expect(after.$('.govuk-summary-list').text()).toContain('The family moved out of area for this period.');
    const dismissed = page(await coordinator.get(`/reviews/${ref}/signals?decision=dismissed`));
    expect(dismissed.$('tbody tr').length).toBe(1);
    expect(dismissed.$('tbody tr').attr('id')).toBe(`signal-${gap.key}`);
    expect(dismissed.$('caption').text()).toContain('1 of 4 signals');
    expect(await count('signal.dismiss')).toBe(1);

    // A later entry elsewhere in the chronology: the same signal, the same decision.
    await addAcceptedEntries(t.database.db, ref, [
      {
        date: '2021-12-01',
        agency: 'gp',
        eventType: 'health_appointment',
        summary: 'Routine appointment.',
        childSeen: 'yes',
        sourceRef: 'T-GP-1',
      },
    ]);
    expect(await signal('service-gap')).toMatchObject({
      key: gap.key,
      decision: 'dismissed',
      reason: 'The family moved out of area for this period.',
    });

    // A contact inside the gap: the gap the decision was about is no longer there.
    await addAcceptedEntries(t.database.db, ref, [
      {
        date: '2021-05-10',
        agency: 'health-visiting',
        eventType: 'home_visit',
        summary: 'Home visit.',
        childSeen: 'yes',
        sourceRef: 'T-HV-0',
      },
    ]);
    const gaps = (await api('coordinator')).body.items.filter(
      (s: { rule: string }) => s.rule === 'service-gap',
    );
    expect(gaps.map((s: { key: string }) => s.key)).not.toContain(gap.key);
    expect(gaps.every((s: { decision: string | null }) => s.decision === null)).toBe(true);
  });

  it('confirms a signal and links it to a key line of enquiry', async () => {
    await coordinator.post(
      `/reviews/${ref}/lines-of-enquiry`,
      { question: 'How well did agencies record who was in the household?' },
      await coordinator.csrfToken(`/reviews/${ref}/terms-of-reference`),
    );
    const kloe = (await t.database.db.execute(
      sql`select l.id from lines_of_enquiry l join reviews r on r.id = l.review_id where r.reference = ${ref}`,
    )) as unknown as { rows: { id: string }[] };
    const notRecorded = (await signal('child-not-recorded'))!;
    const token = await coordinator.csrfToken(`/reviews/${ref}/signals`);
    await coordinator.post(
      `/reviews/${ref}/signals/${notRecorded.key}/decision`,
      { decision: 'confirmed', reason: '' },
      token,
    );
    await coordinator.post(
      `/reviews/${ref}/signals/${notRecorded.key}/line-of-enquiry`,
      { lineOfEnquiryId: kloe.rows[0]!.id },
      token,
    );
    const row = page(await coordinator.get(`/reviews/${ref}/signals`)).$(`#signal-${notRecorded.key}`);
    expect(row.text()).toContain('Confirmed');
    const own = page(await coordinator.get(`/reviews/${ref}/signals/${notRecorded.key}`));
    expect(own.$('.govuk-summary-list').text()).toContain(
      'KLOE 1: How well did agencies record who was in the household?',
    );
    expect(own.$('input[name="decision"]:checked').val()).toBe('confirmed');
    expect(own.$('select[name="lineOfEnquiryId"] option:checked').text()).toContain('KLOE 1');
    // Filtered by rule, severity and decision, as a link or the form gives them.
    const filtered = page(
      await coordinator.get(
        `/reviews/${ref}/signals?rule=child-not-recorded&severity=high&decision=confirmed`,
      ),
    );
    expect(
      filtered
        .$('tbody tr')
        .map((_, tr) => filtered.$(tr).attr('id'))
        .get(),
    ).toEqual([`signal-${notRecorded.key}`]);
    expect(filtered.$('select[name="rule"] option:checked').val()).toBe('child-not-recorded');
    const none = page(await coordinator.get(`/reviews/${ref}/signals?severity=low&decision=confirmed`));
    expect(none.$('tbody tr').length).toBe(0);
    expect(none.$('main').text()).toContain('No signals match these filters.');
    expect(await count('signal.confirm')).toBe(1);
    expect(await count('signal.link-line-of-enquiry')).toBe(1);
  });

  it("follows the partnership's thresholds", async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/signal-thresholds',
      payload: { 'service-gap': { daysWithoutContact: 400 }, 'repeat-referral': { enabled: false } },
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(put.statusCode).toBe(200);
    const rules = (await api('coordinator')).body.items.map((s: { rule: string }) => s.rule);
    expect(rules).not.toContain('service-gap');
    expect(rules).not.toContain('repeat-referral');
    expect(rules).toContain('child-not-recorded');
  });

  it('lets members read signals but only the coordinator and chair decide', async () => {
    expect((await api('police.lead')).status).toBe(200);
    const key = (await signal('child-not-recorded'))!.key;
    for (const email of ['police.lead@demo.example', 'board@demo.example', 'admin@demo.example']) {
      const client = new WebClient(t.app);
      await client.signIn(email);
      const res = await client.post(
        `/reviews/${ref}/signals/${key}/decision`,
        { decision: 'dismissed', reason: 'Not mine to dismiss' },
        await client.csrfToken(`/reviews/${ref}/signals`),
      );
      expect(res.statusCode, email).toBe(403);
    }
    const outsider = new WebClient(t.app);
    await outsider.signIn('hv.lead@demo.example');
    expect((await outsider.get(`/reviews/${ref}/signals`)).statusCode).toBe(403);
    expect((await signal('child-not-recorded'))!.decision).toBe('confirmed');
  });
});
