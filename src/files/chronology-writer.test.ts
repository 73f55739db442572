import { PassThrough, Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONCERN_TAGS, EVENT_TYPES, TRISTATE, type ChronologyEntry } from '../domain/chronology/entry.ts';
import { AGENCY_CODES, normaliseAgency } from '../domain/chronology/validate.ts';
import { readChronologyCsv, readChronologyXlsx } from './chronology-reader.ts';
import {
  chronologyToCsv,
  csvField,
  neutraliseFormula,
  restoreNeutralised,
  writeChronologyCsv,
  writeChronologyXlsx,
} from './chronology-writer.ts';

/** The columns of docs/interfaces.md, in its order. */
const CONTRACT_HEADER =
  'child,date,time,agency,event_type,summary,children_present,child_seen,child_voice,concerns,worker,practitioner_role,action_taken,outcome,significance,source_ref';

function entry(overrides: Partial<ChronologyEntry> = {}): ChronologyEntry {
  return {
    child: 'C-000002',
    date: '2019-03-02',
    time: '23:40',
    agency: 'police',
    eventType: 'police_incident',
    summary: 'Disturbance at the home address.',
    childrenPresent: 'not_recorded',
    childSeen: 'no',
    childVoice: null,
    concerns: ['drugs', 'organised_crime'],
    worker: 'PC-07',
    practitionerRole: 'police officer',
    actionTaken: null,
    outcome: null,
    significance: null,
    sourceRef: 'POL-118',
    extra: {},
    row: 2,
    ...overrides,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function xlsxBuffer(entries: ChronologyEntry[]): Promise<Buffer> {
  const output = new PassThrough();
  const [bytes] = await Promise.all([buffer(output), writeChronologyXlsx(entries, output)]);
  return bytes;
}

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://x.example")', `'=HYPERLINK("http://x.example")`],
    ['+44 7700 900123', "'+44 7700 900123"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['- seen at home', "'- seen at home"],
    ["'=already", "''=already"],
    ['-5', '-5'],
    ['-2.75', '-2.75'],
    ['2019-03-02', '2019-03-02'],
    ['23:40', '23:40'],
    ["it's fine", "it's fine"],
    ["'quoted'", "'quoted'"],
    ['', ''],
  ])('writes %j as %j', (value, written) => {
    expect(neutraliseFormula(value)).toBe(written);
    expect(restoreNeutralised(written)).toBe(value);
  });

  it('is undone exactly by restoreNeutralised, for any text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(restoreNeutralised(neutraliseFormula(s))).toBe(s);
      }),
    );
    const risky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", 'a', '1');
    fc.assert(
      fc.property(
        fc.array(risky, { maxLength: 6 }).map((a) => a.join('')),
        (s) => {
          expect(restoreNeutralised(neutraliseFormula(s))).toBe(s);
          // What a spreadsheet would see never starts a formula, unless it is a plain negative number.
          const written = neutraliseFormula(s);
          if (/^[=+\-@\t\r]/.test(written)) expect(written).toMatch(/^-\d+(\.\d+)?$/);
        },
      ),
    );
  });
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' padded ', '" padded "'],
    ['', ''],
  ])('writes %j as %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });
});

describe('chronologyToCsv', () => {
  it('writes the contract columns in order, CRLF lines, with a BOM for Excel', () => {
    const csv = chronologyToCsv([entry({ summary: 'Adults present, "all calm".', actionTaken: '=1+1' })]);
    expect(csv).toBe(
      '\uFEFF' +
        CONTRACT_HEADER +
        '\r\n' +
        'C-000002,2019-03-02,23:40,police,police_incident,"Adults present, ""all calm"".",not_recorded,no,,drugs;organised_crime,PC-07,police officer,\'=1+1,,,POL-118\r\n',
    );
  });

  it('leaves the BOM out on request', () => {
    expect(chronologyToCsv([], { bom: false })).toBe(CONTRACT_HEADER + '\r\n');
  });

  it('adds extra columns after the contract ones, in first-seen order', () => {
    const csv = chronologyToCsv(
      [
        entry({ extra: { kpe_flag: 'yes' } }),
        entry({ child: null, time: null, extra: { Score: '-3', kpe_flag: 'no' } }),
      ],
      { bom: false },
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CONTRACT_HEADER + ',kpe_flag,Score');
    expect(lines[1]!.endsWith(',POL-118,yes,')).toBe(true);
    expect(lines[2]!.startsWith(',2019-03-02,,police,')).toBe(true);
    expect(lines[2]!.endsWith(',POL-118,no,-3')).toBe(true);
  });

  it('refuses extra columns the reader would take for another column', () => {
    expect(() => chronologyToCsv([entry({ extra: { 'Event Type': 'x' } })])).toThrow(/clashes/);
    expect(() => chronologyToCsv([], { extraColumns: ['notes', 'NOTES'] })).toThrow(/clashes/);
    expect(() => chronologyToCsv([], { extraColumns: [' notes'] })).toThrow(/clashes/);
  });

  it('drops control characters that no spreadsheet can hold', () => {
    const csv = chronologyToCsv([entry({ summary: 'bell\u0007 and nul\u0000 gone\ttab kept' })], {
      bom: false,
    });
    expect(csv).toContain(',bell and nul gone\ttab kept,');
  });
});

describe('writeChronologyCsv', () => {
  it('streams the same text as chronologyToCsv, from an async iterable, and ends the output', async () => {
    const entries = [entry(), entry({ date: '2019-04', summary: 'Month only.', extra: { kpe_flag: 'yes' } })];
    const output = new PassThrough();
    async function* generate() {
      yield* entries;
    }
    const [bytes] = await Promise.all([
      buffer(output),
      writeChronologyCsv(generate(), output, { extraColumns: ['kpe_flag'] }),
    ]);
    expect(bytes.toString('utf8')).toBe(chronologyToCsv(entries));
    expect(output.writableEnded).toBe(true);
  });

  it('waits for a slow output rather than buffering everything', async () => {
    const chunks: string[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        waits += 1;
        setImmediate(callback);
      },
    });
    const entries = Array.from({ length: 50 }, (_, i) => entry({ row: i + 2, sourceRef: `POL-${i}` }));
    await writeChronologyCsv(entries, slow);
    expect(chunks.join('')).toBe(chronologyToCsv(entries));
    expect(waits).toBe(51);
  });

  it('refuses an extra column it was not told about when it cannot look ahead', async () => {
    async function* generate() {
      yield entry({ extra: { kpe_flag: 'yes' } });
    }
    const output = new PassThrough();
    output.resume();
    await expect(writeChronologyCsv(generate(), output)).rejects.toThrow(
      /undeclared extra column "kpe_flag"/,
    );
  });
});

describe('writeChronologyXlsx', () => {
  it('writes one Chronology sheet of text cells, header first, formulas neutralised', async () => {
    const bytes = await xlsxBuffer([entry({ summary: '=cmd|calc', extra: { Score: '-3' } })]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(workbook.worksheets).toHaveLength(1);
    expect(sheet.name).toBe('Chronology');
    expect((sheet.getRow(1).values as unknown[]).slice(1).join(',')).toBe(CONTRACT_HEADER + ',Score');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getCell('B2').value).toBe('2019-03-02');
    expect(sheet.getCell('F2').value).toBe("'=cmd|calc");
    expect(sheet.getCell('Q2').value).toBe('-3');
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip: what the writer writes, the reader reads back

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom(
    ',',
    '"',
    '""',
    '\n',
    '\r\n',
    "'",
    '=',
    '-',
    '+',
    '@',
    '\t',
    ' ',
    ';',
    'é',
    '£',
    'ß',
    '中文',
    '😀',
    '\u00a0',
  ),
);
// eslint-disable-next-line no-control-regex
const UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
/** Line breaks as `\n` and no control characters, as the reader gives text back. */
const clean = (parts: string[]) => parts.join('').replace(/\r\n?/g, '\n').replace(UNWRITABLE, '');
/** Text as the reader gives it: also trimmed, and never empty. */
const text = fc
  .array(piece, { minLength: 1, maxLength: 10 })
  .map((parts) => clean(parts).trim())
  .filter((s) => s !== '');
const optionalText = fc.option(text, { nil: null });
/** Extra cells are kept as they came, spaces included, but never empty. */
const extraValue = fc
  .array(piece, { minLength: 1, maxLength: 6 })
  .map(clean)
  .filter((s) => s !== '');
const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const generatedEntry = fc.record({
  child: fc.option(
    fc.oneof(
      fc.integer({ min: 0, max: 999_999 }).map((n) => `C-${String(n).padStart(6, '0')}`),
      text,
    ),
    {
      nil: null,
    },
  ),
  date: fc.oneof(
    day,
    day.map((d) => d.slice(0, 7)),
  ),
  time: fc.option(
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    { nil: null },
  ),
  agency: fc.oneof(
    fc.constantFrom(...AGENCY_CODES),
    fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,2}$/).map(normaliseAgency),
  ),
  eventType: fc.constantFrom(...EVENT_TYPES),
  summary: text,
  childrenPresent: fc.option(fc.constantFrom(...TRISTATE), { nil: null }),
  childSeen: fc.option(fc.constantFrom(...TRISTATE), { nil: null }),
  childVoice: optionalText,
  concerns: fc.uniqueArray(fc.constantFrom(...CONCERN_TAGS), { maxLength: 4 }),
  worker: optionalText,
  practitionerRole: optionalText,
  actionTaken: optionalText,
  outcome: optionalText,
  significance: optionalText,
  sourceRef: optionalText,
  extra: fc
    .subarray(['kpe_flag', 'Score', 'Notes, free text', 'Ünïcode ✓', 'seen alone?'])
    .chain((keys) =>
      fc.tuple(...keys.map((k) => fc.option(extraValue, { nil: null }).map((v) => [k, v] as const))),
    )
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== null)) as Record<string, string>),
  row: fc.constant(0),
});
const generatedEntries = fc
  .array(generatedEntry, { minLength: 1, maxLength: 8 })
  .map((entries) => entries.map((e, i) => ({ ...e, row: i + 2 })));
const EXTRA_COLUMNS = ['kpe_flag', 'Score', 'Notes, free text', 'Ünïcode ✓', 'seen alone?'];

describe('round trip', () => {
  it('reads back from CSV exactly the entries written, at rows 2, 3, ...', async () => {
    await fc.assert(
      fc.asyncProperty(generatedEntries, fc.boolean(), async (entries, bom) => {
        const csv = chronologyToCsv(entries, { extraColumns: EXTRA_COLUMNS, bom });
        const back = await collect(
          readChronologyCsv(Readable.from([Buffer.from(csv)]), { file: 'round.csv' }),
        );
        expect(back).toEqual(entries);
      }),
      { numRuns: 150 },
    );
  });

  it('reads back from XLSX exactly the entries written', async () => {
    await fc.assert(
      fc.asyncProperty(generatedEntries, async (entries) => {
        const output = new PassThrough();
        const [bytes] = await Promise.all([
          buffer(output),
          writeChronologyXlsx(entries, output, { extraColumns: EXTRA_COLUMNS }),
        ]);
        const back = await collect(readChronologyXlsx(Readable.from([bytes]), { file: 'round.xlsx' }));
        expect(back).toEqual(entries);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps commas, quotes, line breaks, formulas and unicode through both formats', async () => {
    const tricky = entry({
      summary: 'Line one, with "quotes"\nline two – ünïcödé 😀',
      actionTaken: '=HYPERLINK("x")',
      outcome: '-',
      significance: "'=already escaped",
      extra: { 'Notes, free text': '  spaced  ', Score: '-3' },
    });
    const csv = chronologyToCsv([tricky]);
    expect(await collect(readChronologyCsv(Readable.from([Buffer.from(csv)]), { file: 't.csv' }))).toEqual([
      tricky,
    ]);
    const bytes = await xlsxBuffer([tricky]);
    expect(await collect(readChronologyXlsx(Readable.from([bytes]), { file: 't.xlsx' }))).toEqual([tricky]);
  });
});
