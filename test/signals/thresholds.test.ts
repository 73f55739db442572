import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { formFields } from './form-fields.ts';
import { actorOf } from '../chronology/setup.ts';

const FORM = 'form[action="/admin/signal-thresholds"]';

describe.each(DATABASE_KINDS)('signal thresholds as partnership settings (%s)', (kind) => {
  let t: TestApp;
  let admin: WebClient;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
  });
  afterAll(async () => t?.close());

  const audits = async (action: string) => {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = ${action} and outcome = 'success'`,
    )) as unknown as { rows: { n: number }[] };
    return Number(result.rows[0]!.n);
  };

  it('shows the defaults, saves a change, and keeps only what differs from the defaults', async () => {
    const before = page(await admin.get('/admin/signal-thresholds'));
    expect(before.h1).toBe('Signal thresholds');
    expect(before.$('#service-gap-daysWithoutContact').val()).toBe('90');
    const fields = formFields(before.$, FORM);
    fields['service-gap.daysWithoutContact'] = '120';
    delete fields['worker-churn.enabled'];
    const saved = await admin.post(
      '/admin/signal-thresholds',
      fields,
      await admin.csrfToken('/admin/signal-thresholds'),
    );
    expect(saved.statusCode).toBe(303);
    const after = page(await admin.follow(saved));
    expect(after.banner).toContain('Signal thresholds saved');
    expect(after.$('#service-gap-daysWithoutContact').val()).toBe('120');
    expect(after.$('#worker-churn-enabled').attr('checked')).toBeUndefined();

    const token = (await t.services.auth.createApiToken('coordinator@demo.example', 'test')).token;
    const api = await t.app.inject({
      url: '/api/v1/signal-thresholds',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(200);
    expect(api.json().overrides).toEqual({
      'service-gap': { daysWithoutContact: 120 },
      'worker-churn': { enabled: false },
    });
    expect(api.json().config['service-gap']).toEqual({ enabled: true, daysWithoutContact: 120 });
    expect(await audits('signal-thresholds.change')).toBe(1);
  });

  it('refuses a threshold that is not a whole number, naming it, and saves nothing', async () => {
    const form = page(await admin.get('/admin/signal-thresholds'));
    const fields = formFields(form.$, FORM);
    fields['reactive-pattern.incidents'] = 'three';
    const res = await admin.post(
      '/admin/signal-thresholds',
      fields,
      await admin.csrfToken('/admin/signal-thresholds'),
    );
    const back = page(await admin.follow(res));
    expect(back.errorSummary).toEqual(['Enter "police incidents" as a whole number of 1 or more']);
    expect(back.$('#reactive-pattern-incidents').val()).toBe('three');
    expect(back.$('a[href="#reactive-pattern-incidents"]').length).toBe(1);
    expect(await audits('signal-thresholds.change')).toBe(1);
  });

  it('sets the day window of possible duplicates in the merged chronology: flags, version and audit follow', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const ref = 'LOS-2021-002'; // Child 2: the same events recorded by several agencies
    const flagged = async () =>
      (await t.services.chronology.merged(coordinator, ref, { limit: 500 })).items.filter(
        (e) => e.possibleDuplicateOf !== null,
      ).length;
    const version = async () =>
      (
        (await t.database.db.execute(
          sql`select v.version from merged_chronology_versions v join reviews r on r.id = v.review_id
              where r.reference = ${ref}`,
        )) as unknown as { rows: { version: string }[] }
      ).rows[0]!.version;
    const save = async (days: string) => {
      const form = page(await admin.get('/admin/signal-thresholds'));
      expect(form.$('label[for="possible-duplicates-daysApart"]').text().trim()).toBe(
        'Entries this many days apart or fewer (0: the same day only)',
      );
      const fields = formFields(form.$, FORM);
      fields['possible-duplicates.daysApart'] = days;
      return admin.post(
        '/admin/signal-thresholds',
        fields,
        await admin.csrfToken('/admin/signal-thresholds'),
      );
    };
    const changes = await audits('signal-thresholds.change');
    const atOneDay = await flagged();
    expect(await version()).toMatch(/\/1$/);
    expect((await save('0')).statusCode).toBe(303);
    const sameDay = await flagged();
    expect(await version()).toMatch(/\/0$/);
    expect((await save('14')).statusCode).toBe(303);
    const twoWeeks = await flagged();
    expect(await version()).toMatch(/\/14$/);
    // A wider window flags as many or more; the demonstration has echoes a day or more apart.
    expect(sameDay).toBeLessThan(atOneDay);
    expect(twoWeeks).toBeGreaterThanOrEqual(atOneDay);
    expect(await audits('signal-thresholds.change')).toBe(changes + 2);
    const stored = (await t.database.db.execute(
      sql`select detail from audit_events where action = 'signal-thresholds.change' order by at desc limit 1`,
    )) as unknown as { rows: { detail: { after: Record<string, Record<string, unknown>> } }[] };
    expect(stored.rows[0]!.detail.after['possible-duplicates']).toEqual({ daysApart: 14 });

    const refused = page(await admin.follow(await save('15')));
    expect(refused.errorSummary).toEqual([
      'Enter "entries this many days apart or fewer (0: the same day only)" as a whole number from 0 to 14',
    ]);
    expect(refused.$('#possible-duplicates-daysApart').val()).toBe('15');
    expect(await audits('signal-thresholds.change')).toBe(changes + 2);
  });

  it('lets only an administrator change thresholds through the API, with the setting named on bad input', async () => {
    const adminToken = (await t.services.auth.createApiToken('admin@demo.example', 'test')).token;
    const coordinatorToken = (await t.services.auth.createApiToken('coordinator@demo.example', 'test')).token;
    const put = (token: string, payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/signal-thresholds',
        payload: payload as object,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await put(coordinatorToken, {})).statusCode).toBe(403);
    const bad = await put(adminToken, { 'service-gap': { daysWithoutContact: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields).toHaveProperty('service-gap.daysWithoutContact');
    const wide = await put(adminToken, { 'possible-duplicates': { daysApart: 30 } });
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error.details.fields).toHaveProperty('possible-duplicates.daysApart');
    const unknown = await put(adminToken, { 'no-such-rule': {} });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('Unknown rule "no-such-rule"');
    const reset = await put(adminToken, {});
    expect(reset.statusCode).toBe(200);
    expect(reset.json().overrides).toEqual({});
    const practitioner = (await t.services.auth.createApiToken('practitioner@demo.example', 'test')).token;
    const read = await t.app.inject({
      url: '/api/v1/signal-thresholds',
      headers: { authorization: `Bearer ${practitioner}` },
    });
    expect(read.statusCode).toBe(403);
  });
});
