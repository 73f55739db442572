import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { fuzzTarget, importerTargets, type Target } from './importers.ts';

/** Cases per importer and database here; `npx tsx scripts/fuzz-importers.ts` runs 10,000 each. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const IMPORTERS = [
  'chronology CSV (API)',
  'chronology XLSX (upload form)',
  'monitoring CSV (front door form)',
  'briefing (txt)',
  'briefing (md)',
  'briefing (docx)',
  'logo (administration form)',
];

/**
 * Every importer fed generated files, good, damaged and noise, through the way people send them:
 * no 5xx, no exception; a good file taken; anything else refused with a message naming the file,
 * and nothing written.
 */
describe.each(DATABASE_KINDS)('importers fed generated files (%s)', { timeout: 300_000 }, (kind) => {
  let t: TestApp;
  let targets: Target[];

  beforeAll(async () => {
    t = await buildTestApp(kind);
    targets = await importerTargets(t);
  });
  afterAll(async () => t?.close());

  it('reaches every importer there is', () => {
    expect(targets.map((target) => target.name)).toEqual(IMPORTERS);
  });

  it.each(IMPORTERS)(
    '%s: takes good files, refuses the rest clearly and writes nothing of them',
    async (name) => {
      const report = await fuzzTarget(
        targets.find((target) => target.name === name)!,
        RUNS,
      );
      expect(report.cases).toBeGreaterThanOrEqual(RUNS);
      // The generators make both kinds: some files are good enough to be taken, most are not.
      expect(report.refused).toBeGreaterThan(0);
      expect(report.accepted).toBeGreaterThan(0);
    },
  );
});
