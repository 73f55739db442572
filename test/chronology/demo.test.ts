import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSignals } from '../../src/domain/signals/index.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from './setup.ts';

describe.each(DATABASE_KINDS)("Child 2's demonstration chronology (%s)", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("holds accepted returns from police, social care and health visiting that tell the briefing's story", async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const requests = await t.services.requests.list(coordinator, 'LOS-2021-002');
    expect(requests.map((r) => [r.agencyCode, r.request.status]).sort()).toEqual([
      ['csc', 'accepted'],
      ['health-visiting', 'accepted'],
      ['police', 'accepted'],
    ]);
    const merged = await t.services.chronology.merged(coordinator, 'LOS-2021-002', { limit: 500 });
    expect(merged.total).toBe(merged.items.length);
    expect(merged.items.length).toBeGreaterThan(50);
    expect(merged.items.every((e) => e.date >= '2018-03-01' && e.date <= '2021-01-15')).toBe(true);
    // Referrals at six and eighteen months, from her date of birth (2017-09-14).
    const csc = merged.items.filter((e) => e.agency === 'csc' && e.eventType === 'referral');
    expect(csc.map((e) => e.age).slice(0, 2)).toEqual(['5 months', '1 year 5 months']);
    // A six-month gap in any agency's contact.
    expect(merged.gaps.some((g) => g.days >= 180 && g.from.startsWith('2019'))).toBe(true);
    // Police incidents that do not record whether she was there.
    const incidents = merged.items.filter((e) => e.eventType === 'police_incident');
    expect(incidents.filter((e) => e.childrenPresent === 'not_recorded').length).toBeGreaterThanOrEqual(8);
    // The strategy discussion both police and social care recorded is flagged.
    expect(merged.items.filter((e) => e.possibleDuplicateOf === '2020-10-20/strategy_discussion')).toHaveLength(
      2,
    );
  });

  it('gives the practice-signal rules real patterns to find', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const merged = await t.services.chronology.merged(coordinator, 'LOS-2021-002', { limit: 500 });
    const signals = detectSignals(merged.items.map((e) => ({ ...e, child: null })));
    const rules = new Set(signals.map((s) => s.rule));
    for (const rule of [
      'service-gap',
      'repeat-referral',
      'child-not-recorded',
      'concern-not-followed-up',
      'worker-churn',
    ])
      expect(rules, rule).toContain(rule);
  });
});
