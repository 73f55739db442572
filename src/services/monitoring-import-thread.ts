import { Worker } from 'node:worker_threads';
import type { DatabaseReach } from '../db/client.ts';
import type { Limits } from '../limits.ts';

/** The kinds of upload job a thread runs: monitoring loads, large uploads to agency returns. */
export type JobKind = 'monitoring' | 'returns';

/** What an upload jobs' thread is started with (plain data: it crosses to the thread). */
export interface ImportThreadData {
  /** Which service's queued jobs it runs. */
  kind: JobKind;
  /** The thread's module: JavaScript in the compiled build, TypeScript (through tsx) from a checkout. */
  entry: string;
  reach: DatabaseReach;
  limits: Limits | undefined;
  uploadDir: string | undefined;
  /** The last request to run that this thread's first pass already answers. */
  seen: number;
}

/** Main thread → loads' thread: look again for queued loads (request number `seq`). */
export type ImportThreadRequest = { type: 'run'; seq: number };
/**
 * Loads' thread → main thread: nothing waits any more, and the last request it had seen when it
 * looked ('idle': it stays a while for the next; 'done': it ends).
 */
export type ImportThreadReply = { type: 'idle' | 'done'; seen: number };

/**
 * How long the thread stays once nothing waits. Starting one costs some CPU (about a second
 * from a checkout, where its TypeScript goes through tsx), and loads often come in a row.
 */
export const IMPORT_THREAD_LINGER_MS = 10_000;

/** Set by the compiled build (scripts/build.mjs): its bundle of the thread, from this file's folder. */
declare const LINE_OF_SIGHT_IMPORT_WORKER: string | undefined;

/** The same boot file as the embedded database's thread: it runs TypeScript through tsx if need be. */
const BOOT = new URL('../db/embedded/worker-boot.js', import.meta.url);

/**
 * The thread's module. The compiled build names its own bundle of it (as it does the embedded
 * database's worker, src/db/embedded/worker-entry.ts); from a checkout (tsx, the tests) it is this
 * folder's TypeScript, which the boot file runs through tsx.
 */
export function importWorkerEntry(): URL {
  if (typeof LINE_OF_SIGHT_IMPORT_WORKER === 'string')
    return new URL(LINE_OF_SIGHT_IMPORT_WORKER, import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return new URL('./monitoring-import-worker.js', import.meta.url);
  return new URL('./monitoring-import-worker.ts', import.meta.url);
}

/**
 * Runs the monitoring loads' jobs (or, `kind` 'returns', large uploads to agency returns, checked
 * and saved the same way off the request) in a worker thread of their own: reading the file, checking it,
 * the signal rules and their writes all happen there, on the thread's own connections to the same
 * database, so the service's thread only answers requests while a load runs. Everything the job
 * tells anyone (progress, how it ended, the audit rows) it writes to the database, as before;
 * a cancel reaches it there too.
 *
 * A thread is started when a load is asked for and none is there; it runs queued loads until none
 * waits, stays `IMPORT_THREAD_LINGER_MS` for another request, then ends (its connections closed).
 * A request while it is there is passed to it; one it could not see before it ended starts another.
 */
export function importThread(options: {
  kind: JobKind;
  reach: DatabaseReach;
  limits?: Limits | undefined;
  uploadDir?: string | undefined;
  log?: (message: string) => void;
}) {
  const log = options.log ?? ((message: string) => console.error(message));
  let worker: Worker | null = null;
  let asked = 0;
  let stopped = false;
  /** Callers waiting for the pass that answers their request. */
  let waiting: { seq: number; resolve: () => void; done: Promise<void> }[] = [];
  const answer = (seen: number) => {
    for (const w of waiting) if (w.seq <= seen) w.resolve();
    waiting = waiting.filter((w) => w.seq > seen);
  };

  const start = () => {
    const data: ImportThreadData = {
      kind: options.kind,
      entry: importWorkerEntry().href,
      reach: options.reach,
      limits: options.limits,
      uploadDir: options.uploadDir,
      seen: asked,
    };
    const thread = new Worker(BOOT, { workerData: data });
    // A thread waiting for more never keeps a process from ending.
    thread.unref();
    worker = thread;
    let ended = false;
    thread.on('message', (reply: ImportThreadReply) => {
      if (reply.type === 'done') ended = true;
      answer(reply.seen);
    });
    // Never the message: a database error's may carry a statement's parameters.
    thread.on('error', (error: Error & { code?: string }) =>
      log(`${options.kind} upload jobs' thread stopped with an error (${error.code ?? error.name})`),
    );
    thread.on('exit', () => {
      worker = null;
      // Asked again after its last look: another thread looks. Not after a failure (no loop).
      if (!stopped && ended && waiting.length) start();
      else answer(Infinity);
    });
  };

  return {
    /** Whether a thread is there (running loads, or waiting a while for the next). */
    busy: () => worker !== null,
    /** Runs the queued loads in the thread; resolves when none waits. */
    run(): Promise<void> {
      if (stopped) return Promise.resolve();
      const seq = ++asked;
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      waiting.push({ seq, resolve, done });
      if (worker) worker.postMessage({ type: 'run', seq } satisfies ImportThreadRequest);
      else start();
      return done;
    },
    /**
     * No new load; with `wait`, the one running finishes first. Then the thread is ended: its
     * connections close, so the database rolls back a transaction left open, and a load still
     * running is left loading, to be queued again at the next start and run again from its file.
     */
    async stop(options: { wait?: boolean } = {}) {
      if (options.wait) await Promise.all(waiting.map((w) => w.done));
      stopped = true;
      await worker?.terminate();
    },
  };
}
