import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeDeadline, formatDate } from '../../src/domain/calendar/format.ts';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/**
 * The reviews list as people work it: the true next deadline of each review (agency returns while
 * they are gathered, never "None" while something waits), filters for overdue, my reviews, agency,
 * type and stage, and the soonest deadline first.
 */
describe.each(DATABASE_KINDS)('the reviews list (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  const today = londonDate(new Date());
  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;

  async function list(query = '') {
    const res = await coordinator.get(`/reviews${query}`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    return p
      .$('tbody tr')
      .map((_, tr) => {
        const cells = p.$(tr).find('td');
        return {
          ref: cells.eq(0).text().trim(),
          child: cells.eq(1).text().trim(),
          deadline: cells.eq(4).text().trim(),
        };
      })
      .get();
  }

  it("gives a review in information gathering its agency returns' due date as the next deadline", async () => {
    const [child6] = await rows<{ reference: string; due: string }>(
      sql`select v.reference, min(r.due_date)::text as due from reviews v join agency_requests r on r.review_id = v.id
          where v.pseudonym = 'Child 6' and r.status <> 'accepted' and r.withdrawn_at is null group by v.reference`,
    );
    const shown = (await list()).find((r) => r.child === 'Child 6');
    expect(shown?.deadline).toBe(
      `Agency returns due ${formatDate(child6!.due)} — ${describeDeadline(today, child6!.due)}`,
    );
    // And the identity bar of its hub says the same.
    const hub = page(await coordinator.get(`/reviews/${child6!.reference}`));
    expect(hub.$('.moj-identity-bar').text()).toContain(`Agency returns due ${formatDate(child6!.due)}`);
  });

  it('lists only overdue reviews, soonest deadline first, when asked', async () => {
    const overdue = await list('?overdue=yes&sort=deadline');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((r) => r.deadline.endsWith('overdue'))).toBe(true);
    expect(overdue.map((r) => r.child)).toContain('Child 6');
    const everything = await list('?sort=deadline');
    const dues = await rows<{ reference: string }>(sql`select reference from reviews`);
    expect(everything).toHaveLength(dues.length);
    // Reviews with a deadline come first, in date order; those with none last.
    const withDeadline = everything.filter((r) => r.deadline !== 'None');
    expect(everything.slice(0, withDeadline.length)).toEqual(withDeadline);
    expect(withDeadline.slice(0, overdue.length)).toEqual(overdue);
  });

  it('filters by agency, type, stage and "my reviews"', async () => {
    const gathering = await list('?stage=information_gathering');
    const inGathering = await rows<{ reference: string }>(
      sql`select reference from reviews where stage = 'information_gathering' order by created_at desc`,
    );
    expect(gathering.map((r) => r.ref)).toEqual(inGathering.map((r) => r.reference));
    const rapid = await list('?type=rapid_review');
    const rapidReviews = await rows<{ reference: string }>(
      sql`select reference from reviews where type = 'rapid_review' order by created_at desc`,
    );
    expect(rapid.map((r) => r.ref)).toEqual(rapidReviews.map((r) => r.reference));
    const hospital = await list('?agency=hospital');
    const withHospital = await rows<{ reference: string }>(
      sql`select v.reference from reviews v join review_agencies a on a.review_id = v.id join agencies g on g.id = a.agency_id
          where g.code = 'hospital' order by v.created_at desc`,
    );
    expect(hospital.map((r) => r.ref)).toEqual(withHospital.map((r) => r.reference));
    const mine = await list('?mine=yes');
    const memberOf = await rows<{ reference: string }>(
      sql`select v.reference from reviews v join review_members m on m.review_id = v.id join users u on u.id = m.user_id
          where u.email = 'coordinator@demo.example' order by v.created_at desc`,
    );
    expect(mine.map((r) => r.ref)).toEqual(memberOf.map((r) => r.reference));
    const form = page(await coordinator.get('/reviews?mine=yes&sort=deadline&agency=police'));
    expect(form.$('#mine').attr('checked')).toBe('checked');
    expect(form.$('#overdue').attr('checked')).toBeUndefined();
    expect(form.$('#sort option[selected]').text()).toBe('Next deadline, soonest first');
    expect(form.$('#agency option[selected]').text()).toBe('Northshire Police');
  });
});
