import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import {
  ChronologyEntries,
  ChronologyFileError,
  type ChronologyProblem,
  type EntryCheck,
} from './chronology-reader.ts';

/**
 * An agency's upload as read: every row must be that agency's. Problems are collected and thrown
 * at the end with the reader's own, so the caller's transaction rolls back and the person sees
 * every row and column to fix. The reader itself refuses a file past the byte or row limit.
 */
export async function* agencyUpload(
  source: AsyncIterable<ChronologyEntry>,
  options: { file: string; agencyCode: string },
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
    // A limit stays first: it is what the person must act on; the rest in row order.
    const all = [...error.problems, ...problems];
    throw new ChronologyFileError([
      ...all.filter((p) => p.limit),
      ...all.filter((p) => !p.limit).sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    ]);
  }
  if (problems.length) throw new ChronologyFileError(problems);
}
