import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { formatDate } from '../../src/domain/calendar/format.ts';
import { addMonths, londonDate } from '../../src/domain/calendar/iso-date.ts';
import { workingDaysBefore } from '../../src/domain/calendar/working-days.ts';
import { deadlineRag } from '../../src/domain/lifecycle/deadlines.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/**
 * A rapid review's outcome makes a local child safeguarding practice review, with its six months to
 * publication and the report to the national panel; a partnership's own target shows on a Line of
 * Sight review like the statutory clocks, with its RAG.
 */
describe.each(DATABASE_KINDS)('review clocks (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  let ref: string;
  const today = londonDate(new Date());
  const [y, m, d] = today.split('-');
  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    ref = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Infant 8'`)
    )[0]!.reference;
  });
  afterAll(async () => t?.close());

  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;
  const outcome = {
    outcome: 'lcspr',
    decidedBy: 'national_panel',
    'outcomeDecidedOn-day': d!,
    'outcomeDecidedOn-month': m!,
    'outcomeDecidedOn-year': y!,
    rationale: 'The panel asked for a local review of the hospital discharge.',
  };

  it('refuses the outcome to anyone who does not move the review on, and an outcome without its reason', async () => {
    const lead = new WebClient(t.app);
    await lead.signIn('police.lead@demo.example');
    const token = await lead.csrfToken(`/reviews/${ref}`);
    expect((await lead.post(`/reviews/${ref}/rapid-review-outcome`, outcome, token)).statusCode).toBe(403);
    const missing = await coordinator.post(`/reviews/${ref}/rapid-review-outcome`, {
      ...outcome,
      rationale: '',
    });
    expect(page(await coordinator.follow(missing)).errorSummary).toEqual([
      'Enter the reason for the decision',
    ]);
    expect(
      (await rows<{ type: string }>(sql`select type from reviews where reference = ${ref}`))[0]!.type,
    ).toBe('rapid_review');
  });

  it('makes the rapid review an LCSPR with its six-month clock and the report to the panel', async () => {
    const res = await coordinator.post(`/reviews/${ref}/rapid-review-outcome`, outcome);
    expect(res.statusCode).toBe(303);
    const overview = page(await coordinator.follow(res));
    expect(overview.banner).toBe("The rapid review's outcome is recorded");
    const publish = addMonths(today, 6);
    const report = workingDaysBefore(publish, 7);
    const bar = overview.$('.moj-identity-bar').text();
    expect(bar).toContain('Local child safeguarding practice review');
    expect(bar).toContain(
      `Send the final report to the national panel and the Secretary of State due ${formatDate(report)}`,
    );
    const deadlines = overview
      .$('main ul.govuk-list > li strong:first-child')
      .map((_, s) => overview.$(s).text())
      .get();
    expect(deadlines).toEqual([
      'Send the final report to the national panel and the Secretary of State',
      'Publish the local child safeguarding practice review',
    ]);
    // The independent reviewer's appointment is now a required step of the terms of reference.
    expect(
      overview
        .$('main a.govuk-button')
        .map((_, a) => overview.$(a).text().trim())
        .get(),
    ).toEqual(['Set the period under review']);
    expect(
      overview
        .$('.govuk-task-list__item:contains("Appoint the independent reviewer") .govuk-task-list__status')
        .text()
        .trim(),
    ).toBe('Not yet started');
    const screening = page(await coordinator.get(`/reviews/${ref}/screening`));
    expect(screening.$('#rapid-review-outcome + dl').text()).toContain(
      'The Child Safeguarding Practice Review Panel',
    );
    expect(screening.$('input[name="outcome"][value="lcspr"]').attr('checked')).toBe('checked');
  });

  const targets = async () =>
    (
      await rows<{ los: number | null; sa: number | null }>(
        sql`select line_of_sight_target_weeks as los, single_agency_target_weeks as sa from partnerships`,
      )
    )[0];

  it("lets the administrator set the partnership's targets, refusing a number outside 1 to 52 by name", async () => {
    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const opened = await admin.get('/admin/review-targets');
    expect(opened.statusCode).toBe(200);
    const empty = page(opened);
    expect(empty.$('.moj-sub-navigation__link[aria-current="page"]').text().trim()).toBe('Review targets');
    expect(empty.$('#lineOfSightWeeks').val()).toBe('');
    expect(empty.$('#singleAgencyWeeks').val()).toBe('');

    const refused = page(
      await admin.follow(
        await admin.post('/admin/review-targets', { lineOfSightWeeks: '53', singleAgencyWeeks: 'twelve' }),
      ),
    );
    const message = (reviews: string) =>
      `Enter the target for ${reviews} as a whole number of weeks from 1 to 52, or leave it blank for no target`;
    expect(refused.errorSummary).toEqual([
      message('Line of Sight reviews'),
      message('single-agency reviews'),
    ]);
    expect(refused.$('.govuk-error-summary a').first().attr('href')).toBe('#lineOfSightWeeks');
    expect(refused.$('#singleAgencyWeeks').val()).toBe('twelve');
    expect(await targets()).toEqual({ los: null, sa: null });

    // Without the form's token nothing changes.
    expect(
      (await admin.post('/admin/review-targets', { lineOfSightWeeks: '12', _csrf: 'not-the-token' }))
        .statusCode,
    ).toBe(403);
    expect(await targets()).toEqual({ los: null, sa: null });

    const saved = await admin.post('/admin/review-targets', {
      lineOfSightWeeks: ' 12 ',
      singleAgencyWeeks: '',
    });
    expect(saved.statusCode).toBe(303);
    const after = page(await admin.follow(saved));
    expect(after.banner).toBe('Review targets saved');
    expect(after.$('#lineOfSightWeeks').val()).toBe('12');
    expect(after.$('#singleAgencyWeeks').val()).toBe('');
    expect(await targets()).toEqual({ los: 12, sa: null });
    const audited = await rows<{ detail: unknown }>(
      sql`select detail from audit_events where action = 'partnership.review-targets.change' and outcome = 'success'`,
    );
    expect(audited.map((a) => a.detail)).toEqual([
      {
        before: { lineOfSightWeeks: null, singleAgencyWeeks: null },
        after: { lineOfSightWeeks: 12, singleAgencyWeeks: null },
      },
    ]);

    // The coordinator may not open or send the page: refused by the policy, on record.
    const token = await coordinator.csrfToken(`/reviews/${ref}`);
    expect((await coordinator.get('/admin/review-targets')).statusCode).toBe(403);
    expect(
      (
        await coordinator.post(
          '/admin/review-targets',
          { lineOfSightWeeks: '1', singleAgencyWeeks: '1' },
          token,
        )
      ).statusCode,
    ).toBe(403);
    expect(await targets()).toEqual({ los: 12, sa: null });
  });

  it("shows a Line of Sight review the partnership's own target with its RAG", async () => {
    const [child6] = await rows<{ reference: string; decided_on: string }>(
      sql`select r.reference, s.decided_on::text from reviews r join screening_decisions s on s.review_id = r.id
          where r.pseudonym = 'Child 6'`,
    );
    // The target of 12 weeks the administrator set above.
    const overview = page(await coordinator.get(`/reviews/${child6!.reference}`));
    const target = overview.$('main ul.govuk-list > li:contains("partnership target")');
    const due = new Date(`${child6!.decided_on}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 84);
    expect(target.find('strong').first().text()).toBe('Briefing published (partnership target)');
    expect(target.text()).toContain(formatDate(due.toISOString().slice(0, 10)));
    const rag = deadlineRag({ due: due.toISOString().slice(0, 10) }, today);
    expect(target.find('.govuk-tag').text()).toBe(
      { red: 'Overdue', amber: 'Due soon', green: 'On track' }[rag],
    );
  });

  it('reads the targets over the API for everyone, and sets them for the administrator only', async () => {
    const tokenOf = async (email: string) => (await t.services.auth.createApiToken(email, 'targets')).token;
    const api = async (email: string, method: 'GET' | 'PUT', payload?: object) =>
      t.app.inject({
        method,
        url: '/api/v1/review-targets',
        headers: { authorization: `Bearer ${await tokenOf(email)}` },
        ...(payload ? { payload } : {}),
      });
    const read = await api('practitioner@demo.example', 'GET');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ lineOfSightWeeks: 12, singleAgencyWeeks: null });
    expect(
      (await api('coordinator@demo.example', 'PUT', { lineOfSightWeeks: 8, singleAgencyWeeks: 8 }))
        .statusCode,
    ).toBe(403);
    const bad = await api('admin@demo.example', 'PUT', { lineOfSightWeeks: 0, singleAgencyWeeks: null });
    expect(bad.statusCode).toBe(400);
    expect(
      Object.keys((bad.json() as { error: { details: { fields: object } } }).error.details.fields),
    ).toEqual(['lineOfSightWeeks']);
    expect(await targets()).toEqual({ los: 12, sa: null });
    const set = await api('admin@demo.example', 'PUT', { lineOfSightWeeks: 12, singleAgencyWeeks: 26 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ lineOfSightWeeks: 12, singleAgencyWeeks: 26 });
    expect(await targets()).toEqual({ los: 12, sa: 26 });
  });
});
