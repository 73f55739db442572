import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

/**
 * The merged chronology and the review's signals are worked out once per version of the accepted
 * chronology and reused (src/services/versioned-cache.ts). These check that every kind of change
 * that alters them gives a new version, whichever way it is written, and that readers see it.
 */
describe.each(DATABASE_KINDS)('the merged chronology follows every change to it (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: Actor;
  let police: Actor;
  let hv: Actor;

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const version = async () =>
    (
      await rows<{ version: string | number | null }>(
        sql`select (select version from chronology_versions c where c.review_id = r.id) as version
            from reviews r where r.reference = ${ref}`,
      )
    )[0]!.version;
  const merged = () => t.services.chronology.merged(coordinator, ref, {});
  const entry = (date: string, eventType: string, sourceRef: string, summary = `Synthetic ${sourceRef}`) => ({
    date,
    eventType,
    summary,
    childSeen: 'not_recorded',
    sourceRef,
  });
  const accept = async (code: string) => {
    const request = (await t.services.requests.list(coordinator, ref)).find((r) => r.agencyCode === code);
    await t.services.requests.accept(coordinator, ref, request!.request.id);
  };

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    coordinator = await actorOf(t, 'coordinator@demo.example');
    police = await actorOf(t, 'police.lead@demo.example');
    hv = await actorOf(t, 'hv.lead@demo.example');
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
    });
    await t.services.returns.addEntries(police, ref, {
      entries: [
        entry('2019-03-02', 'strategy_discussion', 'POL-1'),
        entry('2019-09-14', 'police_incident', 'POL-2'),
      ],
    });
    await t.services.returns.submit(police, ref);
  });
  afterAll(async () => t?.close());

  it('shows a return once accepted, and not before', async () => {
    expect((await merged()).total).toBe(0);
    const before = await version();
    await accept('police');
    expect(await version()).not.toEqual(before);
    const after = await merged();
    expect(after.items.map((e) => e.sourceRef)).toEqual(['POL-1', 'POL-2']);
    expect(after.gaps.map((g) => [g.from, g.to])).toEqual([['2019-03-02', '2019-09-14']]);
  });

  it("leaves the version alone while another agency's draft changes", async () => {
    const before = await version();
    await t.services.returns.addEntries(hv, ref, {
      entries: [
        entry('2019-03-02', 'strategy_discussion', 'HV-1'),
        entry('2019-06-01', 'home_visit', 'HV-2'),
      ],
    });
    expect(await version()).toEqual(before);
    expect((await merged()).items.map((e) => e.sourceRef)).toEqual(['POL-1', 'POL-2']);
  });

  it('takes in a second accepted return: order, intervals, duplicates and gaps all worked out again', async () => {
    const signalsBefore = (await t.services.reviewSignals.list(coordinator, ref)).entryCount;
    await t.services.returns.submit(hv, ref);
    await accept('health-visiting');
    const after = await merged();
    // Same day: in agency order.
    expect(after.items.map((e) => e.sourceRef)).toEqual(['HV-1', 'POL-1', 'HV-2', 'POL-2']);
    expect(
      after.items
        .filter((e) => e.possibleDuplicateOf)
        .map((e) => e.sourceRef)
        .sort(),
    ).toEqual(['HV-1', 'POL-1']);
    expect(after.gaps.map((g) => [g.from, g.to])).toEqual([
      ['2019-03-02', '2019-06-01'],
      ['2019-06-01', '2019-09-14'],
    ]);
    // The signals read the same accepted chronology, so they follow it too.
    expect(signalsBefore).toBe(2);
    expect((await t.services.reviewSignals.list(coordinator, ref)).entryCount).toBe(4);
  });

  it('shows a link as one event, and its removal', async () => {
    const ids = (await merged()).items.filter((e) => e.possibleDuplicateOf).map((e) => e.id);
    await t.services.chronology.link(coordinator, ref, { entries: ids });
    const linked = (await merged()).items.filter((e) => ids.includes(e.id));
    expect(new Set(linked.map((e) => e.sameEventKey)).size).toBe(1);
    expect(linked[0]!.sameEventKey).toMatch(/^event-/);
    await t.services.chronology.link(coordinator, ref, { entries: ids }, true);
    expect((await merged()).items.filter((e) => ids.includes(e.id)).map((e) => e.sameEventKey)).toEqual([
      null,
      null,
    ]);
  });

  it('follows changes written by any path: the date of birth, an agency or submitter renamed', async () => {
    const seen = [await version()];
    await t.database.db.execute(
      sql`update review_subjects set date_of_birth = '2018-09-02'
          where review_id = (select id from reviews where reference = ${ref})`,
    );
    seen.push(await version());
    expect((await merged()).items[0]!.age).toBe('6 months');
    const pol1 = async () => (await merged()).items.find((e) => e.sourceRef === 'POL-1')!;
    await t.database.db.execute(
      sql`update agencies set name = 'Synthetic Constabulary (renamed)' where code = 'police'
          and partnership_id = (select partnership_id from reviews where reference = ${ref})`,
    );
    seen.push(await version());
    expect((await pol1()).agencyName).toBe('Synthetic Constabulary (renamed)');
    await t.database.db.execute(
      sql`update users set name = 'Renamed Health Visiting Lead' where email = 'hv.lead@demo.example'`,
    );
    seen.push(await version());
    expect((await merged()).items.find((e) => e.sourceRef === 'HV-1')!.submittedByName).toBe(
      'Renamed Health Visiting Lead',
    );
    // Each change gave a new version, never one seen before.
    expect(new Set(seen.map(String)).size).toBe(seen.length);
  });

  it('never reuses the version of a change that rolled back', async () => {
    const before = Number(await version());
    let rolledBack = 0;
    await t.database.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`update chronology_entries set summary = 'Never committed' where source_ref = 'POL-1'`,
        );
        const [row] = (
          (await tx.execute(
            sql`select version from chronology_versions c join reviews r on r.id = c.review_id where r.reference = ${ref}`,
          )) as unknown as { rows: { version: string | number }[] }
        ).rows;
        rolledBack = Number(row!.version);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(rolledBack).toBeGreaterThan(before);
    expect(Number(await version())).toBe(before);
    const pol1 = async () => (await merged()).items.find((e) => e.sourceRef === 'POL-1')!;
    expect((await pol1()).summary).not.toBe('Never committed');
    await t.database.db.execute(
      sql`update chronology_entries set summary = 'Corrected after acceptance' where source_ref = 'POL-1'`,
    );
    expect(Number(await version())).toBeGreaterThan(rolledBack);
    expect((await pol1()).summary).toBe('Corrected after acceptance');
  });
  it("follows the partnership's signal thresholds: a change gives its reviews a new version", async () => {
    const rules = async () =>
      new Set((await t.services.chronology.page(coordinator, ref, {})).signals.map((s) => s.rule));
    const raised = [...(await rules())];
    expect(raised.length).toBeGreaterThan(0);
    const rule = raised[0]!;
    const admin = await actorOf(t, 'admin@demo.example');
    const before = await version();
    await t.services.signalSettings.update(admin, { [rule]: { enabled: false } });
    expect(await version()).not.toEqual(before);
    expect(await rules()).not.toContain(rule);
    const switchedOff = await version();
    await t.services.signalSettings.update(admin, {});
    expect(await version()).not.toEqual(switchedOff);
    expect(await rules()).toContain(rule);
  });
});
