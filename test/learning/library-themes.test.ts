import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/** A briefing from a neighbouring partnership (fictional), headings as questions, no bullets. */
const WESTMARCH = `Westmarch Safeguarding Children Partnership
Published: 14 March 2019

7-minute briefing: burns to a baby who is not yet mobile

What happened?
A baby was brought to hospital with burns to the hand. The family had moved between two areas.

Why does it matter?
Burns to a baby who is not yet mobile are rare and must always be taken seriously.

What did we learn?
Explanations were accepted at face value.
Professional curiosity about who lived in the home was missing.

Reflective questions
Who else lives in the household?
`;

/** Another, filed by the coordinator under 2018 with themes they chose. */
const EASTMOOR = `7 Minute Briefing: a teenager missing from home

What happened?
A young person went missing from home four times in a month.

What did we learn?
Return home interviews were not completed.
Nobody was curious about who the young person was with.
`;

interface Item {
  id: string;
  title: string;
  year: number;
  partnership: string | null;
  themes: string[];
  reviewType: string;
}
interface Facets {
  themes: { key: string; name: string; count: number }[];
  agencies: { code: string; count: number }[];
  years: { year: number; count: number }[];
  reviewTypes: { type: string; count: number }[];
}

/**
 * Imported briefings get themes: suggested from their words at import, confirmed or changed by the
 * coordinator, changed later on the briefing's "Change details" page; filed under the document's
 * own year; counted beside each of the library's filters; related by shared themes; and counted
 * in recurrence.
 */
describe.each(DATABASE_KINDS)("the library's themes, years and counts (%s)", { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let westmarch: string;
  let eastmoor: string;
  /** The demo's library before these tests add to it. */
  let before: { facets: Facets; total: number };

  const api = (
    who: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: string | object,
    type?: string,
  ) =>
    t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body }),
      headers: { authorization: `Bearer ${tokens[who]}`, ...(type ? { 'content-type': type } : {}) },
    });

  /** Imports over the API, accepting whatever the identifying-details check finds, and publishes. */
  async function importAndPublish(text: string, query: string) {
    const res = await api('coordinator', 'POST', `/api/v1/library/import?${query}`, text, 'text/plain');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    for (const f of body.findings.items as { id: string }[])
      await api('coordinator', 'POST', `/api/v1/library/drafts/${body.id}/findings/${f.id}/accept`, {
        reason: 'A fictional briefing written for the test',
      });
    if (body.state !== 'published')
      expect((await api('coordinator', 'POST', `/api/v1/library/drafts/${body.id}/publish`)).statusCode).toBe(
        200,
      );
    return body;
  }

  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const who of ['coordinator', 'practitioner', 'board'])
      tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'library themes')).token;
    before = (await api('practitioner', 'GET', '/api/v1/library')).json();
  }, 180_000);
  afterAll(async () => t?.close());

  it('suggests themes from the words of an imported briefing, and files it under its own date', async () => {
    const body = await importAndPublish(WESTMARCH, 'fileName=westmarch.txt');
    westmarch = body.id;
    expect(body.documentDate).toBe('2019-03-14');
    const suggested = body.suggestedThemes.map((s: { key: string }) => s.key);
    expect(suggested).toContain('professional-curiosity');
    expect(suggested).toContain('babies');
    expect(
      body.suggestedThemes.find((s: { key: string }) => s.key === 'professional-curiosity').found,
    ).toEqual(['accepted at face value', 'professional curiosity']);
    // Themes absent from the request: the suggested ones are kept.
    expect([...body.themes].sort()).toEqual([...suggested].sort());
    expect(body.recognised.map((r: { heading: string; kind: string }) => [r.heading, r.kind])).toEqual([
      ['What happened?', 'background'],
      ['Why does it matter?', 'purpose'],
      ['What did we learn?', 'learning'],
      ['Reflective questions', 'custom'],
    ]);

    const library = (await api('practitioner', 'GET', '/api/v1/library?q=burns')).json();
    expect(library.items).toHaveLength(1);
    expect(library.items[0]).toMatchObject({
      id: westmarch,
      title: '7-minute briefing: burns to a baby who is not yet mobile',
      year: 2019,
      partnership: 'Westmarch Safeguarding Children Partnership',
    });
  });

  it('keeps the themes, year, partnership and review type the coordinator gives instead', async () => {
    const body = await importAndPublish(
      EASTMOOR,
      'fileName=eastmoor.txt&themes=race-culture-identity,professional-curiosity&year=2018&partnership=Eastmoor%20Safeguarding%20Children%20Partnership&reviewType=rapid_review',
    );
    eastmoor = body.id;
    expect([...body.themes].sort()).toEqual(['professional-curiosity', 'race-culture-identity']);
    const unknown = await api(
      'coordinator',
      'POST',
      '/api/v1/library/import?themes=nonsense',
      EASTMOOR,
      'text/plain',
    );
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain('Unknown theme: nonsense');
  });

  it('counts each filter’s choices given the other filters, by the year a briefing gives itself', async () => {
    const all = (await api('practitioner', 'GET', '/api/v1/library')).json() as {
      items: Item[];
      facets: Facets;
      total: number;
    };
    const added = (f: { count: number } | undefined, b: { count: number } | undefined) =>
      (f?.count ?? 0) - (b?.count ?? 0);
    expect(all.total).toBe(before.total + 2);
    const year = (facets: Facets, y: number) => facets.years.find((f) => f.year === y);
    expect([
      added(year(all.facets, 2019), year(before.facets, 2019)),
      added(year(all.facets, 2018), year(before.facets, 2018)),
    ]).toEqual([1, 1]);
    const theme = (facets: Facets, key: string) => facets.themes.find((f) => f.key === key);
    expect(
      added(theme(all.facets, 'professional-curiosity'), theme(before.facets, 'professional-curiosity')),
    ).toBe(2);
    expect(theme(all.facets, 'race-culture-identity')?.count).toBe(1);
    const type = (facets: Facets, key: string) => facets.reviewTypes.find((f) => f.type === key);
    expect(added(type(all.facets, 'rapid_review'), type(before.facets, 'rapid_review'))).toBe(1);
    // Every year's count is the number of briefings filed under it.
    expect(all.facets.years.reduce((n, f) => n + f.count, 0)).toBe(all.total);

    // With a theme chosen, the years count only its briefings; the themes' own counts stay whole.
    const chosen = (
      await api('practitioner', 'GET', '/api/v1/library?theme=race-culture-identity')
    ).json() as {
      items: Item[];
      facets: Facets;
    };
    expect(chosen.items.map((i) => i.id)).toEqual([eastmoor]);
    expect(chosen.facets.years).toEqual([{ year: 2018, count: 1 }]);
    expect(theme(chosen.facets, 'professional-curiosity')?.count).toBe(
      theme(all.facets, 'professional-curiosity')?.count,
    );
    const in2019 = (await api('practitioner', 'GET', '/api/v1/library?year=2019')).json() as {
      items: Item[];
    };
    expect(in2019.items.map((i) => i.id)).toEqual([westmarch]);

    // The page shows the same counts beside each choice.
    const web = new WebClient(t.app);
    await web.signIn('practitioner@demo.example');
    const p = page(await web.get('/library?theme=race-culture-identity'));
    const options = (id: string) =>
      p
        .$(`#${id} option`)
        .map((_, o) => p.$(o).text().trim())
        .get();
    expect(options('year')).toEqual(['Any year', '2018 (1)']);
    expect(options('theme')).toContain(
      `Professional curiosity and healthy scepticism (${theme(all.facets, 'professional-curiosity')!.count})`,
    );
  });

  it("changes an imported briefing's details, refusing an unknown theme and an identifying title", async () => {
    const changed = await api('coordinator', 'PUT', `/api/v1/library/${westmarch}/details`, {
      title: 'Burns to a baby who is not yet mobile',
      partnership: 'Westmarch Safeguarding Children Partnership',
      year: 2019,
      reviewType: 'rapid_review',
      themes: ['babies', 'unseen-men'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      id: westmarch,
      title: 'Burns to a baby who is not yet mobile',
      year: 2019,
      reviewType: 'rapid_review',
      themes: ['babies', 'unseen-men'],
    });
    const bad = await api('coordinator', 'PUT', `/api/v1/library/${westmarch}/details`, {
      themes: ['nonsense'],
    });
    expect(bad.statusCode).toBe(400);
    const identifying = await api('coordinator', 'PUT', `/api/v1/library/${westmarch}/details`, {
      title: 'A baby born on 3 March 2022',
    });
    expect(identifying.statusCode).toBe(400);
    expect(JSON.stringify(identifying.json())).toContain('The title may identify someone');
    expect(
      (await api('practitioner', 'PUT', `/api/v1/library/${westmarch}/details`, { year: 2020 })).statusCode,
    ).toBe(403);
    const found = (await api('practitioner', 'GET', '/api/v1/library?q=burns')).json();
    expect(found.items[0]).toMatchObject({ title: 'Burns to a baby who is not yet mobile', year: 2019 });
    const audited = (
      (await t.database.db.execute(
        sql`select count(*)::int as n from audit_events where action = 'library.briefing.details' and subject_id = ${westmarch}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n;
    expect(audited).toBe(1);
  });

  it('lists related briefings by shared themes, and counts imported briefings in recurrence', async () => {
    // Make the Westmarch briefing share professional curiosity again, through the page.
    const web = new WebClient(t.app);
    await web.signIn('coordinator@demo.example');
    const form = page(await web.get(`/library/${westmarch}/edit`));
    expect(form.$('#title').val()).toBe('Burns to a baby who is not yet mobile');
    const csrf = await web.csrfToken(`/library/${westmarch}/edit`);
    const saved = await web.post(
      `/library/${westmarch}/edit`,
      {
        title: 'Burns to a baby who is not yet mobile',
        partnership: 'Westmarch Safeguarding Children Partnership',
        year: '2019',
        reviewType: 'rapid_review',
        themes: ['babies', 'professional-curiosity'],
      },
      csrf,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/library/${westmarch}`);
    const p = page(await web.follow(saved));
    expect(p.banner).toContain('Briefing details changed');
    const related = p
      .$('#related-briefings li')
      .map((_, li) => p.$(li).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(related).toContain(
      '7 Minute Briefing: a teenager missing from home (2018): Professional curiosity and healthy scepticism',
    );

    const rec = (await api('board', 'GET', '/api/v1/themes/recurrence')).json();
    const curiosity = rec.items.find((i: { theme: string }) => i.theme === 'professional-curiosity');
    // The earliest two, before the demo's own.
    expect(curiosity.briefings.slice(0, 2)).toEqual([
      { id: eastmoor, title: '7 Minute Briefing: a teenager missing from home', date: '2018-01-01' },
      { id: westmarch, title: 'Burns to a baby who is not yet mobile', date: '2019-03-14' },
    ]);
  });
});
