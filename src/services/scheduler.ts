import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { jobRepository } from '../db/repositories/job-repository.ts';
import { safeMessage } from '../observability/safe-error.ts';

export interface Job {
  name: string;
  /** How often to try; a run that is still going is never started twice. */
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * One scheduler for reminders, overdue notices and e-mail: every instance ticks, and a job runs
 * only on the instance that claims it in the database, so several instances never double-send.
 */
export function createScheduler(
  db: Database,
  jobs: Job[],
  options: { now?: () => Date; log?: (msg: string) => void } = {},
) {
  const instance = randomUUID();
  const now = options.now ?? (() => new Date());
  const repo = jobRepository(db);
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;

  /** Runs a job unless stopping; remembers the run so stop() can wait for it. */
  function tick(job: Job) {
    if (stopped) return;
    const run = runOnce(job).catch(() => undefined);
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  async function runOnce(job: Job): Promise<'ran' | 'skipped' | 'failed'> {
    const started = now();
    // The claim outlives a slow run by a margin, and lapses if the instance dies mid-run.
    const until = new Date(started.getTime() + Math.max(job.everyMs, 60_000) * 2);
    if (!(await repo.claim(job.name, instance, started, until))) return 'skipped';
    try {
      await job.run();
      await repo.release(job.name, instance, now(), null);
      return 'ran';
    } catch (error) {
      const message = safeMessage(error);
      options.log?.(`Scheduled job ${job.name} failed: ${message}`);
      await repo.release(job.name, instance, now(), message.slice(0, 1000));
      return 'failed';
    }
  }

  return {
    instance,
    runOnce,
    /** Runs a job by name now (tests, and "send now" after a change). */
    async run(name: string) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`No scheduled job ${name}`);
      return runOnce(job);
    },
    /** Runs each job once now (mail queued while no instance ran goes at once), then on its interval. */
    start() {
      for (const job of jobs) {
        setImmediate(() => tick(job));
        const timer = setInterval(() => tick(job), job.everyMs);
        timer.unref();
        timers.push(timer);
      }
    },
    /** Starts nothing new and waits for runs under way: a shutdown never cuts a job in half. */
    async stop() {
      stopped = true;
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
