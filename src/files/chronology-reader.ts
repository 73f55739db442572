import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { TextDecoder } from 'node:util';
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './load-on-use.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { EventLoopTurns, LIMITS, sizeInWords } from '../limits.ts';
import { checkHeader, normaliseColumnName, recordValidator } from '../domain/chronology/validate.ts';
import { restoreNeutralised } from './chronology-writer.ts';
import { CsvFormatError, CsvRecords, type CsvRecord } from './csv-records.ts';
import { xlsxParts, type XlsxCeilings } from './xlsx-parts.ts';
import { ZipRefusal } from './zip-directory.ts';

/**
 * Reads an agency's chronology (CSV or XLSX) row by row, yielding entries as it goes so a
 * million-row file never sits in memory. Problems are collected while reading continues; at the
 * end any problem throws a ChronologyFileError holding them all, so a caller inserting inside a
 * transaction rolls back: a file goes in whole or not at all. Once a problem is found no more
 * entries are yielded (they would only be rolled back), but checking carries on.
 */

export interface ChronologyProblem {
  file: string;
  row: number | null;
  column: string | null;
  message: string;
  /** The file passed a limit (bytes, rows, inflated size): reading stopped there. */
  limit?: true;
}

export interface ReadOptions {
  /** The file's name as the user knows it, for messages. */
  file: string;
  stopAtFirstProblem?: boolean;
  /** Stop reading after this many problems (default 1000). */
  maxProblems?: number;
  /**
   * The most bytes the file may have, and what it is (for the message); by default one agency's
   * chronology upload (src/limits.ts). Reading stops the moment it is passed.
   */
  maxBytes?: { bytes: number; what: string; advice?: string };
  /** The most data rows to read, and the message naming the limit; reading stops at the row past it. */
  maxRows?: { rows: number; message: string };
  /** What an XLSX may hold and inflate to (default src/limits.ts). */
  xlsx?: XlsxCeilings;
}

/** One agency's chronology upload: the default byte limit of every reader. */
const UPLOAD_BYTES = {
  bytes: LIMITS.chronologyBytes,
  what: 'one chronology upload',
  advice: 'Split it into smaller files and upload each one.',
};

function tooManyBytes(limit: NonNullable<ReadOptions['maxBytes']>): Found {
  return {
    row: null,
    column: null,
    message: `the file is larger than ${sizeInWords(limit.bytes)}, the limit for ${limit.what}.${limit.advice ? ` ${limit.advice}` : ''}`,
    limit: true,
  };
}

/** `north.csv: row 14, column "date": "2019-13-02" is not a date. ...` */
export function formatProblem(p: ChronologyProblem): string {
  const where = [p.row === null ? null : `row ${p.row}`, p.column === null ? null : `column "${p.column}"`]
    .filter((part) => part !== null)
    .join(', ');
  return where === '' ? `${p.file}: ${p.message}` : `${p.file}: ${where}: ${p.message}`;
}

export class ChronologyFileError extends Error {
  readonly problems: ChronologyProblem[];

  /** The file was refused for passing a limit (too large), not (only) for what is in it. */
  get overLimit(): boolean {
    return this.problems.some((p) => p.limit);
  }

  constructor(problems: ChronologyProblem[], stoppedAfter?: number) {
    const [first] = problems;
    if (!first) throw new RangeError('ChronologyFileError needs at least one problem');
    const more = problems.length - 1;
    let message = formatProblem(first);
    if (more > 0) message += ` (and ${more} more problem${more === 1 ? '' : 's'})`;
    if (stoppedAfter !== undefined) message += `; reading stopped after ${stoppedAfter} problems`;
    super(message);
    this.name = 'ChronologyFileError';
    this.problems = problems;
  }
}

type Found = Omit<ChronologyProblem, 'file'>;

/** What a file format hands the shared row checks: a row of cell texts, or a problem. */
type SourceItem =
  { kind: 'row'; row: number; values: string[] } | { kind: 'problem'; problem: Found; fatal: boolean };

/** A problem that ends reading at once (the file cannot be read any further). */
class StopReading extends Error {
  constructor(readonly problem: Found) {
    super(problem.message);
  }
}

const SAVE_AS_CSV = 'In Excel, use Save As and choose "CSV UTF-8 (Comma delimited) (*.csv)".';

// ---------------------------------------------------------------------------------------------
// Public readers

/** A caller's own check of an entry that passed the file's checks: the problem's column and message, or null. */
export type EntryCheck = (entry: ChronologyEntry) => { column: string; message: string } | null;

/**
 * The entries of a file as it is read. A caller may add checks of its own before reading: they
 * run on every row that passes the file's checks, also after a problem elsewhere in the file (when
 * no more entries are handed out), so their problems are reported with all the others, in row order.
 */
export class ChronologyEntries implements AsyncIterable<ChronologyEntry> {
  private readonly checks: EntryCheck[] = [];

  constructor(private readonly read: (checks: readonly EntryCheck[]) => AsyncGenerator<ChronologyEntry[]>) {}

  alsoCheck(check: EntryCheck): this {
    this.checks.push(check);
    return this;
  }

  /**
   * The entries a chunk of the file at a time: the same entries, without a wait for each one (a
   * scan of a million rows spent a good part of its time handing them over one by one).
   */
  batches(): AsyncIterable<ChronologyEntry[]> {
    return { [Symbol.asyncIterator]: () => this.read(this.checks) };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChronologyEntry> {
    for await (const batch of this.read(this.checks)) yield* batch;
  }
}

export function readChronologyCsv(input: NodeJS.ReadableStream, options: ReadOptions): ChronologyEntries {
  return new ChronologyEntries((checks) => csvBatches(input, options, checks));
}

export function readChronologyXlsx(input: NodeJS.ReadableStream, options: ReadOptions): ChronologyEntries {
  return new ChronologyEntries((checks) => xlsxBatches(input, options, checks));
}

function csvBatches(input: NodeJS.ReadableStream, options: ReadOptions, checks: readonly EntryCheck[]) {
  return batchesFrom(csvRows(input, options.maxBytes ?? UPLOAD_BYTES), options, 'csv', checks);
}

function xlsxBatches(input: NodeJS.ReadableStream, options: ReadOptions, checks: readonly EntryCheck[]) {
  const ceilings = options.xlsx ?? {
    zipEntries: LIMITS.xlsxZipEntries,
    inflatedBytes: LIMITS.xlsxInflatedBytes,
    ratio: LIMITS.zipRatio,
  };
  return batchesFrom(xlsxRows(input, options.maxBytes ?? UPLOAD_BYTES, ceilings), options, 'xlsx', checks);
}

/** Reads `.csv` or `.xlsx` by the file's extension. */
export function readChronologyFile(path: string, options: Partial<ReadOptions> = {}): ChronologyEntries {
  return new ChronologyEntries((checks) => fileBatches(path, options, checks));
}

async function* fileBatches(
  path: string,
  options: Partial<ReadOptions>,
  checks: readonly EntryCheck[],
): AsyncGenerator<ChronologyEntry[]> {
  const full: ReadOptions = { ...options, file: options.file ?? path };
  const fail = (message: string) =>
    new ChronologyFileError([{ file: full.file, row: null, column: null, message }]);
  const extension = extname(path).toLowerCase();
  if (extension !== '.csv' && extension !== '.xlsx') {
    if (extension === '')
      throw fail('the file has no extension, so its type is unknown. Use a .csv or .xlsx file.');
    const hint =
      extension === '.xls' ? ' Old Excel (.xls) files must be saved again as .xlsx or CSV UTF-8.' : '';
    throw fail(`a ${extension} file cannot be read as a chronology. Use a .csv or .xlsx file.${hint}`);
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(
      code === 'ENOENT'
        ? 'there is no such file.'
        : code === 'EISDIR'
          ? 'this is a folder, not a file.'
          : `the file cannot be opened (${code ?? (error as Error).message}).`,
    );
  }
  const stream = handle.createReadStream();
  try {
    // A CSV on the person's own disk is streamed in constant memory: no byte limit (a command
    // like scan reads a whole population). An .xlsx is read whole, so it keeps its limits.
    yield* extension === '.csv'
      ? csvBatches(stream, { maxBytes: { bytes: Infinity, what: '' }, ...full }, checks)
      : xlsxBatches(stream, full, checks);
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The checks every format shares

/**
 * The entries that pass, a batch per batch of the source's rows. Entries before the first problem
 * are handed out before it is reported, none after it.
 */
async function* batchesFrom(
  source: AsyncIterable<SourceItem[]>,
  options: ReadOptions,
  format: 'csv' | 'xlsx',
  checks: readonly EntryCheck[] = [],
): AsyncGenerator<ChronologyEntry[]> {
  const { file } = options;
  const maxProblems = options.maxProblems ?? 1000;
  const problems: ChronologyProblem[] = [];
  const fail = () => new ChronologyFileError(problems);
  const add = (found: Found) => {
    problems.push({ file, ...found });
    if (options.stopAtFirstProblem) throw fail();
    if (problems.length >= maxProblems) throw new ChronologyFileError(problems, maxProblems);
  };

  let header: string[] | null = null;
  let width = 0;
  let validate: ReturnType<typeof recordValidator> | null = null;
  let entries = 0;
  let rows = 0;
  let batch: ChronologyEntry[] = [];
  // Checking a chunk's rows is synchronous: let other requests in every slice of time (looking
  // at the clock every 64 rows).
  const turns = new EventLoopTurns();
  let sinceClock = 0;
  try {
    for await (const items of source) {
      for (const item of items) {
        if ((++sinceClock & 63) === 0 && turns.due()) {
          if (batch.length > 0) yield batch.splice(0);
          await turns.give();
        }
        if (item.kind === 'problem') {
          if (batch.length > 0) yield batch.splice(0);
          add(item.problem);
          if (item.fatal) throw fail();
          continue;
        }
        const { row, values } = item;
        const blank = values.every((v) => v.trim() === '');
        if (header === null) {
          if (row !== 1 || blank) {
            add({
              row: 1,
              column: null,
              message:
                'the first row is empty. It must name the columns: date, agency, event_type, summary and any others.',
            });
            throw fail();
          }
          header = values.map((v) => v.trim());
          headerProblems(header).forEach(add);
          if (problems.length > 0) throw fail();
          validate = recordValidator(header);
          // Trailing blank header cells are not columns: a row may stop before them.
          width = header.findLastIndex((name) => name !== '') + 1;
          continue;
        }
        if (blank) continue;
        if (options.maxRows && ++rows > options.maxRows.rows) {
          if (batch.length > 0) yield batch.splice(0);
          // The limit comes first: it is what the person must act on.
          problems.unshift({ file, row, column: null, message: options.maxRows.message, limit: true });
          throw fail();
        }
        const shape = shapeProblem(header, width, values, row, format);
        if (shape) {
          if (batch.length > 0) yield batch.splice(0);
          add(shape);
          continue;
        }
        for (let i = 0; i < values.length; i++) {
          const value = values[i]!;
          // Only a value starting with an apostrophe can be a neutralised formula.
          if (value.charCodeAt(0) === 0x27) values[i] = restoreNeutralised(value);
        }
        const result = validate!(values, row);
        if (!result.ok) {
          if (batch.length > 0) yield batch.splice(0);
          result.problems.forEach(add);
          continue;
        }
        let passed = true;
        for (const check of checks) {
          const found = check(result.entry);
          if (found) {
            if (batch.length > 0) yield batch.splice(0);
            add({ row, ...found });
            passed = false;
          }
        }
        if (passed && problems.length === 0) {
          entries += 1;
          batch.push(result.entry);
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof ChronologyFileError) throw error;
    if (error instanceof StopReading) {
      if (error.problem.limit) problems.unshift({ file, ...error.problem });
      else problems.push({ file, ...error.problem });
      throw fail();
    }
    throw error;
  }
  if (header === null) {
    const what = format === 'csv' ? 'the file' : 'the first worksheet';
    add({ row: null, column: null, message: `${what} is empty: it has no header row.` });
  } else if (entries === 0 && problems.length === 0)
    add({ row: null, column: null, message: 'the file has a header row but no chronology entries.' });
  if (problems.length > 0) throw fail();
}

function headerProblems(header: string[]): Found[] {
  const found: Found[] = checkHeader(header);
  // A European Excel saves "CSV" with semicolons: say so rather than list every column as missing.
  if (header.length === 1 && /[;\t]/.test(header[0] ?? ''))
    return [
      {
        row: 1,
        column: null,
        message: `the columns are separated by ${header[0]!.includes(';') ? 'semicolons' : 'tabs'}, not commas. ${SAVE_AS_CSV}`,
      },
    ];
  return found;
}

/** A row with more or fewer values than the header has columns, or a value under no column. */
function shapeProblem(
  header: string[],
  width: number,
  values: string[],
  row: number,
  format: 'csv' | 'xlsx',
): Found | null {
  if (format === 'csv' && values.length < width)
    return {
      row,
      column: null,
      message: `${counted(values, width)} Check for a missing comma, or a value with a comma or line break that is not in double quotes.`,
    };
  for (let i = 0; i < values.length; i++) {
    if ((header[i] ?? '') !== '' || (values[i] ?? '').trim() === '') continue;
    if (format === 'csv' && i >= header.length)
      return {
        row,
        column: null,
        message: `${counted(values, width)} Check for an extra comma, or a value with a comma that is not in double quotes.`,
      };
    return {
      row,
      column: null,
      message: `column ${i + 1} (${columnLetter(i + 1)}) has a value but no name in the first row. Name the column or remove the value.`,
    };
  }
  return null;
}

function counted(values: string[], width: number): string {
  return `this row has ${values.length} values but the header row has ${width} columns.`;
}

/** Spreadsheet column letters: 1 → A, 28 → AB. */
function columnLetter(n: number): string {
  let letters = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** A record longer than this is refused: a runaway quote, or not a CSV at all. */
const MAX_RECORD_CHARACTERS = 1_000_000;

async function* csvRows(
  input: NodeJS.ReadableStream,
  maxBytes: NonNullable<ReadOptions['maxBytes']>,
): AsyncGenerator<SourceItem[]> {
  const decoder = new Utf8Check();
  let bytes = 0;
  const parser = new CsvRecords(MAX_RECORD_CHARACTERS);
  let header: string[] | null = null;
  let row = 0;
  let encodingReported = false;
  const encodingProblem = (values: readonly string[]): SourceItem => {
    encodingReported = true;
    const at = values.findIndex((v) => v.includes('\uFFFD'));
    const byte = decoder.invalid!.byte.toString(16).toUpperCase().padStart(2, '0');
    return {
      kind: 'problem',
      fatal: false,
      problem: {
        row,
        column: at >= 0 && row > 1 ? (header?.[at] ?? null) : null,
        message: `the file is not saved as UTF-8 text: this row has a character that cannot be read (byte 0x${byte}). ${SAVE_AS_CSV}`,
      },
    };
  };
  // The records parsed so far, as rows: one batch per chunk of the file, not one wait per row.
  const records: CsvRecord[] = [];
  const rows = (): SourceItem[] => {
    const items: SourceItem[] = [];
    for (const { values, bytes } of records) {
      row += 1;
      header ??= values.map((v) => v.trim());
      const invalid = decoder.invalid;
      if (invalid && !encodingReported && bytes > invalid.offset) items.push(encodingProblem(values));
      items.push({ kind: 'row', row, values });
    }
    records.length = 0;
    return items;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      bytes += chunk.length;
      // Refused the moment the limit is passed: the rest is never read.
      if (bytes > maxBytes.bytes) throw new StopReading(tooManyBytes(maxBytes));
      for (const text of decoder.write(chunk)) parser.write(text, records);
      if (records.length > 0) yield rows();
    }
    for (const text of decoder.end()) parser.write(text, records);
    parser.end(records);
    if (records.length > 0) yield rows();
  } catch (error) {
    if (error instanceof StopReading && error.problem.limit) throw error;
    // The rows before the problem are checked too, so every problem is reported.
    if (records.length > 0) yield rows();
    if (error instanceof CsvFormatError) throw new StopReading(csvErrorProblem(error, header ?? []));
    throw error;
  }
  if (decoder.invalid && !encodingReported) yield [encodingProblem([])];
}

/** The parser's errors, said for a person: the row is the record being read when it failed. */
function csvErrorProblem(error: CsvFormatError, header: readonly string[]): Found {
  const row = error.records + 1;
  const column = row > 1 ? (header[error.column] ?? null) : null;
  const quoting = 'Inside a value in double quotes, write a double quote as two ("").';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        row,
        column,
        message: `a value starts with a double quote (") that is never closed. ${quoting}`,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        row,
        column,
        message: `a closing double quote is followed by more text instead of a comma or the end of the line. ${quoting}`,
      };
    case 'INVALID_OPENING_QUOTE':
      return {
        row,
        column,
        message:
          'a double quote (") appears in the middle of a value. Put the whole value in double quotes and write each quote inside it as two ("").',
      };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        row,
        column: null,
        message: `this row is longer than ${MAX_RECORD_CHARACTERS.toLocaleString('en-GB')} characters: a double quote is probably not closed, or the file is not a CSV file.`,
      };
  }
}

/**
 * Passes bytes on once they are known to be UTF-8 (node:buffer's isUtf8). A binary or
 * UTF-16 file stops reading at once. At the first invalid byte it records where that byte lands
 * in its output (which is what the parser counts in a record's `bytes`), so the row can be named,
 * then carries on with replacement characters so the rest of the file is still checked.
 */
class Utf8Check {
  invalid: { offset: number; byte: number } | null = null;
  private lenient: TextDecoder | null = null;
  private carry: Buffer = Buffer.alloc(0);
  private started = false;
  private pushed = 0;
  private output: Buffer[] = [];

  /** The checked bytes of `chunk` (and of any character the previous chunk began). */
  write(chunk: Buffer | string): Buffer[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.check(this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]), false);
    return this.take();
  }

  /** The input has ended: what is left, with a character cut off at the end marked as invalid. */
  end(): Buffer[] {
    this.check(this.carry, true);
    if (this.lenient) this.out(Buffer.from(this.lenient.decode()));
    else if (this.carry.length > 0) {
      // The file ends inside a character.
      this.invalid = { offset: this.pushed, byte: this.carry[0]! };
      this.out(Buffer.from('\uFFFD'));
    }
    return this.take();
  }

  private take(): Buffer[] {
    const output = this.output;
    this.output = [];
    return output;
  }

  private check(bytes: Buffer, ending: boolean): void {
    this.carry = Buffer.alloc(0);
    if (!this.started) {
      if (bytes.length < 4 && !ending) {
        this.carry = bytes; // too little to recognise a file type yet
        return;
      }
      this.started = true;
      sniff(bytes);
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (bytes.includes(0)) throw new StopReading(notText('it contains binary data'));
    if (this.lenient) {
      this.out(Buffer.from(this.lenient.decode(bytes, { stream: true })));
      return;
    }
    const whole = bytes.length - incompleteTail(bytes);
    const body = bytes.subarray(0, whole);
    this.carry = Buffer.from(bytes.subarray(whole));
    if (isUtf8(body)) this.out(body);
    else {
      const bad = firstInvalidByte(body);
      this.out(body.subarray(0, bad));
      this.invalid = { offset: this.pushed, byte: body[bad]! };
      this.lenient = new TextDecoder('utf-8', { ignoreBOM: true });
      this.out(Buffer.from(this.lenient.decode(bytes.subarray(bad), { stream: true })));
      this.carry = Buffer.alloc(0);
    }
  }

  private out(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pushed += bytes.length;
    this.output.push(bytes);
  }
}

function notText(what: string): Found {
  return {
    row: null,
    column: null,
    message: `this is not a CSV text file: ${what}. Choose the chronology saved as "CSV UTF-8 (Comma delimited)", or an Excel workbook (.xlsx).`,
  };
}

/** Files people pick by mistake, known by their first bytes. */
function sniff(bytes: Buffer): void {
  const starts = (...b: number[]) => b.every((value, i) => bytes[i] === value);
  if (starts(0x50, 0x4b, 0x03, 0x04))
    throw new StopReading(
      notText('it looks like an Excel workbook or another zipped file (a workbook must be named .xlsx)'),
    );
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    throw new StopReading(notText('it looks like an old Excel (.xls) or Word document'));
  if (starts(0x25, 0x50, 0x44, 0x46)) throw new StopReading(notText('it is a PDF document'));
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff))
    throw new StopReading(notText('it is saved as UTF-16 ("Unicode text")'));
}

/** Bytes at the end of `bytes` that begin a UTF-8 character the next chunk will finish. */
function incompleteTail(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    const have = bytes.length - i;
    return have < need ? have : 0;
  }
  return 0;
}

/** Where the first invalid sequence in `bytes` starts (bytes known to hold one). */
function firstInvalidByte(bytes: Uint8Array): number {
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), {
        stream: true,
      });
      return true;
    } catch {
      return false;
    }
  };
  // The shortest prefix that fails: decoding a longer prefix cannot succeed again.
  let ok = 0;
  let failing = bytes.length;
  while (failing - ok > 1) {
    const mid = (ok + failing) >> 1;
    if (decodes(mid)) ok = mid;
    else failing = mid;
  }
  return ok - incompleteTail(bytes.subarray(0, ok));
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * The first worksheet's rows. The file is read whole first (it is small: at most the byte limit)
 * because a zip's directory is at its end; then only the parts exceljs needs are inflated, counted
 * against the ceilings (xlsx-parts.ts), so a workbook that unpacks to gigabytes is refused after
 * a few megabytes, before exceljs holds anything.
 */
async function* xlsxRows(
  input: NodeJS.ReadableStream,
  maxBytes: NonNullable<ReadOptions['maxBytes']>,
  ceilings: XlsxCeilings,
): AsyncGenerator<SourceItem[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += bytes.length;
    if (size > maxBytes.bytes) throw new StopReading(tooManyBytes(maxBytes));
    chunks.push(bytes);
  }
  const file = Buffer.concat(chunks, size);
  chunks.length = 0;
  // exceljs never finishes on an empty or non-zip stream, so look at the first bytes ourselves.
  if (file.length === 0)
    throw new StopReading({ row: null, column: null, message: 'the file is empty: it has no header row.' });
  if (!(file[0] === 0x50 && file[1] === 0x4b))
    throw new StopReading({
      row: null,
      column: null,
      message: 'this is not an Excel workbook (.xlsx). Use a .xlsx or .csv file.',
    });
  const Excel = await loadExcelJS();
  let parts: Readable;
  try {
    parts = xlsxParts(file, ceilings);
  } catch (error) {
    throw new StopReading(zipProblem(error, ceilings));
  }
  // A refusal while inflating destroys the parts' stream, which exceljs does not notice (it pipes
  // it): every wait on exceljs is raced against it.
  let refuse: (error: unknown) => void = () => undefined;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  refused.catch(() => undefined);
  parts.on('error', (error) => refuse(error));
  const step = <T>(next: Promise<T>) => Promise.race([next, refused]);
  const workbook = new Excel.stream.xlsx.WorkbookReader(parts, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to know which numbers are dates
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let columns: string[] = [];
  try {
    const sheet = await step(workbook[Symbol.asyncIterator]().next());
    if (!sheet.done) {
      // The first worksheet only.
      const rows = sheet.value[Symbol.asyncIterator]();
      for (let next = await step(rows.next()); !next.done; next = await step(rows.next())) {
        const row = next.value;
        const values: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const name = row.number === 1 ? '' : normaliseColumnName(columns[col - 1] ?? '');
          values[col - 1] = cellText(cell.value, cell.numFmt, name === 'time');
        });
        for (let i = 0; i < values.length; i++) values[i] ??= '';
        if (row.number === 1) columns = values;
        yield [{ kind: 'row', row: row.number, values }];
      }
    }
  } catch (error) {
    if (error instanceof StopReading || error instanceof ChronologyFileError) throw error;
    throw new StopReading(zipProblem(error, ceilings));
  } finally {
    parts.destroy();
  }
}

/** A zip refusal (or exceljs's own failure) said for a person. */
function zipProblem(error: unknown, ceilings: XlsxCeilings): Found {
  const bomb =
    'far more than a chronology needs (it may be a zip bomb). Save it again from Excel, or as "CSV UTF-8".';
  if (error instanceof ZipRefusal && error.reason === 'inflated')
    return {
      row: null,
      column: null,
      message: `the workbook unpacks to more than ${sizeInWords(ceilings.inflatedBytes)}, the limit for one chronology upload: ${bomb}`,
      limit: true,
    };
  if (error instanceof ZipRefusal && error.reason === 'entries')
    return {
      row: null,
      column: null,
      message: `the workbook ${error.message} in a workbook, ${bomb}`,
      limit: true,
    };
  return {
    row: null,
    column: null,
    message: `the workbook cannot be read: it may be damaged or not really an .xlsx file (${(error as Error).message}).`,
  };
}

/** A cell as the text a person sees: dates as YYYY-MM-DD (HH:MM in the time column). */
function cellText(value: ExcelJS.CellValue, numFmt: string | undefined, isTime: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return isDateFormat(numFmt) ? dateText(excelSerialToDate(value), isTime) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, isTime);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value.result ?? null) as ExcelJS.CellValue, numFmt, isTime);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue, numFmt, isTime);
  return '';
}

function isDateFormat(numFmt: string | undefined): boolean {
  // Date formats use d, m, y or h outside quoted text; General and 0.00 do not.
  return !!numFmt && /[dmyh]/i.test(numFmt.replace(/"[^"]*"|\[[^\]]*\]/g, '')) && !/general/i.test(numFmt);
}

function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

function dateText(date: Date, isTime: boolean): string {
  // Excel keeps times as fractions of a day: round to the minute before reading them.
  const rounded = new Date(Math.round(date.getTime() / 60_000) * 60_000).toISOString();
  return isTime ? rounded.slice(11, 16) : rounded.slice(0, 10);
}
