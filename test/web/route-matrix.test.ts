import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { can, granted, mayAttempt, type Capability, type Person } from '../../src/domain/access/policy.ts';
import { isRole } from '../../src/domain/access/roles.ts';
import type { ReviewStatus, Stage } from '../../src/domain/lifecycle/stages.ts';
import { ROUTE_CAPABILITIES, type RouteAccess } from '../../src/web/route-capabilities.ts';
import {
  briefingMove,
  isEditableState,
  type BriefingMove,
  type BriefingState,
} from '../../src/domain/briefing/states.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DASHBOARD_FIGURES } from '../../src/schemas/dashboard.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { DEMO_SIGN_INS } from '../support/demo-sign-ins.ts';

/**
 * The route × role × stage matrix, generated: every page and API read of the route table
 * (route-capabilities.ts), as each demonstration sign-in, on one review of each stage the
 * demonstration holds, with every :id filled with a real record of that review. The expected
 * answer is the policy's (can, granted, mayAttempt of src/domain/access/policy.ts), never retyped:
 * exactly 200 for the allowed, exactly 403 (the web) or 404 (the API, for a review the person
 * cannot see) for the refused, one `denied` audit row for each refusal and none for the allowed.
 * Changes (every POST, PUT, PATCH and DELETE of the table) are sent empty as each person who may
 * attempt them: the answer follows from the policy and the route's declared validation (below);
 * their refusals by role are the policy-before-input walk's (route-capabilities.test.ts).
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
/** Changes: every POST, PUT, PATCH and DELETE of the route table. */
const CHANGE = /^(POST|PUT|PATCH|DELETE) /;
/**
 * Changes whose empty submission is a complete action: a button with no field (remove, submit,
 * publish, retire, cancel, …) or a form or body whose every field may be left blank (notes
 * cleared, no attendance ticked, no review targets, a partial update). Sent empty, each is done
 * and audited, or refused by its record's state (a published briefing cannot be sent for
 * approval) with the reason and nothing written. Every other change sent empty is refused for its
 * input (the form's errors, or the API's 400) with nothing written. These run after the rest, as
 * they change the demonstration's records.
 */
const ACTS_WITHOUT_INPUT = new Set([
  '/reviews/:ref/summary',
  '/reviews/:ref/members/:userId/remove',
  '/reviews/:ref/lines-of-enquiry/:id/remove',
  '/reviews/:ref/requests/accept',
  '/reviews/:ref/requests/:id/accept',
  '/reviews/:ref/requests/:id/chase',
  '/reviews/:ref/requests/:id/reissue',
  '/reviews/:ref/return/submit',
  '/reviews/:ref/return/self-analysis/:id',
  '/reviews/:ref/signals/:key/line-of-enquiry',
  '/reviews/:ref/return/entries/:id/remove',
  '/reviews/:ref/event/attendance',
  '/reviews/:ref/event/attendees/:id/remove',
  '/reviews/:ref/event/invitations',
  '/reviews/:ref/event/notes',
  '/reviews/:ref/episodes/:id/remove',
  '/reviews/:ref/learning/:id/remove',
  '/reviews/:ref/briefing/generate',
  '/reviews/:ref/briefing/sections/:index/remove',
  '/reviews/:ref/briefing/submit',
  '/reviews/:ref/briefing/check',
  '/reviews/:ref/briefing/approve',
  '/reviews/:ref/briefing/publish',
  '/reviews/:ref/briefing/return',
  '/library/:id/read',
  '/library/:id/edit',
  '/library/import/drafts/:id/publish',
  '/library/import/drafts/:id/discard',
  '/front-door/imports/:id/cancel',
  '/admin/review-targets',
  '/admin/sign-in',
  '/admin/themes/:id/retire',
  '/admin/themes/:id/restore',
  '/admin/resources/:id/remove',
  '/admin/logo/remove',
  '/admin/api-tokens/:id/revoke',
  '/admin/retention/holds/:ref/release',
  '/admin/users/:id/enable',
  '/admin/users/:id/disable',
  '/admin/users/:id/end-sessions',
  '/admin/users/:id/reset-authenticator',
  'PUT /api/v1/reviews/:ref/summary',
  'DELETE /api/v1/reviews/:ref/lines-of-enquiry/:id',
  'POST /api/v1/reviews/:ref/briefing/submit',
  'POST /api/v1/reviews/:ref/briefing/check',
  'POST /api/v1/reviews/:ref/briefing/approve',
  'POST /api/v1/reviews/:ref/briefing/publish',
  'POST /api/v1/reviews/:ref/briefing/return',
  'PUT /api/v1/signal-thresholds',
  'PUT /api/v1/library/:id/details',
  'POST /api/v1/library/drafts/:id/publish',
  'POST /api/v1/monitoring/imports/:id/cancel',
]);
/**
 * Bodies that are a file, not JSON: the route reads only its declared type, and refuses a JSON
 * body as unsupported (415) before anything else. (An empty file of that type would start a load.)
 */
const FILE_BODIES: Record<string, string> = { 'POST /api/v1/monitoring/imports': 'text/csv' };
/** A monitoring load can be cancelled while it waits or runs; one that has ended cannot. */
const LOAD_UNDER_WAY = new Set(['queued', 'loading']);
/** The briefing's buttons whose answer its version's state decides (src/domain/briefing/states.ts). */
const BRIEFING_MOVES = /\/briefing\/(submit|approve|publish|return|check)$/;
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
  /** The state of the briefing's latest version, when it has one. */
  briefingState: BriefingState | null;
  /** The agencies asked for a return (a request not withdrawn). */
  askedAgencies: Set<string>;
  /** The agencies whose return is submitted: it takes no new entries (amended one at a time). */
  submittedAgencies: Set<string>;
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
    await t.services.reviews.changeStatus(
      actorFor(coordinatorUser, 'route matrix'),
      'LOS-2023-001',
      'pause',
      {
        reason: 'Paused for the route matrix',
      },
    );
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
      const [latest] = await rows<{ state: BriefingState }>(
        sql`select v.state from briefing_versions v join briefings b on b.id = v.briefing_id
            where b.review_id = ${r.id} order by v.version desc limit 1`,
      );
      const asked = await rows<{ agency_id: string }>(
        sql`select agency_id from agency_requests where review_id = ${r.id} and withdrawn_at is null`,
      );
      const submitted = await rows<{ agency_id: string }>(
        sql`select agency_id from agency_requests
            where review_id = ${r.id} and withdrawn_at is null and submitted_at is not null`,
      );
      reviews.push({
        ...r,
        members: new Set(members.map((m) => m.user_id)),
        hasBriefing: briefing.length > 0,
        briefingState: latest?.state ?? null,
        askedAgencies: new Set(asked.map((a) => a.agency_id)),
        submittedAgencies: new Set(submitted.map((a) => a.agency_id)),
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
    if (route.includes('/members/:userId')) {
      // A member who is none of the sign-ins: removing them changes no one's access in the matrix.
      const userId = await one(
        sql`select user_id as id from review_members where review_id = ${review.id}
            and user_id not in ${sql.raw(`(${people.map((p) => `'${p.id}'`).join(',')})`)} limit 1`,
      );
      return userId ? url.replace(':userId', userId) : null;
    }
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
    else if (route.includes('/event/attendees/:id'))
      id = await one(sql`select id from event_attendees where review_id = ${review.id} limit 1`);
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
    else if (route.startsWith('/library/:id') || route.startsWith('/api/v1/library/:id'))
      id = await one(sql`select briefing_id as id from briefing_versions where state = 'published' limit 1`);
    else if (route.startsWith('/admin/themes/'))
      id = await one(sql`select id from learning_themes order by id limit 1`);
    else if (/^\/admin\/users\/:id\/./.test(route))
      // A change to a person: someone who is none of the sign-ins, so every sign-in keeps working.
      id =
        await one(sql`select id from users where email not in ${sql.raw(`(${PEOPLE.map((e) => `'${e}'`).join(',')})`)}
                         order by email limit 1`);
    else if (route.startsWith('/admin/users/'))
      id = await one(sql`select id from users where email = 'practitioner@demo.example'`);
    else if (route.startsWith('/admin/resources/'))
      id = await one(sql`select id from resource_links order by id limit 1`);
    else if (route.startsWith('/admin/sign-in/providers/'))
      id = await one(sql`select id from identity_providers limit 1`);
    else if (route.startsWith('/admin/api-tokens/'))
      id = await one(sql`select id from api_tokens where name <> 'route matrix' limit 1`);
    else if (route.startsWith('/admin/retention/holds/'))
      id = await one(
        sql`select r.reference as id from legal_holds h join reviews r on r.id = h.review_id limit 1`,
      );
    else if (/^\/(api\/v1\/)?audits\/:id/.test(route))
      id = await one(sql`select id from practice_audits limit 1`);
    else if (route.includes(':figure')) id = DASHBOARD_FIGURES[0];
    else if (route.startsWith('/front-door/imports/') || route.startsWith('/api/v1/monitoring/imports/'))
      id = await one(sql`select id from monitoring_imports order by id limit 1`);
    else if (route.startsWith('/front-door/children/'))
      id = await one(sql`select child_key as id from monitored_children limit 1`);
    const filled = id
      ? route.replace(/:(id|figure|key|ref)/, id).replace('download.:format', 'download.pdf')
      : null;
    const url = filled && !filled.includes(':') ? filled : null;
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

  /** What an empty change should come to, and why. */
  interface Change {
    who: Someone;
    method: string;
    route: string;
    /** Found when the case runs: a change made earlier may have removed the record. */
    url: () => Promise<string | null>;
    api: boolean;
    expected: number;
    /**
     * `refused` by the policy (one `denied` row); `stage`: the part is not open in this stage (the
     * policy's words on the page, nothing written); `invalid`: the empty input is refused with its
     * errors, nothing written; `acts`: an empty submission is the whole action.
     */
    outcome: 'refused' | 'stage' | 'invalid' | 'acts';
    /** The policy's words for a stage, or the record's state's for a refused action. */
    message?: string;
    /** For `acts`: whether the record's state lets it be done (undefined: either, consistently). */
    done?: boolean;
    /** For the API's `invalid`: the fields its declared body schema requires. */
    fields?: string[];
  }

  /** The body schema a route of the API declares (zod): what an empty body lacks. */
  function missingFields(method: string, route: string): string[] {
    const options = t.routes.find((r) => r.url === route && [r.method].flat().includes(method));
    const body = (options?.schema as { body?: { safeParse?: (v: unknown) => unknown } } | undefined)?.body;
    if (!body?.safeParse) return [];
    const parsed = body.safeParse({}) as { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };
    return parsed.success
      ? []
      : [...new Set(parsed.error!.issues.map((i) => i.path.map(String).join('.') || '_'))];
  }

  /** Whether the record's own state lets an action be done now, where it decides the answer. */
  function stateAllows(
    who: Someone,
    access: Capability,
    route: string,
    review: Review | null,
    loadStatus: string | null,
  ): { ok: boolean; reason?: string } | null {
    if (route.endsWith('/imports/:id/cancel'))
      return { ok: Boolean(loadStatus && LOAD_UNDER_WAY.has(loadStatus)) };
    // The API's whole-chronology upload: a submitted return takes no new entries.
    if (route.endsWith('/chronology') && access === 'return.write')
      return who.agencyId && review?.submittedAgencies.has(who.agencyId) ? { ok: false } : null;
    const move = BRIEFING_MOVES.exec(route)?.[1];
    if (!move || !review?.briefingState) return null;
    if (move === 'check') return { ok: isEditableState(review.briefingState) };
    const next = briefingMove(review.briefingState, move as BriefingMove);
    return next.ok ? { ok: true } : { ok: false, reason: next.reason };
  }

  /** The answer to an empty change, from the policy and the route's declared validation. */
  function expectedChange(
    who: Someone,
    access: Capability,
    method: string,
    route: string,
    review: Review | null,
    loadStatus: string | null = null,
  ): Omit<Change, 'who' | 'method' | 'route' | 'url' | 'api'> {
    const api = route.startsWith('/api/');
    if (review) {
      const read = expectedOnReview(who, access, route, review);
      if (read === 403 || read === 404) return { expected: read, outcome: 'refused' };
    }
    const decision = review
      ? can(who, access, {
          isMember: review.members.has(who.id),
          agencyId: who.agencyId ?? null,
          review: { stage: review.stage, status: review.status },
        })
      : ({ allowed: true } as const);
    const fields = api ? missingFields(method, route) : [];
    // The API checks a body against the route's schema before the use case runs, in any stage.
    if (fields.length) return { expected: 400, outcome: 'invalid', fields };
    if (!decision.allowed) return { expected: api ? 409 : 303, outcome: 'stage', message: decision.message };
    const stateSays = stateAllows(who, access, route, review, loadStatus);
    const acts = ACTS_WITHOUT_INPUT.has(api ? `${method} ${route}` : route);
    if (api && FILE_BODIES[`${method} ${route}`]) return { expected: 415, outcome: 'invalid', fields: [] };
    if (api && !acts)
      return stateSays && !stateSays.ok
        ? { expected: 409, outcome: 'acts', done: false }
        : { expected: 400, outcome: 'invalid', fields: [] };
    if (api)
      return stateSays && !stateSays.ok
        ? { expected: 409, outcome: 'acts', done: false, message: stateSays.reason }
        : // Done: 204 for a removal, 200 with the record otherwise.
          { expected: method === 'DELETE' ? 204 : 200, outcome: 'acts', done: true };
    if (!acts) return { expected: 303, outcome: 'invalid' };
    return stateSays
      ? {
          expected: 303,
          outcome: 'acts',
          done: stateSays.ok,
          message: stateSays.ok ? undefined : stateSays.reason,
        }
      : { expected: 303, outcome: 'acts' };
  }

  const csrf = new Map<string, string>();
  const auditCounts = async () =>
    (
      await rows<{ n: number; denied: number }>(
        sql`select count(*)::int as n, (count(*) filter (where outcome = 'denied'))::int as denied from audit_events`,
      )
    )[0]!;

  /** Sends each change empty; what it answered, against what the policy and the route say. */
  async function runChanges(cases: Change[], missing: string[], sent: Change[]) {
    const wrong: string[] = [];
    for (const c of cases) {
      const url = await c.url();
      if (!url) {
        missing.push(`${c.method} ${c.route}`);
        continue;
      }
      sent.push(c);
      if (!csrf.has(c.who.email)) csrf.set(c.who.email, await c.who.client.csrfToken('/account'));
      const before = await auditCounts();
      const res = c.api
        ? await t.app.inject({
            method: c.method as 'POST',
            url,
            headers: { authorization: `Bearer ${c.who.token}` },
            payload: {},
          })
        : await c.who.client.post(url, {}, csrf.get(c.who.email));
      const after = await auditCounts();
      const denied = after.denied - before.denied;
      const written = after.n - before.n - denied;
      const problems: string[] = [];
      if (res.statusCode !== c.expected)
        problems.push(`answered ${res.statusCode}, the policy says ${c.expected}`);
      if (denied !== (c.outcome === 'refused' ? 1 : 0)) problems.push(`${denied} denied rows`);
      if (c.outcome !== 'refused' && res.statusCode === c.expected) {
        // What the answer says: the page a form leads to, or the API's JSON.
        const shown = c.api ? '' : await c.who.client.get(res.headers.location as string);
        const errors = typeof shown === 'string' ? [] : page(shown).errorSummary;
        const text = typeof shown === 'string' ? res.body : page(shown).$('main').text();
        const json = c.api
          ? (JSON.parse(res.body || '{}') as {
              error?: { message?: string; details?: { fields?: Record<string, string> } };
            })
          : {};
        if (c.outcome === 'stage' || c.outcome === 'invalid') {
          if (written) problems.push(`${written} audit rows written by a change that was refused`);
          // A form with fields may be refused for its input before the review is read (its use
          // case parses first): then it shows its errors. A button has no input: the policy's words.
          const inputFirst = !c.api && !ACTS_WITHOUT_INPUT.has(c.route) && errors.length > 0;
          if (
            c.outcome === 'stage' &&
            !inputFirst &&
            !(c.api ? json.error?.message === c.message : text.includes(c.message!))
          )
            problems.push(`does not say "${c.message}"`);
          if (c.outcome === 'invalid' && c.api) {
            const named = Object.keys(json.error?.details?.fields ?? {});
            const unnamed = c.fields!.filter((f) => !named.includes(f));
            if (unnamed.length) problems.push(`does not name ${unnamed.join(', ')}`);
          }
          if (c.outcome === 'invalid' && !c.api && !errors.length) problems.push('shows no error');
        } else {
          // Done is audited; refused (errors shown, or the state known to refuse it) writes nothing.
          const done = c.api ? res.statusCode < 300 : c.done === false ? false : !errors.length;
          if (c.done !== undefined && done !== c.done) problems.push(c.done ? 'was not done' : 'was done');
          if (done && !written) problems.push('was done without an audit row');
          if (!done && written) problems.push(`${written} audit rows written by a change that was refused`);
          if (!done && c.message && !(c.api ? json.error?.message : errors.join(' '))?.includes(c.message))
            problems.push(`does not say "${c.message}"`);
        }
      }
      if (problems.length)
        wrong.push(`${c.who.email} ${c.method} ${url} (${c.route}): ${problems.join('; ')}`);
    }
    return wrong;
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

  it(
    'answers every change sent empty by someone who may make it as the policy and the route say',
    { timeout: 900_000 },
    async () => {
      const changes = Object.entries(ROUTE_CAPABILITIES)
        .filter(([key, access]) => CHANGE.test(key) && access !== 'public' && access !== 'signed-in')
        .map(([key, access]) => ({
          method: key.split(' ')[0]!,
          route: key.slice(key.indexOf(' ') + 1),
          access: access as Capability,
        }));
      const [load] = await rows<{ status: string }>(
        sql`select status from monitoring_imports order by id limit 1`,
      );
      const loadStatus = load?.status ?? null;
      const cases: Change[] = [];
      for (const { method, route, access } of changes) {
        const api = route.startsWith('/api/');
        if (OF_A_REVIEW.test(route) || OF_AN_ACTION.test(route)) {
          for (const review of reviews)
            for (const who of people) {
              const isMember = review.members.has(who.id);
              // Whoever could not make it at all is the policy-before-input walk's.
              if (!granted(who, 'review.read', { isMember }) || !mayAttempt(who, access, { isMember }))
                continue;
              const url = () => findUrl(route, review, who);
              cases.push({
                who,
                method,
                route,
                url,
                api,
                ...expectedChange(who, access, method, route, review),
              });
            }
        } else
          for (const who of people) {
            if (!mayAttempt(who, access)) continue;
            const url = async () => {
              found.delete(route);
              return elsewhereUrl(route);
            };
            cases.push({
              who,
              method,
              route,
              url,
              api,
              ...expectedChange(who, access, method, route, null, loadStatus),
            });
          }
      }
      // Refusals and empty forms first: they change nothing. Then the actions, which may; a
      // person's own access (their membership, their account) last of all.
      const last = (c: Change) =>
        c.outcome !== 'acts' ? 0 : /\/members\/|\/admin\/users\/|\/api-tokens\//.test(c.route) ? 2 : 1;
      cases.sort((a, b) => last(a) - last(b));
      const missing: string[] = [];
      const sent: Change[] = [];
      const wrong = await runChanges(cases, missing, sent);
      const count = (o: Change['outcome']) => sent.filter((c) => c.outcome === o).length;
      console.log(
        `${kind}: ${sent.length} changes sent empty (${count('invalid')} refused for their input, ${count('stage')} for the stage, ${count('acts')} actions, ${count('refused')} refused by the policy); ${missing.length} without such a record: ${[...new Set(missing)].join(', ')}`,
      );
      expect(wrong).toEqual([]);
    },
  );
});
