import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

describe.each(DATABASE_KINDS)('JSON API (%s)', (kind) => {
  let t: TestApp;
  let coordinator: string;
  let hvLead: string;
  const api = (token: string | null, method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = (await t.services.auth.createApiToken('coordinator@demo.example', 'test')).token;
    hvLead = (await t.services.auth.createApiToken('hv.lead@demo.example', 'test')).token;
  });
  afterAll(async () => t?.close());

  it('answers 401 with the error shape when the token is missing or wrong', async () => {
    const none = await api(null, 'GET', '/api/v1/reviews');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({
      error: { code: 'unauthorised', message: expect.stringContaining('Bearer') },
    });
    expect((await api('los_not-a-token', 'GET', '/api/v1/reviews')).statusCode).toBe(401);
  });

  it('stores tokens hashed, never as issued', async () => {
    const rows = (await t.database.db.execute(sql`select token_hash from api_tokens`)) as unknown as {
      rows: { token_hash: string }[];
    };
    expect(rows.rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows.rows) {
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect([coordinator, hvLead]).not.toContain(r.token_hash);
    }
  });

  it('lists reviews with paging and filters, agencies by code and camelCase fields', async () => {
    const all = await api(coordinator, 'GET', '/api/v1/reviews?limit=2');
    expect(all.statusCode).toBe(200);
    const body = all.json() as { items: { reference: string; stage: string }[]; total: number };
    expect(body.total).toBe(8);
    expect(body.items).toHaveLength(2);
    const closed = (await api(coordinator, 'GET', '/api/v1/reviews?stage=closed')).json() as typeof body;
    expect(closed.items.map((r) => r.reference)).toEqual(['LOS-2022-001', 'LOS-2021-001']);

    const child2 = (await api(coordinator, 'GET', '/api/v1/reviews/LOS-2021-002')).json() as Record<
      string,
      unknown
    >;
    expect(child2).toMatchObject({
      reference: 'LOS-2021-002',
      pseudonym: 'Child 2',
      type: 'line_of_sight',
      stage: 'impact',
      periodFrom: '2018-03-01',
      referral: { agency: 'csc', referredOn: '2021-01-18' },
    });
    expect((child2.linesOfEnquiry as unknown[]).length).toBe(5);
    // The stage history keeps when each step happened, not when the record was written.
    const history = child2.stageHistory as { to: string; at: string }[];
    expect(history.map((h) => [h.to, h.at.slice(0, 10)]).slice(0, 3)).toEqual([
      ['referral', '2021-01-18'],
      ['screening', '2021-01-19'],
      ['terms_of_reference', '2021-01-27'],
    ]);
    const rapid = (await api(coordinator, 'GET', '/api/v1/reviews?type=rapid_review')).json() as {
      items: { nextDeadline: { what: string } | null }[];
    };
    expect(rapid.items[0]!.nextDeadline?.what).toBe('Notify the Child Safeguarding Practice Review Panel');
    expect(JSON.stringify(child2)).not.toContain('Testchild');
  });

  it('refers a case, refuses a move out of order with 409 and its reasons, then moves it on', async () => {
    const bad = await api(hvLead, 'POST', '/api/v1/reviews', { referringAgency: 'health-visiting' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('invalid');

    const referred = await api(hvLead, 'POST', '/api/v1/reviews', {
      referringAgency: 'health-visiting',
      referrerName: 'Harper Health-Visiting-Lead (demo)',
      referredOn: londonDate(new Date()),
      pseudonym: 'Child 12',
      child: { fullName: 'Testchild Twelve Example', dateOfBirth: '2023-04-01' },
      agenciesInvolved: ['health-visiting', 'gp'],
      whatHappened: 'Missed developmental checks.',
      whyLearning: 'Developmental delay not followed up.',
    });
    expect(referred.statusCode).toBe(201);
    const { reference, stage } = referred.json() as { reference: string; stage: string };
    expect(stage).toBe('referral');

    const skip = await api(coordinator, 'POST', `/api/v1/reviews/${reference}/stage`, { to: 'analysis' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toEqual({
      error: {
        code: 'conflict',
        message: expect.stringContaining('can only move to screening'),
        details: { reasons: [expect.stringContaining('can only move to screening')] },
      },
    });
    const byAgency = await api(hvLead, 'POST', `/api/v1/reviews/${reference}/stage`, { to: 'screening' });
    expect(byAgency.statusCode).toBe(403);
    const moved = await api(coordinator, 'POST', `/api/v1/reviews/${reference}/stage`, { to: 'screening' });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as { stage: string }).stage).toBe('screening');

    const added = await api(coordinator, 'POST', `/api/v1/reviews/${reference}/lines-of-enquiry`, {
      question: 'Was the delay followed up?',
    });
    expect(added.statusCode).toBe(409); // key lines of enquiry belong to the terms of reference stage
  });

  it('answers 404 for a review the caller may not see, as for one that does not exist', async () => {
    const child7 = (await api(coordinator, 'GET', '/api/v1/reviews?limit=50')).json() as {
      items: { reference: string; pseudonym: string }[];
    };
    const ref = child7.items.find((r) => r.pseudonym === 'Child 7')!.reference;
    const hidden = await api(hvLead, 'GET', `/api/v1/reviews/${ref}`);
    const missing = await api(hvLead, 'GET', '/api/v1/reviews/LOS-1999-999');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect((hidden.json() as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('writes the background and purpose as the page does: the coordinator only, checked, on record', async () => {
    const list = (await api(coordinator, 'GET', '/api/v1/reviews?limit=50')).json() as {
      items: { reference: string; pseudonym: string }[];
    };
    const ref = list.items.find((r) => r.pseudonym === 'Infant 8')!.reference;
    const url = `/api/v1/reviews/${ref}/summary`;
    const summary = {
      background: 'Testchild Eight Example, aged 4 months.',
      purpose: 'To learn from the discharge.',
    };
    // The board sees every review but does not write one; an agency lead without access is told nothing.
    const board = (await t.services.auth.createApiToken('board@demo.example', 'test')).token;
    expect((await api(board, 'PUT', url, summary)).statusCode).toBe(403);
    expect((await api(hvLead, 'PUT', url, summary)).statusCode).toBe(404);
    const long = await api(coordinator, 'PUT', url, { ...summary, purpose: 'x'.repeat(20_001) });
    expect(long.statusCode).toBe(400);
    expect(
      Object.keys((long.json() as { error: { details: { fields: object } } }).error.details.fields),
    ).toEqual(['purpose']);
    const written = await api(coordinator, 'PUT', url, summary);
    expect(written.statusCode).toBe(200);
    expect(written.json()).toEqual(expect.objectContaining({ reference: ref, ...summary }));
    expect((await api(coordinator, 'GET', `/api/v1/reviews/${ref}`)).json()).toEqual(
      expect.objectContaining(summary),
    );
    // An empty one is cleared.
    const cleared = await api(coordinator, 'PUT', url, { background: summary.background, purpose: '  ' });
    expect((cleared.json() as { purpose: string | null }).purpose).toBeNull();
    const audit = (await t.database.db.execute(
      sql`select outcome from audit_events where action = 'review.summary.update' and review_reference = ${ref} order by id`,
    )) as unknown as { rows: { outcome: string }[] };
    expect(audit.rows.map((r) => r.outcome)).toEqual(['success', 'success']);
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reviews',
        '/api/v1/reviews/{ref}',
        '/api/v1/reviews/{ref}/stage',
        '/api/v1/reviews/{ref}/lines-of-enquiry',
      ]),
    );
    expect(JSON.stringify(doc.paths['/api/v1/reviews']!.post!.requestBody)).toContain('agenciesInvolved');
  });
});
