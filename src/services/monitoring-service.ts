import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Database, Executor } from '../db/client.ts';
import { monitoringRepository } from '../db/repositories/monitoring-repository.ts';
import {
  anyQueuedImport,
  claimQueuedImport,
  clearStoppedImports,
  entryFromRow,
  holdImportLease,
} from '../db/repositories/monitoring-repository.ts';
import { mayLoadMonitoringData, mayReadFrontDoorLists, type Actor } from '../domain/lifecycle/roles.ts';
import { scanChild, type Signal, type SignalConfig } from '../domain/signals/index.ts';
import type { ChildProfile } from '../domain/signals/profile.ts';
import { ChronologyFileError, formatProblem, readChronologyCsv } from '../files/chronology-reader.ts';
import { EventLoopTurns, LIMITS, sizeInWords } from '../limits.ts';
import { parseInput } from '../schemas/parse.ts';
import { frontDoorQuery } from '../schemas/monitoring.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';
import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError } from './errors.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { partnershipSignalConfig } from './signal-settings-service.ts';
import { monitoringStager } from './monitoring-staging.ts';
import { JobCancelled, JobUnderWay, uploadJobRunner } from './upload-job-runner.ts';
import { saveUpload } from './upload-file.ts';

/** An import the database has heard nothing of for this long has died with its process. */
export const STOPPED_IMPORT_QUIET_MS = 5 * 60_000;

/** Children per read while scanning (rows per batch while loading: `monitoringStager`). */
export const SCAN_BATCH = 500;

/**
 * Who an import acts for: a signed-in person, or the command line (or the job runner, for the
 * person who queued the load: `onBehalfOf`) on the partnership's behalf.
 */
export type Importer = Actor | { partnershipId: string; label: string; onBehalfOf?: string | null };
const isActor = (who: Importer): who is Actor => 'userId' in who;

export interface ImportOptions {
  fileName: string;
  bytesTotal?: number | null;
  onProgress?: (run: {
    phase: string;
    rowsRead: number;
    bytesRead: number;
    children: number;
    childrenScanned: number;
  }) => void;
}

/** A file that is not a monitoring chronology: one line naming the file, row and column. */
export class MonitoringFileError extends ValidationError {
  constructor(message: string) {
    super({ file: message }, message);
  }
}

/** A cancelled load, and the refusal of a second load while one waits or runs (`uploadJobRunner`'s). */
export { JobCancelled as ImportCancelled, JobUnderWay as ImportUnderWay };

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

/**
 * The population scan of one staged import: children in key order, a batch at a time, each
 * child's entries read in chronology order (only the columns the rules use), signals and profile
 * written back. Exported for the benchmark, which compares it with `readImport` (a bare read of
 * the same rows).
 *
 * Pipelined: the next batch is asked for before this one is scanned, and a batch's signals are
 * written while the next is scanned, so the database's work and the rules' overlap. At most one
 * read and one write are in flight (each on its own connection on a server; in turn on PGlite),
 * so memory stays at a few batches whatever the size of the dataset.
 */
export async function scanImport(
  db: Database,
  partnershipId: string,
  importId: string,
  config: SignalConfig,
  onBatch: (scanned: number, signals: number) => Promise<void> = async () => {},
) {
  const read = (after: string | null) =>
    monitoringRepository(db, partnershipId).chronologiesAfter(importId, after, SCAN_BATCH, 'rules');
  const turns = new EventLoopTurns();
  let scanned = 0;
  let signalCount = 0;
  const names = await monitoringRepository(db, partnershipId).agencyNames();
  let next = settled(read(null));
  let writing: Promise<unknown> | null = null;
  try {
    for (;;) {
      const children = await next;
      if (!children.length) break;
      next = settled(read(children[children.length - 1]!.key));
      const signals: { childId: string; signal: Signal }[] = [];
      const profiles: { childId: string; profile: ChildProfile }[] = [];
      for (const child of children) {
        // A batch is about 50,000 entries: other people's requests are answered between children.
        if (turns.due()) await turns.give();
        for (const e of child.entries) {
          const name = names.get(e.agency);
          if (name) e.agencyName = name;
        }
        const found = scanChild(child.key, child.entries, config);
        for (const signal of found.signals) signals.push({ childId: child.id, signal });
        profiles.push({ childId: child.id, profile: found.profile });
      }
      if (writing) await writing;
      const done = scanned + children.length;
      const total = signalCount + signals.length;
      writing = settled(
        db
          .transaction(async (tx) => {
            const r = monitoringRepository(tx, partnershipId);
            await r.insertSignals(signals);
            await r.saveProfiles(profiles);
          })
          .then(() => onBatch(done, total)),
      );
      scanned = done;
      signalCount = total;
    }
    if (writing) await writing;
  } finally {
    // On a failure, nothing may still be running against the import when the caller cleans up.
    await Promise.allSettled([next, writing]);
  }
  return { children: scanned, signals: signalCount };
}

/**
 * The benchmark's baseline: a bare read of the same chronologies in the same order and batches,
 * every column (`all`) or only those the scan reads (`rules`), and nothing else.
 */
export async function readImport(
  db: Executor,
  partnershipId: string,
  importId: string,
  columns: 'all' | 'rules' = 'all',
) {
  const repo = monitoringRepository(db, partnershipId);
  let after: string | null = null;
  let rows = 0;
  for (;;) {
    const children = await repo.chronologiesAfter(importId, after, SCAN_BATCH, columns);
    if (!children.length) break;
    after = children[children.length - 1]!.key;
    for (const child of children) rows += child.entries.length;
  }
  return rows;
}

/**
 * A promise awaited later rather than now: marked as handled at once, so that its failure is not
 * reported as unhandled in the meantime (it still throws where it is awaited).
 */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Population monitoring, apart from reviews: a partnership's dataset of many children's
 * chronologies loaded from CSV, scanned in the database, and the front door's two lists.
 */
export function monitoringService(ctx: ServiceContext) {
  const limits = ctx.limits ?? LIMITS;
  const requireReader = (actor: Actor, action: AuditAction) => {
    if (!mayReadFrontDoorLists(actor))
      throw new ForbiddenError(
        'Only review coordinators, partnership administrators and board members can see the front door lists.',
        denial(actor, { action }),
      );
  };

  /**
   * Loads a CSV as the partnership's new dataset. Rows are staged in batches (each its own
   * short transaction, so the run's progress can be read meanwhile) under a new import run that
   * no list reads; only when every row has been read and scanned does one transaction make it
   * the current dataset and drop the previous one. Any problem removes the staged rows and
   * leaves the previous dataset as it was: all or nothing.
   */
  async function importCsv(who: Importer, input: NodeJS.ReadableStream, options: ImportOptions) {
    if (isActor(who) && !mayLoadMonitoringData(who))
      throw new ForbiddenError(
        'Only review coordinators and partnership administrators can load the monitoring dataset.',
        denial(who, { action: 'monitoring.import' }),
      );
    const partnershipId = who.partnershipId;
    const repo = monitoringRepository(ctx.system, partnershipId);
    // An import that died part-way (its process killed) leaves staged rows: they go before a new one.
    await clearStopped({ partnershipId });
    const active = await repo.activeImport();
    if (active) throw new JobUnderWay(active);
    const run = await repo
      .startImport({
        fileName: options.fileName,
        bytesTotal: options.bytesTotal ?? null,
        startedBy: isActor(who) ? who.userId : null,
        label: isActor(who) ? who.email : who.label,
      })
      .catch(async (error: unknown) => {
        const other = isUniqueViolation(error) ? await repo.activeImport() : null;
        throw other ? new JobUnderWay(other) : error;
      });
    const releaseLease = await holdImportLease(ctx.system, run.id);
    try {
      return await loadAndScan(who, run, input, options);
    } finally {
      await releaseLease();
    }
  }

  async function loadAndScan(
    who: Importer,
    run: { id: string },
    input: NodeJS.ReadableStream,
    options: ImportOptions,
  ) {
    const partnershipId = who.partnershipId;
    const repo = monitoringRepository(ctx.system, partnershipId);
    const state = { phase: 'Reading rows', rowsRead: 0, bytesRead: 0, children: 0, childrenScanned: 0 };
    const report = () => options.onProgress?.({ ...state });
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        state.bytesRead += chunk.length;
        done(null, chunk);
      },
    });
    input.on('error', (error) => counter.destroy(error));
    input.pipe(counter);

    const stager = monitoringStager(ctx.system, partnershipId, run.id, {
      state,
      cancelled: () => new JobCancelled(),
      staged: report,
    });

    try {
      // The byte limit is checked as the file is read: past it, the import fails and nothing changes.
      const maxBytes = {
        bytes: limits.monitoringBytes,
        what: 'the monitoring dataset',
        advice: "Export a shorter period of the front door's records.",
      };
      for await (const entry of readChronologyCsv(counter, { file: options.fileName, maxBytes })) {
        if (!entry.child?.trim())
          throw new MonitoringFileError(
            `${options.fileName}: row ${entry.row}, column "child": every row of a monitoring file needs the child's key (for example C-000123).`,
          );
        state.rowsRead += 1;
        await stager.add(entry);
      }
      await stager.finish();
      await stager.close(false);
      if (state.rowsRead === 0) throw new MonitoringFileError(`${options.fileName}: the file has no rows.`);

      state.phase = 'Scanning children';
      if ((await repo.progress(run.id, { phase: state.phase })).cancelRequested) throw new JobCancelled();
      const config = await partnershipSignalConfig(ctx.system, partnershipId);
      const result = await scanImport(ctx.system, partnershipId, run.id, config, async (scanned, signals) => {
        state.childrenScanned = scanned;
        const { cancelRequested } = await repo.progress(run.id, { childrenScanned: scanned, signals });
        if (cancelRequested) throw new JobCancelled();
        report();
      });

      await ctx.system.transaction(async (tx) => {
        // Asked to stop after the last batch: nothing is made current.
        if (!(await monitoringRepository(tx, partnershipId).makeCurrent(run.id, ctx.now())))
          throw new JobCancelled();
        await auditRepository(tx).write({
          action: 'monitoring.import',
          outcome: 'success',
          partnershipId,
          userId: isActor(who) ? who.userId : (who.onBehalfOf ?? null),
          requestId: isActor(who) ? who.requestId : null,
          subjectType: 'monitoring-import',
          subjectId: run.id,
          detail: {
            file: options.fileName,
            rows: state.rowsRead,
            children: result.children,
            signals: result.signals,
          },
        });
      });
      return { id: run.id, rows: state.rowsRead, children: result.children, signals: result.signals };
    } catch (error) {
      await stager.close(true);
      // The service is stopping under a queued load: it stays loading, and is run again from its
      // file at the next start (the sweep queues it again), rather than failed.
      if (runner.stopping() && 'onBehalfOf' in who && !(error instanceof ValidationError)) throw error;
      const failed = (detail: Record<string, unknown>) =>
        auditRepository(ctx.system).write({
          action: 'monitoring.import',
          outcome: 'failure',
          partnershipId,
          userId: isActor(who) ? who.userId : (who.onBehalfOf ?? null),
          subjectType: 'monitoring-import',
          subjectId: run.id,
          detail: { file: options.fileName, ...detail },
        });
      if (error instanceof JobCancelled) {
        await repo.fail(run.id, null, ctx.now(), 'cancelled');
        await failed({ error: 'cancelled', rows: state.rowsRead });
        throw error;
      }
      const message =
        error instanceof ChronologyFileError
          ? error.problems[0]
            ? formatProblem(error.problems[0])
            : error.message
          : error instanceof ValidationError
            ? error.message
            : 'The import stopped unexpectedly.';
      await repo.fail(run.id, message, ctx.now());
      await failed({ error: message });
      if (error instanceof ChronologyFileError) throw new MonitoringFileError(message);
      throw error;
    }
  }

  /**
   * Imports whose process died part-way: their staged rows removed, each marked failed with the
   * reason and recorded in the audit log. Before every import, when the service starts and hourly.
   */
  async function clearStopped(options: { partnershipId?: string; everyLoading?: boolean } = {}) {
    const { stopped, requeued } = await clearStoppedImports(ctx.system, {
      quietMs: STOPPED_IMPORT_QUIET_MS,
      ...options,
    });
    if (stopped.length || requeued.length)
      await ctx.system.transaction(async (tx) => {
        for (const run of stopped)
          await auditRepository(tx).write({
            action: 'monitoring.import',
            outcome: 'failure',
            partnershipId: run.partnershipId,
            subjectType: 'monitoring-import',
            subjectId: run.id,
            detail: { file: run.fileName, error: 'stopped before it finished' },
          });
        for (const run of requeued)
          await auditRepository(tx).write({
            action: 'monitoring.import.resume',
            outcome: 'success',
            partnershipId: run.partnershipId,
            subjectType: 'monitoring-import',
            subjectId: run.id,
            detail: { file: run.fileName },
          });
      });
    // A failed job's upload goes; a requeued one keeps its file, to be run again from it.
    for (const run of stopped) if (run.uploadPath) await rm(run.uploadPath, { force: true });
    // Run again by the job runner (its next tick; at start-up at once), never by this process if
    // it is a command that happened to look.
    return stopped;
  }

  // Loads queued from the web and the API, run off the request by this instance ----------------

  const instance = randomUUID();
  // The service: the jobs run in a worker thread of their own (which runs this same code, there).
  const runner = uploadJobRunner(ctx, 'monitoring', { runOne, anyQueued: () => anyQueuedImport(ctx.system) });

  /**
   * Streams an uploaded file to the upload directory and queues its load (one at a time per
   * dataset: while one waits or runs, another is refused with its name). The runner is told at
   * once; the person follows the load on its page.
   */
  async function queueUpload(
    actor: Actor,
    input: NodeJS.ReadableStream,
    options: { fileName: string; bytesTotal?: number | null },
  ) {
    if (!mayLoadMonitoringData(actor))
      throw new ForbiddenError(
        'Only review coordinators and partnership administrators can load the monitoring dataset.',
        denial(actor, { action: 'monitoring.import' }),
      );
    await clearStopped({ partnershipId: actor.partnershipId });
    const before = await inTransaction(ctx, (tx) =>
      monitoringRepository(tx, actor.partnershipId).activeImport(),
    );
    if (before) throw new JobUnderWay(before);
    let uploadPath: string | null = null;
    try {
      const saved = await saveUpload(ctx, input, {
        extension: 'csv',
        maxBytes: limits.monitoringBytes,
        tooLarge: () =>
          new TooLargeError(
            { file: 'too large' },
            `${options.fileName}: the file is larger than ${sizeInWords(limits.monitoringBytes)}, the limit for the monitoring dataset. Export a shorter period of the front door's records.`,
          ),
      });
      uploadPath = saved.path;
      const bytes = saved.bytes;
      const run = await inTransaction(ctx, async (tx) => {
        const repo = monitoringRepository(tx, actor.partnershipId);
        const queued = await repo
          .queueImport({
            fileName: options.fileName,
            bytesTotal: bytes,
            uploadPath: saved.path,
            startedBy: actor.userId,
            label: actor.email,
          })
          .catch(async (error: unknown) => {
            if (!isUniqueViolation(error)) throw error;
            throw new ConflictError('another load started at the same moment');
          });
        await audit(tx, actor, {
          action: 'monitoring.import.queue',
          outcome: 'success',
          subjectType: 'monitoring-import',
          subjectId: queued.id,
          detail: { file: options.fileName, bytes },
        });
        return queued;
      });
      void runner.kick();
      return run;
    } catch (error) {
      if (uploadPath) await rm(uploadPath, { force: true });
      if (error instanceof ConflictError && !(error instanceof JobUnderWay)) {
        const other = await inTransaction(ctx, (tx) =>
          monitoringRepository(tx, actor.partnershipId).activeImport(),
        );
        if (other) throw new JobUnderWay(other);
      }
      throw error;
    }
  }

  /** Claims and runs one queued load; false when none waits. Whatever happens, the file goes. */
  async function runOne(): Promise<boolean> {
    const claimed = await claimQueuedImport(ctx.system, instance);
    if (!claimed) return false;
    const { run, release } = claimed;
    try {
      const who = {
        partnershipId: run.partnershipId,
        label: run.startedByLabel ?? 'the web',
        onBehalfOf: run.startedBy,
      };
      const path = run.uploadPath ?? '';
      if (!existsSync(path)) {
        const message = `${run.fileName}: the uploaded file is no longer there (was it uploaded to another instance?). Nothing was changed: load it again.`;
        await monitoringRepository(ctx.system, run.partnershipId).fail(run.id, message, ctx.now());
        await auditRepository(ctx.system).write({
          action: 'monitoring.import',
          outcome: 'failure',
          partnershipId: run.partnershipId,
          userId: run.startedBy,
          subjectType: 'monitoring-import',
          subjectId: run.id,
          detail: { file: run.fileName, error: 'upload missing' },
        });
        return true;
      }
      await loadAndScan(who, run, createReadStream(path), {
        fileName: run.fileName,
        bytesTotal: run.bytesTotal,
      }).catch(() => undefined); // the run records how it ended, and the audit log too
    } finally {
      await release();
      if (run.uploadPath) await rm(run.uploadPath, { force: true });
    }
    return true;
  }

  /** A person asks a waiting or running load to stop (audited); a running one rolls back. */
  async function cancel(actor: Actor, id: string) {
    if (!mayLoadMonitoringData(actor))
      throw new ForbiddenError(
        'Only review coordinators and partnership administrators can cancel a load of the monitoring dataset.',
        denial(actor, { action: 'monitoring.import.cancel' }),
      );
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('There is no such import.');
    const result = await inTransaction(ctx, async (tx) => {
      const repo = monitoringRepository(tx, actor.partnershipId);
      const asked = await repo.requestCancel(id, actor.email, ctx.now());
      if (!asked) {
        const run = await repo.importRun(id);
        if (!run) throw new NotFoundError('There is no such import.');
        throw new ConflictError(`The load of ${run.fileName} has already ended: there is nothing to cancel.`);
      }
      await audit(tx, actor, {
        action: 'monitoring.import.cancel',
        outcome: 'success',
        subjectType: 'monitoring-import',
        subjectId: id,
        detail: { file: asked.run.fileName, was: asked.ended ? 'waiting' : 'running' },
      });
      return asked;
    });
    if (result.ended && result.run.uploadPath) await rm(result.run.uploadPath, { force: true });
    return result.run;
  }

  async function list(
    actor: Actor,
    kind: 're-referrals' | 'check-and-challenge',
    query: unknown,
    exported: boolean,
  ) {
    const action = `front-door.${kind}.${exported ? 'export' : 'view'}` as const;
    requireReader(actor, action);
    const q = parseInput(frontDoorQuery, query ?? {});
    return inTransaction(ctx, async (tx) => {
      const repo = monitoringRepository(tx, actor.partnershipId);
      const page = await repo.listChildren(kind, exported ? { ...q, limit: 100_000, offset: 0 } : q);
      const dataset = await repo.currentImport();
      await audit(tx, actor, {
        action,
        outcome: 'success',
        subjectType: 'monitoring-list',
        subjectId: kind,
        detail: {
          filter: { ...q, limit: undefined, offset: undefined },
          shown: page.items.length,
          total: page.total,
        },
      });
      return { ...page, query: q, dataset };
    });
  }

  return {
    importCsv,
    clearStopped,
    queueUpload,
    cancel,
    /** Runs the queued loads now (the scheduler's job, and after each upload). */
    runQueued: () => runner.kick(),
    /** Shutdown (`uploadJobRunner`'s stop): no new load; the one running is run again at the next start. */
    stopJobs: (options: { wait?: boolean } = {}) => runner.stop(options),

    async imports(actor: Actor) {
      requireReader(actor, 'monitoring.imports.view');
      return inTransaction(ctx, async (tx) => ({
        runs: await monitoringRepository(tx, actor.partnershipId).importRuns(),
        mayLoad: mayLoadMonitoringData(actor),
      }));
    },

    async importRun(actor: Actor, id: string) {
      requireReader(actor, 'monitoring.imports.view');
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('There is no such import.');
      return inTransaction(ctx, async (tx) => {
        const run = await monitoringRepository(tx, actor.partnershipId).importRun(id);
        if (!run) throw new NotFoundError('There is no such import.');
        return run;
      });
    },

    reReferrals: (actor: Actor, query: unknown, options: { exported?: boolean } = {}) =>
      list(actor, 're-referrals', query, Boolean(options.exported)),
    checkAndChallenge: (actor: Actor, query: unknown, options: { exported?: boolean } = {}) =>
      list(actor, 'check-and-challenge', query, Boolean(options.exported)),

    /** One monitored child's history and signals (audited). */
    async child(actor: Actor, key: string) {
      requireReader(actor, 'front-door.child.view');
      return inTransaction(ctx, async (tx) => {
        const repo = monitoringRepository(tx, actor.partnershipId);
        const child = await repo.child(key);
        if (!child) throw new NotFoundError(`There is no child ${key} in the monitoring dataset.`);
        const entries = (await repo.entriesOf([child.id])).map((r) => entryFromRow(r, child.childKey));
        const signals = await repo.signalsOf([child.id]);
        const agencyNames = await repo.agencyNames();
        await audit(tx, actor, {
          action: 'front-door.child.view',
          outcome: 'success',
          subjectType: 'monitored-child',
          subjectId: child.childKey,
        });
        return { child, entries, signals, agencyNames };
      });
    },
  };
}
