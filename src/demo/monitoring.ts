import { Readable } from 'node:stream';
import type { Database } from '../db/client.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { chronologyToCsv } from '../files/chronology-writer.ts';
import { createServices } from '../services/index.ts';
import { generateChild } from '../synthetic/child.ts';

/** Children in the demonstration monitoring dataset: enough for both front door lists, quick to load. */
export const DEMO_MONITORED_CHILDREN = 200;
const DEMO_MONITORING_SEED = 2021;
/** The night of the export: part-way through the generated stories, so some cases are still open. */
const EXPORTED_ON = '2022-03-31';

/**
 * The front door's monitoring dataset for the demonstration: synthetic chronologies from the
 * generator (a fixed seed, so every demo holds the same children), loaded as a nightly export
 * would be, through the real import and scan, so the re-referral clinic and the check and
 * challenge list have children in them.
 */
export async function loadDemoMonitoring(db: Database, coordinator: Actor, now: () => Date) {
  const entries: ChronologyEntry[] = [];
  for (let i = 0; i < DEMO_MONITORED_CHILDREN; i += 1) {
    for (const e of generateChild(DEMO_MONITORING_SEED, i, 2).entries)
      if (e.date <= EXPORTED_ON) entries.push(e);
  }
  const csv = chronologyToCsv(entries);
  return createServices({ db, system: db, now }).monitoring.importCsv(coordinator, Readable.from([csv]), {
    fileName: 'nightly-export-2022-03-31.csv',
    bytesTotal: Buffer.byteLength(csv),
  });
}
