import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { ChronologyEntry } from '../../domain/chronology/entry.ts';
import {
  DEFAULT_SIGNAL_CONFIG,
  detectSignals,
  parseSignalConfig,
  RULE_IDS,
  SignalConfigError,
  type DetectOptions,
  type Signal,
  type SignalConfig,
} from '../../domain/signals/index.ts';
import { isIsoDate } from '../../domain/calendar/iso-date.ts';
import { ChronologyFileError, formatProblem, readChronologyFile } from '../../files/chronology-reader.ts';

export interface ScanIo {
  json?: boolean;
  /** A JSON file of per-partnership thresholds (docs/signals.md). */
  config?: string;
  /**
   * The day the chronologies are complete to (YYYY-MM-DD), e.g. today for live cases; by default
   * each child's latest entry. Rules that wait N days for a follow-up judge up to this day.
   */
  asOf?: string;
  /** Bytes of the file per bucket when it is not grouped by child (tests make it small). */
  spillBucketBytes?: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Progress goes to stderr every this many rows, on a terminal or for a large file. */
const PROGRESS_EVERY = 100_000;
const LARGE_FILE_BYTES = 20 * 1024 * 1024;

/**
 * A file not grouped by child is spread over bucket files on disk, each about this many bytes of
 * the CSV, so memory holds one bucket's children at a time whatever the file's size or order.
 */
const SPILL_BUCKET_BYTES = 16 * 1024 * 1024;

/** Thrown inside the scan for input the user must fix: one line, exit code 2. */
class BadInput extends Error {}

/**
 * `line-of-sight scan FILE.csv [--json] [--config FILE] [--as-of DATE]`: the practice signals in
 * one or more children's chronologies. Returns the exit code: 0 (signals or none), 2 for
 * unreadable input.
 */
export async function runScan(file: string, io: ScanIo): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: stop writing, that is no failure.
  let streamError: NodeJS.ErrnoException | null = null;
  const closed = (error: NodeJS.ErrnoException) => (streamError = error);
  io.stdout.on('error', closed);
  try {
    const config = await loadConfig(io.config);
    const options = detectOptions(io.asOf);
    const progress = await progressReporter(file, io.stderr);
    const result = await scan(file, config, options, progress, io.spillBucketBytes ?? SPILL_BUCKET_BYTES);
    const out = new Output(io.stdout);
    await (io.json ? printJson(out, result.signals) : printSummary(out, result));
    if (streamError && (streamError as NodeJS.ErrnoException).code !== 'EPIPE') throw streamError;
    return 0;
  } catch (error) {
    if (error instanceof ChronologyFileError) {
      const [first] = error.problems;
      io.stderr.write(`line-of-sight scan: ${first ? formatProblem(first) : error.message}\n`);
      return 2;
    }
    if (error instanceof BadInput) {
      io.stderr.write(`line-of-sight scan: ${error.message}\n`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    throw error;
  } finally {
    io.stdout.off('error', closed);
  }
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('print the practice signals in a chronology CSV of one or more children')
    .argument('<file>', 'the chronology (CSV as in docs/interfaces.md)')
    .option('--json', 'print a JSON array of signals')
    .option('--config <file>', 'a JSON file of signal thresholds (see docs/signals.md)')
    .option(
      '--as-of <date>',
      "the day the chronologies are complete to, YYYY-MM-DD (default: each child's latest entry)",
    )
    .action(async (file: string, options: { json?: boolean; config?: string; asOf?: string }) => {
      process.exitCode = await runScan(file, { ...options, stdout: process.stdout, stderr: process.stderr });
    });
}

function detectOptions(asOf: string | undefined): DetectOptions {
  if (asOf === undefined) return {};
  if (!isIsoDate(asOf)) throw new BadInput(`--as-of ${asOf}: give a calendar date as YYYY-MM-DD.`);
  return { asOf };
}

async function loadConfig(path: string | undefined): Promise<SignalConfig> {
  if (path === undefined) return DEFAULT_SIGNAL_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInput(
      `${path}: the config file cannot be read (${code === 'ENOENT' ? 'there is no such file' : code}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BadInput(`${path}: the config file is not valid JSON (${(error as Error).message}).`);
  }
  try {
    return parseSignalConfig(json);
  } catch (error) {
    if (error instanceof SignalConfigError) throw new BadInput(`${path}: ${error.message}.`);
    throw error;
  }
}

interface ScanResult {
  signals: Signal[];
  rows: number;
  children: number;
}

interface Progress {
  read(rows: number, children: number): void;
  /** A file not grouped by child: its parts scanned so far, of how many, and children done. */
  scanned(parts: number, of: number, children: number): void;
}

/**
 * A file grouped by child (each child's rows together, as the generator and most exports write
 * them) is scanned child by child, holding one child's entries at a time. If a child turns up
 * again further down, the file is read a second time and spilled to disk by child (scanSpilled).
 */
async function scan(
  file: string,
  config: SignalConfig,
  options: DetectOptions,
  progress: Progress,
  bucketBytes: number,
): Promise<ScanResult> {
  const grouped = await scanGrouped(file, config, options, progress);
  return grouped ?? scanSpilled(file, config, options, progress, bucketBytes);
}

async function scanGrouped(
  file: string,
  config: SignalConfig,
  options: DetectOptions,
  progress: Progress,
): Promise<ScanResult | null> {
  const signals: Signal[] = [];
  const done = new Set<string | null>();
  let block: ChronologyEntry[] = [];
  let rows = 0;
  const finish = () => {
    if (block.length === 0) return;
    signals.push(...detectSignals(block, config, options));
    done.add(block[0]?.child ?? null);
    block = [];
  };
  for await (const batch of readChronologyFile(file, { stopAtFirstProblem: true }).batches())
    for (const entry of batch) {
      if (block.length > 0 && entry.child !== block[0]?.child) {
        finish();
        if (done.has(entry.child)) return null; // not grouped by child
      }
      block.push(entry);
      progress.read(++rows, done.size + 1);
    }
  finish();
  return { signals, rows, children: done.size };
}

/** The entry's fields in one fixed order: a spilled entry is a JSON array of them, one a line. */
const FIELDS = [
  'child',
  'date',
  'time',
  'agency',
  'eventType',
  'summary',
  'childrenPresent',
  'childSeen',
  'childVoice',
  'concerns',
  'worker',
  'practitionerRole',
  'actionTaken',
  'outcome',
  'significance',
  'sourceRef',
  'extra',
  'row',
] as const satisfies readonly (keyof ChronologyEntry)[];

/** FNV-1a of the child key: the same child always lands in the same bucket. */
function bucketOf(child: string | null, buckets: number): number {
  if (child === null) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < child.length; i += 1) h = Math.imul(h ^ child.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * A file in any order, in bounded memory: every entry is written to the bucket file of its child
 * (a temporary directory, removed afterwards), then each bucket is read back, grouped by child and
 * scanned. Signals are put back in the order each child first appeared in the file, and within a
 * child the rules order them, so the result is exactly what scanning the whole file at once gives.
 */
async function scanSpilled(
  file: string,
  config: SignalConfig,
  options: DetectOptions,
  progress: Progress,
  bucketBytes: number,
): Promise<ScanResult> {
  const size = await stat(file).then((s) => s.size);
  const buckets = Math.max(1, Math.ceil(size / bucketBytes));
  const dir = await mkdtemp(join(tmpdir(), 'line-of-sight-scan-'));
  const path = (i: number) => join(dir, `${i}.jsonl`);
  const writers: WriteStream[] = Array.from({ length: buckets }, (_, i) => createWriteStream(path(i)));
  try {
    const order = new Map<string | null, number>();
    let rows = 0;
    for await (const batch of readChronologyFile(file, { stopAtFirstProblem: true }).batches())
      for (const entry of batch) {
        if (!order.has(entry.child)) order.set(entry.child, order.size);
        const out = writers[bucketOf(entry.child, buckets)] as WriteStream;
        if (!out.write(`${JSON.stringify(FIELDS.map((f) => entry[f]))}\n`)) await once(out, 'drain');
        progress.read(++rows, order.size);
      }
    await Promise.all(
      writers.map(
        (w) =>
          new Promise<void>((resolve, reject) => w.end((e?: Error | null) => (e ? reject(e) : resolve()))),
      ),
    );
    const found: { order: number; signals: Signal[] }[] = [];
    for (let i = 0; i < buckets; i += 1) {
      const byChild = new Map<string | null, ChronologyEntry[]>();
      for await (const line of createInterface({ input: createReadStream(path(i)), crlfDelay: Infinity })) {
        const values = JSON.parse(line) as unknown[];
        const entry = Object.fromEntries(FIELDS.map((f, k) => [f, values[k]])) as unknown as ChronologyEntry;
        const list = byChild.get(entry.child);
        if (list) list.push(entry);
        else byChild.set(entry.child, [entry]);
      }
      for (const [child, entries] of byChild)
        found.push({ order: order.get(child) ?? 0, signals: detectSignals(entries, config, options) });
      progress.scanned(i + 1, buckets, found.length);
    }
    found.sort((a, b) => a.order - b.order);
    return { signals: found.flatMap((f) => f.signals), rows, children: order.size };
  } finally {
    for (const w of writers) w.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

async function progressReporter(file: string, stderr: ScanIo['stderr']): Promise<Progress> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (!stderr.isTTY && size < LARGE_FILE_BYTES) return { read: () => undefined, scanned: () => undefined };
  return {
    read(rows, children) {
      if (rows % PROGRESS_EVERY === 0) {
        stderr.write(
          `Read ${rows.toLocaleString('en-GB')} rows, ${children.toLocaleString('en-GB')} children…\n`,
        );
      }
    },
    scanned(parts, of, children) {
      // About every tenth of the way, and at the end.
      if (parts === of || Math.floor((parts * 10) / of) > Math.floor(((parts - 1) * 10) / of))
        stderr.write(
          `The file is not grouped by child: scanned ${Math.round((parts * 100) / of)}%, ${children.toLocaleString('en-GB')} children…\n`,
        );
    },
  };
}

/** Writes with backpressure; once the pipe is closed, writes are dropped. */
class Output {
  private closed = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.once('error', () => (this.closed = true));
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(text)) {
      await Promise.race([
        once(this.stream as unknown as NodeJS.EventEmitter, 'drain'),
        once(this.stream as unknown as NodeJS.EventEmitter, 'error'),
      ]).catch(() => undefined);
    }
  }
}

/** The JSON array, one signal at a time (never one giant string). */
async function printJson(out: Output, signals: readonly Signal[]): Promise<void> {
  if (signals.length === 0) return out.write('[]\n');
  for (const [i, s] of signals.entries()) await out.write(`${i === 0 ? '[\n' : ',\n'}${JSON.stringify(s)}`);
  await out.write('\n]\n');
}

/** One line per signal under its child, then a count per rule. */
async function printSummary(out: Output, result: ScanResult): Promise<void> {
  let child: string | null | undefined;
  const children = new Set<string | null>();
  for (const s of result.signals) {
    if (s.child !== child) {
      child = s.child;
      children.add(child);
      await out.write(`${child ?? 'Child'}\n`);
    }
    const when = s.from === s.to ? s.from : `${s.from} to ${s.to}`;
    await out.write(
      `  ${when}  ${s.rule} (${s.severity}): ${oneLine(s.explanation)} Evidence: ${s.evidence.join(', ')}.\n`,
    );
  }
  const counts = RULE_IDS.map(
    (rule) => [rule, result.signals.filter((s) => s.rule === rule).length] as const,
  );
  await out.write(
    `${result.signals.length ? '\n' : ''}${result.signals.length} practice signal${result.signals.length === 1 ? '' : 's'} ` +
      `for ${children.size} of ${result.children} ${result.children === 1 ? 'child' : 'children'} (${result.rows} chronology entries read).\n`,
  );
  const width = Math.max(...RULE_IDS.map((r) => r.length));
  for (const [rule, count] of counts) await out.write(`  ${rule.padEnd(width)}  ${count}\n`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
