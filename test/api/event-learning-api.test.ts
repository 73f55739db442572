import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { count, reviewAtStage } from '../support/learning.ts';
import { CHILD_2_EPISODES, CHILD_2_LEARNING } from '../../src/demo/child-2-learning.ts';

const REF = 'LOS-2021-002';

describe.each(DATABASE_KINDS)('event, episodes and learning over the JSON API (%s)', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = (who: string, method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { authorization: `Bearer ${tokens[who]}` },
    });

  beforeAll(async () => {
    t = await buildTestApp(kind);
    for (const who of ['coordinator', 'chair', 'police.lead', 'csc.lead', 'board'])
      tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'test')).token;
  });
  afterAll(async () => t?.close());

  it("shows the demonstration Child 2's episodes and learning in the briefing's words", async () => {
    const episodes = (await api('board', 'GET', `/api/v1/reviews/${REF}/episodes`)).json();
    expect(episodes.total).toBe(7);
    expect(episodes.items.map((e: { title: string }) => e.title)).toEqual(
      CHILD_2_EPISODES.map((e) => e.title),
    );
    expect(episodes.items.filter((e: { kind: string }) => e.kind === 'good_practice')).toHaveLength(2);
    const learning = (await api('board', 'GET', `/api/v1/reviews/${REF}/learning`)).json();
    expect(learning.items.map((l: { statement: string }) => l.statement)).toEqual(
      CHILD_2_LEARNING.map((l) => l.statement),
    );
    expect(learning.items[2].themes.map((th: { key: string }) => th.key).sort()).toEqual([
      'recording-chronologies',
      'voice-of-the-child',
    ]);
    const event = (await api('board', 'GET', `/api/v1/reviews/${REF}/event`)).json();
    expect(event.heldOn).toBe('2021-04-20');
    expect(event.attendees).toHaveLength(10);
    expect(event.attendees.filter((a: { attendance: string }) => a.attendance === 'attended')).toHaveLength(
      9,
    );
  });

  it('adds an episode and learning, refusing bad input with the field named and the wrong stage with 409', async () => {
    expect(
      (
        await api('coordinator', 'POST', `/api/v1/reviews/${REF}/episodes`, {
          title: 'x',
          kind: 'good_practice',
        })
      ).statusCode,
    ).toBe(409);
    const { entryId } = await reviewAtStage(t, REF, 'learning_and_actions');
    const bad = await api('chair', 'POST', `/api/v1/reviews/${REF}/episodes`, { title: '', kind: 'blame' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.details.fields)).toEqual(expect.arrayContaining(['title', 'kind']));
    const added = await api('chair', 'POST', `/api/v1/reviews/${REF}/episodes`, {
      title: 'Information about the supplier at the flat was not shared with health visiting',
      kind: 'area_for_improvement',
      periodFrom: '2020-02-01',
      agencies: ['police', 'health-visiting'],
      entryIds: [entryId],
      signalKeys: ['0123456789abcdef0123'],
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      agencies: ['health-visiting', 'police'],
      entryIds: [entryId],
      signalKeys: ['0123456789abcdef0123'],
    });

    const unknownTheme = await api('coordinator', 'POST', `/api/v1/reviews/${REF}/learning`, {
      statement: 'x',
      themes: ['blame'],
    });
    expect(unknownTheme.statusCode).toBe(400);
    expect(unknownTheme.json().error.details.fields).toEqual({ themes: 'Unknown theme: blame' });
    const learning = await api('coordinator', 'POST', `/api/v1/reviews/${REF}/learning`, {
      statement: 'Share what is known about risks outside the home with every agency working with the family',
      themes: ['information-sharing', 'exploitation'],
      episodeIds: [added.json().id],
    });
    expect(learning.statusCode).toBe(201);
    expect(
      learning
        .json()
        .themes.map((th: { key: string }) => th.key)
        .sort(),
    ).toEqual(['exploitation', 'information-sharing']);
  });

  it('lets agency leads read but not write, and hides the review from non-members', async () => {
    expect((await api('police.lead', 'GET', `/api/v1/reviews/${REF}/learning`)).statusCode).toBe(200);
    const write = await api('police.lead', 'POST', `/api/v1/reviews/${REF}/learning`, {
      statement: 'x',
      themes: ['neglect'],
    });
    expect(write.statusCode).toBe(403);
    expect((await api('csc.lead', 'GET', `/api/v1/reviews/LOS-2021-001/episodes`)).statusCode).toBe(404);
    expect(
      await count(t, sql`select count(*)::int as n from learning_statements where statement = 'x'`),
    ).toBe(0);
  });

  it('traces KLOEs to learning and lists the themes with their version', async () => {
    const trace = (await api('coordinator', 'GET', `/api/v1/reviews/${REF}/traceability`)).json();
    expect(trace.linesOfEnquiry).toHaveLength(5);
    expect(trace.linesOfEnquiry.every((k: { learningIds: string[] }) => k.learningIds.length > 0)).toBe(true);
    const themes = (await api('police.lead', 'GET', '/api/v1/themes')).json();
    expect(themes.version).toBe(1);
    expect(themes.total).toBe(19);
  });
});
