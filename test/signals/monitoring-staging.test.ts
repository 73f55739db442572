import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ChronologyEntry } from '../../src/domain/chronology/entry.ts';
import { readChronologyCsv } from '../../src/files/chronology-reader.ts';
import { entryFromRow, type StoredEntryRow } from '../../src/db/repositories/entry-row.ts';
import { monitoringEntries } from '../../src/db/schema.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The load stages rows as COPY text on a server and as `unnest` arrays on the embedded database:
 * either way what is stored must be exactly what the reader read, whatever characters a value
 * holds, and a child's rows may fall in several batches (the server's grow from 1,000 rows).
 */
const HEADER =
  'child,date,time,agency,event_type,summary,children_present,child_seen,concerns,worker,outcome,source_ref,local note';
const awkward = [
  '"Tab\there, and a\nnew line"',
  '"Back\\slash \\N and \\t as text"',
  '"Quotes ""like this"", commas, and {braces}"',
  '"Ünïcödé — 子供 — 🙂"',
  'Plain',
];
const rows: string[] = [];
for (let i = 0; i < 3_500; i += 1) {
  // Children of 50 rows each but the last, whose 1,000 rows cross the batch boundaries.
  const child = i < 2_500 ? `C-${String(Math.floor(i / 50)).padStart(4, '0')}` : 'C-LONG';
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
  rows.push(
    [
      child,
      `20${10 + (i % 12)}-${month}-${day}`,
      i % 3 ? '' : '09:30',
      i % 2 ? 'police' : 'csc',
      i % 5 ? 'contact' : 'home_visit',
      awkward[i % awkward.length],
      i % 4 ? '' : 'yes',
      i % 5 ? '' : 'no',
      i % 7 ? '' : 'neglect;domestic_abuse',
      i % 6 ? '' : '"Worker\\one\tTwo"',
      i % 9 ? '' : awkward[(i + 1) % awkward.length],
      `R${i}`,
      i % 11 ? '' : '"A note with\ttab and \\ and ""quotes"""',
    ].join(','),
  );
}
const csv = `${HEADER}\n${rows.join('\n')}\n`;

describe.each(DATABASE_KINDS)('staging a monitoring load (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('stores every value exactly as read, across batches, with the run counting rows and children', async () => {
    const read: ChronologyEntry[] = [];
    for await (const entry of readChronologyCsv(Readable.from([csv]), { file: 'awkward.csv' }))
      read.push(entry);
    expect(read.length).toBe(3_500);

    const db = t.database.db;
    const [partnership] = (
      (await db.execute(sql`select id from partnerships limit 1`)) as unknown as { rows: { id: string }[] }
    ).rows;
    const staged: number[] = [];
    const result = await t.services.monitoring.importCsv(
      { partnershipId: partnership!.id, label: 'test' },
      Readable.from([csv]),
      {
        fileName: 'awkward.csv',
        onProgress: (run) => {
          if (run.phase === 'Reading rows') staged.push(run.rowsRead);
        },
      },
    );
    expect(result.rows).toBe(3_500);
    expect(result.children).toBe(51);
    // Progress after each batch: 1,000 rows at a time on the embedded database; on a server
    // 1,000, then twice as many, then the 500 left.
    expect(staged.length).toBe(kind === 'pglite' ? 4 : 3);
    expect(staged.at(-1)).toBe(3_500);

    const stored = (await db.execute(sql`
      select c.child_key, e.* from ${monitoringEntries} e join monitored_children c on c.id = e.child_id
      where c.import_id = ${result.id} order by e.source_row`)) as unknown as {
      rows: (StoredEntryRow & { child_key: string })[];
    };
    const entries = stored.rows.map((r) => entryFromRow(r, r.child_key));
    expect(entries).toEqual(read);
    const [run] = (
      (await db.execute(
        sql`select rows_read, children, status from monitoring_imports where id = ${result.id}`,
      )) as unknown as { rows: { rows_read: number; children: number; status: string }[] }
    ).rows;
    expect(run).toEqual({ rows_read: 3_500, children: 51, status: 'current' });
  });
});
