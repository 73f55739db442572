import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, signedInClients } from '../support/client.ts';
import { reviewInInformationGathering, uploadFile } from './setup.ts';

const BAD_CSV = [
  'date,agency,event_type,summary,children_present,source_ref',
  '2019-03-02,police,police_incident,Call-out to the address,not_recorded,POL-118',
  '2019-13-02,police,police_incident,Second call-out,yes,POL-119',
  '2019-04,police,not_an_event,Third call-out,no,POL-120',
].join('\n');
const GOOD_CSV = BAD_CSV.replace('2019-13-02', '2019-03-12').replace('not_an_event', 'arrest');

describe.each(DATABASE_KINDS)(
  'agency requests, returns and the merged chronology through the web (%s)',
  (kind) => {
    let t: TestApp;
    let ref: string;
    const coordinator = () => signedIn('coordinator@demo.example');
    const signedIn = signedInClients(() => t.app);

    beforeAll(async () => {
      t = await buildTestApp(kind);
      ref = await reviewInInformationGathering(t);
    });
    afterAll(async () => t?.close());

    it('sends requests to the agencies in scope, refusing one without an agency lead', async () => {
      const c = await coordinator();
      const refused = await c.follow(
        await c.post(
          `/reviews/${ref}/requests`,
          { agencies: ['gp'], workingDays: '15' },
          await c.csrfToken(`/reviews/${ref}/requests`),
        ),
      );
      expect(page(refused).errorSummary.join(' ')).toContain('has no agency safeguarding lead');
      const res = await c.post(
        `/reviews/${ref}/requests`,
        { agencies: ['police', 'health-visiting'], workingDays: '15', instructions: 'Please include 2018.' },
        await c.csrfToken(`/reviews/${ref}/requests`),
      );
      expect(res.statusCode).toBe(303);
      const list = page(await c.follow(res));
      expect(list.$('table').text()).toContain('Northshire Police');
      expect(list.$('table').text()).toContain('Sent');
      expect(list.$('main').text()).toContain(
        'Waiting on Northshire Health Visiting Service, Northshire Police',
      );
      // The move on to analysis is refused while returns are outstanding.
      const move = await c.post(
        `/reviews/${ref}/stage`,
        { to: 'analysis' },
        await c.csrfToken(`/reviews/${ref}`),
      );
      expect(page(await c.follow(move)).errorSummary.join(' ')).toContain(
        '2 agency requests are not yet accepted or withdrawn',
      );
    });

    it('lists the request on the police lead\'s "waiting on me" page', async () => {
      const police = await signedIn('police.lead@demo.example');
      const res = await police.get('/returns');
      expect(res.statusCode).toBe(200);
      expect(page(res).$('table').first().text()).toContain(ref);
    });

    it('refuses a file with problems whole, naming each row and column, and takes it once fixed', async () => {
      const police = await signedIn('police.lead@demo.example');
      const token = await police.csrfToken(`/reviews/${ref}/return/upload`);
      const refused = await uploadFile(
        t,
        police,
        `/reviews/${ref}/return/upload`,
        { name: 'police.csv', content: BAD_CSV },
        token,
      );
      expect(refused.statusCode).toBe(303);
      const shown = page(await police.follow(refused));
      const problems = shown
        .$('.app-upload-problems li')
        .map((_, li) => shown.$(li).text())
        .get();
      expect(problems.some((p) => p.includes('row 3') && p.includes('column "date"'))).toBe(true);
      expect(problems.some((p) => p.includes('row 4') && p.includes('column "event_type"'))).toBe(true);
      expect(shown.errorSummary.join(' ')).toContain('Nothing was saved');
      const count = await t.database.db.execute(
        sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id where r.reference = ${ref}`,
      );
      expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);

      const accepted = await uploadFile(
        t,
        police,
        `/reviews/${ref}/return/upload`,
        { name: 'police.csv', content: GOOD_CSV },
        token,
      );
      expect(accepted.headers.location).toBe(`/reviews/${ref}/return`);
      const tasks = page(await police.follow(accepted));
      expect(tasks.$('.govuk-notification-banner').text()).toContain('3 entries added from police.csv');
    });

    it('refuses a multipart upload without its CSRF token', async () => {
      const police = await signedIn('police.lead@demo.example');
      const res = await uploadFile(
        t,
        police,
        `/reviews/${ref}/return/upload`,
        { name: 'police.csv', content: GOOD_CSV },
        null,
      );
      expect(res.statusCode).toBe(403);
    });

    it("keeps one agency out of another agency's draft", async () => {
      const hv = await signedIn('hv.lead@demo.example');
      const requests = (
        await t.services.requests.list(
          { ...(await import('./setup.ts').then((m) => m.actorOf(t, 'coordinator@demo.example'))) },
          ref,
        )
      ).map((r) => ({ id: r.request.id, agency: r.agencyCode }));
      const police = requests.find((r) => r.agency === 'police')!;
      const res = await hv.get(`/reviews/${ref}/requests/${police.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('Call-out to the address');
      expect(res.body).toContain('once the return is submitted');
      // The coordinator does not see a draft either.
      const c = await coordinator();
      expect((await c.get(`/reviews/${ref}/requests/${police.id}`)).body).not.toContain(
        'Call-out to the address',
      );
      // The health visiting lead's own return holds none of the police entries.
      expect((await hv.get(`/reviews/${ref}/return/check`)).body).not.toContain('Call-out to the address');
    });

    it('submits the police return, locking it', async () => {
      const police = await signedIn('police.lead@demo.example');
      const res = await police.post(
        `/reviews/${ref}/return/submit`,
        {},
        await police.csrfToken(`/reviews/${ref}/return/check`),
      );
      expect(res.headers.location).toBe(`/reviews/${ref}/return`);
      const tasks = page(await police.follow(res));
      expect(tasks.$('.govuk-summary-list').text()).toContain('Submitted');
      const upload = await police.get(`/reviews/${ref}/return/upload`);
      expect(page(upload).$('form[enctype]').length).toBe(0);
    });

    it('takes health visiting entries by form with the same validation as the file', async () => {
      const hv = await signedIn('hv.lead@demo.example');
      const token = await hv.csrfToken(`/reviews/${ref}/return/entries/new`);
      const bad = await hv.post(
        `/reviews/${ref}/return/entries/new`,
        { 'date-day': '31', 'date-month': '2', 'date-year': '2019', event_type: 'home_visit', summary: '' },
        token,
      );
      const errors = page(await hv.follow(bad)).errorSummary.join(' ');
      // The file's rule, in the words of the form's date input.
      expect(errors).toContain(
        'Enter a real date, with the day, month and year in numbers, for example 27 3 2026, or only the month and year when the day is not known',
      );
      expect(errors).toContain('summary is missing');
      const good = await hv.post(
        `/reviews/${ref}/return/entries/new`,
        {
          'date-day': '2',
          'date-month': '3',
          'date-year': '2019',
          event_type: 'developmental_check',
          summary: 'Speech delay noted at the two-year check',
          child_seen: 'yes',
          concerns: ['developmental_delay'],
          source_ref: 'HV-1',
        },
        token,
      );
      expect(good.headers.location).toBe(`/reviews/${ref}/return`);
      const submit = await hv.post(`/reviews/${ref}/return/submit`, {}, token);
      expect(submit.statusCode).toBe(303);
    });

    it('lets the coordinator read, query, and accept the returns, and e-mails only a link', async () => {
      const c = await coordinator();
      const requests = await t.database.db.execute(
        sql`select r.id, a.code from agency_requests r join agencies a on a.id = r.agency_id join reviews v on v.id = r.review_id where r.withdrawn_at is null and v.reference = ${ref}`,
      );
      const ids = Object.fromEntries(
        (requests as unknown as { rows: { id: string; code: string }[] }).rows.map((r) => [r.code, r.id]),
      );
      const police = await c.get(`/reviews/${ref}/requests/${ids.police}`);
      expect(police.body).toContain('Call-out to the address');
      const token = await c.csrfToken(`/reviews/${ref}/requests/${ids['health-visiting']}`);
      await c.post(
        `/reviews/${ref}/requests/${ids['health-visiting']}/query`,
        { query: 'Was the delay referred on?' },
        token,
      );
      const hv = await signedIn('hv.lead@demo.example');
      const tasks = await hv.get(`/reviews/${ref}/return`);
      expect(tasks.body).toContain('Was the delay referred on?');
      // After submission a change needs a reason, and is kept as an amendment.
      const [entry] = (
        (await t.database.db.execute(
          sql`select id from chronology_entries where source_ref = 'HV-1'`,
        )) as unknown as { rows: { id: string }[] }
      ).rows;
      const hvToken = await hv.csrfToken(`/reviews/${ref}/return/entries/${entry!.id}`);
      const fields = {
        'date-day': '2',
        'date-month': '3',
        'date-year': '2019',
        event_type: 'developmental_check',
        summary: 'Speech delay noted at the two-year check; no referral made',
        child_seen: 'yes',
        source_ref: 'HV-1',
      };
      const noReason = await hv.post(`/reviews/${ref}/return/entries/${entry!.id}`, fields, hvToken);
      expect(page(await hv.follow(noReason)).errorSummary.join(' ')).toContain(
        'Enter why the entry is changed',
      );
      await hv.post(
        `/reviews/${ref}/return/entries/${entry!.id}`,
        { ...fields, reason: 'Answering the query' },
        hvToken,
      );
      const amendments = await t.database.db.execute(
        sql`select reason, before->>'summary' as before, after->>'summary' as after from chronology_amendments`,
      );
      expect((amendments as unknown as { rows: unknown[] }).rows).toEqual([
        {
          reason: 'Answering the query',
          before: 'Speech delay noted at the two-year check',
          after: 'Speech delay noted at the two-year check; no referral made',
        },
      ]);
      await hv.post(`/reviews/${ref}/return/submit`, {}, hvToken);

      for (const id of [ids.police, ids['health-visiting']]) {
        const res = await c.post(
          `/reviews/${ref}/requests/${id}/accept`,
          {},
          await c.csrfToken(`/reviews/${ref}/requests/${id}`),
        );
        expect(res.headers.location).toBe(`/reviews/${ref}/requests`);
      }
      const outbox = await t.database.db.execute(
        sql`select kind, "to", subject, text from outbound_emails where review_id = (select id from reviews where reference = ${ref}) order by created_at`,
      );
      const mails = (outbox as unknown as { rows: { kind: string; to: string; text: string }[] }).rows;
      expect(mails.map((m) => [m.kind, m.to]).sort()).toEqual([
        ['request.returned', 'hv.lead@demo.example'],
        ['request.sent', 'hv.lead@demo.example'],
        ['request.sent', 'police.lead@demo.example'],
      ]);
      for (const m of mails) {
        expect(m.text).toContain(`/reviews/${ref}/return`);
        expect(m.text).not.toMatch(/Infant 8|Testinfant|delay|Was the delay/);
      }
    });

    it('shows the merged chronology in date order with ages, intervals, the timeline and filters', async () => {
      const c = await coordinator();
      const res = await c.get(`/reviews/${ref}/chronology`);
      expect(res.statusCode).toBe(200);
      const p = page(res);
      const dates = p
        .$('table.app-merged tbody tr')
        .map((_, tr) => p.$(tr).find('td').eq(1).text().trim())
        .get();
      expect(dates).toEqual(['2 March 2019', '2 March 2019', '12 March 2019', 'April 2019']);
      expect(p.$('svg.app-timeline__svg title').first().text()).toContain('Timeline');
      expect(p.$('#timeline-summary').text()).toContain('4 entries');
      // Infant 8 has no recorded date of birth, so no age is shown (and none is guessed).
      expect(p.$('table.app-merged tbody tr').first().find('td').eq(2).text().trim()).toBe('Not known');
      expect(res.body).not.toContain('Testinfant');
      const filtered = page(await c.get(`/reviews/${ref}/chronology?agency=health-visiting`));
      expect(filtered.$('table.app-merged tbody tr').length).toBe(1);
      expect(filtered.$('#showing').text()).toContain('of 1 entries');
      // With everything accepted, the review can move on to analysis.
      const move = await c.post(
        `/reviews/${ref}/stage`,
        { to: 'analysis' },
        await c.csrfToken(`/reviews/${ref}`),
      );
      expect(move.headers.location).toBe(`/reviews/${ref}`);
    });
  },
);
