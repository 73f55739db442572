import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { returnUploadJobs, reviews } from '../schema.ts';
import { anyQueuedJob, claimQueuedJob, sweepStoppedJobs, type JobTable } from './upload-job-queue.ts';

export type ReturnUploadJob = typeof returnUploadJobs.$inferSelect;

/** Large uploads to agency returns as jobs of the upload queue (src/db/repositories/upload-job-queue.ts). */
export const RETURN_UPLOAD_JOBS: JobTable = {
  name: 'return_upload_jobs',
  lockClass: 4_712,
  firstPhase: 'Checking the file',
  reset: 'bytes_read = 0, rows_read = 0, entries = 0',
};

/** What an upload that died part-way says on its page, and in the audit log. */
export const STOPPED_UPLOAD_ERROR =
  'The upload stopped before it finished (the service stopped or restarted while it ran). Nothing from it was saved: upload the file again.';

/**
 * The upload jobs of one agency's return (`requestId`): the person's own, read and changed in their
 * scope (the database's policies hold), never another return's.
 */
export function returnUploadJobRepository(db: Executor, requestId: string) {
  const mine = (id: string) => and(eq(returnUploadJobs.id, id), eq(returnUploadJobs.requestId, requestId));
  return {
    async queue(values: {
      reviewId: string;
      fileName: string;
      format: 'csv' | 'xlsx';
      bytesTotal: number;
      uploadPath: string;
      startedBy: string;
      label: string;
    }) {
      const [row] = await db
        .insert(returnUploadJobs)
        .values({
          requestId,
          reviewId: values.reviewId,
          fileName: values.fileName,
          format: values.format,
          status: 'queued',
          bytesTotal: values.bytesTotal,
          uploadPath: values.uploadPath,
          startedBy: values.startedBy,
          startedByLabel: values.label,
        })
        .returning();
      return row!;
    },

    /** The upload waiting or running for this return, if any (one at a time). */
    async active() {
      const [row] = await db
        .select()
        .from(returnUploadJobs)
        .where(
          and(
            eq(returnUploadJobs.requestId, requestId),
            inArray(returnUploadJobs.status, ['queued', 'loading']),
          ),
        );
      return row ?? null;
    },

    async find(id: string) {
      const [row] = await db.select().from(returnUploadJobs).where(mine(id));
      return row ?? null;
    },

    async recent(limit = 5) {
      return db
        .select()
        .from(returnUploadJobs)
        .where(eq(returnUploadJobs.requestId, requestId))
        .orderBy(desc(returnUploadJobs.startedAt))
        .limit(limit);
    },

    /** Whether someone has asked this upload to stop (read in the job's own transaction). */
    async cancelRequested(id: string): Promise<boolean> {
      const [row] = await db
        .select({ at: returnUploadJobs.cancelRequestedAt })
        .from(returnUploadJobs)
        .where(mine(id));
      return Boolean(row?.at);
    },

    /**
     * Asks an upload to stop. A waiting one is cancelled at once (returned with `ended`); a running
     * one is marked, and stops and rolls back at its next batch. Null when it has already ended.
     */
    async requestCancel(id: string, by: string, at: Date) {
      const [waiting] = await db
        .update(returnUploadJobs)
        .set({ status: 'cancelled', cancelRequestedAt: at, cancelledBy: by, finishedAt: at })
        .where(and(mine(id), eq(returnUploadJobs.status, 'queued')))
        .returning();
      if (waiting) return { job: waiting, ended: true };
      const [running] = await db
        .update(returnUploadJobs)
        .set({
          cancelRequestedAt: sql`coalesce(${returnUploadJobs.cancelRequestedAt}, ${at.toISOString()}::timestamptz)`,
          cancelledBy: sql`coalesce(${returnUploadJobs.cancelledBy}, ${by})`,
        })
        .where(and(mine(id), eq(returnUploadJobs.status, 'loading')))
        .returning();
      return running ? { job: running, ended: false } : null;
    },

    /** Done: in the transaction that adds the entries, so the two commit (or not) together. */
    async finish(id: string, entries: number, at: Date) {
      await db
        .update(returnUploadJobs)
        .set({ status: 'done', phase: null, entries, finishedAt: at })
        .where(and(mine(id), eq(returnUploadJobs.status, 'loading')));
    },
  };
}

/** Privileged (the job runner): figures and heartbeat; true when someone asked it to stop. */
export async function reportUploadProgress(
  db: Database,
  id: string,
  values: Partial<{ phase: string; bytesRead: number; rowsRead: number }>,
): Promise<{ cancelRequested: boolean }> {
  const [row] = await db
    .update(returnUploadJobs)
    .set({ ...values, heartbeatAt: sql`now()` })
    .where(eq(returnUploadJobs.id, id))
    .returning({ cancel: returnUploadJobs.cancelRequestedAt });
  return { cancelRequested: Boolean(row?.cancel) };
}

/** Privileged (the job runner): a failed or cancelled upload, with why and the file's problems. */
export async function endUpload(
  db: Database,
  id: string,
  end: {
    status: 'failed' | 'cancelled';
    error: string | null;
    problems?: string[] | undefined;
    moreProblems?: number | undefined;
    at: Date;
  },
) {
  await db
    .update(returnUploadJobs)
    .set({
      status: end.status,
      phase: null,
      error: end.error,
      problems: end.problems ?? null,
      moreProblems: end.moreProblems ?? 0,
      finishedAt: end.at,
    })
    .where(and(eq(returnUploadJobs.id, id), eq(returnUploadJobs.status, 'loading')));
}

export const anyQueuedUpload = (db: Database) => anyQueuedJob(db, RETURN_UPLOAD_JOBS);

/** Privileged: claims the oldest queued upload (any return), with its review's reference. */
export async function claimQueuedUpload(db: Database, instance: string) {
  const claimed = await claimQueuedJob(db, RETURN_UPLOAD_JOBS, instance);
  if (!claimed) return null;
  const [row] = await db
    .select({ job: returnUploadJobs, reference: reviews.reference })
    .from(returnUploadJobs)
    .innerJoin(reviews, eq(reviews.id, returnUploadJobs.reviewId))
    .where(eq(returnUploadJobs.id, claimed.id));
  return { job: row!.job, reference: row!.reference, release: claimed.release };
}

/**
 * Privileged: uploads whose process died part-way (`sweepStoppedJobs`), queued again from their
 * file or marked failed. Nothing of theirs was written (the entries go in one transaction with
 * the job's end), so nothing is left to remove.
 */
export function clearStoppedUploads(
  db: Database,
  options: { quietMs: number; everyLoading?: boolean; requestId?: string },
) {
  return sweepStoppedJobs<{ reviewId: string; requestId: string; startedBy: string | null }>(
    db,
    RETURN_UPLOAD_JOBS,
    {
      quietMs: options.quietMs,
      everyLoading: options.everyLoading,
      scope: options.requestId ? sql`request_id = ${options.requestId}` : undefined,
      described: 'review_id as "reviewId", request_id as "requestId", started_by as "startedBy"',
      stoppedError: STOPPED_UPLOAD_ERROR,
    },
  );
}
