import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mayAttempt } from '../../src/domain/access/policy.ts';
import { isRole } from '../../src/domain/access/roles.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../../src/web/route-capabilities.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { WebClient } from '../support/client.ts';
import { DEMO_SIGN_INS } from '../support/demo-sign-ins.ts';

const PEOPLE = DEMO_SIGN_INS;
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every route is placed in the policy (route-capabilities.ts), and every change asks the policy
 * before it reads its input: someone who could not make it gets 403 (or, for a review they cannot
 * see, "no access" / 404), with one audit row, whatever the body held — never a form error that
 * would tell them what was wrong with their input.
 */
describe.each(DATABASE_KINDS)('the policy before the input (%s)', (kind) => {
  let t: TestApp;
  let routes: { method: string; url: string }[];
  beforeAll(async () => {
    t = await buildTestApp(kind);
    routes = t.routes.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method])
        .filter((m) => m !== 'HEAD')
        .map((method) => ({ method, url: r.url })),
    );
  });
  afterAll(async () => t?.close());
  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  const denied = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where outcome = 'denied'`))[0]!
      .n;

  it('places every route of the application in the policy, and no route that is not there', () => {
    const keys = routes.map((r) => routeKey(r.method, r.url));
    expect(keys.filter((k) => !(k in ROUTE_CAPABILITIES))).toEqual([]);
    expect(Object.keys(ROUTE_CAPABILITIES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it(
    'refuses a change to whoever could not make it, before reading its input, and records it',
    { timeout: 600_000 },
    async () => {
      const child7 = (
        await rows<{ reference: string; id: string }>(
          sql`select reference, id from reviews where pseudonym = 'Child 7'`,
        )
      )[0]!;
      const people = await rows<{ id: string; email: string; roles: string[]; agency_id: string | null }>(
        sql`select id, email, roles, agency_id from users where email in ${sql.raw(`(${PEOPLE.map((p) => `'${p}'`).join(',')})`)}`,
      );
      const members = new Set(
        (
          await rows<{ user_id: string }>(
            sql`select user_id from review_members where review_id = ${child7.id}`,
          )
        ).map((r) => r.user_id),
      );
      const seesAll = (roles: string[]) =>
        roles.some((r) => ['review_coordinator', 'partnership_admin', 'board_member'].includes(r));
      let checked = 0;
      for (const person of people) {
        const roles = person.roles.filter(isRole);
        const client = new WebClient(t.app);
        await client.signIn(person.email);
        const csrf = await client.csrfToken('/reviews');
        const token = (await t.services.auth.createApiToken(person.email, 'policy test')).token;
        for (const route of routes.filter((r) => CHANGES.has(r.method))) {
          const access = ROUTE_CAPABILITIES[routeKey(route.method, route.url)];
          if (!access || access === 'public' || access === 'signed-in') continue;
          const onReview = route.url.includes(':ref');
          const visible = !onReview || seesAll(roles) || members.has(person.id);
          const could =
            visible &&
            mayAttempt(
              { roles, agencyId: person.agency_id },
              access,
              onReview ? { isMember: members.has(person.id) } : {},
            );
          if (could) continue;
          const url = route.url
            .replace(':ref', child7.reference)
            .replace(':id', randomUUID())
            .replace(':userId', randomUUID())
            .replace(':index', '1')
            .replace(':key', 'x')
            .replace(':findingId', 'x');
          const before = await denied();
          const api = route.url.startsWith('/api/');
          const res = api
            ? await t.app.inject({
                method: route.method as 'POST',
                url,
                headers: { authorization: `Bearer ${token}` },
                payload: {},
              })
            : await client.post(url, {}, csrf);
          const where = `${person.email} ${route.method} ${route.url}`;
          expect(res.statusCode, where).toBe(api && !visible ? 404 : 403);
          expect((await denied()) - before, where).toBe(1);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(200);
    },
  );

  it('records a refused page once, whether the use case or the route refused it', async () => {
    const child7 = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Child 7'`)
    )[0]!;
    const practitioner = new WebClient(t.app);
    await practitioner.signIn('practitioner@demo.example');
    const board = new WebClient(t.app);
    await board.signIn('board@demo.example');
    const pages: [WebClient, string][] = [
      [practitioner, '/admin/audit'],
      [practitioner, '/admin/api-tokens'],
      [practitioner, '/admin/users'],
      [board, `/reviews/${child7.reference}/referral/identifiable-details`],
    ];
    for (const [client, url] of pages) {
      const before = await denied();
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(403);
      expect((await denied()) - before, url).toBe(1);
    }
  });
});
