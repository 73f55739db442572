import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import {
  ChronologyEntries,
  ChronologyFileError,
  type ChronologyProblem,
  formatProblem,
  type EntryCheck,
} from './chronology-reader.ts';

/** Upload problems listed on the page; the rest are counted. */
export const SHOWN_PROBLEMS = 100;

/**
 * What the person is told of a refused upload, the same whether it was read in the request or by
 * its job: one summary (a file past a limit is refused for that alone, in the limit's own words),
 * then each problem naming the file, row and column, the first SHOWN_PROBLEMS of them.
 */
export function uploadProblems(error: ChronologyFileError, name: string) {
  const problems = error.problems.map(formatProblem);
  const [first] = error.problems;
  const n = problems.length;
  const summary =
    error.overLimit && first
      ? `${formatProblem(first)} Nothing was saved.`
      : `${name} has ${n} ${n === 1 ? 'problem' : 'problems'}. Nothing was saved: fix ${n === 1 ? 'it' : 'them'} and upload the file again.`;
  return { summary, problems: problems.slice(0, SHOWN_PROBLEMS), more: Math.max(0, n - SHOWN_PROBLEMS) };
}

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
