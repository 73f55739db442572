import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CHILD_2_PROGRESS } from '../../src/demo/child-2-actions.ts';
import { ForbiddenError } from '../../src/services/errors.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, CHILD_2 } from './setup.ts';

describe.each(DATABASE_KINDS)('actions, audits and progress through the API and services (%s)', (kind) => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const api = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      payload: payload as never,
      headers: { authorization: `Bearer ${tokens.get(who)}` },
    });

  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const who of ['coordinator', 'police.lead', 'hv.lead', 'csc.lead', 'board', 'practitioner'])
      tokens.set(who, (await t.services.auth.createApiToken(`${who}@demo.example`, 'actions test')).token);
  });
  afterAll(async () => t?.close());

  it("shows Child 2's action plan from the demonstration, with RAG, evidence and the audit", async () => {
    const res = await api('coordinator', 'GET', `/reviews/${CHILD_2}/actions`);
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: { owningAgency: string; status: string; rag: string }[] };
    expect(items.map((a) => [a.owningAgency, a.status])).toEqual([
      ['police', 'assured'],
      ['health-visiting', 'in_progress'],
      ['csc', 'completed'],
      ['partnership', 'completed'],
    ]);
    expect(items.map((a) => a.rag)).toEqual(['green', 'red', 'green', 'green']);
    const audits = (await api('coordinator', 'GET', '/audits')).json() as {
      items: {
        agency: string;
        rounds: { compliant: number; sampled: number; percentage: number }[];
        trend: string;
      }[];
    };
    const police = audits.items.find((a) => a.agency === 'police')!;
    expect(police.rounds.map((r) => [r.compliant, r.sampled, r.percentage])).toEqual([
      [31, 50, 62],
      [48, 50, 96],
    ]);
    expect(police.trend).toBe('improving');
  });

  it('holds section 6 of the Child 2 briefing, word for word, as the progress/impact statement', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    expect(await t.services.progress.items(coordinator, CHILD_2)).toEqual(CHILD_2_PROGRESS);
    const statement = await t.services.progress.statement(coordinator, CHILD_2);
    expect(statement.suggestions).toContain(
      'An audit of police crime reports found 48 of 50 recorded the children in the household',
    );
  });

  it('adds an action through the API, then lets its lead update it and refuses the other agency', async () => {
    const [lead] = (
      (await t.database.db.execute(
        sql`select id from users where email = 'police.lead@demo.example'`,
      )) as unknown as { rows: { id: string }[] }
    ).rows;
    const created = await api('coordinator', 'POST', `/reviews/${CHILD_2}/actions`, {
      what: 'Police to attend the re-referral clinic',
      owningAgency: 'police',
      leadUserId: lead!.id,
      dueDate: '2030-01-31',
      successMeasure: 'Attendance at 10 of 12 clinics',
    });
    expect(created.statusCode).toBe(201);
    const action = created.json() as { id: string; rag: string; status: string };
    expect(action).toMatchObject({ status: 'not_started', rag: 'green' });

    const early = await api('coordinator', 'POST', `/reviews/${CHILD_2}/actions`, {
      what: 'x',
      owningAgency: 'police',
      leadUserId: lead!.id,
      dueDate: '2020-01-01',
      successMeasure: 'x',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.fields.dueDate).toMatch(/on or after the date the review was opened/);

    const byLead = await api('police.lead', 'PATCH', `/actions/${action.id}`, {
      note: 'Attending from February',
      status: 'in_progress',
      evidenceUrl: 'https://intranet.northshire-police.example/clinic-rota',
    });
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json().updates[0]).toMatchObject({
      statusTo: 'in_progress',
      evidenceUrl: expect.stringContaining('https://'),
    });

    // Agency B (health visiting) cannot update agency A's (police) action, by update or by detail.
    for (const body of [{ note: 'Not ours', status: 'completed' }, { what: 'Changed by another agency' }]) {
      const refused = await api('hv.lead', 'PATCH', `/actions/${action.id}`, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toMatch(/only update your own agency's actions/);
    }
    // The lead may not change the action's details either: only its progress.
    const leadDetail = await api('police.lead', 'PATCH', `/actions/${action.id}`, { dueDate: '2031-01-01' });
    expect(leadDetail.statusCode).toBe(403);
    // Read-only roles and non-members change nothing.
    expect((await api('board', 'PATCH', `/actions/${action.id}`, { note: 'x' })).statusCode).toBe(403);
    expect((await api('practitioner', 'GET', `/actions/${action.id}`)).statusCode).toBe(404);

    const after = (await api('coordinator', 'GET', `/actions/${action.id}`)).json() as {
      status: string;
      what: string;
      dueDate: string;
      updates: unknown[];
    };
    expect(after).toMatchObject({
      status: 'in_progress',
      what: 'Police to attend the re-referral clinic',
      dueDate: '2030-01-31',
    });
    expect(after.updates).toHaveLength(1);
  });

  it('refuses assurance without evidence through the API, with the reason', async () => {
    const hv = (await api('coordinator', 'GET', `/reviews/${CHILD_2}/actions`))
      .json()
      .items.find((a: { owningAgency: string }) => a.owningAgency === 'health-visiting') as { id: string };
    const completed = await api('hv.lead', 'PATCH', `/actions/${hv.id}`, {
      note: 'Guidance revised',
      status: 'completed',
    });
    expect(completed.statusCode).toBe(200);
    const refused = await api('coordinator', 'PATCH', `/actions/${hv.id}`, {
      note: 'Signed off',
      status: 'assured',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.fields.status).toMatch(/only be assured with evidence/);
  });

  it('keeps the repository deny-by-default: another agency cannot reach the action for change', async () => {
    const hv = await actorOf(t, 'hv.lead@demo.example');
    const police = (await api('coordinator', 'GET', `/reviews/${CHILD_2}/actions`)).json().items[0] as {
      id: string;
    };
    await expect(t.services.actions.update(hv, police.id, { note: 'x' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const denied = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where outcome = 'denied' and action = 'action.update' and subject_id = ${police.id}`,
    )) as unknown as { rows: { n: number }[] };
    expect(denied.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('defines an audit and records rounds; refuses another agency and impossible counts', async () => {
    const created = await api('hv.lead', 'POST', '/audits', {
      agency: 'health-visiting',
      question: 'Was developmental delay followed up within 90 days?',
      sampleDescription: 'health visiting records of children with developmental delay',
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    expect(
      (
        await api('police.lead', 'POST', `/audits/${id}/rounds`, {
          roundDate: '2024-01-10',
          sampled: 20,
          compliant: 10,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api('police.lead', 'POST', '/audits', {
          agency: 'health-visiting',
          question: 'x',
          sampleDescription: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const tooMany = await api('hv.lead', 'POST', `/audits/${id}/rounds`, {
      roundDate: '2024-01-10',
      sampled: 20,
      compliant: 21,
    });
    expect(tooMany.statusCode).toBe(400);
    const ok = await api('hv.lead', 'POST', `/audits/${id}/rounds`, {
      roundDate: '2024-01-10',
      sampled: 20,
      compliant: 17,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().rounds).toEqual([
      expect.objectContaining({ sampled: 20, compliant: 17, percentage: 85 }),
    ]);
  });

  it('replaces the progress statement only as the coordinator, and audits it', async () => {
    expect(
      (await api('police.lead', 'PUT', `/reviews/${CHILD_2}/progress`, { items: ['x'] })).statusCode,
    ).toBe(403);
    expect(
      (await api('coordinator', 'PUT', `/reviews/${CHILD_2}/progress`, { items: ['  ', ''] })).statusCode,
    ).toBe(400);
    const saved = await api('coordinator', 'PUT', `/reviews/${CHILD_2}/progress`, {
      items: [...CHILD_2_PROGRESS, 'A new item'],
    });
    expect(saved.json().items).toHaveLength(6);
  });
});
