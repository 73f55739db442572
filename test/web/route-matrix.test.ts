import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { can, granted, mayAttempt, type Capability, type Person } from '../../src/domain/access/policy.ts';
import { isRole } from '../../src/domain/access/roles.ts';
import type { ReviewStatus, Stage } from '../../src/domain/lifecycle/stages.ts';
import { ROUTE_CAPABILITIES, type RouteAccess } from '../../src/web/route-capabilities.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DASHBOARD_FIGURES } from '../../src/schemas/dashboard.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { WebClient } from '../support/client.ts';
import { DEMO_SIGN_INS } from '../support/demo-sign-ins.ts';

/**
 * The route × role × stage matrix, generated: every page and API read of the route table
 * (route-capabilities.ts), as each demonstration sign-in, on one review of each stage the
 * demonstration holds, with every :id filled with a real record of that review. The expected
 * answer is the policy's (can, granted, mayAttempt of src/domain/access/policy.ts), never retyped:
 * exactly 200 for the allowed, exactly 403 (the web) or 404 (the API, for a review the person
 * cannot see) for the refused, one `denied` audit row for each refusal and none for the allowed.
 */
const PEOPLE = DEMO_SIGN_INS;

const OF_A_REVIEW = /^\/(api\/v1\/)?reviews\/:ref(\/|$)/;
/** The records of an action: found on the review, read under the action's own review. */
const OF_AN_ACTION = /^\/(api\/v1\/)?actions\/:id/;
/** Pages whose allowed answer is not a page: the home page sends each person on to their start. */
const ANSWERS: Record<string, number> = {
  '/': 303,
  // The partnership's logo: the demonstration sets none, so there is nothing to send.
  '/partnership/logo': 404,
};
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface Someone extends Person {
  id: string;
  email: string;
  client: WebClient;
  token: string;
}
interface Review {
  id: string;
  reference: string;
  pseudonym: string;
  stage: Stage;
  status: ReviewStatus;
  members: Set<string>;
  hasBriefing: boolean;
  /** The agencies asked for a return (a request not withdrawn). */
  askedAgencies: Set<string>;
}
interface Case {
  who: Someone;
  route: string;
  url: string;
  expected: number;
  /** A refusal by the policy: on record with one `denied` row. */
  refused: boolean;
}

describe.each(DATABASE_KINDS)('route × role × stage matrix (%s)', (kind) => {
  let t: TestApp;
  const people: Someone[] = [];
  let reviews: Review[] = [];

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  const deniedCount = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where outcome = 'denied'`))[0]!
      .n;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const email of PEOPLE) {
      const [row] = await rows<{ id: string; roles: string[]; agency_id: string | null }>(
        sql`select id, roles, agency_id from users where email = ${email}`,
      );
      const client = new WebClient(t.app);
      expect((await client.signIn(email)).statusCode, email).toBe(303);
      const token = (await t.services.auth.createApiToken(email, 'route matrix')).token;
      people.push({
        id: row!.id,
        email,
        roles: row!.roles.filter(isRole),
        agencyId: row!.agency_id,
        client,
        token,
      });
    }
    // The demonstration pauses none of its reviews: its second review in the impact stage (Child
    // 4's) is paused here, so a paused review's pages are in the matrix too.
    const { actorFor } = await import('../../src/services/auth-service.ts');
    const coordinatorUser = (await t.services.auth.userById(
      people.find((p) => p.email === 'coordinator@demo.example')!.id,
    ))!;
    await t.services.reviews.changeStatus(actorFor(coordinatorUser, 'route matrix'), 'LOS-2023-001', 'pause', {
      reason: 'Paused for the route matrix',
    });
    // Nor does it stop any: a new referral (synthetic, obviously so) is stopped at screening.
    const { reference: stopped } = await t.services.reviews.refer(actorFor(coordinatorUser, 'route matrix'), {
      referringAgency: 'police',
      referrerName: 'Route Matrix Referrer',
      referredOn: '2026-01-05',
      pseudonym: 'Child Stopped',
      child: { fullName: 'Testchild Stopped Example' },
      agenciesInvolved: ['police', 'csc'],
      whatHappened: 'A synthetic referral for the route matrix.',
      whyLearning: 'None: it is stopped at once.',
    });
    await t.services.reviews.changeStatus(actorFor(coordinatorUser, 'route matrix'), stopped, 'stop', {
      reason: 'Stopped for the route matrix',
    });
    // One review of each stage and status the demonstration holds.
    const all = await rows<{
      id: string;
      reference: string;
      pseudonym: string;
      stage: Stage;
      status: ReviewStatus;
    }>(sql`select id, reference, pseudonym, stage, status from reviews order by created_at, reference`);
    const seen = new Set<string>();
    for (const r of all) {
      if (seen.has(`${r.stage} ${r.status}`)) continue;
      seen.add(`${r.stage} ${r.status}`);
      const members = await rows<{ user_id: string }>(
        sql`select user_id from review_members where review_id = ${r.id}`,
      );
      const briefing = await rows<{ id: string }>(sql`select id from briefings where review_id = ${r.id}`);
      const asked = await rows<{ agency_id: string }>(
        sql`select agency_id from agency_requests where review_id = ${r.id} and withdrawn_at is null`,
      );
      reviews.push({
        ...r,
        members: new Set(members.map((m) => m.user_id)),
        hasBriefing: briefing.length > 0,
        askedAgencies: new Set(asked.map((a) => a.agency_id)),
      });
    }
    reviews = reviews.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  }, 120_000);
  afterAll(async () => t?.close());

  const coordinator = () => people.find((p) => p.email === 'coordinator@demo.example')!;

  /** A real id for a route's parameters on this review, read from a page that lists them. */
  const found = new Map<string, string | null>();
  async function realUrl(route: string, review: Review, who: Someone): Promise<string | null> {
    const key = `${review.id} ${route} ${route.includes('/return/') ? who.id : ''}`;
    if (!found.has(key)) found.set(key, await findUrl(route, review, who));
    return found.get(key)!;
  }
  async function findUrl(route: string, review: Review, who: Someone): Promise<string | null> {
    const ref = review.reference;
    // A review has its briefing's pages once the briefing is started (from the briefing stage on).
    if (route.includes('/briefing') && !review.hasBriefing) return null;
    const linkOn = async (page: string, pattern: RegExp, client = coordinator().client) => {
      const res = await client.get(page);
      return res.statusCode === 200 ? (pattern.exec(res.body)?.[1] ?? null) : null;
    };
    const one = async (query: ReturnType<typeof sql>) => (await rows<{ id: string }>(query))[0]?.id ?? null;
    let url = route.replace(':ref', ref).replace('download.:format', 'download.pdf');
    if (!url.includes(':')) return url;
    let id: string | null = null;
    if (route.includes('/lines-of-enquiry/:id') || route.includes('/self-analysis/:id'))
      id = await one(
        sql`select id from lines_of_enquiry where review_id = ${review.id} order by position limit 1`,
      );
    else if (route.includes('/requests/:id'))
      id = await one(
        sql`select id from agency_requests where review_id = ${review.id} order by sent_at limit 1`,
      );
    else if (route.includes('/return/entries/:id'))
      id = await linkOn(
        `/reviews/${ref}/return`,
        new RegExp(`/reviews/${ref}/return/entries/(${UUID})`),
        who.client,
      );
    else if (route.includes('/signals/:key'))
      id = await linkOn(`/reviews/${ref}/signals`, new RegExp(`/reviews/${ref}/signals/([^"/?#]+)"`));
    else if (route.includes('/episodes/:id'))
      id = await one(sql`select id from practice_episodes where review_id = ${review.id} limit 1`);
    else if (route.includes('/learning/:id'))
      id = await one(sql`select id from learning_statements where review_id = ${review.id} limit 1`);
    else if (route.includes('/briefing/sections/:index')) id = '1';
    else if (route.includes('/updates/:updateId/file')) {
      const [u] = await rows<{ action_id: string; id: string }>(
        sql`select u.action_id, u.id from action_updates u join review_actions a on a.id = u.action_id
            where a.review_id = ${review.id} and u.file_name is not null limit 1`,
      );
      if (!u) return null;
      return route.replace(':id', u.action_id).replace(':updateId', u.id);
    } else if (OF_AN_ACTION.test(route))
      id = await one(sql`select id from review_actions where review_id = ${review.id} limit 1`);
    if (!id) return null;
    url = url.replace(/:(id|key|index)/, id);
    return url.includes(':') ? null : url;
  }

  /** A real record for a route outside a review: the demonstration's own. */
  async function elsewhereUrl(route: string): Promise<string | null> {
    if (!route.includes(':')) return route;
    if (found.has(route)) return found.get(route)!;
    const one = async (query: ReturnType<typeof sql>) => (await rows<{ id: string }>(query))[0]?.id ?? null;
    let id: string | null = null;
    if (route.startsWith('/library/import/drafts/') || route.startsWith('/api/v1/library/drafts/'))
      id = await one(sql`select b.id from briefings b join briefing_versions v on v.briefing_id = b.id
                         where b.review_id is null and v.state = 'draft' limit 1`);
    else if (route.startsWith('/library/:id'))
      id = await one(sql`select briefing_id as id from briefing_versions where state = 'published' limit 1`);
    else if (route.startsWith('/admin/themes/')) id = await one(sql`select id from learning_themes limit 1`);
    else if (route.startsWith('/admin/users/'))
      id = await one(sql`select id from users where email = 'practitioner@demo.example'`);
    else if (/^\/(api\/v1\/)?audits\/:id/.test(route))
      id = await one(sql`select id from practice_audits limit 1`);
    else if (route.includes(':figure')) id = DASHBOARD_FIGURES[0];
    else if (route.startsWith('/front-door/imports/') || route.startsWith('/api/v1/monitoring/imports/'))
      id = await one(sql`select id from monitoring_imports limit 1`);
    else if (route.startsWith('/front-door/children/'))
      id = await one(sql`select child_key as id from monitored_children limit 1`);
    const url = id ? route.replace(/:(id|figure|key)/, id).replace('download.:format', 'download.pdf') : null;
    found.set(route, url);
    return url;
  }

  /** The policy's answer for a read of a review's page or API. */
  function expectedOnReview(who: Someone, access: RouteAccess, route: string, review: Review): number {
    const isMember = review.members.has(who.id);
    const api = route.startsWith('/api/');
    if (!granted(who, 'review.read', { isMember })) return api ? 404 : 403;
    if (access === 'public' || access === 'signed-in') return 200;
    // An agency's own return: the record the grant is on exists only once the agency is asked.
    const ownReturn = access === 'return.read-own' || access === 'return.write';
    if (ownReturn && granted(who, access, { isMember, agencyId: who.agencyId ?? null }))
      if (!who.agencyId || !review.askedAgencies.has(who.agencyId)) return 403;
    const decision = can(who, access, {
      isMember,
      agencyId: who.agencyId ?? null,
      review: { stage: review.stage, status: review.status },
    });
    if (decision.allowed) return 200;
    // Refused by role: 403 and on record. Refused by stage (a form of a part not open in this stage):
    // the page says why with 409, a conflict with the review's state rather than a refusal of the person.
    return decision.because === 'role' ? 403 : 409;
  }

  /** The policy's answer for a read outside a review. */
  function expectedElsewhere(who: Someone, access: RouteAccess, route: string): number {
    if (access === 'public' || access === 'signed-in') return ANSWERS[route] ?? 200;
    return mayAttempt(who, access as Capability) ? 200 : 403;
  }

  async function run(cases: Case[]) {
    const wrong: string[] = [];
    let before = await deniedCount();
    for (const c of cases) {
      const res = c.url.startsWith('/api/')
        ? await t.app.inject({
            method: 'GET',
            url: c.url,
            headers: { authorization: `Bearer ${c.who.token}` },
          })
        : await c.who.client.get(c.url);
      const after = await deniedCount();
      const rowsWritten = after - before;
      before = after;
      const wantRows = c.refused ? 1 : 0;
      if (res.statusCode !== c.expected || rowsWritten !== wantRows)
        wrong.push(
          `${c.who.email} GET ${c.url} (${c.route}): ${res.statusCode} with ${rowsWritten} denied rows; the policy says ${c.expected} with ${wantRows}`,
        );
    }
    return wrong;
  }

  it(
    'answers every read of a review as the policy says, in every stage the demonstration holds',
    { timeout: 600_000 },
    async () => {
      expect(reviews.length).toBeGreaterThanOrEqual(4);
      const routes = Object.entries(ROUTE_CAPABILITIES)
        .filter(([key]) => key.startsWith('GET '))
        .map(([key, access]) => ({ route: key.slice(4), access }))
        .filter(({ route }) => OF_A_REVIEW.test(route) || OF_AN_ACTION.test(route));
      const cases: Case[] = [];
      const missing: string[] = [];
      for (const review of reviews)
        for (const { route, access } of routes)
          for (const who of people) {
            const url = await realUrl(route, review, who);
            if (!url) {
              missing.push(`${review.pseudonym} ${route} ${who.email}`);
              continue;
            }
            const expected = expectedOnReview(who, access, route, review);
            cases.push({ who, route, url, expected, refused: expected === 403 || expected === 404 });
          }
      const wrong = await run(cases);
      console.log(
        `${kind}: ${reviews.map((r) => `${r.pseudonym} (${r.stage}, ${r.status})`).join('; ')}; ${cases.length} cases, ${cases.filter((c) => c.expected === 200).length} allowed; ${missing.length} without such a record`,
      );
      expect(wrong).toEqual([]);
    },
  );

  it('answers every read outside a review as the policy says', { timeout: 600_000 }, async () => {
    const routes = Object.entries(ROUTE_CAPABILITIES)
      .filter(([key]) => key.startsWith('GET '))
      .map(([key, access]) => ({ route: key.slice(4), access }))
      .filter(
        ({ route, access }) =>
          access !== 'public' &&
          !OF_A_REVIEW.test(route) &&
          !OF_AN_ACTION.test(route) &&
          !route.includes('*'),
      );
    const cases: Case[] = [];
    const missing: string[] = [];
    for (const { route, access } of routes)
      for (const who of people) {
        const url = await elsewhereUrl(route);
        if (!url) {
          missing.push(route);
          continue;
        }
        const expected = expectedElsewhere(who, access, route);
        cases.push({ who, route, url, expected, refused: expected === 403 });
      }
    const wrong = await run(cases);
    console.log(
      `${kind}: ${cases.length} cases elsewhere; without a record: ${[...new Set(missing)].join(', ')}`,
    );
    expect(wrong).toEqual([]);
  });
});
