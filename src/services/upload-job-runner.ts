import { withoutActorScope } from '../db/actor-scope.ts';
import { formatDateTime } from '../domain/calendar/format.ts';
import { ConflictError } from './errors.ts';
import type { ServiceContext } from './context.ts';
import { importThread, type JobKind } from './monitoring-import-thread.ts';

/** Someone asked a running job to stop: it stops at its next batch and rolls back. */
export class JobCancelled extends Error {
  override readonly name = 'JobCancelled';
  constructor() {
    super('The load was cancelled.');
  }
}

/** One job at a time per dataset (a monitoring dataset, an agency's return): the refusal names the one under way. */
export class JobUnderWay extends ConflictError {
  constructor(
    readonly run: {
      id: string;
      fileName: string;
      status: string;
      startedAt: Date;
      startedByLabel: string | null;
    },
  ) {
    super(
      `${run.fileName} is ${run.status === 'queued' ? 'waiting to be loaded' : 'being loaded'} (started ${formatDateTime(run.startedAt)}${run.startedByLabel ? ` by ${run.startedByLabel}` : ''}). Wait for it to finish, or cancel it, before loading another file.`,
    );
  }
}

/**
 * Runs one kind of queued upload job (a monitoring load, a large return upload) off the request:
 * in the service, in a worker thread of its own (src/services/monitoring-import-thread.ts), which
 * runs this same code there; elsewhere (a command, that thread, a test with its own clock) here,
 * one job after another until none waits. Never in a person's scope: the job's own work is for the
 * partnership (a job that acts for a person takes their scope itself).
 */
export function uploadJobRunner(
  ctx: ServiceContext,
  kind: JobKind,
  jobs: { runOne: () => Promise<boolean>; anyQueued: () => Promise<boolean> },
) {
  let draining: Promise<void> | null = null;
  let again = false;
  let stopping = false;
  const thread = ctx.jobThread
    ? importThread({ kind, reach: ctx.jobThread, limits: ctx.limits, uploadDir: ctx.uploadDir })
    : null;

  /**
   * Runs queued jobs until none waits; a call while it runs makes it look again before it stops.
   * A thread is started only for a job that waits (the scheduler asks every 30 s); one that is
   * there already is asked to look again.
   */
  function kick(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (thread)
      return thread.busy()
        ? thread.run()
        : withoutActorScope(async () => {
            if (await jobs.anyQueued()) await thread.run();
          });
    again = true;
    if (!draining)
      draining = withoutActorScope(async () => {
        try {
          while (again && !stopping) {
            again = false;
            while (!stopping && (await jobs.runOne())) again = false;
          }
        } finally {
          draining = null;
        }
      });
    return draining;
  }

  return {
    kick,
    /** Whether the service is stopping: a job cut off now is left to run again at the next start. */
    stopping: () => stopping,
    /**
     * Shutdown: no new job is started, and the one running is left to be run again at the next
     * start (its thread ended, its open transaction rolled back); with `wait`, waits for it to
     * finish (tests).
     */
    async stop(options: { wait?: boolean } = {}) {
      stopping = true;
      await thread?.stop(options);
      if (options.wait) await draining;
    },
  };
}
