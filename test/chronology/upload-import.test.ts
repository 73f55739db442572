import { Readable } from 'node:stream';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChronologyEntry } from '../../src/domain/chronology/entry.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { agencyUpload } from '../../src/files/agency-upload.ts';
import { ChronologyFileError, readChronologyCsv } from '../../src/files/chronology-reader.ts';
import { rowToEntry } from '../../src/db/repositories/return-repository.ts';
import { chronologyEntries, reviews } from '../../src/db/schema.ts';
import { INSERT_BATCH, type DraftRoom } from '../../src/services/return-service.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

const HEADER =
  'date,time,agency,event_type,summary,children_present,child_seen,concerns,worker,source_ref,Notes';

/** `rows` synthetic police rows after the header, row N (from 2) replaced by `replace` if given. */
function policeCsv(rows: number, replace: Record<number, string> = {}): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const row = i + 2;
    lines.push(
      replace[row] ??
        `2019-03-${String((i % 28) + 1).padStart(2, '0')},,police,contact,Entry ${row},yes,,drugs,PC-${i % 7},POL-${row},`,
    );
  }
  return lines.join('\n') + '\n';
}

function source(csv: string, name = 'police.csv') {
  return {
    name,
    entries: ({ agencyCode, maxRows }: DraftRoom) =>
      agencyUpload(readChronologyCsv(Readable.from([Buffer.from(csv)]), { file: name, maxRows }), {
        file: name,
        agencyCode,
      }),
  };
}

describe.each(DATABASE_KINDS)('importing a chronology file into a return (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let police: Actor;

  /** Every stored entry of the return: the workspace shows a page, so read them all here. */
  const stored = async () => {
    const rows = await t.database.db
      .select({ entry: chronologyEntries })
      .from(chronologyEntries)
      .innerJoin(reviews, eq(reviews.id, chronologyEntries.reviewId))
      .where(and(eq(reviews.reference, ref), isNull(chronologyEntries.removedAt)));
    return rows.map((row) => rowToEntry(row.entry, 'police'));
  };
  const count = async () => {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id
          where r.reference = ${ref} and e.removed_at is null`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  };
  const removeAll = async () => {
    await t.database.db.execute(
      sql`delete from chronology_entries where review_id = (select id from reviews where reference = ${ref})`,
    );
  };

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
    police = await actorOf(t, 'police.lead@demo.example');
  });
  afterAll(async () => t?.close());

  it('stores every value exactly as the file has it', async () => {
    const awkward = [
      HEADER,
      '2019-03-02,09:05,police,police_incident,"Said ""go away"", then {left}; back\\slash",not_recorded,no,drugs;neglect,PC-1,POL-1,',
      '2019-03,,police,contact,"Two lines\nof text, café ‘open’ 😀",,,,NULL,,kept as extra',
      '2019-03-04,,police,arrest,"\'=HYPERLINK(""x"")",yes,yes,,"","{a,b}",',
    ].join('\r\n');
    const read: ChronologyEntry[] = [];
    for await (const entry of source(awkward).entries({
      agencyCode: 'police',
      maxRows: { rows: 10, message: 'too many' },
    }))
      read.push(entry);
    expect(read).toHaveLength(3);

    expect(await t.services.returns.upload(police, ref, source(awkward))).toEqual({ count: 3 });
    const byRow = (a: ChronologyEntry, b: ChronologyEntry) => a.row - b.row;
    expect((await stored()).sort(byRow)).toEqual(
      read.map((entry) => ({ ...entry, child: null })).sort(byRow),
    );
    expect(read[0]!.summary).toBe('Said "go away", then {left}; back\\slash');
    expect(read[1]!).toMatchObject({ worker: 'NULL', extra: { Notes: 'kept as extra' } });
    expect(read[2]!).toMatchObject({ summary: '=HYPERLINK("x")', worker: null, sourceRef: '{a,b}' });
    await removeAll();
  });

  it(`takes a file of several batches (${INSERT_BATCH.toLocaleString('en-GB')} rows each) whole`, async () => {
    const rows = INSERT_BATCH * 2 + 7;
    expect(await t.services.returns.upload(police, ref, source(policeCsv(rows)))).toEqual({ count: rows });
    expect(await count()).toBe(rows);
    const entries = await stored();
    expect(new Set(entries.map((e) => e.row)).size).toBe(rows);
    expect(entries.find((e) => e.row === rows + 1)).toMatchObject({ summary: `Entry ${rows + 1}` });
    await removeAll();
  });

  it('writes nothing when a problem comes after batches were already inserted, and names every one', async () => {
    const last = INSERT_BATCH * 2 + 1;
    const csv = policeCsv(INSERT_BATCH * 2, {
      3: '2019-03-02,,police,contact,Entry 3,maybe,,,,,',
      [last]: '2019-02-30,,police,contact,Entry,yes,,,,,',
    });
    const error = await t.services.returns.upload(police, ref, source(csv)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronologyFileError);
    expect((error as ChronologyFileError).problems.map(({ row, column }) => ({ row, column }))).toEqual([
      { row: 3, column: 'children_present' },
      { row: last, column: 'date' },
    ]);
    expect(await count()).toBe(0);

    // A problem only after the first batches have gone to the database.
    const late = policeCsv(INSERT_BATCH * 2, { [last]: '2019-03-02,,csc,contact,Entry,yes,,,,,' });
    const lateError = await t.services.returns.upload(police, ref, source(late)).catch((e: unknown) => e);
    expect((lateError as ChronologyFileError).problems).toEqual([
      expect.objectContaining({ row: last, column: 'agency' }),
    ]);
    expect(await count()).toBe(0);
  });

  it('writes nothing when reading fails part-way for another reason', async () => {
    const entries = source(policeCsv(INSERT_BATCH + 10)).entries;
    const failing = {
      name: 'police.csv',
      async *entries(room: DraftRoom) {
        let n = 0;
        for await (const entry of entries(room)) {
          if (++n > INSERT_BATCH + 5) throw new Error('the connection to the browser was lost');
          yield entry;
        }
      },
    };
    await expect(t.services.returns.upload(police, ref, failing)).rejects.toThrow(
      'the connection to the browser was lost',
    );
    expect(await count()).toBe(0);
  });
});
