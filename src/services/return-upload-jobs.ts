import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Executor } from '../db/client.ts';
import { withActorScope } from '../db/actor-scope.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import type { ReadableReturn } from '../db/repositories/return-repository.ts';
import {
  anyQueuedUpload,
  claimQueuedUpload,
  clearStoppedUploads,
  endUpload,
  reportUploadProgress,
  returnUploadJobRepository,
  type ReturnUploadJob,
} from '../db/repositories/return-upload-job-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { agencyUpload, uploadProblems } from '../files/agency-upload.ts';
import { ChronologyFileError, readChronologyCsv, readChronologyXlsx } from '../files/chronology-reader.ts';
import { EventLoopTurns, LIMITS, sizeInWords } from '../limits.ts';
import { actorFor } from './auth-service.ts';
import { audit, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError } from './errors.ts';

/** A refusal with its own words for the person (as opposed to something that broke). */
const isRefusal = (error: unknown) =>
  error instanceof NotFoundError ||
  error instanceof ForbiddenError ||
  error instanceof ConflictError ||
  error instanceof ValidationError;
import type { DraftRoom, UploadedFile } from './return-service.ts';
import { saveUpload } from './upload-file.ts';
import { JobCancelled, JobUnderWay, uploadJobRunner } from './upload-job-runner.ts';

/** An upload the database has heard nothing of for this long has died with its process. */
export const STOPPED_UPLOAD_QUIET_MS = 5 * 60_000;

/** Rows checked between two reports of progress (each also asks whether to stop). */
const PROGRESS_ROWS = 1000;

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

type OwnReturn = (
  tx: Executor,
  actor: Actor,
  reference: string,
) => Promise<{ handle: VisibleReview; ret: ReadableReturn }>;

interface Deps {
  /** The actor's own agency's return, open for change now (refused with why otherwise). */
  loadOwnForChange: OwnReturn;
  /** The actor's own agency's return in any stage (a job's page and its cancel stay open). */
  loadOwn: OwnReturn;
  checkUpload: (actor: Actor, reference: string) => Promise<DraftRoom>;
  upload: (actor: Actor, reference: string, file: UploadedFile) => Promise<{ count: number }>;
}

/**
 * Large uploads to an agency's return, run off the request as jobs of the upload queue (the
 * monitoring loads' machinery: claim, lease, sweep, thread). The file waits in the upload folder;
 * the job checks it whole first (progress, cancel at every thousand rows: nothing is written),
 * then adds its entries through the same upload as the request's, in one transaction that also
 * marks the job done: all or nothing, a crash before the commit leaves nothing and the job is run
 * again from its file. The job acts as the person who queued it, with their access as it is now.
 */
export function returnUploadJobs(ctx: ServiceContext, deps: Deps) {
  const limits = ctx.limits ?? LIMITS;
  // The job's bookkeeping (claim, progress, end) is for no person: the partnership's own connection.
  const jobDb = ctx.system;
  const instance = randomUUID();
  const runner = uploadJobRunner(ctx, 'returns', { runOne, anyQueued: () => anyQueuedUpload(jobDb) });

  /** The actor's own return, open for an upload now (as the request's upload checks it). */
  async function openOwn(tx: Executor, actor: Actor, reference: string) {
    const open = await deps.loadOwnForChange(tx, actor, reference);
    if (open.ret.submittedAt)
      throw new ConflictError('After submission, change entries one at a time and give a reason for each.');
    return open;
  }

  /**
   * Streams a large upload to the upload folder and queues it (one at a time per return: while
   * one waits or runs, another is refused with its name). Access is checked before a byte is read.
   */
  async function queueUpload(
    actor: Actor,
    reference: string,
    input: NodeJS.ReadableStream,
    options: { fileName: string; format: 'csv' | 'xlsx' },
  ) {
    const { ret } = await inTransaction(ctx, async (tx) => {
      const open = await openOwn(tx, actor, reference);
      const active = await returnUploadJobRepository(tx, open.ret.id).active();
      if (active) throw new JobUnderWay(active);
      return open;
    });
    await clearStoppedUploads(jobDb, { quietMs: STOPPED_UPLOAD_QUIET_MS, requestId: ret.id });
    const saved = await saveUpload(ctx, input, {
      extension: options.format,
      maxBytes: limits.chronologyBytes,
      tooLarge: () => {
        const text = `${options.fileName}: the file is larger than ${sizeInWords(limits.chronologyBytes)}, the limit for one chronology upload. Split it into smaller files and upload each one. Nothing was saved.`;
        return new TooLargeError({ file: text }, text);
      },
    });
    try {
      const job = await inTransaction(ctx, async (tx) => {
        // Checked again: the return may have been submitted while the file came in.
        const { handle } = await openOwn(tx, actor, reference);
        const queued = await returnUploadJobRepository(tx, ret.id)
          .queue({
            reviewId: handle.id,
            fileName: options.fileName,
            format: options.format,
            bytesTotal: saved.bytes,
            uploadPath: saved.path,
            startedBy: actor.userId,
            label: actor.name || actor.email,
          })
          .catch(async (error: unknown) => {
            const other = isUniqueViolation(error)
              ? await returnUploadJobRepository(tx, ret.id)
                  .active()
                  .catch(() => null)
              : null;
            throw other ? new JobUnderWay(other) : error;
          });
        await audit(tx, actor, {
          action: 'return.upload.queue',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'agency_request',
          subjectId: ret.id,
          detail: { job: queued.id, file: options.fileName, bytes: saved.bytes },
        });
        return queued;
      });
      void runner.kick();
      return job;
    } catch (error) {
      await rm(saved.path, { force: true });
      throw error;
    }
  }

  /** One of the actor's own return's uploads (audited: its problems may quote the file). */
  async function uploadJob(actor: Actor, reference: string, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('There is no such upload.');
    return inTransaction(ctx, async (tx) => {
      // Only the lead of the agency whose return it is, in a review they are a member of.
      const { handle, ret } = await deps.loadOwn(tx, actor, reference);
      const job = await returnUploadJobRepository(tx, ret.id).find(id);
      if (!job) throw new NotFoundError('There is no such upload.');
      await audit(tx, actor, {
        action: 'return.upload.view',
        outcome: 'success',
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'agency_request',
        subjectId: ret.id,
        detail: { job: id },
      });
      return job;
    });
  }

  /** The person asks a waiting or running upload to stop (audited); a running one rolls back. */
  async function cancel(actor: Actor, reference: string, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('There is no such upload.');
    const result = await inTransaction(ctx, async (tx) => {
      const { handle, ret } = await deps.loadOwn(tx, actor, reference);
      const repo = returnUploadJobRepository(tx, ret.id);
      const asked = await repo.requestCancel(id, actor.name || actor.email, ctx.now());
      if (!asked) {
        const job = await repo.find(id);
        if (!job) throw new NotFoundError('There is no such upload.');
        throw new ConflictError(
          `The upload of ${job.fileName} has already ended: there is nothing to cancel.`,
        );
      }
      await audit(tx, actor, {
        action: 'return.upload.cancel',
        outcome: 'success',
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'agency_request',
        subjectId: ret.id,
        detail: { job: id, file: asked.job.fileName, was: asked.ended ? 'waiting' : 'running' },
      });
      return asked;
    });
    if (result.ended && result.job.uploadPath) await rm(result.job.uploadPath, { force: true });
    return result.job;
  }

  /** Audit of a job's end that is not a success, for the person who queued it. */
  async function recordEnd(job: ReturnUploadJob, partnershipId: string | null, error: string) {
    await auditRepository(jobDb).write({
      action: 'return.upload',
      outcome: 'failure',
      partnershipId,
      userId: job.startedBy,
      reviewId: job.reviewId,
      subjectType: 'agency_request',
      subjectId: job.requestId,
      detail: { job: job.id, file: job.fileName, error },
    });
  }

  /** Claims and runs one queued upload; false when none waits. Whatever happens, the file goes. */
  async function runOne(): Promise<boolean> {
    const claimed = await claimQueuedUpload(jobDb, instance);
    if (!claimed) return false;
    const { job, reference, release } = claimed;
    let keepFile = false;
    try {
      const user = job.startedBy ? await systemRepository(jobDb).userById(job.startedBy) : null;
      const fail = async (error: string) => {
        await endUpload(jobDb, job.id, { status: 'failed', error, at: ctx.now() });
        await recordEnd(job, user?.partnershipId ?? null, error);
      };
      if (!user || user.disabledAt)
        await fail(
          `${job.fileName}: the person who uploaded it can no longer change this return. Nothing was saved.`,
        );
      else if (!job.uploadPath || !existsSync(job.uploadPath))
        await fail(
          `${job.fileName}: the uploaded file is no longer there (was it uploaded to another instance?). Nothing was saved: upload it again.`,
        );
      else {
        const actor = actorFor(user, `upload-${job.id}`);
        // The person's scope: the database's policies hold for the job's reads and writes too.
        await withActorScope(actor, () => checkAndSave(actor, job, reference, job.uploadPath!)).catch(
          (error: unknown) => {
            // The service is stopping: the job stays loading, and runs again from its file.
            if (runner.stopping() && !isRefusal(error)) keepFile = true;
          },
        );
      }
    } finally {
      await release();
      if (job.uploadPath && !keepFile) await rm(job.uploadPath, { force: true });
    }
    return true;
  }

  /**
   * The job itself: the file checked whole, then saved in one transaction; how it ended recorded.
   * Its lease is the claim's (`claimQueuedJob`), held until `runOne` releases it.
   */
  async function checkAndSave(actor: Actor, job: ReturnUploadJob, reference: string, path: string) {
    const state = { rowsRead: 0, bytesRead: 0 };
    const read = job.format === 'xlsx' ? readChronologyXlsx : readChronologyCsv;
    const file = job.fileName;
    try {
      const { agencyCode, maxRows } = await deps.checkUpload(actor, reference);
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          state.bytesRead += chunk.length;
          done(null, chunk);
        },
      });
      const input = createReadStream(path);
      input.on('error', (error) => counter.destroy(error));
      input.pipe(counter);
      // First the whole file is checked, writing nothing: its problems are found before any lock.
      const turns = new EventLoopTurns();
      for await (const _entry of agencyUpload(read(counter, { file, maxRows }), { file, agencyCode })) {
        state.rowsRead += 1;
        if (state.rowsRead % PROGRESS_ROWS === 0) {
          if ((await reportUploadProgress(jobDb, job.id, state)).cancelRequested) throw new JobCancelled();
        }
        if (turns.due()) await turns.give();
      }
      if (
        (await reportUploadProgress(jobDb, job.id, { ...state, phase: 'Saving the entries' })).cancelRequested
      )
        throw new JobCancelled();
      // Then the entries go in as the request's upload adds them, the job's end in the same transaction.
      await deps.upload(actor, reference, {
        name: file,
        entries: ({ agencyCode: code, maxRows: rows }) =>
          agencyUpload(read(createReadStream(path), { file, maxRows: rows }), { file, agencyCode: code }),
        job: {
          id: job.id,
          begin: async () => undefined,
          eachBatch: async (tx) => {
            if (await returnUploadJobRepository(tx, job.requestId).cancelRequested(job.id))
              throw new JobCancelled();
          },
          end: (tx, count) => returnUploadJobRepository(tx, job.requestId).finish(job.id, count, ctx.now()),
        },
      });
    } catch (error) {
      if (runner.stopping() && !isRefusal(error) && !(error instanceof ChronologyFileError)) throw error;
      if (error instanceof JobCancelled) {
        await endUpload(jobDb, job.id, { status: 'cancelled', error: null, at: ctx.now() });
        await recordEnd(job, actor.partnershipId, 'cancelled');
      } else if (error instanceof ChronologyFileError) {
        const { summary, problems, more } = uploadProblems(error, file);
        await endUpload(jobDb, job.id, {
          status: 'failed',
          error: summary,
          problems,
          moreProblems: more,
          at: ctx.now(),
        });
        await recordEnd(job, actor.partnershipId, error.overLimit ? 'over a limit' : 'problems in the file');
      } else {
        // A refusal (the stage moved on, the return was submitted, a limit) says why in its own words.
        const message = isRefusal(error)
          ? error instanceof ForbiddenError
            ? `${file}: you can no longer change this return. Nothing was saved.`
            : error.message
          : `${file}: the upload stopped unexpectedly. Nothing was saved: upload it again.`;
        await endUpload(jobDb, job.id, { status: 'failed', error: message, at: ctx.now() });
        await recordEnd(job, actor.partnershipId, isRefusal(error) ? message : 'stopped unexpectedly');
      }
      throw error;
    }
  }

  /**
   * Uploads whose process died part-way, queued again from their file or failed (audited). When
   * the service starts (with `everyLoading` on the embedded database), before each upload and hourly.
   */
  async function clearStopped(options: { everyLoading?: boolean } = {}) {
    const { stopped, requeued } = await clearStoppedUploads(jobDb, {
      quietMs: STOPPED_UPLOAD_QUIET_MS,
      ...options,
    });
    if (stopped.length || requeued.length)
      await jobDb.transaction(async (tx) => {
        for (const [job, resumed] of [
          ...stopped.map((j) => [j, false] as const),
          ...requeued.map((j) => [j, true] as const),
        ])
          await auditRepository(tx).write({
            action: resumed ? 'return.upload.resume' : 'return.upload',
            outcome: resumed ? 'success' : 'failure',
            partnershipId: null,
            userId: job.startedBy,
            reviewId: job.reviewId,
            subjectType: 'agency_request',
            subjectId: job.requestId,
            detail: {
              job: job.id,
              file: job.fileName,
              ...(resumed ? {} : { error: 'stopped before it finished' }),
            },
          });
      });
    for (const job of stopped) if (job.uploadPath) await rm(job.uploadPath, { force: true });
    return stopped;
  }

  return {
    /**
     * Whether an upload of this size is queued as a job (limits.returnJobBytes): smaller ones are
     * read in the request, where the person sees the entries added, or every problem, at once. A
     * size not known before it is read (a chunked body) is queued.
     */
    uploadQueues: (format: 'csv' | 'xlsx', bytes: number | null) =>
      bytes === null || bytes > (format === 'xlsx' ? limits.returnJobBytes / 4 : limits.returnJobBytes),
    queueUpload,
    uploadJob,
    /** The actor's own return's latest uploads run as jobs (to find one again). */
    recentUploads: (actor: Actor, reference: string) =>
      inTransaction(ctx, async (tx) => {
        const { ret } = await deps.loadOwn(tx, actor, reference);
        return returnUploadJobRepository(tx, ret.id).recent();
      }),
    cancelUpload: cancel,
    clearStoppedUploads: clearStopped,
    /** Runs the queued uploads now (the scheduler's job, and after each upload). */
    runQueued: () => runner.kick(),
    /** Shutdown: no new upload; the one running is run again from its file at the next start. */
    stopJobs: (options: { wait?: boolean } = {}) => runner.stop(options),
  };
}
