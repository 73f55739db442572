import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mergedChronologyRepository } from '../../src/db/repositories/merged-chronology-repository.ts';
import { reviewRepository } from '../../src/db/repositories/review-repository.ts';
import { chronologyEntries } from '../../src/db/schema.ts';
import { addDays } from '../../src/domain/calendar/iso-date.ts';
import { CONCERN_TAGS, chronologySortKey, type EventType } from '../../src/domain/chronology/entry.ts';
import { longGaps, NOT_PROFESSIONAL_CONTACT } from '../../src/domain/chronology/merge.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { mergeItems, type MergedItem } from '../../src/services/chronology-service.ts';
import { Rng } from '../../src/synthetic/prng.ts';
import type { ChronologyQuery } from '../../src/schemas/chronology.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from './setup.ts';

/**
 * Differential: the merged chronology worked out in SQL and kept (merged_chronology), read a
 * page at a time, equals the merge in memory it replaced (mergeChronology through mergeItems) on
 * the demonstration chronology and on seeded generated ones: order (ties, month-only dates,
 * times), ages, days since the previous contact (entries linked as one event repeating their
 * first's), near-date duplicates at several windows, long gaps (linked entries once), and the
 * page's filters and paging.
 */
const REF = 'LOS-2021-002'; // Child 2: accepted returns of police, social care and health visiting.
const TYPES: EventType[] = [
  'referral',
  'contact',
  'home_visit',
  'police_incident',
  'strategy_discussion',
  'missed_appointment',
  'allocation',
  'case_closed',
  'information_shared',
  'health_appointment',
];

/** The page's filters as it applied them in memory before they moved to SQL. */
function matches(q: Partial<ChronologyQuery>) {
  return (e: MergedItem) =>
    (!q.agency || e.agency === q.agency) &&
    (!q.eventType || e.eventType === q.eventType) &&
    (!q.concern || e.concerns.includes(q.concern as never)) &&
    (!q.from || e.date.padEnd(10, '-31') >= q.from) &&
    (!q.to || e.date <= q.to) &&
    (!q.childSeen ||
      (q.childSeen === 'not_recorded'
        ? e.childSeen === null || e.childSeen === 'not_recorded'
        : e.childSeen === q.childSeen));
}

describe.each(DATABASE_KINDS)('the merged chronology in SQL equals the merge in memory (%s)', (kind) => {
  let t: TestApp;
  let coordinator: Actor;
  let returns: { requestId: string; agencyId: string; code: string }[];
  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const handle = async () => (await reviewRepository(t.database.db, coordinator).find(REF))!.handle;

  /** Every page of the service's view, 500 at a time, and what the page shows beside them. */
  async function viewed(query: Partial<ChronologyQuery> = {}) {
    const items: MergedItem[] = [];
    let view;
    do {
      view = await t.services.chronology.merged(coordinator, REF, {
        ...query,
        limit: 500,
        offset: items.length,
      });
      items.push(...view.items);
    } while (items.length < view.total && view.items.length);
    return { items, total: view.total, gaps: view.gaps };
  }

  /** The reference: every accepted entry read in the stored order and merged in memory. */
  async function inMemory(duplicateWithinDays?: number, dateOfBirth: string | null = '2017-09-14') {
    const stored = await mergedChronologyRepository(t.database.db, coordinator).entries(await handle());
    return mergeItems(stored, dateOfBirth, duplicateWithinDays);
  }

  /** Replaces the review's entries with a seeded generated chronology of about `count` entries. */
  async function generate(seed: number, count: number) {
    const rng = new Rng(seed);
    const review = (await rows<{ id: string }>(sql`select id from reviews where reference = ${REF}`))[0]!;
    await t.database.db.execute(sql`delete from chronology_entries where review_id = ${review.id}`);
    const values: (typeof chronologyEntries.$inferInsert)[] = [];
    let day = '2017-06-01'; // before the child's birth, so some ages are "unborn"
    const add = (
      date: string,
      r: (typeof returns)[number],
      eventType: EventType,
      sameEventKey: string | null,
    ) => {
      const time = rng.chance(0.2)
        ? `${String(rng.int(0, 23)).padStart(2, '0')}:${rng.pick(['00', '30'])}`
        : null;
      values.push({
        reviewId: review.id,
        requestId: r.requestId,
        agencyId: r.agencyId,
        date,
        time,
        sortKey: chronologySortKey({ date, time }),
        eventType,
        summary: `Generated entry ${values.length} of seed ${seed}`,
        childSeen: rng.pick([null, 'yes', 'no', 'not_recorded']),
        childrenPresent: rng.pick([null, 'yes', 'not_recorded']),
        concerns: rng.chance(0.5)
          ? [rng.pick(CONCERN_TAGS), rng.pick(CONCERN_TAGS)].filter((c, i, a) => a.indexOf(c) === i)
          : [],
        sourceRef: rng.chance(0.9) ? `${r.code}-${seed}-${values.length}` : null,
        // Form entries have no row; equal rows and equal dates leave the order to agency and id.
        sourceRow: rng.chance(0.1) ? null : rng.int(2, 40),
        sameEventKey,
        removedAt: rng.chance(0.03) ? new Date() : null,
      });
    };
    for (let i = 0; i < count; i++) {
      day = addDays(day, rng.pick([0, 0, 0, 1, 1, 2, 3, 5, 12, 40, 100, 130]));
      const r = rng.pick(returns);
      const type = rng.pick(TYPES);
      const date = rng.chance(0.08) ? day.slice(0, 7) : day;
      const link = rng.chance(0.12) ? `event-${seed}-${i}` : null;
      add(date, r, type, link);
      // The same event recorded by another agency a few days apart, linked or not.
      if (rng.chance(0.2)) {
        const other = returns.filter((x) => x !== r);
        add(
          addDays(day, rng.int(0, 3)),
          rng.pick(other.length ? other : returns),
          type,
          link ?? (rng.chance(0.2) ? `event-${seed}-x${i}` : null),
        );
      }
    }
    await t.database.db.insert(chronologyEntries).values(values);
  }

  async function expectSame() {
    const view = await viewed();
    const expected = await inMemory();
    expect(view.total).toBe(expected.length);
    expect(view.items).toEqual(expected);
    // Entries linked as one event count once, at their first record (as asOneEvent does).
    const seen = new Set<string>();
    const events = expected.filter((e) => {
      if (e.sameEventKey === null) return true;
      if (seen.has(e.sameEventKey)) return false;
      seen.add(e.sameEventKey);
      return true;
    });
    expect(view.gaps).toEqual(
      longGaps(
        events.filter((e) => e.eventType !== 'missed_appointment'),
        90,
      ),
    );
    return expected;
  }

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = await actorOf(t, 'coordinator@demo.example');
    returns = await rows(
      sql`select r.id as "requestId", r.agency_id as "agencyId", a.code from agency_requests r
          join agencies a on a.id = r.agency_id join reviews v on v.id = r.review_id
          where v.reference = ${REF} and r.status = 'accepted' order by a.code`,
    );
  });
  afterAll(async () => t?.close());

  it('on the demonstration chronology', async () => {
    const merged = await expectSame();
    expect(merged.length).toBeGreaterThan(50);
    expect(merged.filter((e) => e.possibleDuplicateOf).length).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])(
    'on generated chronology %i: order, ages, intervals, links, duplicates and gaps',
    async (seed) => {
      await generate(seed, 200);
      const merged = await expectSame();
      // The seeds make every case the merge handles, so the equality above is not empty.
      expect(merged.some((e) => e.date.length === 7)).toBe(true);
      expect(merged.some((e) => e.age === 'unborn')).toBe(true);
      expect(merged.some((e) => e.sameEventKey && e.daysApproximate)).toBe(true);
      expect(merged.filter((e) => e.possibleDuplicateOf).length).toBeGreaterThan(10);
      expect(
        merged.filter((e) => e.daysSincePreviousContact !== null && e.daysSincePreviousContact >= 90).length,
      ).toBeGreaterThan(0);
    },
  );

  it('flags near-date duplicates within any window of days, as the merge in memory does', async () => {
    await generate(4, 200);
    const repo = mergedChronologyRepository(t.database.db, coordinator);
    const notContact = [...NOT_PROFESSIONAL_CONTACT];
    const flagged: number[] = [];
    for (const days of [0, 1, 3, 10]) {
      const h = await handle();
      expect(await repo.refresh(h, { notContact, duplicateWithinDays: days })).toBe(true);
      const all = await repo.all(h);
      const expected = (await inMemory(days, null)).map(({ age: _age, child: _child, ...e }) => e);
      expect(all).toEqual(expected);
      flagged.push(all.filter((e) => e.possibleDuplicateOf).length);
    }
    // A wider window flags more.
    expect(flagged).toEqual([...flagged].sort((a, b) => a - b));
    expect(flagged[0]).toBeLessThan(flagged[3]!);
  });

  it('filters and pages in SQL as the page did in memory, counting what matches', async () => {
    await generate(5, 240);
    const expected = await inMemory();
    const queries: Partial<ChronologyQuery>[] = [
      { agency: 'police' },
      { eventType: 'home_visit' },
      { concern: 'neglect' },
      { from: '2018-06-01', to: '2019-06-30' },
      { from: '2018-06-15' }, // a month-only entry of June 2018 counts as its last day
      { childSeen: 'not_recorded' },
      { childSeen: 'yes', agency: 'csc' },
    ];
    for (const query of queries) {
      const want = expected.filter(matches(query));
      const page = await t.services.chronology.merged(coordinator, REF, { ...query, limit: 25, offset: 25 });
      expect(page.total, JSON.stringify(query)).toBe(want.length);
      expect(page.items, JSON.stringify(query)).toEqual(want.slice(25, 50));
    }
    // Past the last page: nothing, and still the count.
    const beyond = await t.services.chronology.merged(coordinator, REF, { agency: 'police', offset: 5000 });
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(expected.filter(matches({ agency: 'police' })).length);
  });

  it("forgets a review's merged rows when its entries are deleted, and works them out again", async () => {
    const review = (await rows<{ id: string }>(sql`select id from reviews where reference = ${REF}`))[0]!;
    await t.database.db.execute(
      sql`delete from chronology_entries where review_id = ${review.id} and event_type = 'referral'`,
    );
    const left = await rows<{ n: number }>(
      sql`select count(*)::int as n from merged_chronology where review_id = ${review.id}`,
    );
    expect(left[0]!.n).toBe(0);
    const merged = await expectSame();
    expect(merged.some((e) => e.eventType === 'referral')).toBe(false);
  });
});
