import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../../src/web/route-capabilities.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { WebClient } from '../support/client.ts';

/**
 * Deny by default over the application's own route table, for what the route × role × stage matrix
 * (route-matrix.test.ts: every read) and the policy-before-input walk (route-capabilities.test.ts:
 * every refused change) do not cover: no sign-in and no token, and the library's import routes.
 */
const DEMO_USERS = {
  admin: 'admin@demo.example',
  coordinator: 'coordinator@demo.example',
  chair: 'chair@demo.example',
  policeLead: 'police.lead@demo.example',
  cscLead: 'csc.lead@demo.example',
  hvLead: 'hv.lead@demo.example',
  practitioner: 'practitioner@demo.example',
  board: 'board@demo.example',
} as const;
type Who = keyof typeof DEMO_USERS;


/** Each walk visits every route as several people: minutes on a busy two-core machine. */
const WALK_TIMEOUT = 300_000;

/** Routes anyone may reach without signing in, as the policy places them (route-capabilities.ts). */
const PUBLIC = new Set(
  Object.entries(ROUTE_CAPABILITIES)
    .filter(([, access]) => access === 'public')
    .map(([key]) => key.slice(key.indexOf(' ') + 1)),
);
/** What an allowed request may be answered: a page, a redirect, a refused input, nothing found. */
const ALLOWED_ANSWERS = [200, 303, 400, 404];

interface Route {
  method: string;
  url: string;
}

/** A valid body for each form, so that only access decides the answer. */
function bodyFor(url: string, userId: string): Record<string, string | string[]> {
  // Actions, audits and the progress/impact statement.
  if (url.endsWith('/audits/:id/actions')) return { actionId: userId };
  if (url.endsWith('/audits/:id/actions/unlink')) return { actionId: userId };
  // Adding an action and changing one take the same fields.
  if (url.endsWith('/reviews/:ref/actions') || url.endsWith('/actions/:id/edit'))
    return {
      what: 'Checking access',
      owningAgency: 'police',
      leadUserId: userId,
      'dueDate-day': '1',
      'dueDate-month': '1',
      'dueDate-year': '2026',
      successMeasure: 'Checking access',
    };
  if (url.endsWith('/progress')) return { items: 'Checking access' };
  if (url.endsWith('/updates')) return { note: 'Checking access' };
  if (url.endsWith('/rounds'))
    return {
      'roundDate-day': '1',
      'roundDate-month': '1',
      'roundDate-year': '2026',
      sampled: '1',
      compliant: '1',
    };
  if (url === '/audits') return { agency: 'police', question: 'Checking access', sampleDescription: 'x' };
  // The event, key practice episodes, learning and the learning themes.
  if (url.endsWith('/event'))
    return {
      'heldOn-day': '20',
      'heldOn-month': '4',
      'heldOn-year': '2021',
      format: 'online',
      link: 'https://meet.example.org/x',
    };
  if (url.endsWith('/event/attendees'))
    return { agency: 'police', name: 'Checking access', tier: 'practitioner' };
  if (url.endsWith('/event/attendance')) return { [`attendance-${userId}`]: 'attended' };
  if (url.endsWith('/event/notes')) return { reflectiveNotes: 'Checking access' };
  if (/\/episodes(\/:id)?$/.test(url)) return { title: 'Checking access', kind: 'good_practice' };
  if (/\/learning(\/:id)?$/.test(url)) return { statement: 'Checking access', themes: ['neglect'] };
  if (/\/admin\/themes(\/:id)?$/.test(url)) return { name: 'Checking access' };
  // The 7-minute briefing, the library and the resource links.
  if (url.endsWith('/briefing/reissue')) return { note: 'Checking access' };
  if (url.endsWith('/briefing/accept') || url.endsWith('/drafts/:id/accept'))
    return { finding: '0123456789abcdef', reason: 'Checking access' };
  if (url.endsWith('/briefing/sections/:index/move')) return { direction: 'down' };
  // Adding a section (…/sections/new) and changing one take a heading and text; removing takes nothing.
  if (url.includes('/briefing/sections/')) return { heading: 'Checking access', text: 'Checking access' };
  // The logo upload is multipart: a form body reaches the administrator's "Select a PNG or JPEG file".
  if (url.endsWith('/admin/logo')) return {};
  if (url.endsWith('/library/import/save'))
    return { model: JSON.stringify({ title: 'Checking access', sections: [] }) };
  if (url.endsWith('/deliveries'))
    return {
      team: 'Checking access',
      'deliveredOn-day': '1',
      'deliveredOn-month': '6',
      'deliveredOn-year': '2021',
      numberPresent: '5',
      keyThoughts: 'x',
      embedding: 'x',
      teamPlans: 'x',
    };
  if (url.endsWith('/admin/resources'))
    return { title: 'Checking access', url: 'https://northshire-scp.example/check', category: 'training' };
  // Agency requests, returns and the merged chronology.
  if (url.endsWith('/requests')) return { agencies: ['police'], workingDays: '15' };
  if (url.endsWith('/query')) return { query: 'Checking access' };
  if (url.endsWith('/withdraw')) return { reason: 'Checking access' };
  if (url.endsWith('/reissue')) return { workingDays: '15' };
  if (url.includes('/return/entries') && !url.endsWith('/remove'))
    return {
      'date-day': '2',
      'date-month': '3',
      'date-year': '2019',
      event_type: 'contact',
      summary: 'Checking access',
    };
  if (url.includes('/return/self-analysis')) return { wentWell: 'Checking access' };
  if (/\/chronology\/(un)?link$/.test(url)) return { entries: [randomUUID(), randomUUID()] };
  if (url.endsWith('/stage')) return { to: 'terms_of_reference' };
  if (/\/(pause|resume|stop)$/.test(url)) return { reason: 'Checking access' };
  if (url.endsWith('/screening'))
    return {
      outcome: 'line_of_sight',
      rationale: 'x',
      decisionMaker: 'x',
      'decidedOn-day': '1',
      'decidedOn-month': '1',
      'decidedOn-year': '2026',
    };
  if (url.endsWith('/terms-of-reference'))
    return {
      'periodFrom-day': '1',
      'periodFrom-month': '1',
      'periodFrom-year': '2025',
      'periodTo-day': '1',
      'periodTo-month': '6',
      'periodTo-year': '2025',
      agenciesInScope: ['police'],
    };
  if (url.endsWith('/move')) return { direction: 'up' };
  if (url.endsWith('/signals/:key/decision')) return { decision: 'dismissed', reason: 'Checking access' };
  if (url.endsWith('/signals/:key/line-of-enquiry')) return { lineOfEnquiryId: '' };
  if (url.endsWith('/members')) return { userId };
  if (url.includes('lines-of-enquiry') && !url.endsWith('/remove')) return { question: 'Checking access' };
  return {};
}

/** A valid API body for each route, so that only access decides the answer. */
function apiBodyFor(url: string): Record<string, unknown> {
  if (url.endsWith('/reviews/:ref/actions'))
    return {
      what: 'Checking access',
      owningAgency: 'police',
      leadUserId: randomUUID(),
      dueDate: '2026-01-01',
      successMeasure: 'Checking access',
    };
  if (url.endsWith('/progress')) return { items: ['Checking access'] };
  if (url.endsWith('/actions/:id')) return { note: 'Checking access' };
  if (url.endsWith('/rounds')) return { roundDate: '2026-01-01', sampled: 1, compliant: 1 };
  if (url.endsWith('/audits'))
    return { agency: 'police', question: 'Checking access', sampleDescription: 'x' };
  if (url.endsWith('/event'))
    return { heldOn: '2021-04-20', format: 'online', link: 'https://meet.example.org/x' };
  if (url.endsWith('/event/attendees'))
    return { agency: 'police', name: 'Checking access', tier: 'practitioner' };
  if (url.endsWith('/event/attendance')) return { attendance: { [randomUUID()]: 'attended' } };
  if (url.endsWith('/episodes')) return { title: 'Checking access', kind: 'good_practice' };
  if (url.endsWith('/learning')) return { statement: 'Checking access', themes: ['neglect'] };
  if (url.endsWith('/requests')) return { agencies: ['police'], workingDays: 15 };
  if (url.endsWith('/chronology'))
    return { entries: [{ date: '2019-03-02', eventType: 'contact', summary: 'x' }] };
  if (url.endsWith('/stage')) return { to: 'terms_of_reference' };
  if (url.endsWith('/screening'))
    return { outcome: 'line_of_sight', rationale: 'x', decisionMaker: 'x', decidedOn: '2026-01-01' };
  if (url.endsWith('/terms-of-reference'))
    return { periodFrom: '2025-01-01', periodTo: '2025-06-01', agenciesInScope: ['police'] };
  if (url.includes('lines-of-enquiry')) return { question: 'Checking access' };
  if (url.endsWith('/briefing/versions')) return { note: 'Checking access' };
  if (url.endsWith('/briefing/sections/:index'))
    return { heading: 'Checking access', text: 'Checking access' };
  return { reason: 'Checking access' };
}

describe.each(DATABASE_KINDS)('authorisation over every route and role (%s)', (kind) => {
  let t: TestApp;
  let routes: Route[];
  let child7: string;
  const clients = new Map<Who, WebClient>();
  const tokens = new Map<Who, string>();

  beforeAll(async () => {
    t = await buildTestApp(kind);
    routes = t.routes
      .flatMap((r) =>
        (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, url: r.url })),
      )
      .filter((r) => r.method !== 'HEAD' && !r.url.includes('*') && !PUBLIC.has(r.url));
    const result = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Child 7'`,
    )) as unknown as {
      rows: { reference: string }[];
    };
    child7 = result.rows[0]!.reference;
    for (const [who, email] of Object.entries(DEMO_USERS) as [Who, string][]) {
      const client = new WebClient(t.app);
      expect((await client.signIn(email)).headers.location).not.toBe('/sign-in');
      clients.set(who, client);
      tokens.set(who, (await t.services.auth.createApiToken(email, 'authorisation test')).token);
    }
  });
  afterAll(async () => t?.close());

  const fill = (url: string) =>
    url
      .replace(':ref', child7)
      .replace(':id', randomUUID())
      .replace(':userId', randomUUID())
      .replace(':index', '1')
      .replace(':format', 'pdf');

  async function webRequest(who: Who, route: Route) {
    const client = clients.get(who)!;
    const url = fill(route.url);
    if (route.method === 'GET') return client.get(url);
    return client.post(url, bodyFor(route.url, randomUUID()), await client.csrfToken('/reviews'));
  }

  async function apiRequest(who: Who | null, route: Route) {
    const url = fill(route.url);
    const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : apiBodyFor(route.url);
    return t.app.inject({
      method: route.method as 'GET',
      url,
      payload,
      headers: who ? { authorization: `Bearer ${tokens.get(who)}` } : {},
    });
  }

  it('found the routes to check', { timeout: WALK_TIMEOUT }, () => {
    const web = routes.filter((r) => !r.url.startsWith('/api/'));
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    expect(web.filter((r) => r.url.includes(':ref')).length).toBeGreaterThanOrEqual(20);
    expect(api.filter((r) => r.url.includes(':ref')).length).toBeGreaterThanOrEqual(10);
  });

  it(
    'sends anyone not signed in to sign in, and answers 401 to the API without a token',
    { timeout: WALK_TIMEOUT },
    async () => {
      const anonymous = new WebClient(t.app);
      for (const route of routes) {
        if (route.url.startsWith('/api/')) {
          expect((await apiRequest(null, route)).statusCode, `${route.method} ${route.url}`).toBe(401);
        } else {
          const res =
            route.method === 'GET'
              ? await anonymous.get(fill(route.url))
              : await anonymous.post(fill(route.url), {}, 'none');
          expect([303, 403], `${route.method} ${route.url}`).toContain(res.statusCode);
          if (res.statusCode === 303) expect(res.headers.location).toBe('/sign-in');
        }
      }
    },
  );

  it(
    'lets every signed-in role read the library, and only the coordinator load briefings into it',
    { timeout: WALK_TIMEOUT },
    async () => {
      // The library holds published, anonymised briefings: readable partnership-wide by design.
      const libraryRoutes = routes.filter((r) => r.url.startsWith('/library'));
      expect(libraryRoutes.length).toBeGreaterThanOrEqual(6);
      const published = (await t.database.db.execute(
        sql`select briefing_id as id from briefing_versions where state = 'published' limit 1`,
      )) as unknown as { rows: { id: string }[] };
      // The demo publishes Child 2's briefing.
      const publishedId = published.rows[0]?.id;
      expect(publishedId).toBeDefined();
      for (const who of Object.keys(DEMO_USERS) as Who[]) {
        const search = await webRequest(who, { method: 'GET', url: '/library' });
        expect(search.statusCode, `${who} searches the library`).toBe(200);
        const mayImport = who === 'coordinator';
        for (const route of libraryRoutes.filter((r) => r.url.startsWith('/library/import'))) {
          const res = await webRequest(who, route);
          if (mayImport)
            expect(ALLOWED_ANSWERS, `${who} ${route.method} ${route.url}`).toContain(res.statusCode);
          else expect(res.statusCode, `${who} ${route.method} ${route.url}`).toBe(403);
        }
        expect(search.body, `${who} finds Child 2 in the library`).toContain(`/library/${publishedId}`);
        const page = await webRequest(who, { method: 'GET', url: `/library/${publishedId}` });
        expect(page.statusCode, `${who} reads a published briefing`).toBe(200);
        const pdf = await webRequest(who, { method: 'GET', url: `/library/${publishedId}/download.pdf` });
        expect(pdf.statusCode, `${who} downloads a published briefing`).toBe(200);
        // An unknown briefing is simply not there, for everyone: no 500, no leak. Imported drafts
        // are the coordinator's: anyone else is refused before anything is looked up.
        for (const route of libraryRoutes.filter((r) => r.url.includes(':id'))) {
          const res = await webRequest(who, route);
          if (ROUTE_CAPABILITIES[routeKey(route.method, route.url)] === 'library.import' && !mayImport)
            expect(res.statusCode, `${who} ${route.method} ${route.url}`).toBe(403);
          else expect([303, 404], `${who} ${route.method} ${route.url}`).toContain(res.statusCode);
        }
      }
    },
  );
});
