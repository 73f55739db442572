import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { DEMO_MONITORED_CHILDREN } from '../../src/demo/monitoring.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

describe.each(DATABASE_KINDS)("the demonstration's monitoring dataset (%s)", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('fills both front door lists, loaded and scanned through the real import', async () => {
    const user = await systemRepository(t.database.db).userByEmail('coordinator@demo.example');
    const coordinator = actorFor(user!, 'test');
    const clinic = await t.services.monitoring.reReferrals(coordinator, {});
    expect(clinic.dataset).toMatchObject({ status: 'current', children: DEMO_MONITORED_CHILDREN });
    expect(clinic.dataset?.startedBy).toBe(coordinator.userId);
    expect(clinic.total).toBeGreaterThan(0);
    expect(clinic.items.every((c) => c.rules.includes('repeat-referral'))).toBe(true);
    const challenge = await t.services.monitoring.checkAndChallenge(coordinator, {});
    expect(challenge.total).toBeGreaterThan(0);
    expect(challenge.items.every((c) => c.open && c.high > 0)).toBe(true);

    // And on the pages a coordinator opens.
    const web = new WebClient(t.app);
    await web.signIn('coordinator@demo.example');
    expect(page(await web.get('/front-door/re-referrals')).$('tbody tr').length).toBeGreaterThan(0);
    expect(page(await web.get('/front-door/check-and-challenge')).$('tbody tr').length).toBeGreaterThan(0);
  });
});
