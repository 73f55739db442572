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

  it("shows a Line of Sight review the partnership's own target with its RAG", async () => {
    const [child6] = await rows<{ reference: string; decided_on: string }>(
      sql`select r.reference, s.decided_on::text from reviews r join screening_decisions s on s.review_id = r.id
          where r.pseudonym = 'Child 6'`,
    );
    await t.database.db.execute(sql`update partnerships set line_of_sight_target_weeks = 12`);
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
});
