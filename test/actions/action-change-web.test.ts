import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { reviewAtStage } from '../support/learning.ts';
import { actorOf, CHILD_2 } from './setup.ts';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** "Change details" of an action on the web: the coordinator's form, the refusals, the audit. */
describe.each(DATABASE_KINDS)("changing an action's details on its page (%s)", (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  let police: WebClient;
  let board: WebClient;
  let policeLeadId: string;
  let cscLeadId: string;
  let learning: { id: string; statement: string }[];
  let actionId: string;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    const users = await rows<{ id: string; email: string }>(t, sql`select id, email from users`);
    policeLeadId = users.find((u) => u.email === 'police.lead@demo.example')!.id;
    cscLeadId = users.find((u) => u.email === 'csc.lead@demo.example')!.id;
    learning = await rows(
      t,
      sql`select l.id, l.statement from learning_statements l join reviews r on r.id = l.review_id
          where r.reference = ${CHILD_2} order by l.position`,
    );
    expect(learning.length).toBeGreaterThanOrEqual(3);
    const added = await t.services.actions.add(await actorOf(t, 'coordinator@demo.example'), CHILD_2, {
      what: 'Record every child at the address on each domestic abuse report',
      owningAgency: 'police',
      leadUserId: policeLeadId,
      dueDate: '2030-03-31',
      successMeasure: '95% of reports in a dip-sample audit record the children',
      learning: [learning[0]!.id, learning[1]!.id],
    });
    actionId = added.id;
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    board = new WebClient(t.app);
    await board.signIn('board@demo.example');
  });
  afterAll(async () => t?.close());

  const action = async () =>
    (
      await rows<{
        what: string;
        due_date: string;
        lead_user_id: string;
        success_measure: string;
        code: string;
      }>(
        t,
        sql`select a.what, a.due_date::text as due_date, a.lead_user_id, a.success_measure, g.code
            from review_actions a join agencies g on g.id = a.owning_agency_id where a.id = ${actionId}`,
      )
    )[0]!;
  const linkedLearning = async () =>
    (
      await rows<{ statement_id: string }>(
        t,
        sql`select statement_id from action_learning_statements where action_id = ${actionId}`,
      )
    )
      .map((r) => r.statement_id)
      .sort();
  const audits = (action: string, outcome: string) =>
    rows<{ detail: { changed?: string[] } | null; user_id: string }>(
      t,
      sql`select detail, user_id from audit_events where action = ${action} and outcome = ${outcome}
          and subject_id = ${actionId} order by id`,
    );

  const refusedBeforeInput = async (route = 'POST /actions/:id/edit') =>
    (
      await rows<{ n: number }>(
        t,
        sql`select count(*)::int as n from audit_events where action = 'action.plan' and outcome = 'denied'
            and detail->>'route' = ${route}`,
      )
    )[0]!.n;

  const details = (over: Record<string, string | string[]> = {}) => ({
    what: 'Record every child at the address on each domestic abuse and crime report',
    owningAgency: 'csc',
    leadUserId: cscLeadId,
    'dueDate-day': '30',
    'dueDate-month': '6',
    'dueDate-year': '2030',
    successMeasure: '95% of reports in two dip-sample audits record the children',
    learning: [learning[1]!.id, learning[2]!.id],
    ...over,
  });

  it('offers "Change details" on the action page to the coordinator only', async () => {
    const link = (p: ReturnType<typeof page>) => p.$(`a[href="/actions/${actionId}/edit"]`);
    expect(link(page(await coordinator.get(`/actions/${actionId}`))).text()).toContain('Change details');
    expect(link(page(await police.get(`/actions/${actionId}`))).length).toBe(0);
    expect(link(page(await board.get(`/actions/${actionId}`))).length).toBe(0);
  });

  it('shows the form filled in from the action as it is', async () => {
    const res = await coordinator.get(`/actions/${actionId}/edit`);
    expect(res.statusCode).toBe(200);
    const p = page(res);
    expect(p.h1).toBe("Change the action's details");
    expect(p.$('#what').val()).toBe('Record every child at the address on each domestic abuse report');
    expect(p.$('#owningAgency option:selected').val()).toBe('police');
    expect(p.$('#leadUserId option:selected').val()).toBe(policeLeadId);
    expect([p.$('#dueDate-day').val(), p.$('#dueDate-month').val(), p.$('#dueDate-year').val()]).toEqual([
      '31',
      '3',
      '2030',
    ]);
    expect(p.$('#successMeasure').val()).toBe('95% of reports in a dip-sample audit record the children');
    const ticked = p
      .$('input[name="learning"]:checked')
      .map((_, i) => p.$(i).val())
      .get()
      .sort();
    expect(ticked).toEqual([learning[0]!.id, learning[1]!.id].sort());
    expect(p.$('form input[name="_csrf"]').val()).toBeTruthy();
    const viewed = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where action = 'action.view' and subject_id = ${actionId}
          and detail->>'page' = 'change'`,
    );
    expect(viewed[0]!.n).toBe(1);
  });

  it('refuses incomplete details with a GOV.UK error summary, keeps what was typed, and saves nothing', async () => {
    const before = await action();
    const token = await coordinator.csrfToken(`/actions/${actionId}/edit`);
    const res = await coordinator.post(
      `/actions/${actionId}/edit`,
      details({ what: '', successMeasure: '', 'dueDate-day': '31', 'dueDate-month': '2' }),
      token,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/actions/${actionId}/edit`);
    const p = page(await coordinator.follow(res));
    expect(p.errorSummary).toEqual([
      'Enter what will be done',
      'Enter the due date as a real date, with the day, month and year in numbers, for example 27 3 2026',
      'Enter the success measure: how you will know the action worked',
    ]);
    expect(p.$('title').text()).toMatch(/^Error: /);
    expect(p.$('#owningAgency option:selected').val()).toBe('csc');
    expect(p.$('#dueDate-month').val()).toBe('2');
    expect(await action()).toEqual(before);
  });

  it('refuses a lead from another agency, naming the agency', async () => {
    const token = await coordinator.csrfToken(`/actions/${actionId}/edit`);
    const p = page(
      await coordinator.follow(
        await coordinator.post(`/actions/${actionId}/edit`, details({ leadUserId: policeLeadId }), token),
      ),
    );
    expect(p.errorSummary).toEqual(["Select a named lead who works for Northshire Children's Social Care"]);
    expect((await action()).code).toBe('police');
  });

  it('changes the details and the learning, shows them, and records what changed', async () => {
    const token = await coordinator.csrfToken(`/actions/${actionId}/edit`);
    const res = await coordinator.post(`/actions/${actionId}/edit`, details(), token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/actions/${actionId}`);
    const p = page(await coordinator.follow(res));
    expect(p.banner).toBe('Action details changed');
    expect(p.h1).toBe('Record every child at the address on each domestic abuse and crime report');
    expect(p.$('.govuk-summary-list').text()).toContain("Northshire Children's Social Care");
    expect(p.$('.govuk-summary-list').text()).toContain('30 June 2030');
    expect(await action()).toEqual({
      what: 'Record every child at the address on each domestic abuse and crime report',
      due_date: '2030-06-30',
      lead_user_id: cscLeadId,
      success_measure: '95% of reports in two dip-sample audits record the children',
      code: 'csc',
    });
    expect(await linkedLearning()).toEqual([learning[1]!.id, learning[2]!.id].sort());
    const changes = await audits('action.change', 'success');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.detail?.changed).toEqual([
      'what',
      'owningAgency',
      'leadUserId',
      'dueDate',
      'successMeasure',
      'learning',
    ]);
  });

  it('clears the learning links when no box is ticked', async () => {
    const token = await coordinator.csrfToken(`/actions/${actionId}/edit`);
    const body: Record<string, string | string[]> = details();
    delete body.learning;
    const p = page(
      await coordinator.follow(await coordinator.post(`/actions/${actionId}/edit`, body, token)),
    );
    expect(p.banner).toBe('Action details changed');
    expect(await linkedLearning()).toEqual([]);
    expect(p.$('.govuk-summary-list').text()).toContain('None linked');
    const changes = await audits('action.change', 'success');
    expect(changes.at(-1)!.detail?.changed).toEqual(['learning']);
    const form = page(await coordinator.get(`/actions/${actionId}/edit`));
    expect(form.$('input[name="learning"]:checked').length).toBe(0);
  });

  it("refuses the owning agency's lead and a board member, on the page and the form, on record", async () => {
    const before = await action();
    const refusedBefore = (await audits('action.change', 'denied')).length;
    const plannedBefore = await refusedBeforeInput();
    const pageBefore = await refusedBeforeInput('GET /actions/:id/edit');
    for (const client of [police, board]) {
      const get = await client.get(`/actions/${actionId}/edit`);
      expect(get.statusCode).toBe(403);
      expect(get.body).toContain(
        'Only the review coordinator can add and change actions; assure, cancel or reopen them.',
      );
      const post = await client.post(
        `/actions/${actionId}/edit`,
        details({ what: 'Changed by someone else' }),
        await client.csrfToken(`/actions/${actionId}`),
      );
      expect(post.statusCode).toBe(403);
    }
    expect(await action()).toEqual(before);
    // The policy refuses the form's page before the action is read, and the form before its
    // input is read: one row each, and none from the action's own check, never reached.
    expect((await audits('action.change', 'denied')).length).toBe(refusedBefore);
    expect(await refusedBeforeInput('GET /actions/:id/edit')).toBe(pageBefore + 2);
    expect(await refusedBeforeInput()).toBe(plannedBefore + 2);
  });

  it('refuses, without the CSRF token, and says the session has expired', async () => {
    const res = await coordinator.post(`/actions/${actionId}/edit`, details(), 'not-the-token');
    expect(res.statusCode).toBe(403);
  });

  it('hides "Change details" and refuses the change once the plan may no longer change', async () => {
    await reviewAtStage(t, CHILD_2, 'closed');
    const p = page(await coordinator.get(`/actions/${actionId}`));
    expect(p.$(`a[href="/actions/${actionId}/edit"]`).length).toBe(0);
    expect((await coordinator.get(`/actions/${actionId}/edit`)).statusCode).toBe(409);
    const res = await coordinator.post(
      `/actions/${actionId}/edit`,
      details({ what: 'After closing' }),
      await coordinator.csrfToken('/reviews'),
    );
    expect(res.statusCode).toBe(303);
    const refused = await coordinator.follow(res);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The review is closed: nothing in it can change.');
    expect((await action()).what).not.toBe('After closing');
  });
});
