import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { longGaps, mergeChronology } from '../domain/chronology/merge.ts';
import {
  ChronologyFileError,
  formatProblem,
  readChronologyCsv,
  readChronologyFile,
  readChronologyXlsx,
  type ChronologyProblem,
  type ReadOptions,
} from './chronology-reader.ts';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/chronology/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

const HEADER = 'date,agency,event_type,summary\n';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The problems a read ends with, and how many entries came out before it failed. */
async function failure(
  items: AsyncIterable<ChronologyEntry>,
): Promise<{ error: ChronologyFileError; yielded: number }> {
  let yielded = 0;
  try {
    for await (const _entry of items) yielded += 1;
  } catch (error) {
    if (error instanceof ChronologyFileError) return { error, yielded };
    throw error;
  }
  throw new Error(`expected a ChronologyFileError after ${yielded} entries`);
}

function problems(error: ChronologyFileError): Omit<ChronologyProblem, 'message'>[] {
  return error.problems.map(({ file, row, column }) => ({ file, row, column }));
}

const csv = (text: string | Buffer, options: Partial<ReadOptions> = {}) =>
  readChronologyCsv(Readable.from([Buffer.from(text)]), { file: 'agency.csv', ...options });

/** Feeds `bytes` one byte per chunk: every multi-byte character is split across chunks. */
function byteByByte(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (const byte of bytes) yield Buffer.from([byte]);
    })(),
  );
}

describe('readChronologyCsv: the synthetic Child 2 chronology', () => {
  it('reads all 23 entries of five agencies, with their row numbers', async () => {
    const entries = await collect(readChronologyFile(fixture('child-2-multi-agency.csv')));
    expect(entries).toHaveLength(23);
    expect(entries.map((e) => e.row)).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
    expect(new Set(entries.map((e) => e.agency))).toEqual(
      new Set(['health-visiting', 'gp', 'police', 'csc', 'school', 'drug-alcohol-service']),
    );
    expect(entries.every((e) => e.child === 'C-000002')).toBe(true);
  });

  it('keeps a quoted summary with a comma and a line break, and the extra column', async () => {
    const entries = await collect(readChronologyFile(fixture('child-2-multi-agency.csv')));
    expect(entries[6]).toEqual({
      child: 'C-000002',
      date: '2019-09-14',
      time: '14:20',
      agency: 'csc',
      eventType: 'referral',
      summary:
        'Second referral: drug-related assault on mother at the home.\nChild was in the flat at the time.',
      childrenPresent: 'yes',
      childSeen: 'no',
      childVoice: null,
      concerns: ['drugs', 'domestic_abuse', 'physical_harm'],
      worker: 'SW-02',
      practitionerRole: 'social worker',
      actionTaken: 'Strategy discussion requested',
      outcome: null,
      significance: 'Repeat referral within 12 months',
      sourceRef: 'CSC-2231',
      extra: { kpe_flag: 'yes' },
      row: 8,
    });
    // The row after the two-line summary is still row 9 of the spreadsheet.
    expect(entries[7]).toMatchObject({ row: 9, sourceRef: 'POL-240' });
    expect(entries[1]).toMatchObject({ row: 3, date: '2018-11', agency: 'gp', extra: {} });
    expect(entries[15]!.summary).toBe(
      'Report of shouting at the address; officers attended, "all calm" on arrival.',
    );
  });

  it('merges into the picture the review tells: the six-month gap and a strategy discussion recorded twice', async () => {
    const entries = await collect(readChronologyFile(fixture('child-2-multi-agency.csv')));
    const merged = mergeChronology(entries, { dateOfBirth: '2018-09-10' });
    const referral = merged.find((e) => e.sourceRef === 'CSC-2231')!;
    expect(referral.age).toBe('1 year');
    expect(referral.daysSincePreviousContact).toBe(193); // the referral decision on 5 March 2019
    expect(merged.filter((e) => e.possibleDuplicateOf !== null).map((e) => e.sourceRef)).toEqual([
      'POL-240',
      'CSC-2240',
    ]);
    expect(longGaps(entries, 90)).toEqual([
      { from: '2018-11-30', to: '2019-03-02', days: 92 },
      { from: '2019-04-17', to: '2019-09-14', days: 150 },
    ]);
  });

  it('reads the interfaces.md example rows', async () => {
    const entries = await collect(readChronologyFile(fixture('interfaces-example.csv')));
    expect(
      entries.map((e) => [
        e.child,
        e.date,
        e.agency,
        e.eventType,
        e.childrenPresent,
        e.concerns,
        e.sourceRef,
      ]),
    ).toEqual([
      ['C-000123', '2019-03-02', 'police', 'police_incident', 'not_recorded', ['drugs'], 'POL-118'],
      ['C-000123', '2019-09-14', 'csc', 'referral', null, ['drugs', 'domestic_abuse'], 'CSC-2231'],
    ]);
    expect(mergeChronology(entries)[1]!.daysSincePreviousContact).toBe(196);
  });
});

describe('readChronologyCsv: text encoding and line endings', () => {
  const body =
    'date,agency,event_type,summary\r\n2019-03-02,police,police_incident,"Seen at home, £20 found; café ‘open’ 😀"\r\n';

  it('accepts a UTF-8 byte order mark, CRLF or LF, and characters split across chunks', async () => {
    const expected = await collect(csv(body));
    expect(expected).toHaveLength(1);
    expect(expected[0]!.summary).toBe('Seen at home, £20 found; café ‘open’ 😀');
    expect(await collect(csv('\uFEFF' + body))).toEqual(expected);
    expect(await collect(csv(body.replace(/\r\n/g, '\n')))).toEqual(expected);
    const split = readChronologyCsv(byteByByte(Buffer.from('\uFEFF' + body)), { file: 'agency.csv' });
    expect(await collect(split)).toEqual(expected);
  });

  it('names the row and column of the first character that is not UTF-8, and carries on checking', async () => {
    const { error, yielded } = await failure(readChronologyFile(fixture('not-utf8.csv')));
    expect(yielded).toBe(2);
    expect(error.problems).toEqual([
      {
        file: fixture('not-utf8.csv'),
        row: 4,
        column: 'summary',
        message:
          'the file is not saved as UTF-8 text: this row has a character that cannot be read (byte 0xA3). In Excel, use Save As and choose "CSV UTF-8 (Comma delimited) (*.csv)".',
      },
    ]);
  });

  it('finds the same row when the file arrives a byte at a time', async () => {
    const bytes = await collectBytes(fixture('not-utf8.csv'));
    const { error } = await failure(readChronologyCsv(byteByByte(bytes), { file: 'not-utf8.csv' }));
    expect(problems(error)).toEqual([{ file: 'not-utf8.csv', row: 4, column: 'summary' }]);
  });

  it('reports a bad byte in the header as row 1, and a file cut off inside a character as its last row', async () => {
    const inHeader = await failure(
      csv(
        Buffer.concat([Buffer.from('date,agency,event_type,summ'), Buffer.from([0xe9]), Buffer.from('\n')]),
      ),
    );
    expect(inHeader.error.problems[0]).toMatchObject({
      row: 1,
      column: null,
      message: expect.stringContaining('byte 0xE9'),
    });
    const cut = await failure(
      csv(
        Buffer.concat([
          Buffer.from(HEADER + '2019-03-02,police,contact,Seen\n2019-03-03,police,contact,caf'),
          Buffer.from([0xc3]),
        ]),
      ),
    );
    expect(cut.error.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'summary', message: expect.stringContaining('byte 0xC3') }),
    ]);
  });

  it('refuses binary, UTF-16 and zipped files as CSV at once', async () => {
    const binary = await failure(readChronologyFile(fixture('binary.csv')));
    expect(binary.error.problems).toEqual([
      {
        file: fixture('binary.csv'),
        row: null,
        column: null,
        message:
          'this is not a CSV text file: it contains binary data. Choose the chronology saved as "CSV UTF-8 (Comma delimited)", or an Excel workbook (.xlsx).',
      },
    ]);
    const utf16 = await failure(
      csv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')])),
    );
    expect(utf16.error.problems[0]!.message).toContain('it is saved as UTF-16 ("Unicode text")');
    const zipped = await failure(csv(Buffer.from('PK\u0003\u0004rest of a workbook')));
    expect(zipped.error.problems[0]!.message).toContain('it looks like an Excel workbook');
  });
});

describe('readChronologyCsv: problems', () => {
  it('names row, column and value of an unknown event type, and yields nothing after the first problem', async () => {
    const { error, yielded } = await failure(
      readChronologyFile(fixture('unknown-event-type.csv'), { file: 'police.csv' }),
    );
    expect(yielded).toBe(1);
    expect(problems(error)).toEqual([
      { file: 'police.csv', row: 3, column: 'event_type' },
      { file: 'police.csv', row: 4, column: 'event_type' },
    ]);
    expect(error.message).toBe(
      'police.csv: row 3, column "event_type": "home vist" is not one of the event types. Did you mean "home_visit"? (and 1 more problem)',
    );
  });

  it('names each bad date', async () => {
    const { error } = await failure(readChronologyFile(fixture('bad-date.csv'), { file: 'csc.csv' }));
    expect(error.problems.map(formatProblem)).toEqual([
      'csc.csv: row 3, column "date": "2019-13-02" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.',
      'csc.csv: row 4, column "date": "02/03/2019" is not in the form YYYY-MM-DD: if it means 2 March 2019, write 2019-03-02.',
    ]);
  });

  it('stops at a header without a required column', async () => {
    const { error, yielded } = await failure(
      readChronologyFile(fixture('missing-column.csv'), { file: 'gp.csv' }),
    );
    expect(yielded).toBe(0);
    expect(error.message).toBe(
      'gp.csv: row 1: there is no "event_type" column. The first row must name the columns; every chronology needs date, agency, event_type and summary.',
    );
  });

  it('says when a file is empty, or has a header and no rows', async () => {
    expect((await failure(readChronologyFile(fixture('empty.csv'), { file: 'e.csv' }))).error.message).toBe(
      'e.csv: the file is empty: it has no header row.',
    );
    expect(
      (await failure(readChronologyFile(fixture('header-only.csv'), { file: 'h.csv' }))).error.message,
    ).toBe('h.csv: the file has a header row but no chronology entries.');
    expect((await failure(csv(HEADER + '\n,,,\n'))).error.message).toBe(
      'agency.csv: the file has a header row but no chronology entries.',
    );
    expect((await failure(csv('\n' + HEADER))).error.problems[0]).toMatchObject({ row: 1, column: null });
  });

  it('translates an unclosed quote into the row and column where it opened', async () => {
    const { error, yielded } = await failure(
      readChronologyFile(fixture('bad-quotes.csv'), { file: 'q.csv' }),
    );
    expect(yielded).toBe(1);
    expect(error.message).toBe(
      'q.csv: row 3, column "summary": a value starts with a double quote (") that is never closed. Inside a value in double quotes, write a double quote as two ("").',
    );
  });

  it('translates stray quotes in the middle of a value', async () => {
    const closing = await failure(csv(HEADER + '2019-03-02,police,contact,"Seen" twice\n'));
    expect(closing.error.problems[0]).toMatchObject({
      row: 2,
      column: 'summary',
      message: expect.stringContaining('closing double quote'),
    });
    const opening = await failure(
      csv(HEADER + '2019-03-02,police,contact,Seen\n2019-03-03,po"lice,contact,Seen\n'),
    );
    expect(opening.error.problems[0]).toMatchObject({
      row: 3,
      column: 'agency',
      message: expect.stringContaining('in the middle of a value'),
    });
  });

  it('names rows with too few or too many values, but allows empty trailing commas', async () => {
    const { error } = await failure(readChronologyFile(fixture('ragged.csv'), { file: 'r.csv' }));
    expect(error.problems.map(formatProblem)).toEqual([
      'r.csv: row 3: this row has 4 values but the header row has 5 columns. Check for a missing comma, or a value with a comma or line break that is not in double quotes.',
      'r.csv: row 4: this row has 6 values but the header row has 5 columns. Check for an extra comma, or a value with a comma that is not in double quotes.',
    ]);
    expect(await collect(csv(HEADER + '2019-03-02,police,contact,Seen,,\n'))).toHaveLength(1);
    // Blank header cells after the last column are not columns a row must fill.
    expect(await collect(csv(HEADER.trim() + ',,\n2019-03-02,police,contact,Seen\n'))).toHaveLength(1);
  });

  it('refuses a value under a column with no name', async () => {
    const { error } = await failure(
      csv('date,agency,,event_type,summary\n2019-03-02,police,oops,contact,Seen\n'),
    );
    expect(error.message).toBe(
      'agency.csv: row 2: column 3 (C) has a value but no name in the first row. Name the column or remove the value.',
    );
    expect(
      await collect(csv('date,agency,,event_type,summary\n2019-03-02,police,,contact,Seen\n')),
    ).toHaveLength(1);
  });

  it('says when the columns are separated by semicolons', async () => {
    const { error } = await failure(csv('date;agency;event_type;summary\n2019-03-02;police;contact;Seen\n'));
    expect(error.problems).toEqual([
      expect.objectContaining({
        row: 1,
        message: expect.stringContaining('separated by semicolons, not commas'),
      }),
    ]);
  });

  it('reads a header written by hand, and skips blank rows without renumbering', async () => {
    const entries = await collect(
      csv(' Date ,AGENCY,Event Type,Summary\n\n2019-03-02,Police,Home Visit,Seen\n'),
    );
    expect(entries).toEqual([expect.objectContaining({ row: 3, agency: 'police', eventType: 'home_visit' })]);
  });

  it('gives back a neutralised formula as the text it was', async () => {
    const [entry] = await collect(csv(HEADER + "2019-03-02,police,contact,'=SUM(A1)\n"));
    expect(entry!.summary).toBe('=SUM(A1)');
  });

  it("runs a caller's own check on every row, also after another problem, and reports in row order", async () => {
    const reader = csv(
      HEADER +
        '2019-03-02,police,contact,First\n2019-03-03,csc,contact,Second\n2019-13-04,police,contact,Third\n2019-03-05,gp,contact,Fourth\n',
    ).alsoCheck((entry) =>
      entry.agency === 'police' ? null : { column: 'agency', message: `not police: ${entry.agency}` },
    );
    const { error, yielded } = await failure(reader);
    expect(yielded).toBe(1);
    expect(error.problems.map(formatProblem)).toEqual([
      'agency.csv: row 3, column "agency": not police: csc',
      'agency.csv: row 4, column "date": "2019-13-04" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.',
      'agency.csv: row 5, column "agency": not police: gp',
    ]);
  });

  it('stops at the first problem when asked to', async () => {
    const { error } = await failure(
      readChronologyFile(fixture('bad-date.csv'), { file: 'b.csv', stopAtFirstProblem: true }),
    );
    expect(problems(error)).toEqual([{ file: 'b.csv', row: 3, column: 'date' }]);
    expect(error.message).not.toContain('more problem');
  });

  it('stops collecting at maxProblems and says so', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `2019-13-0${(i % 9) + 1},police,contact,Seen`).join(
      '\n',
    );
    const { error } = await failure(csv(HEADER + rows + '\n', { maxProblems: 3 }));
    expect(error.problems.map((p) => p.row)).toEqual([2, 3, 4]);
    expect(error.message).toMatch(/\(and 2 more problems\); reading stopped after 3 problems$/);
  });
});

describe('readChronologyCsv: streaming', () => {
  it('yields each entry before the rest of the file has arrived', async () => {
    const input = new PassThrough();
    const iterator = readChronologyCsv(input, { file: 'live.csv' })[Symbol.asyncIterator]();
    // csv-parse holds back the last byte of each chunk (it may start a CRLF), so write two.
    input.write(HEADER + '2019-03-02,police,contact,First\n');
    input.write('2019-03-03,csc,contact,Second\n');
    const first = await iterator.next();
    expect(first.value).toMatchObject({ row: 2, summary: 'First' });
    expect(input.writableEnded).toBe(false);
    input.end();
    expect((await iterator.next()).value).toMatchObject({ row: 3, summary: 'Second' });
    expect((await iterator.next()).done).toBe(true);
  });

  it('lets go of the input when the caller stops early', async () => {
    const input = Readable.from(
      (function* () {
        yield HEADER;
        for (let i = 0; i < 100_000; i++) yield '2019-03-02,police,contact,Seen\n';
      })(),
    );
    let seen = 0;
    for await (const _entry of readChronologyCsv(input, { file: 'big.csv' })) if (++seen === 5) break;
    expect(seen).toBe(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });
});

describe('ChronologyFileError and formatProblem', () => {
  it('renders where the problem is as far as it is known', () => {
    expect(formatProblem({ file: 'a.csv', row: 14, column: 'date', message: 'bad.' })).toBe(
      'a.csv: row 14, column "date": bad.',
    );
    expect(formatProblem({ file: 'a.csv', row: 14, column: null, message: 'bad.' })).toBe(
      'a.csv: row 14: bad.',
    );
    expect(formatProblem({ file: 'a.csv', row: null, column: null, message: 'bad.' })).toBe('a.csv: bad.');
  });

  it('leads with the first problem and counts the rest', () => {
    const p = { file: 'a.csv', row: 2, column: 'date', message: 'bad.' };
    expect(new ChronologyFileError([p]).message).toBe('a.csv: row 2, column "date": bad.');
    expect(new ChronologyFileError([p, p]).message).toBe(
      'a.csv: row 2, column "date": bad. (and 1 more problem)',
    );
    expect(new ChronologyFileError([p, p, p]).message).toBe(
      'a.csv: row 2, column "date": bad. (and 2 more problems)',
    );
    expect(new ChronologyFileError([p]).problems).toEqual([p]);
    expect(() => new ChronologyFileError([])).toThrow(RangeError);
  });
});

describe('readChronologyFile', () => {
  it('names the file type it cannot read', async () => {
    expect((await failure(readChronologyFile('returns/police.txt'))).error.message).toBe(
      'returns/police.txt: a .txt file cannot be read as a chronology. Use a .csv or .xlsx file.',
    );
    expect((await failure(readChronologyFile('police.XLS'))).error.message).toContain(
      'Old Excel (.xls) files must be saved again as .xlsx or CSV UTF-8.',
    );
    expect((await failure(readChronologyFile('police'))).error.message).toBe(
      'police: the file has no extension, so its type is unknown. Use a .csv or .xlsx file.',
    );
  });

  it('says when there is no such file', async () => {
    expect(
      (await failure(readChronologyFile(fixture('nowhere.csv'), { file: 'nowhere.csv' }))).error.message,
    ).toBe('nowhere.csv: there is no such file.');
  });

  it('reads .xlsx files and upper-case extensions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'los-chronology-'));
    await writeFile(join(dir, 'police.CSV'), HEADER + '2019-03-02,police,contact,Seen\n');
    await writeFile(
      join(dir, 'police.xlsx'),
      await workbook([
        ['date', 'agency', 'event_type', 'summary'],
        ['2019-03-02', 'police', 'contact', 'Seen'],
      ]),
    );
    expect(await collect(readChronologyFile(join(dir, 'police.CSV')))).toHaveLength(1);
    expect(await collect(readChronologyFile(join(dir, 'police.xlsx')))).toEqual([
      expect.objectContaining({ row: 2, date: '2019-03-02', agency: 'police', summary: 'Seen' }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// XLSX

type CellInput = ExcelJS.CellValue;

async function workbook(
  rows: CellInput[][],
  setUp?: (sheet: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Chronology');
  rows.forEach((values, i) => {
    values.forEach((value, j) => {
      if (value !== null) sheet.getCell(i + 1, j + 1).value = value;
    });
  });
  setUp?.(sheet, book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const xlsx = (bytes: Buffer, options: Partial<ReadOptions> = {}) =>
  readChronologyXlsx(Readable.from([bytes]), { file: 'agency.xlsx', ...options });

describe('readChronologyXlsx', () => {
  it('reads cells as the text a person sees: dates, times, numbers, rich text and formulas', async () => {
    const bytes = await workbook(
      [
        ['Date', 'Time', 'Agency', 'Event type', 'Summary', 'Score', 'Flag'],
        [
          new Date(Date.UTC(2019, 2, 2)),
          new Date(Date.UTC(1899, 11, 30, 9, 29, 59, 990)),
          "Children's Social Care",
          'Home visit',
          { richText: [{ text: 'Seen ' }, { text: 'at home' }] },
          -3,
          true,
        ],
        [
          '2019-04',
          null,
          'police',
          'police_incident',
          { formula: '"Dis"&"turbance"', result: 'Disturbance' },
          12.5,
          null,
        ],
      ],
      (sheet) => {
        sheet.getCell('A2').numFmt = 'dd/mm/yyyy';
        sheet.getCell('B2').numFmt = 'hh:mm';
      },
    );
    expect(await collect(xlsx(bytes))).toEqual([
      expect.objectContaining({
        row: 2,
        date: '2019-03-02',
        time: '09:30',
        agency: 'csc',
        eventType: 'home_visit',
        summary: 'Seen at home',
        extra: { Score: '-3', Flag: 'TRUE' },
      }),
      expect.objectContaining({
        row: 3,
        date: '2019-04',
        time: null,
        agency: 'police',
        summary: 'Disturbance',
        extra: { Score: '12.5' },
      }),
    ]);
  });

  it('keeps spreadsheet row numbers across empty rows', async () => {
    const bytes = await workbook([
      ['date', 'agency', 'event_type', 'summary'],
      [],
      [],
      ['2019-03-02', 'gp', 'contact', 'Seen'],
    ]);
    expect((await collect(xlsx(bytes))).map((e) => e.row)).toEqual([4]);
  });

  it('reads only the first worksheet', async () => {
    const bytes = await workbook(
      [
        ['date', 'agency', 'event_type', 'summary'],
        ['2019-03-02', 'gp', 'contact', 'Seen'],
      ],
      (_sheet, book) => {
        const other = book.addWorksheet('Notes');
        other.getCell('A1').value = 'not a chronology';
      },
    );
    expect(await collect(xlsx(bytes))).toHaveLength(1);
  });

  it('names rows and columns of problems as the spreadsheet numbers them', async () => {
    const bytes = await workbook([
      ['date', 'agency', 'event_type', 'summary'],
      ['2019-03-02', 'gp', 'contact', 'Seen'],
      ['2019-13-02', 'gp', 'contact', 'Seen'],
      ['2019-03-04', 'gp', 'contact', 'Seen', null, 'stray'],
    ]);
    const { error, yielded } = await failure(xlsx(bytes));
    expect(yielded).toBe(1);
    expect(error.problems.map(formatProblem)).toEqual([
      'agency.xlsx: row 3, column "date": "2019-13-02" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.',
      'agency.xlsx: row 4: column 6 (F) has a value but no name in the first row. Name the column or remove the value.',
    ]);
  });

  it('needs the header in row 1', async () => {
    const bytes = await workbook([
      [],
      ['date', 'agency', 'event_type', 'summary'],
      ['2019-03-02', 'gp', 'contact', 'Seen'],
    ]);
    expect((await failure(xlsx(bytes))).error.problems).toEqual([
      expect.objectContaining({ row: 1, message: expect.stringContaining('the first row is empty') }),
    ]);
  });

  it('says when a workbook is empty, not a workbook, or damaged', async () => {
    expect((await failure(xlsx(await workbook([])))).error.message).toBe(
      'agency.xlsx: the first worksheet is empty: it has no header row.',
    );
    expect((await failure(xlsx(Buffer.alloc(0)))).error.message).toBe(
      'agency.xlsx: the file is empty: it has no header row.',
    );
    expect((await failure(xlsx(Buffer.from(HEADER)))).error.message).toBe(
      'agency.xlsx: this is not an Excel workbook (.xlsx). Use a .xlsx or .csv file.',
    );
    const whole = await workbook([
      ['date', 'agency', 'event_type', 'summary'],
      ['2019-03-02', 'gp', 'contact', 'Seen'],
    ]);
    const damaged = await failure(xlsx(whole.subarray(0, Math.floor(whole.length / 2))));
    expect(damaged.error.message).toMatch(/^agency\.xlsx: the workbook cannot be read: it may be damaged/);
  });

  it('gives back a header-only workbook as having no entries', async () => {
    const bytes = await workbook([['date', 'agency', 'event_type', 'summary']]);
    expect((await failure(xlsx(bytes))).error.message).toBe(
      'agency.xlsx: the file has a header row but no chronology entries.',
    );
  });
});

async function collectBytes(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('readChronologyFile: entries in batches', () => {
  /** Every entry handed out, and the problems the read ends with (null if none). */
  async function outcome(items: AsyncIterable<ChronologyEntry>) {
    const entries: ChronologyEntry[] = [];
    try {
      for await (const entry of items) entries.push(entry);
      return { entries, problems: null };
    } catch (error) {
      if (!(error instanceof ChronologyFileError)) throw error;
      return { entries, problems: error.problems };
    }
  }

  async function* flattened(batches: AsyncIterable<ChronologyEntry[]>) {
    for await (const batch of batches) yield* batch;
  }

  it('hands out the same entries, before the same problems, as one at a time', async () => {
    const names = [
      'bad-date.csv',
      'bad-quotes.csv',
      'binary.csv',
      'child-2-multi-agency.csv',
      'empty.csv',
      'header-only.csv',
      'interfaces-example.csv',
      'missing-column.csv',
      'not-utf8.csv',
      'ragged.csv',
      'unknown-event-type.csv',
    ];
    for (const name of names)
      for (const options of [{}, { stopAtFirstProblem: true }, { maxProblems: 1 }]) {
        const one = await outcome(readChronologyFile(fixture(name), options));
        const batched = await outcome(flattened(readChronologyFile(fixture(name), options).batches()));
        expect(batched, `${name} ${JSON.stringify(options)}`).toEqual(one);
      }
  });
});
