import { loadJSZip } from './load-on-use.ts';
import { csvField, neutraliseFormula } from './chronology-writer.ts';

/** One file of a subject access answer: a record as JSON, or a list as CSV. */
export type SubjectAccessFile =
  | { path: string; kind: 'json'; value: unknown; about: string }
  | { path: string; kind: 'csv'; rows: Record<string, unknown>[]; about: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(text).join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** A list as CSV: a header of its columns, text a spreadsheet will not run as a formula. */
export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const line = (cells: string[]) =>
    cells.map((c) => csvField(neutraliseFormula(c.replace(CONTROL, '')))).join(',') + '\r\n';
  return line(columns) + rows.map((r) => line(columns.map((c) => text(r[c])))).join('');
}

/**
 * The ZIP a subject access request is answered with: a readme saying what was searched, when and
 * by whom, what each file holds and what is left out, then each file.
 */
export async function subjectAccessZip(readme: string, files: readonly SubjectAccessFile[]): Promise<Buffer> {
  const zip = new (await loadJSZip())();
  // A fixed date inside the archive: the same answer makes the same bytes.
  const date = new Date('2000-01-01T00:00:00Z');
  const index = files.map((f) => `- ${f.path}: ${f.about}`).join('\n');
  zip.file('README.txt', `${readme.trimEnd()}\n\nFiles\n-----\n${index || '- (none: nothing is held)'}\n`, {
    date,
  });
  for (const f of files)
    zip.file(f.path, f.kind === 'json' ? `${JSON.stringify(f.value, null, 2)}\n` : rowsToCsv(f.rows), {
      date,
    });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
