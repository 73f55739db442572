import { crc32, deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { LOGO_JPEG, LOGO_PNG } from '../briefing/logos.ts';

/**
 * Generated files for the importers: mostly near misses of a good file (a column or value wrong,
 * quoting broken, bytes flipped, cut short), some good files, and some noise. The importers must
 * take the good ones and refuse the rest with a clear message, never fail.
 */

const EVENT_TYPES = ['referral', 'contact', 'home_visit', 'police_incident', 'case_closed', 'other'];
const COLUMNS = [
  'child',
  'date',
  'time',
  'agency',
  'event_type',
  'summary',
  'children_present',
  'child_seen',
  'child_voice',
  'concerns',
  'worker',
  'practitioner_role',
  'action_taken',
  'outcome',
  'significance',
  'source_ref',
];

/** Text anyone might type or paste, awkward characters included (but no NUL: refused everywhere). */
const awkwardText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'Synthetic visit',
    'Mother said "no"',
    'a,b',
    'line\nbreak',
    'tab\there',
    '£€—é',
    '=1+1',
    '"',
    '""',
    '\r',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Words a person writes in a chronology: printable, with the punctuation CSV cares about. */
const plainText = fc
  .array(
    fc.constantFrom(
      'Synthetic',
      'visit',
      'child',
      'seen',
      'Mother',
      'said',
      '"no"',
      'a,b',
      "child's",
      '£20',
      'é',
      '—',
      'x\ny',
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((words) => words.join(' '));

const isoDay = fc
  .date({ min: new Date('2015-01-01'), max: new Date('2025-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A value the contract accepts for the column. */
function goodCell(column: string, agency: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const good: Record<string, fc.Arbitrary<string>> = {
    child: fc.integer({ min: 1, max: 30 }).map((n) => `C-${String(n).padStart(6, '0')}`),
    date: fc.oneof(
      { weight: 5, arbitrary: isoDay },
      { weight: 1, arbitrary: isoDay.map((d) => d.slice(0, 7)) },
    ),
    time: fc.constantFrom('', '09:30', '23:59'),
    agency,
    event_type: fc.constantFrom(...EVENT_TYPES),
    summary: plainText,
    children_present: fc.constantFrom('', 'yes', 'no', 'not_recorded'),
    child_seen: fc.constantFrom('', 'yes', 'no', 'not_recorded'),
    concerns: fc.constantFrom('', 'drugs', 'drugs;alcohol', 'neglect'),
  };
  return good[column] ?? fc.oneof(fc.constant(''), plainText);
}

/** A value for a column: usually a good one, sometimes a near miss, sometimes anything. */
function cell(column: string, agency: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const nearMiss: Record<string, fc.Arbitrary<string>> = {
    date: fc.constantFrom('2019-13-01', '2019-02-30', '01/02/2019', '2019-3-1', '9999-99-99', ''),
    time: fc.constantFrom('24:00', '9:5', 'noon'),
    event_type: fc.constantFrom('Home Visit', 'visit', ''),
    children_present: fc.constantFrom('Yes', 'maybe'),
    child_seen: fc.constantFrom('y', 'seen'),
    concerns: fc.constantFrom('unknown_tag', ';;'),
    summary: fc.constantFrom('', '   '),
  };
  return fc.oneof(
    { weight: 6, arbitrary: goodCell(column, agency) },
    { weight: 1, arbitrary: nearMiss[column] ?? awkwardText },
    { weight: 1, arbitrary: awkwardText },
  );
}

/** One CSV field as a spreadsheet writes it: quoted when it must be, sometimes when it need not. */
const quoted = (value: string, always: boolean) =>
  always || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/**
 * A chronology CSV: a header of known columns (some missing, some unknown, now and then twice) and
 * rows for it, with the endings, quoting and byte-order marks spreadsheets produce.
 */
export function chronologyCsv(options: {
  agency: fc.Arbitrary<string>;
  withChild: boolean;
  /** Every column the contract needs and every value good: a file that must be taken. */
  strict?: boolean;
}): fc.Arbitrary<string> {
  const value = options.strict ? goodCell : cell;
  const required = options.withChild
    ? ['child', 'date', 'agency', 'event_type', 'summary']
    : ['date', 'agency', 'event_type', 'summary'];
  const header = fc
    .tuple(
      fc.subarray(COLUMNS.filter((c) => !required.includes(c) && (options.withChild || c !== 'child'))),
      options.strict ? fc.constant(required) : fc.subarray(required, { minLength: required.length - 1 }),
      options.strict
        ? fc.array(fc.constantFrom('Notes', 'Extra detail'), { maxLength: 1 })
        : fc.array(fc.constantFrom('Notes', 'Date', ' summary ', 'EVENT_TYPE', 'extra', ''), {
            maxLength: 2,
          }),
    )
    .chain(([optional, needed, unknown]) =>
      fc.shuffledSubarray([...needed, ...optional, ...unknown], {
        minLength: needed.length + optional.length + unknown.length,
      }),
    );
  return header.chain((columns) =>
    fc
      .record({
        rows: fc.array(fc.tuple(...columns.map((c) => value(c.trim().toLowerCase(), options.agency))), {
          minLength: options.strict ? 1 : 0,
          maxLength: 12,
        }),
        quoteAll: fc.boolean(),
        ending: fc.constantFrom('\n', '\r\n'),
        bom: fc.boolean(),
        finalNewline: fc.boolean(),
        ragged: options.strict ? fc.constant(null) : fc.option(fc.nat({ max: 11 }), { freq: 4 }),
      })
      .map(({ rows, quoteAll, ending, bom, finalNewline, ragged }) => {
        const lines = [columns.map((c) => quoted(c, quoteAll)).join(',')];
        rows.forEach((row, i) => {
          const fields = row.map((v) => quoted(v, quoteAll));
          // A row with a field too many or too few.
          if (ragged === i) fields.push('extra');
          lines.push(fields.join(','));
        });
        return (bom ? '\uFEFF' : '') + lines.join(ending) + (finalNewline ? ending : '');
      }),
  );
}

/** One change to a file's bytes, at a place given as a fraction of its length. */
export type Edit =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'cut'; at: number }
  | { kind: 'drop'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const place = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: place, byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: place }),
  fc.record({ kind: fc.constant('drop' as const), at: place, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: place, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: place,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
);

/** Bytes damaged as a disk, a transfer or a person might: flipped, dropped, repeated, cut short. */
export function applyEdits(bytes: Buffer, edits: Edit[]): Buffer {
  let out = Buffer.from(bytes);
  for (const e of edits) {
    const at = Math.min(out.length, Math.floor(e.at * out.length));
    if (e.kind === 'flip') {
      if (out.length) out[Math.min(at, out.length - 1)]! ^= e.byte;
    } else if (e.kind === 'cut') out = out.subarray(0, at);
    else if (e.kind === 'drop') out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
    else if (e.kind === 'repeat') out = Buffer.concat([out.subarray(0, at + e.length), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), Buffer.from(e.bytes), out.subarray(at)]);
  }
  return out;
}

/** What a generated file is: a made one (good, or damaged by edits), or noise. */
export type FileCase<R> = { made: R; edits: Edit[] } | { noise: Uint8Array };

/** A file generator: the recipe (shrinkable, printable) and how to make its bytes. */
export interface FileKind<R> {
  cases: fc.Arbitrary<FileCase<R>>;
  make: (recipe: R) => Buffer | Promise<Buffer>;
}

/**
 * Good files (`good`: ones the contract takes), near misses (`recipes`), damaged files and noise,
 * about 2 : 2 : 2 : 1.
 */
function kind<R>(
  recipes: fc.Arbitrary<R>,
  make: FileKind<R>['make'],
  good: fc.Arbitrary<R> = recipes,
): FileKind<R> {
  return {
    make,
    cases: fc.oneof(
      { weight: 2, arbitrary: good.map((made) => ({ made, edits: [] as Edit[] })) },
      { weight: 2, arbitrary: recipes.map((made) => ({ made, edits: [] as Edit[] })) },
      {
        weight: 2,
        arbitrary: fc.record({ made: recipes, edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }),
      },
      { weight: 1, arbitrary: fc.record({ noise: fc.uint8Array({ maxLength: 300 }) }) },
    ),
  };
}

/** The bytes of one generated case. */
export async function bytesOf<R>(file: FileKind<R>, input: FileCase<R>): Promise<Buffer> {
  if ('noise' in input) return Buffer.from(input.noise);
  return applyEdits(await file.make(input.made), input.edits);
}

const police = fc.oneof(
  { weight: 8, arbitrary: fc.constant('police') },
  { weight: 1, arbitrary: fc.constantFrom('csc', 'Police', '') },
);

/** An agency's chronology as CSV (its rows must be its own agency's). */
export const agencyCsv = kind(
  chronologyCsv({ agency: police, withChild: false }),
  (s) => Buffer.from(s),
  chronologyCsv({ agency: fc.constant('police'), withChild: false, strict: true }),
);

/** The population's chronology for monitoring: several children, any agency. */
export const monitoringCsv = kind(
  chronologyCsv({
    agency: fc.constantFrom('police', 'csc', 'health-visiting', 'school', 'gp', 'Police Service', ''),
    withChild: true,
  }),
  (s) => Buffer.from(s),
  chronologyCsv({
    agency: fc.constantFrom('police', 'csc', 'health-visiting', 'school', 'gp'),
    withChild: true,
    strict: true,
  }),
);

type XlsxCell = ExcelJS.CellValue;

interface XlsxRecipe {
  header: string[];
  rows: XlsxCell[][];
  sheets: number;
}

/** An agency's chronology as an Excel workbook: good ones, and cells of every kind. */
export const agencyXlsx = kind<XlsxRecipe>(
  fc.record({
    header: fc.shuffledSubarray(['date', 'agency', 'event_type', 'summary', 'time', 'source_ref', 'Notes'], {
      minLength: 3,
    }),
    rows: fc.array(
      fc.array(
        fc.oneof(
          cell('date', police) as fc.Arbitrary<XlsxCell>,
          fc.constantFrom<XlsxCell>('police', 'contact', 'home_visit'),
          fc.date({ min: new Date('2010-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
          fc.double({ noNaN: true }),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.constant<XlsxCell>({ formula: '1+1', result: 2 } as XlsxCell),
          fc.constant<XlsxCell>({ richText: [{ text: 'Rich ' }, { text: 'text', font: { bold: true } }] }),
          fc.constant<XlsxCell>({ text: 'a link', hyperlink: 'https://example.org' }),
        ),
        { maxLength: 8 },
      ),
      { maxLength: 8 },
    ),
    sheets: fc.integer({ min: 1, max: 2 }),
  }),
  async ({ header, rows, sheets }) => {
    const workbook = new ExcelJS.Workbook();
    for (let s = 0; s < sheets; s++) {
      const sheet = workbook.addWorksheet(`Sheet${s + 1}`);
      sheet.addRow(header);
      for (const row of rows) sheet.addRow(row);
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  },
  fc.record({
    header: fc.constant(['date', 'agency', 'event_type', 'summary']),
    rows: fc.array(
      fc.tuple(
        fc.oneof(
          isoDay as fc.Arbitrary<XlsxCell>,
          isoDay.map((d) => new Date(`${d}T00:00:00Z`)) as fc.Arbitrary<XlsxCell>,
        ),
        fc.constant<XlsxCell>('police'),
        fc.constantFrom<XlsxCell>(...EVENT_TYPES),
        plainText as fc.Arbitrary<XlsxCell>,
      ),
      { minLength: 1, maxLength: 8 },
    ),
    sheets: fc.constant(1),
  }),
);

const BRIEFING_LINES = [
  '# Child Q',
  '## Background',
  'Background and Concerns',
  '## Key Lines of Enquiry',
  'Key Practice Episodes',
  'Expected good practice',
  'Areas for improvement',
  '## Learning',
  'Progress/Impact',
  'Further information',
  '- A point for practice',
  '• Another point',
  '1. Numbered',
  '* [link](https://example.org)',
  '',
  '---',
  '> quoted',
  '| a | b |',
];

/** A 7-minute briefing as text or Markdown: headings, bullets and prose, well or badly formed. */
export const briefingText = kind(
  fc.record({
    lines: fc.array(fc.oneof(fc.constantFrom(...BRIEFING_LINES), awkwardText), { maxLength: 40 }),
    ending: fc.constantFrom('\n', '\r\n'),
  }),
  ({ lines, ending }) => Buffer.from(lines.join(ending)),
);

/** A Word briefing written by the docx library from generated sections. */
export const briefingDocx = kind(
  fc.array(
    fc.tuple(
      fc.constantFrom('Background', 'Learning', 'Key Lines of Enquiry', 'Notes'),
      fc.array(awkwardText, { maxLength: 5 }),
    ),
    { maxLength: 6 },
  ),
  async (sections) => {
    const children = sections.flatMap(([heading, paragraphs]) => [
      new Paragraph({ text: heading, heading: HeadingLevel.HEADING_2 }),
      ...paragraphs.map((p) => new Paragraph({ text: p })),
    ]);
    return Packer.toBuffer(new Document({ sections: [{ children }] }));
  },
);

/** A picture for the partnership's logo: real ones, made ones (any size, any kind of PNG). */
export const logo = kind(
  fc.oneof(
    fc.constantFrom('png' as const, 'jpeg' as const),
    fc.record({
      width: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(0, 2001, 65_535, 2 ** 31 - 1)),
      height: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(0, 2001, 65_535)),
      depth: fc.constantFrom(1, 2, 4, 8, 16, 3),
      colour: fc.constantFrom(0, 2, 3, 4, 6, 5),
      rows: fc.integer({ min: 0, max: 70 }),
      fill: fc.integer({ min: 0, max: 255 }),
    }),
  ),
  (recipe) => {
    if (recipe === 'png') return LOGO_PNG;
    if (recipe === 'jpeg') return LOGO_JPEG;
    const { width, height, depth, colour, rows, fill } = recipe;
    const bytesPerRow = 1 + Math.ceil((Math.min(width, 64) * depth * 4) / 8);
    return pngOf(width, height, depth, colour, Buffer.alloc(bytesPerRow * rows, fill));
  },
);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function pngOf(width: number, height: number, depth: number, colour: number, raw: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width >>> 0, 0);
  header.writeUInt32BE(height >>> 0, 4);
  header[8] = depth;
  header[9] = colour;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(colour === 3 ? [pngChunk('PLTE', Buffer.alloc(12, 0x80))] : []),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
