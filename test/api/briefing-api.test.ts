import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

const REF = 'LOS-2021-002';
const BASE = `/api/v1/reviews/${REF}/briefing`;

/**
 * The 7-minute briefing without a browser: a new version, its sections, the identifying-details
 * check and accepting a finding, with the permissions, audit and stage rules of the Briefing tab.
 */
describe.each(DATABASE_KINDS)("a review's briefing over the JSON API (%s)", { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
  const audits = async (action: string) =>
    (
      (await t.database.db.execute(
        sql`select count(*)::int as n from audit_events where action = ${action} and review_reference = ${REF}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const who of ['coordinator', 'chair', 'police.lead', 'board', 'practitioner'])
      tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'briefing api')).token;
  });
  afterAll(async () => t?.close());

  it('starts a version, changes a section, checks it, accepts a finding with a reason, and approval passes', async () => {
    // A published version cannot change: sections of version 2 are read-only.
    const sections = await api('board', 'GET', `${BASE}/sections`);
    expect(sections.statusCode).toBe(200);
    expect(sections.json()).toMatchObject({ version: 2, state: 'published', total: 7 });
    expect(sections.json().items[3]).toMatchObject({
      number: 4,
      kind: 'practiceEpisodes',
      goodPractice: expect.arrayContaining(['Accessibility of health visitor for Mother']),
    });
    expect((await api('board', 'POST', `${BASE}/versions`, { note: 'x' })).statusCode).toBe(403);
    const started = await api('coordinator', 'POST', `${BASE}/versions`, {
      note: 'Impact evidence from the audit',
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toEqual({ version: 3, state: 'draft' });

    // The mother's recorded name and the nursery's, written into section 5.
    const learning = sections.json().items[4];
    const put = await api('coordinator', 'PUT', `${BASE}/sections/5`, {
      heading: learning.heading,
      items: [...learning.items, 'Testmother Example told the Example Lane Nursery staff'],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().items).toHaveLength(learning.items.length + 1);
    expect((await api('board', 'PUT', `${BASE}/sections/5`, { heading: 'x' })).statusCode).toBe(403);
    expect((await api('practitioner', 'GET', `${BASE}/sections`)).statusCode).toBe(404);
    expect((await api('coordinator', 'PUT', `${BASE}/sections/99`, { heading: 'x' })).statusCode).toBe(404);

    // Only those who write or approve the briefing run the check; it reads and audits the identifiable data.
    expect((await api('board', 'POST', `${BASE}/check`)).statusCode).toBe(403);
    const viewsBefore = await audits('review.identifiable.view');
    const checked = await api('coordinator', 'POST', `${BASE}/check`);
    expect(checked.statusCode).toBe(200);
    const found = checked.json();
    expect(found.total).toBe(2);
    expect(found.items.map((f: { text: string; kind: string }) => [f.text, f.kind])).toEqual([
      ['Testmother Example', 'person'],
      ['Example Lane Nursery', 'institution'],
    ]);
    expect(found.items[0]).toMatchObject({
      section: 5,
      item: learning.items.length + 1,
      location: `Section 5 (Learning), point ${learning.items.length + 1}`,
      reason: '"Testmother Example" is the name of a household member, as recorded in the review',
      accepted: false,
    });
    expect(found.items[1].advice).toContain('type of setting');
    expect(await audits('review.identifiable.view')).toBe(viewsBefore + 1);

    // Findings are accepted by the approver once it is sent for approval; approval waits for all.
    const nursery = found.items[1].id;
    const early = await api('chair', 'POST', `${BASE}/findings/${nursery}/accept`, { reason: 'Agreed' });
    expect(early.statusCode).toBe(409);
    expect((await api('chair', 'POST', `${BASE}/submit`)).statusCode).toBe(403);
    expect((await api('coordinator', 'POST', `${BASE}/submit`)).json()).toEqual({
      version: 3,
      state: 'in_review',
    });
    const lead = await api('police.lead', 'POST', `${BASE}/findings/${nursery}/accept`, { reason: 'x' });
    expect(lead.statusCode).toBe(403);
    const blank = await api('chair', 'POST', `${BASE}/findings/${nursery}/accept`, { reason: ' ' });
    expect(blank.statusCode).toBe(400);
    const accepted = await api('chair', 'POST', `${BASE}/findings/${nursery}/accept`, {
      reason: 'The nursery agreed to be named; it does not identify the child',
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ id: nursery, accepted: true });
    const unknown = await api('chair', 'POST', `${BASE}/findings/0123456789abcdef/accept`, { reason: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(await audits('briefing.finding.accept')).toBe(1);

    // One finding is still open: approval re-runs the check and is refused, naming it.
    const refused = await api('chair', 'POST', `${BASE}/approve`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.reasons.join(' ')).toContain('"Testmother Example" (person)');
    const person = found.items[0].id;
    expect(
      (await api('chair', 'POST', `${BASE}/findings/${person}/accept`, { reason: 'A training copy' }))
        .statusCode,
    ).toBe(200);
    expect((await api('chair', 'POST', `${BASE}/approve`)).json()).toEqual({ version: 3, state: 'approved' });
    expect((await api('coordinator', 'POST', `${BASE}/publish`)).json()).toEqual({
      version: 3,
      state: 'published',
    });
    const library = (await api('practitioner', 'GET', '/api/v1/library?q=curiosity')).json();
    expect(library.items.map((i: { title: string; version: number }) => [i.title, i.version])).toContainEqual(
      ['Child 2', 3],
    );
  });

  it('keeps to the stage rules and documents every route in the OpenAPI document', async () => {
    // Child 7 is at screening: there is no briefing to check yet.
    const child7 = (
      (await t.database.db.execute(
        sql`select reference from reviews where pseudonym = 'Child 7'`,
      )) as unknown as {
        rows: { reference: string }[];
      }
    ).rows[0]!.reference;
    const early = await api('coordinator', 'POST', `/api/v1/reviews/${child7}/briefing/check`);
    expect(early.statusCode).toBe(409);

    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/reviews/{ref}/briefing/versions',
      '/api/v1/reviews/{ref}/briefing/sections',
      '/api/v1/reviews/{ref}/briefing/sections/{index}',
      '/api/v1/reviews/{ref}/briefing/check',
      '/api/v1/reviews/{ref}/briefing/findings/{id}/accept',
      '/api/v1/reviews/{ref}/briefing/approve',
      '/api/v1/library',
      '/api/v1/library/import',
      '/api/v1/library/drafts/{id}',
      '/api/v1/library/drafts/{id}/findings/{findingId}/accept',
      '/api/v1/library/drafts/{id}/publish',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
  });
});
