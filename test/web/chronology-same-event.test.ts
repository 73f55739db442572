import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

/**
 * Entries linked "as one event" count once: in the review's practice signals and in the merged
 * chronology's intervals; and the same referral logged by two agencies a day apart is flagged.
 */
describe.each(DATABASE_KINDS)('an event two agencies recorded, linked as one (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: Actor;
  const merged = async () => (await t.services.chronology.merged(coordinator, ref, {})).items;
  const signals = async () =>
    (await t.services.reviewSignals.list(coordinator, ref)).signals.map((s) => [
      s.rule,
      s.evidence.join(','),
    ]);

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
    });
    const police = await actorOf(t, 'police.lead@demo.example');
    const hv = await actorOf(t, 'hv.lead@demo.example');
    await t.services.returns.addEntries(police, ref, {
      entries: [
        {
          date: '2019-01-07',
          eventType: 'home_visit',
          summary: 'Welfare check',
          childSeen: 'yes',
          sourceRef: 'POL-0',
        },
        {
          date: '2019-03-04',
          eventType: 'referral',
          summary: 'Referral to MASH after a report from the health visitor',
          concerns: ['neglect'],
          sourceRef: 'POL-1',
        },
        {
          date: '2019-03-06',
          eventType: 'home_visit',
          summary: 'Seen at home',
          childSeen: 'yes',
          sourceRef: 'POL-2',
        },
        {
          date: '2019-05-10',
          eventType: 'home_visit',
          summary: 'Joint visit with the health visitor: child asleep, not seen by the officer',
          childSeen: 'no',
          sourceRef: 'POL-4',
        },
        {
          date: '2019-08-01',
          eventType: 'home_visit',
          summary: 'Seen at home',
          childSeen: 'yes',
          sourceRef: 'POL-3',
        },
      ],
    });
    await t.services.returns.addEntries(hv, ref, {
      entries: [
        {
          date: '2019-03-05',
          eventType: 'referral',
          summary: "Referral to children's social care: neglect",
          concerns: ['neglect'],
          sourceRef: 'HV-1',
        },
        {
          date: '2019-05-10',
          eventType: 'home_visit',
          summary: 'Joint visit with the police: child woken and seen, weighed',
          childSeen: 'yes',
          sourceRef: 'HV-3',
        },
        {
          date: '2019-10-01',
          eventType: 'referral',
          summary: 'Referral to MASH: neglect again',
          concerns: ['neglect'],
          sourceRef: 'HV-2',
        },
      ],
    });
    for (const lead of [police, hv]) await t.services.returns.submit(lead, ref);
    for (const r of await t.services.requests.list(coordinator, ref))
      await t.services.requests.accept(coordinator, ref, r.request.id);
  });
  afterAll(async () => t?.close());

  it('flags the referral logged by the police and the health visitor a day apart as a possible duplicate', async () => {
    const referrals = (await merged()).filter((e) => e.eventType === 'referral');
    expect(referrals.map((e) => [e.sourceRef, e.possibleDuplicateOf !== null])).toEqual([
      ['POL-1', true],
      ['HV-1', true],
      ['HV-2', false],
    ]);
  });

  it('once linked, counts it once in the signals: the joint visit saw the child', async () => {
    const notSeen = async () => (await signals()).filter(([rule]) => rule === 'child-not-seen');
    expect(await notSeen()).toEqual([['child-not-seen', 'POL-4']]);
    const ids = (await merged())
      .filter((e) => e.sourceRef === 'POL-4' || e.sourceRef === 'HV-3')
      .map((e) => e.id);
    await t.services.chronology.link(coordinator, ref, { entries: ids });
    expect(await notSeen()).toEqual([]);
  });

  it("once linked, gives the event's second record the interval of its first", async () => {
    const interval = async (source: string) =>
      (await merged()).find((e) => e.sourceRef === source)!.daysSincePreviousContact;
    expect(await interval('HV-1')).toBe(1);
    const ids = (await merged())
      .filter((e) => e.sourceRef === 'POL-1' || e.sourceRef === 'HV-1')
      .map((e) => e.id);
    await t.services.chronology.link(coordinator, ref, { entries: ids });
    expect([await interval('POL-1'), await interval('HV-1'), await interval('POL-2')]).toEqual([56, 56, 1]);
  });
});
