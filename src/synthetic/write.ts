import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { writeChronologyCsv } from '../files/chronology-writer.ts';
import { generateChild } from './child.ts';
import type { ExpectedSignal } from './story.ts';

export interface GenerateOptions {
  children: number;
  seed: number;
  out: string;
  /** Called after each child with the running totals. */
  onProgress?: (progress: { children: number; rows: number }) => void;
}

export interface GenerateSummary {
  children: number;
  rows: number;
  expectedSignals: number;
  chronologyFile: string;
  groundTruthFile: string;
}

/**
 * Writes `chronology.csv` (one block of rows per child) and `ground-truth.json` (the signals that
 * must fire), child by child, so a million rows never sit in memory. Files are written under a
 * temporary name and renamed at the end: a failed run leaves nothing half-written behind.
 */
export async function writeSyntheticData(options: GenerateOptions): Promise<GenerateSummary> {
  await mkdir(options.out, { recursive: true });
  const chronologyFile = join(options.out, 'chronology.csv');
  const groundTruthFile = join(options.out, 'ground-truth.json');
  const partial = (file: string) => `${file}.partial`;
  const truth = createWriteStream(partial(groundTruthFile), 'utf8');
  let rows = 0;
  let expectedSignals = 0;
  let children = 0;
  try {
    await write(truth, '[');
    async function* entries(): AsyncGenerator<ChronologyEntry> {
      for (let i = 0; i < options.children; i += 1) {
        const child = generateChild(options.seed, i, rows + 2);
        for (const expected of child.expected)
          await write(truth, `${expectedSignals++ ? ',' : ''}\n${json(expected)}`);
        rows += child.entries.length;
        children += 1;
        yield* child.entries;
        options.onProgress?.({ children, rows });
      }
    }
    await writeChronologyCsv(entries(), createWriteStream(partial(chronologyFile), 'utf8'));
    await write(truth, '\n]\n');
    await new Promise<void>((resolve, reject) =>
      truth.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await rename(partial(chronologyFile), chronologyFile);
    await rename(partial(groundTruthFile), groundTruthFile);
  } catch (error) {
    truth.destroy();
    await Promise.all([
      rm(partial(chronologyFile), { force: true }),
      rm(partial(groundTruthFile), { force: true }),
    ]);
    throw error;
  }
  return { children, rows, expectedSignals, chronologyFile, groundTruthFile };
}

function json(expected: ExpectedSignal): string {
  const { child, rule, evidence, pattern } = expected;
  return JSON.stringify({ child, rule, evidence, pattern });
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
