import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergedChronologyRepository } from '../../src/db/repositories/merged-chronology-repository.ts';
import { reviewRepository } from '../../src/db/repositories/review-repository.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

/**
 * Entries linked as one event count once in the long gaps, the timeline's bands and the practice
 * signals alike: at their first record. Here the health visitor recorded the police's welfare visit
 * when told of it seven weeks later; once the two records are linked, the months between the visit
 * and the next contact are a long gap, a gap in service, and the health visitor's band is gone.
 */
describe.each(DATABASE_KINDS)('entries linked as one event count once everywhere (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: Actor;

  const view = () => t.services.chronology.merged(coordinator, ref, {});
  const serviceGaps = async () =>
    (await t.services.reviewSignals.list(coordinator, ref)).signals
      .filter((s) => s.rule === 'service-gap')
      .map((s) => [s.from, s.to, s.evidence.join(',')]);
  const bands = async () => {
    await view(); // brings the stored merge up to date
    const handle = (await reviewRepository(t.database.db, coordinator).find(ref))!.handle;
    const { agencies, cells } = await mergedChronologyRepository(t.database.db, coordinator).timeline(
      handle,
      'month',
    );
    return {
      agencies: agencies.map((a) => [a.agency, a.entries, a.events]),
      cells: cells.map((c) => [c.agency, c.period, c.entries]),
    };
  };

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
          date: '2019-01-10',
          eventType: 'home_visit',
          summary: 'Welfare visit after a report of shouting: domestic abuse disclosed',
          concerns: ['domestic_abuse'],
          childSeen: 'yes',
          sourceRef: 'POL-A',
        },
        {
          date: '2019-05-20',
          eventType: 'home_visit',
          summary: 'Seen at home',
          childSeen: 'yes',
          sourceRef: 'POL-C',
        },
      ],
    });
    await t.services.returns.addEntries(hv, ref, {
      entries: [
        {
          date: '2019-03-01',
          eventType: 'home_visit',
          summary: "Told of the police's welfare visit in January; recorded on notification",
          childSeen: 'yes',
          sourceRef: 'HV-B',
        },
      ],
    });
    for (const lead of [police, hv]) await t.services.returns.submit(lead, ref);
    for (const r of await t.services.requests.list(coordinator, ref))
      await t.services.requests.accept(coordinator, ref, r.request.id);
  });
  afterAll(async () => t?.close());

  it('apart, counts each record: no long gap, no gap in service, a band for each', async () => {
    expect((await view()).gaps).toEqual([]);
    expect(await serviceGaps()).toEqual([]);
    expect(await bands()).toEqual({
      agencies: [
        ['health-visiting', 1, 1],
        ['police', 2, 2],
      ],
      cells: [
        ['health-visiting', '2019-03', 1],
        ['police', '2019-01', 1],
        ['police', '2019-05', 1],
      ],
    });
  });

  it('linked, counts the event once at its first record in the gaps, the bands and the signals', async () => {
    const ids = (await view()).items.filter((e) => e.sourceRef !== 'POL-C').map((e) => e.id);
    await t.services.chronology.link(coordinator, ref, { entries: ids });
    const linked = await view();
    expect(linked.gaps).toEqual([{ from: '2019-01-10', to: '2019-05-20', days: 130 }]);
    // Both records are still listed (their sources kept), as one event.
    expect(linked.items.map((e) => [e.sourceRef, e.sameEventKey !== null])).toEqual([
      ['POL-A', true],
      ['HV-B', true],
      ['POL-C', false],
    ]);
    expect(await serviceGaps()).toEqual([['2019-01-10', '2019-05-20', 'POL-A,POL-C']]);
    expect(await bands()).toEqual({
      agencies: [
        ['health-visiting', 1, 0],
        ['police', 2, 2],
      ],
      cells: [
        ['police', '2019-01', 1],
        ['police', '2019-05', 1],
      ],
    });
  });
});
