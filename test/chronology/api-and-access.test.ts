import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

const SECRET = 'Police draft entry nobody else may read';
const CSV = `date,agency,event_type,summary,children_present,source_ref\n2019-03-02,police,police_incident,${SECRET},not_recorded,POL-118\n`;

describe.each(DATABASE_KINDS)(
  "the chronology API, and one agency kept out of another's draft (%s)",
  (kind) => {
    let t: TestApp;
    let ref: string;
    const tokens: Record<string, string> = {};
    const api = (
      who: string,
      method: 'GET' | 'POST',
      url: string,
      payload?: unknown,
      type = 'application/json',
    ) =>
      t.app.inject({
        method,
        url,
        payload: payload as string,
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(payload !== undefined ? { 'content-type': type } : {}),
        },
      });

    beforeAll(async () => {
      t = await buildTestApp(kind);
      ref = await reviewInInformationGathering(t);
      for (const who of ['coordinator', 'police.lead', 'hv.lead', 'chair'])
        tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'test')).token;
    });
    afterAll(async () => t?.close());

    it('sends requests and lists them with agencies by code', async () => {
      const sent = await api('coordinator', 'POST', `/api/v1/reviews/${ref}/requests`, {
        agencies: ['police', 'health-visiting'],
      });
      expect(sent.statusCode).toBe(201);
      expect(
        sent
          .json()
          .items.map((r: { agency: string }) => r.agency)
          .sort(),
      ).toEqual(['health-visiting', 'police']);
      const list = await api('hv.lead', 'GET', `/api/v1/reviews/${ref}/requests`);
      expect(list.json()).toMatchObject({
        total: 2,
        items: [{ status: 'sent', dueDate: expect.any(String) }, { status: 'sent' }],
      });
      expect(
        (await api('police.lead', 'POST', `/api/v1/reviews/${ref}/requests`, { agencies: ['gp'] }))
          .statusCode,
      ).toBe(403);
    });

    it("takes a CSV body into the caller's draft, all or nothing, naming row and column", async () => {
      const bad = await api(
        'police.lead',
        'POST',
        `/api/v1/reviews/${ref}/chronology`,
        CSV + '2019-02-30,police,arrest,x,,\n',
        'text/csv',
      );
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().error)).toContain('row 3, date');
      const wrongAgency = await api(
        'police.lead',
        'POST',
        `/api/v1/reviews/${ref}/chronology`,
        CSV.replace(',police,', ',csc,'),
        'text/csv',
      );
      expect(wrongAgency.statusCode).toBe(400);
      expect(JSON.stringify(wrongAgency.json().error)).toContain('row 2, agency');
      const good = await api('police.lead', 'POST', `/api/v1/reviews/${ref}/chronology`, CSV, 'text/csv');
      expect(good.statusCode).toBe(201);
      expect(good.json()).toEqual({ added: 1 });
    });

    it('takes JSON entries and refuses them all when one is wrong', async () => {
      const bad = await api('hv.lead', 'POST', `/api/v1/reviews/${ref}/chronology`, {
        entries: [
          { date: '2019-05-01', eventType: 'home_visit', summary: 'Visit' },
          { date: '2019-05', eventType: 'home_visit', summary: '' },
        ],
      });
      expect(bad.statusCode).toBe(400);
      const good = await api('hv.lead', 'POST', `/api/v1/reviews/${ref}/chronology`, {
        entries: [
          {
            date: '2019-05-01',
            eventType: 'home_visit',
            summary: 'Visit',
            childSeen: 'yes',
            concerns: ['neglect'],
          },
        ],
      });
      expect(good.json()).toEqual({ added: 1 });
      // The coordinator has no draft of their own to write to.
      expect(
        (
          await api('coordinator', 'POST', `/api/v1/reviews/${ref}/chronology`, {
            entries: [{ date: '2019-05-01', eventType: 'contact', summary: 'x' }],
          })
        ).statusCode,
      ).toBe(403);
    });

    it(
      'never shows the police draft to health visiting, through any page or API path',
      { timeout: 180_000 },
      async () => {
        const police = (
          await t.services.requests.list(await actorOf(t, 'coordinator@demo.example'), ref)
        ).find((r) => r.agencyCode === 'police')!;
        const hv = new WebClient(t.app);
        await hv.signIn('hv.lead@demo.example');
        const gets = t.routes
          .flatMap((r) =>
            (Array.isArray(r.method) ? r.method : [r.method]).map((m) => ({ method: m, url: r.url })),
          )
          .filter((r) => r.method === 'GET' && r.url.includes(':ref'));
        expect(gets.length).toBeGreaterThan(20);
        const fill = (url: string) =>
          url.replace(':ref', ref).replace(':id', police.request.id).replace(':userId', police.request.id);
        for (const route of gets) {
          const res = route.url.startsWith('/api/')
            ? await api('hv.lead', 'GET', fill(route.url))
            : await hv.get(fill(route.url));
          expect(res.body, `${route.url} (${res.statusCode})`).not.toContain(SECRET);
        }
        // Nor the chair or coordinator before it is submitted, while the police lead sees it.
        expect((await api('chair', 'GET', `/api/v1/reviews/${ref}/chronology`)).body).not.toContain(SECRET);
        const policeWeb = new WebClient(t.app);
        await policeWeb.signIn('police.lead@demo.example');
        expect((await policeWeb.get(`/reviews/${ref}/return/check`)).body).toContain(SECRET);
      },
    );

    it('does not tell another agency, or the coordinator, how many entries a draft holds', async () => {
      const entriesOf = async (who: string) =>
        (
          (await api(who, 'GET', `/api/v1/reviews/${ref}/requests`)).json() as {
            items: { agency: string; entries: number | null }[];
          }
        ).items.map((r) => [r.agency, r.entries]);
      expect(await entriesOf('police.lead')).toEqual([
        ['health-visiting', null],
        ['police', 1],
      ]);
      expect(await entriesOf('hv.lead')).toEqual([
        ['health-visiting', 1],
        ['police', null],
      ]);
      expect(await entriesOf('coordinator')).toEqual([
        ['health-visiting', null],
        ['police', null],
      ]);
      const hv = new WebClient(t.app);
      await hv.signIn('hv.lead@demo.example');
      const { $ } = page(await hv.get(`/reviews/${ref}/requests`));
      const rows = $('tbody tr')
        .map((_, tr) => $(tr).text().replace(/\s+/g, ' '))
        .get();
      expect(rows.find((r) => r.includes('Police'))).toContain('Not shared until submitted');
    });

    it('serves accepted entries in the merged chronology, camelCase with agencies by code', async () => {
      const police = await actorOf(t, 'police.lead@demo.example');
      const coordinator = await actorOf(t, 'coordinator@demo.example');
      await t.services.returns.submit(police, ref);
      const id = (await t.services.requests.list(coordinator, ref)).find((r) => r.agencyCode === 'police')!
        .request.id;
      await t.services.requests.accept(coordinator, ref, id);
      const res = await api('hv.lead', 'GET', `/api/v1/reviews/${ref}/chronology?limit=10`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        total: 1,
        items: [
          {
            date: '2019-03-02',
            agency: 'police',
            eventType: 'police_incident',
            childrenPresent: 'not_recorded',
            sourceRef: 'POL-118',
            summary: SECRET,
          },
        ],
      });
    });
  },
);
