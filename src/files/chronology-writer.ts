import { once } from 'node:events';
import type { Stream } from 'node:stream';
import { loadExcelJS } from './load-on-use.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import {
  CHRONOLOGY_COLUMNS,
  normaliseColumnName,
  type ChronologyColumn,
} from '../domain/chronology/validate.ts';

/**
 * Writes chronology entries as the CSV of docs/interfaces.md (or the same table as an Excel
 * workbook): the contract's columns in order, then any extra columns. What this writes,
 * chronology-reader reads back to the same entries.
 */

export interface WriteOptions {
  /**
   * Extra columns to write after the contract's, in this order. Needed when `entries` is not an
   * array (the header comes first, so it cannot wait for the last entry); for an array it
   * defaults to every extra key, in first-seen order.
   */
  extraColumns?: readonly string[];
}

export interface CsvWriteOptions extends WriteOptions {
  /** Start with a UTF-8 byte order mark so Excel opens accents and "£" correctly. Default true. */
  bom?: boolean;
}

type Entries = Iterable<ChronologyEntry> | AsyncIterable<ChronologyEntry>;

// ---------------------------------------------------------------------------------------------
// Formula neutralising (OWASP "CSV injection")

const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
/** A plain negative number is data, not a formula; an apostrophe would only spoil it. */
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first)
 * gets a leading apostrophe. So does one that already starts with apostrophes before such a
 * character, so that the reader's restoreNeutralised can always undo exactly one apostrophe.
 * ISO dates and times start with a digit and are never touched; `-5` and `-2.5` are left as
 * they are, while `-5+cmd|...` or a bullet like `- seen at home` is neutralised.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !NEGATIVE_NUMBER.test(value) ? `'${value}` : value;
}

/** The reader's inverse of neutraliseFormula. */
export function restoreNeutralised(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

/** Control characters have no place in a chronology and XML (XLSX) cannot hold them. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

function cell(value: string | null): string {
  return value === null ? '' : neutraliseFormula(value.replace(CONTROL, ''));
}

// ---------------------------------------------------------------------------------------------
// Rows

const FIELD: Record<ChronologyColumn, (e: ChronologyEntry) => string | null> = {
  child: (e) => e.child,
  date: (e) => e.date,
  time: (e) => e.time,
  agency: (e) => e.agency,
  event_type: (e) => e.eventType,
  summary: (e) => e.summary,
  children_present: (e) => e.childrenPresent,
  child_seen: (e) => e.childSeen,
  child_voice: (e) => e.childVoice,
  concerns: (e) => e.concerns.join(';'),
  worker: (e) => e.worker,
  practitioner_role: (e) => e.practitionerRole,
  action_taken: (e) => e.actionTaken,
  outcome: (e) => e.outcome,
  significance: (e) => e.significance,
  source_ref: (e) => e.sourceRef,
};

function headerFor(extraColumns: readonly string[]): string[] {
  const seen = new Set<string>(CHRONOLOGY_COLUMNS);
  for (const name of extraColumns) {
    const normalised = normaliseColumnName(name);
    // The reader would take these for a contract column, a duplicate, or no column at all.
    if (name !== name.trim() || normalised === '' || seen.has(normalised))
      throw new Error(
        `Cannot write the extra column ${JSON.stringify(name)}: it clashes with another column or is blank.`,
      );
    seen.add(normalised);
  }
  return [...CHRONOLOGY_COLUMNS, ...extraColumns];
}

/** One entry's cells, in header order, neutralised. */
export function entryCells(entry: ChronologyEntry, extraColumns: readonly string[]): string[] {
  const declared = new Set(extraColumns);
  for (const key of Object.keys(entry.extra))
    if (!declared.has(key))
      throw new Error(`Entry at row ${entry.row} has the undeclared extra column ${JSON.stringify(key)}.`);
  return [
    ...CHRONOLOGY_COLUMNS.map((c) => cell(FIELD[c](entry))),
    ...extraColumns.map((c) => cell(entry.extra[c] ?? null)),
  ];
}

function extraColumnsOf(entries: Entries, options: WriteOptions): readonly string[] {
  if (options.extraColumns) return options.extraColumns;
  if (!Array.isArray(entries)) return [];
  const keys = new Set<string>();
  for (const entry of entries as readonly ChronologyEntry[])
    for (const key of Object.keys(entry.extra)) keys.add(key);
  return [...keys];
}

// ---------------------------------------------------------------------------------------------
// CSV

/** RFC 4180: quote a field holding a comma, quote or line break, and double its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

/** The whole CSV as one string, for small chronologies and API responses. */
export function chronologyToCsv(entries: readonly ChronologyEntry[], options: CsvWriteOptions = {}): string {
  const extra = extraColumnsOf(entries, options);
  let out = ((options.bom ?? true) ? '\uFEFF' : '') + csvLine(headerFor(extra));
  for (const entry of entries) out += csvLine(entryCells(entry, extra));
  return out;
}

/** Streams the CSV to `output`, waiting when it is full, and ends it. */
export async function writeChronologyCsv(
  entries: Entries,
  output: NodeJS.WritableStream,
  options: CsvWriteOptions = {},
): Promise<void> {
  const extra = extraColumnsOf(entries, options);
  const write = async (text: string) => {
    if (!output.write(text)) await once(output as unknown as NodeJS.EventEmitter, 'drain');
  };
  await write(((options.bom ?? true) ? '\uFEFF' : '') + csvLine(headerFor(extra)));
  for await (const entry of entries) await write(csvLine(entryCells(entry, extra)));
  await new Promise<void>((resolve) => output.end(resolve));
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * Streams an Excel workbook (one "Chronology" sheet, header frozen) to `output` and ends it.
 * Every cell is text, so month-only dates and leading zeros survive. The caller must be
 * reading `output` while this runs (exceljs waits for it to finish).
 */
export async function writeChronologyXlsx(
  entries: Entries,
  output: NodeJS.WritableStream,
  options: WriteOptions = {},
): Promise<void> {
  const extra = extraColumnsOf(entries, options);
  const header = headerFor(extra);
  const Excel = await loadExcelJS();
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: output as unknown as Stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Chronology', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((name) => ({
    key: name,
    width: name === 'summary' ? 60 : Math.max(12, name.length + 2),
  }));
  const headerRow = sheet.addRow(header);
  headerRow.font = { bold: true };
  headerRow.commit();
  for await (const entry of entries) sheet.addRow(entryCells(entry, extra)).commit();
  sheet.commit();
  await workbook.commit();
}
