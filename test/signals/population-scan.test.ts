import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ChronologyEntry } from '../../src/domain/chronology/entry.ts';
import { detectSignals } from '../../src/domain/signals/index.ts';
import { childProfile } from '../../src/domain/signals/profile.ts';
import { chronologyToCsv } from '../../src/files/chronology-writer.ts';
import { readChronologyCsv } from '../../src/files/chronology-reader.ts';
import { partnershipSignalConfig } from '../../src/services/signal-settings-service.ts';
import { generateChild } from '../../src/synthetic/child.ts';
import { entry } from '../../src/domain/signals/testing.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The population scan reads only the columns the rules use and runs in batches with its reads and
 * writes overlapped: what it stores must be exactly what the rules find in the whole file.
 */
const generated: ChronologyEntry[] = [];
for (let i = 0; i < 40; i += 1) generated.push(...generateChild(7, i, 2).entries);
// Cases that turn on free text the scan reads only for some events: a school's referral that went
// to social care (its action says so), a decision of no further action given in the summary, and
// worker changes read from allocations.
const handWritten: ChronologyEntry[] = [
  entry('2022-01-10', 'referral', {
    child: 'Z-1',
    agency: 'school',
    actionTaken: 'Referred to MASH',
    ref: 'S1',
  }),
  entry('2022-01-11', 'referral_decision', { child: 'Z-1', summary: 'Decision: NFA', ref: 'S2' }),
  entry('2022-05-02', 'referral', {
    child: 'Z-1',
    agency: 'school',
    outcome: "Accepted by children's social care",
    ref: 'S3',
  }),
  entry('2022-05-03', 'allocation', { child: 'Z-1', worker: 'SW-1', ref: 'S4' }),
  entry('2022-07-03', 'allocation', { child: 'Z-1', worker: 'SW-2', ref: 'S5' }),
  entry('2022-09-03', 'allocation', { child: 'Z-1', worker: 'SW-3', ref: 'S6' }),
  entry('2022-11-03', 'allocation', { child: 'Z-1', worker: 'SW-4', ref: 'S7' }),
  entry('2023-02-03', 'home_visit', { child: 'Z-1', childSeen: 'no', concerns: ['neglect'], ref: 'S8' }),
];
const csv = chronologyToCsv([...generated, ...handWritten]);

describe.each(DATABASE_KINDS)('the population scan (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('stores for each child exactly the signals and profile the rules find in the whole file', async () => {
    const rows = async <T>(query: ReturnType<typeof sql>) =>
      ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const [partnership] = await rows<{ id: string }>(sql`select id from partnerships limit 1`);
    const result = await t.services.monitoring.importCsv(
      { partnershipId: partnership!.id, label: 'test' },
      Readable.from([csv]),
      { fileName: 'population.csv' },
    );

    // What the rules find in the file as the import reads it (rows numbered as in the file).
    const config = await partnershipSignalConfig(t.database.db, partnership!.id);
    // Explanations name the partnership's agency ("Northshire Police"), not its code.
    const names = new Map(
      (
        await rows<{ code: string; name: string }>(
          sql`select code, name from agencies where partnership_id = ${partnership!.id}`,
        )
      ).map((a) => [a.code, a.name]),
    );
    const byChild = new Map<string, ChronologyEntry[]>();
    for await (const e of readChronologyCsv(Readable.from([csv]), { file: 'population.csv' })) {
      const list = byChild.get(e.child!) ?? [];
      const name = names.get(e.agency);
      list.push(name ? { ...e, agencyName: name } : e);
      byChild.set(e.child!, list);
    }
    const expectedSignals: unknown[] = [];
    const expectedProfiles: unknown[] = [];
    for (const key of [...byChild.keys()].sort()) {
      const entries = byChild.get(key)!;
      const signals = detectSignals(entries, config);
      for (const s of signals)
        expectedSignals.push([key, s.rule, s.severity, s.from, s.to, s.evidence, s.explanation]);
      const p = childProfile(entries, signals);
      expectedProfiles.push([
        key,
        p.entries,
        p.firstDate,
        p.lastDate,
        p.open,
        p.openSince,
        p.referrals,
        p.high,
        p.medium,
        p.low,
        p.rules,
      ]);
    }
    expect(result.signals).toBe(expectedSignals.length);
    expect(new Set(expectedSignals.map((s) => (s as string[])[1])).size).toBeGreaterThanOrEqual(8);

    const stored = await rows<Record<string, unknown>>(sql`
      select c.child_key, s.rule, s.severity, s."from", s."to", s.evidence, s.explanation
      from monitoring_signals s join monitored_children c on c.id = s.child_id
      where c.import_id = ${result.id} order by c.child_key collate "C", s.id`);
    expect(
      stored.map((s) => [s.child_key, s.rule, s.severity, s.from, s.to, s.evidence, s.explanation]),
    ).toEqual(expectedSignals);
    const profiles = await rows<Record<string, unknown>>(sql`
      select child_key, entries, first_date, last_date, open, open_since, referrals, high, medium, low, rules
      from monitored_children where import_id = ${result.id} order by child_key collate "C"`);
    expect(
      profiles.map((p) => [
        p.child_key,
        p.entries,
        p.first_date,
        p.last_date,
        p.open,
        p.open_since,
        p.referrals,
        p.high,
        p.medium,
        p.low,
        p.rules,
      ]),
    ).toEqual(expectedProfiles);
    // The hand-written child: two referrals known to be to social care only from their text, the
    // first decided NFA in its summary; three changes of worker.
    expect(profiles.find((p) => p.child_key === 'Z-1')).toMatchObject({
      referrals: ['2022-01-10', '2022-05-02'],
      rules: expect.arrayContaining(['repeat-referral', 'worker-churn', 'child-not-seen']),
    });
  });
});
