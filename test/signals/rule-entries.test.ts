import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mergedChronologyRepository } from '../../src/db/repositories/merged-chronology-repository.ts';
import { rowToEntry } from '../../src/db/repositories/return-repository.ts';
import { reviewRepository } from '../../src/db/repositories/review-repository.ts';
import { asOneEvent } from '../../src/domain/chronology/same-event.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { detectSignals, type Signal } from '../../src/domain/signals/index.ts';
import { generateChild } from '../../src/synthetic/child.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from '../chronology/setup.ts';
import { addAcceptedEntries } from './accepted-chronology.ts';

/**
 * Differential: a review's practice signals, worked out from the stored merge and only the columns
 * the rules read (reviewSignalsRepository.ruleEntries), equal the rules run over every accepted
 * entry whole, as they were read before: on the demonstration's reviews and on generated
 * children's chronologies, with entries typed into a form (cited by their place) and links.
 */
const REF = 'LOS-2021-002';
const KNOWN = new Set(['police', 'csc', 'health-visiting', 'gp', 'school']);

describe.each(DATABASE_KINDS)(
  'signals from the stored merge equal the rules over whole entries (%s)',
  (kind) => {
    let t: TestApp;
    let coordinator: Actor;
    let byPlace = 0;

    /** The rules over every accepted entry read whole, in the merged order, as before. */
    async function whole(reference: string): Promise<Signal[]> {
      const handle = (await reviewRepository(t.database.db, coordinator).find(reference))!.handle;
      const rows = await mergedChronologyRepository(t.database.db, coordinator).entries(handle);
      const entries = rows.map((r, i) => ({
        ...rowToEntry(r.entry, r.agencyCode),
        agencyName: r.agencyName,
        row: r.entry.sourceRow ?? i + 2,
        sameEvent: r.entry.sameEventKey,
      }));
      return detectSignals(asOneEvent(entries));
    }

    async function served(reference: string): Promise<Signal[]> {
      return (await t.services.reviewSignals.list(coordinator, reference)).signals.map(
        ({ child, rule, severity, from, to, evidence, explanation }) => ({
          child,
          rule,
          severity,
          from,
          to,
          evidence,
          explanation,
        }),
      );
    }

    beforeAll(async () => {
      t = await buildTestApp(kind);
      coordinator = await actorOf(t, 'coordinator@demo.example');
    });
    afterAll(async () => t?.close());

    it("on the demonstration's reviews", async () => {
      const refs = (
        (await t.database.db.execute(sql`select reference from reviews order by reference`)) as unknown as {
          rows: { reference: string }[];
        }
      ).rows.map((r) => r.reference);
      let signals = 0;
      for (const reference of refs) {
        const expected = await whole(reference);
        expect(await served(reference), reference).toEqual(expected);
        signals += expected.length;
      }
      expect(signals).toBeGreaterThan(10);
    });

    it.each([1, 2, 3])('on generated chronology %i, with typed entries and links', async (index) => {
      const child = generateChild(20261207, index, 2);
      await t.database.db.execute(
        sql`delete from chronology_entries where review_id = (select id from reviews where reference = ${REF})`,
      );
      const ids = await addAcceptedEntries(
        t.database.db,
        REF,
        child.entries.map((e) => ({ ...e, agency: KNOWN.has(e.agency) ? e.agency : 'csc' })),
      );
      // Every third entry typed into a form (no row, no reference); some pairs linked as one event.
      for (const [i, id] of ids.entries()) {
        if (i % 3 === 1)
          await t.database.db.execute(
            sql`update chronology_entries set source_row = null, source_ref = null where id = ${id}`,
          );
        if (i % 11 === 5 && ids[i + 1])
          await t.database.db.execute(
            sql`update chronology_entries set same_event_key = ${`event-${i}`} where id in (${id}, ${ids[i + 1]!})`,
          );
      }
      const expected = await whole(REF);
      expect(await served(REF)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      byPlace += expected.filter((s) => s.evidence.some((e) => e.startsWith('row:'))).length;
    });

    it('compared signals that cite entries typed into a form by their place', () => {
      expect(byPlace).toBeGreaterThan(0);
    });
  },
);
