import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import {
  ChronologyEntries,
  ChronologyFileError,
  type ChronologyProblem,
  type EntryCheck,
} from './chronology-reader.ts';

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * An agency's upload as read: every row must be that agency's, and a file cut off at the size
 * limit is refused whole. Problems are collected and thrown at the end with the reader's own,
 * so the caller's transaction rolls back and the person sees every row and column to fix.
 */
export async function* agencyUpload(
  source: AsyncIterable<ChronologyEntry>,
  options: { file: string; agencyCode: string; truncated: () => boolean },
): AsyncGenerator<ChronologyEntry> {
  const problems: ChronologyProblem[] = [];
  const wrongAgency: EntryCheck = (entry) =>
    entry.agency === options.agencyCode
      ? null
      : {
          column: 'agency',
          message: `this return is your agency's only: every row's agency must be ${options.agencyCode}, not "${entry.agency}".`,
        };
  // A reader checks every row itself, also the rows after another problem in the file.
  if (source instanceof ChronologyEntries) source.alsoCheck(wrongAgency);
  try {
    for await (const entry of source) {
      const wrong = wrongAgency(entry);
      if (wrong) problems.push({ file: options.file, row: entry.row, ...wrong });
      else if (!problems.length) yield entry;
    }
  } catch (error) {
    if (!(error instanceof ChronologyFileError)) throw error;
    throw new ChronologyFileError(
      [...error.problems, ...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    );
  }
  if (options.truncated())
    problems.unshift({
      file: options.file,
      row: null,
      column: null,
      message: `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
    });
  if (problems.length) throw new ChronologyFileError(problems);
}
