import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { count, reviewAtStage } from '../support/learning.ts';
import { actorOf } from '../chronology/setup.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';

const CHILD_2 = 'LOS-2021-002';
const CHILD_3 = 'LOS-2022-001';
const CHILD_4 = 'LOS-2023-001';
const CHILD_5 = 'LOS-2024-001';
const NEGLECT_BRIEFING = 'Learning summary: neglect and the voice of the child';
const POLICE_AUDIT =
  'Northshire Police audit, “Were the children in the household recorded on the crime report?”: 62% (31 of 50) on 30 July 2021, 96% (48 of 50) on 30 November 2021';
const HOME_VISIT_AUDIT =
  "Northshire Children's Social Care audit, “Did the practitioner check who lives in the household at the home visit?”: 93% (37 of 40) on 30 November 2022, 73% (29 of 40) on 30 November 2023, 60% (24 of 40) on 29 November 2024";

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Recurrence where it matters: on a review's learning (where each theme was learned before, and
 * the repeat-learning warning when earlier actions on it were completed or assured before this
 * review was referred) and over the API. The demo's history (src/demo/past-reviews.ts): Child 2
 * (2021), whose police action on the voice of the child was assured after two audit rounds;
 * Child 3 (2022), whose curiosity training was assured and whose assessment change on the voice of
 * the child completed; Child 4 (2023); Child 5 (2024), its neglect action still in progress; and
 * briefings of two neighbouring partnerships. Child 7 is referred this year.
 */
describe.each(DATABASE_KINDS)('recurrence of learning across reviews (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let at: Date | null = null;
  let child7: string;
  let coordinator: Actor;
  let web: WebClient;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => at ?? new Date() });
    child7 = (
      await rows<{ reference: string }>(t, sql`select reference from reviews where pseudonym = 'Child 7'`)
    )[0]!.reference;
    await reviewAtStage(t, child7, 'event');
    coordinator = await actorOf(t, 'coordinator@demo.example');
    web = new WebClient(t.app);
    await web.signIn('coordinator@demo.example');
    token = (await t.services.auth.createApiToken('board@demo.example', 'recurrence')).token;
  }, 180_000);
  afterAll(async () => t?.close());

  const learningCard = async (statement: string) => {
    const p = page(await web.get(`/reviews/${child7}/learning`));
    const card = p.$('.govuk-summary-card').filter((_, c) => p.$(c).text().includes(statement));
    expect(card.length).toBe(1);
    const before = card
      .find('.govuk-summary-list__row')
      .filter((_, r) => p.$(r).text().includes('Learned before'));
    const warnings = card.nextUntil('.govuk-summary-card, form').filter('.app-repeat-warning');
    return {
      before: before.find('.govuk-summary-list__value').text().replace(/\s+/g, ' ').trim(),
      links: before
        .find('a')
        .map((_, a) => [[p.$(a).text(), p.$(a).attr('href')]])
        .get() as [string, string][],
      warnings: warnings
        .map((_, w) => [
          p
            .$(w)
            .find('li')
            .map((_, li) => p.$(li).text().replace(/\s+/g, ' ').trim())
            .get(),
        ])
        .get() as string[][],
      warningLinks: warnings
        .find('a')
        .map((_, a) => p.$(a).attr('href'))
        .get(),
    };
  };

  it('says where learning was learned before, and warns when earlier actions on it were completed or assured', async () => {
    await t.services.learning.add(coordinator, child7, {
      statement: 'Ask what daily life is like for each child in the household (recurrence test)',
      themes: ['voice-of-the-child'],
    });
    await t.services.learning.add(coordinator, child7, {
      statement: 'Neglect of a toddler’s teeth was not followed up (recurrence test)',
      themes: ['neglect'],
    });

    const voice = await learningCard('daily life is like');
    expect(voice.before).toBe(
      `Voice and lived experience of the child. This learning appeared in 3 other reviews and 1 library briefing since 2021: ${CHILD_2}, ${CHILD_3}, ${CHILD_5}, ${NEGLECT_BRIEFING}`,
    );
    expect(voice.links.slice(0, 3)).toEqual([
      [CHILD_2, `/reviews/${CHILD_2}/learning`],
      [CHILD_3, `/reviews/${CHILD_3}/learning`],
      [CHILD_5, `/reviews/${CHILD_5}/learning`],
    ]);
    expect(voice.links[3]![1]).toMatch(/^\/library\/[0-9a-f-]{36}$/);
    const action = async (reference: string, number: number) =>
      (
        await rows<{ id: string; what: string }>(
          t,
          sql`select a.id, a.what from review_actions a join reviews r on r.id = a.review_id where r.reference = ${reference} and a.number = ${number}`,
        )
      )[0]!;
    const police = await action(CHILD_2, 1);
    const assessment = await action(CHILD_3, 2);
    // The actions done before Child 7 was referred, in the order they were done, with their audits.
    expect(voice.warnings).toEqual([
      [
        `${CHILD_2} action A1: ${police.what} (completed on 30 November 2021, since assured). ${POLICE_AUDIT}.`,
        `${CHILD_3} action A2: ${assessment.what} (completed on 20 October 2022). No audit evidences it.`,
      ],
    ]);
    const [audit] = await rows<{ id: string }>(
      t,
      sql`select id from practice_audits where question like 'Were the children%'`,
    );
    expect(voice.warningLinks).toEqual([
      `/actions/${police.id}`,
      `/audits/${audit!.id}`,
      `/actions/${assessment.id}`,
    ]);

    // Child 5's action on neglect is still in progress: learned before, but no warning.
    const neglect = await learningCard('teeth');
    expect(neglect.before).toBe(
      `Neglect. This learning appeared in 1 other review and 1 library briefing since 2024: ${CHILD_5}, ${NEGLECT_BRIEFING}`,
    );
    expect(neglect.warnings).toEqual([]);

    // The form says it under each theme, before the learning is written.
    const form = page(await web.get(`/reviews/${child7}/learning/new`));
    const hint = (key: string) =>
      form.$(`input[value="${key}"]`).closest('.govuk-checkboxes__item').find('.govuk-hint').text().trim();
    expect(hint('voice-of-the-child')).toBe(
      'This learning appeared in 3 other reviews and 1 library briefing since 2021. 2 earlier actions on it were completed or assured.',
    );
    expect(hint('professional-curiosity')).toBe(
      'This learning appeared in 4 other reviews and 2 library briefings since 2021. 1 earlier action on it was completed or assured.',
    );
    expect(hint('critical-challenge')).toBe('This learning appeared in 1 other review since 2021.');
    expect(hint('parental-mental-health-substance-use')).toBe('');
  });

  it('warns only of actions completed or assured before the review was referred', async () => {
    await t.services.learning.add(coordinator, child7, {
      statement: 'Be curious about who else lives in the home (recurrence test)',
      themes: ['professional-curiosity'],
    });
    const options = (await t.services.actions.plan(coordinator, CHILD_2)).learningOptions;
    const curiosity = options
      .filter((l) => l.statement.startsWith('Professional curiosity'))
      .map((l) => l.id);
    expect(curiosity).toHaveLength(1);
    const add = (what: string) =>
      t.services.actions.add(coordinator, CHILD_2, {
        what,
        owningAgency: 'partnership',
        leadUserId: coordinator.userId,
        dueDate: '2027-01-31',
        successMeasure: 'Seen in the audit of supervision records',
        learning: curiosity,
      });
    const early = await add('Train every team in professional curiosity (done before Child 7)');
    const late = await add('Add curiosity to supervision records (done after Child 7 was referred)');

    const training = `${CHILD_3} action A1: Multi-agency training in professional curiosity for every front-line team (completed on 15 November 2022, since assured). ${HOME_VISIT_AUDIT}.`;
    // In progress: nothing more to warn of than the demo's assured training.
    await t.services.actions.update(coordinator, early.id, { status: 'in_progress', note: 'Started.' });
    expect((await learningCard('who else lives')).warnings).toEqual([[training]]);

    // Completed before Child 7 was referred: a repeat. Completed after it: not (the case came first).
    at = new Date('2025-06-02T10:00:00Z');
    await t.services.actions.update(coordinator, early.id, {
      status: 'completed',
      note: 'Every team trained.',
      evidenceText: 'Training register.',
    });
    at = null;
    await t.services.actions.update(coordinator, late.id, {
      status: 'completed',
      note: 'Done.',
      evidenceText: 'Supervision template.',
    });
    const card = await learningCard('who else lives');
    expect(card.warnings).toEqual([
      [
        training,
        `${CHILD_2} action A${early.number}: Train every team in professional curiosity (done before Child 7) (completed on 2 June 2025). No audit evidences it.`,
      ],
    ]);
  });

  it('answers GET /api/v1/themes/recurrence with each theme, its reviews and briefings, and repeats after action', async () => {
    const api = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const res = await api('/api/v1/themes/recurrence?since=2021-01-01');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const themes = await count(
      t,
      sql`select count(*)::int as n from learning_themes where retired_at is null`,
    );
    expect(body.total).toBe(themes);
    expect(body.items).toHaveLength(themes);
    const voice = body.items.find((i: { theme: string }) => i.theme === 'voice-of-the-child');
    expect(voice).toMatchObject({
      name: 'Voice and lived experience of the child',
      reviews: [CHILD_2, CHILD_3, CHILD_5, child7],
      count: 5,
      repeatAfterAction: true,
    });
    expect(voice.briefings.map((b: { title: string; date: string }) => [b.title, b.date])).toEqual([
      [NEGLECT_BRIEFING, '2024-01-01'],
    ]);
    const [referred] = await rows<{ d: string }>(
      t,
      sql`select f.referred_on::text as d from referrals f join reviews r on r.id = f.review_id where r.reference = ${CHILD_2}`,
    );
    expect(voice.first).toBe(referred!.d);
    const after = (review: string, action: string, status: string, doneOn: string) => ({
      review,
      action,
      actionId: expect.any(String),
      status,
      doneOn,
    });
    expect(voice.repeats.map((r: { review: string }) => r.review)).toEqual([CHILD_3, CHILD_5, child7]);
    expect(voice.repeats.at(-1)).toEqual({
      review: child7,
      referredOn: voice.last,
      actionsBefore: 2,
      after: [after(CHILD_2, 'A1', 'assured', '2021-11-30'), after(CHILD_3, 'A2', 'completed', '2022-10-20')],
    });
    const curiosity = body.items.find((i: { theme: string }) => i.theme === 'professional-curiosity');
    expect(curiosity.reviews).toEqual([CHILD_2, CHILD_3, CHILD_4, CHILD_5, child7]);
    expect(curiosity.repeats.map((r: { review: string }) => r.review)).toEqual([CHILD_4, CHILD_5, child7]);
    const neglect = body.items.find((i: { theme: string }) => i.theme === 'neglect');
    expect([neglect.reviews, neglect.count, neglect.repeatAfterAction]).toEqual([
      [CHILD_5, child7],
      3,
      false,
    ]);
    // Most frequent first.
    const counts = body.items.map((i: { count: number }) => i.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));

    // `since` after everything: every theme with nothing.
    const later = (await api('/api/v1/themes/recurrence?since=2099-01-01')).json();
    expect(later.items.every((i: { count: number }) => i.count === 0)).toBe(true);

    const bad = await api('/api/v1/themes/recurrence?since=2021-13-01');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('Enter the date as YYYY-MM-DD');
    expect(
      await count(
        t,
        sql`select count(*)::int as n from audit_events where action = 'themes.recurrence.view' and outcome = 'success'`,
      ),
    ).toBe(2);
  });
});
