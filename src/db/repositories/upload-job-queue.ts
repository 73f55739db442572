import { sql, type SQL } from 'drizzle-orm';
import { poolOf, sessionLocksAreOwnedByConnections, type Database, type Executor } from '../client.ts';

/**
 * The queue of uploads run as jobs (issue 18): a monitoring load (`monitoring_imports`) and a
 * large upload to an agency's return (`return_upload_jobs`). Each kind's table has the same job
 * columns (status queued → loading → …, upload_path, claimed_by, attempts, heartbeat_at,
 * cancel_requested_at, finished_at, error, phase); this module claims, leases and sweeps them
 * for either. Privileged: the runner works for the partnership, not for a person.
 */
export interface JobTable {
  /** The table (a constant of the code, never input). */
  name: 'monitoring_imports' | 'return_upload_jobs';
  /** The advisory-lock class of its running jobs (the second key is from the job's id). */
  lockClass: number;
  /** The phase a claimed job starts in. */
  firstPhase: string;
  /** The SET clause that zeroes its figures for a fresh attempt (constant SQL). */
  reset: string;
}

/** How many times a queued job is started before a crash every time fails it. */
export const MAX_JOB_ATTEMPTS = 3;

const lockKey = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 7), 16);
const rowsOf = async <T>(db: Executor, query: SQL) =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/**
 * A running job holds a session-level advisory lock on a connection of its own, so that on a
 * server any instance can tell at once whether the job's process is alive: PostgreSQL frees the
 * lock the moment that connection dies. (The embedded database has one session; the heartbeat and
 * its start-up rule stand in for this there.)
 */
export async function holdJobLease(db: Database, table: JobTable, id: string): Promise<() => Promise<void>> {
  if (!sessionLocksAreOwnedByConnections(db)) return async () => undefined;
  const client = await poolOf(db).connect();
  await client.query('select pg_advisory_lock($1, $2)', [table.lockClass, lockKey(id)]);
  return async () => {
    try {
      await client.query('select pg_advisory_unlock($1, $2)', [table.lockClass, lockKey(id)]);
    } finally {
      client.release();
    }
  };
}

/** Whether any job of this kind waits (any partnership): a cheap look before starting a runner. */
export async function anyQueuedJob(db: Database, table: JobTable): Promise<boolean> {
  const rows = await rowsOf(
    db,
    sql`select 1 from ${sql.identifier(table.name)} where status = 'queued' limit 1`,
  );
  return rows.length > 0;
}

/**
 * Claims the oldest queued job of this kind for the runner `instance`, marking it loading. On a
 * server the claim and the job's lease (`holdJobLease`) are taken together, on the lease's own
 * connection, so no sweep ever sees the job loading without its lease. Null when nothing waits.
 */
export async function claimQueuedJob(
  db: Database,
  table: JobTable,
  instance: string,
): Promise<{ id: string; release: () => Promise<void> } | null> {
  const claim = `update ${table.name} set status = 'loading', phase = $2,
      claimed_by = $1, attempts = attempts + 1, heartbeat_at = now(), ${table.reset}
    where id = (select id from ${table.name} where status = 'queued'
                order by started_at, id limit 1 for update skip locked)
    returning id`;
  if (!sessionLocksAreOwnedByConnections(db)) {
    const name = sql.identifier(table.name);
    const rows = await rowsOf<{ id: string }>(
      db,
      sql`update ${name} set status = 'loading', phase = ${table.firstPhase}, claimed_by = ${instance},
            attempts = attempts + 1, heartbeat_at = now(), ${sql.raw(table.reset)}
          where id = (select id from ${name} where status = 'queued'
                      order by started_at, id limit 1 for update skip locked)
          returning id`,
    );
    const id = rows[0]?.id;
    return id ? { id, release: async () => undefined } : null;
  }
  const client = await poolOf(db).connect();
  let id: string | undefined;
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(claim, [instance, table.firstPhase]);
    id = rows[0]?.id;
    if (id) await client.query('select pg_advisory_lock($1, $2)', [table.lockClass, lockKey(id)]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    client.release();
    throw error;
  }
  if (!id) {
    client.release();
    return null;
  }
  const claimed = id;
  return {
    id: claimed,
    release: async () => {
      try {
        await client.query('select pg_advisory_unlock($1, $2)', [table.lockClass, lockKey(claimed)]);
      } finally {
        client.release();
      }
    },
  };
}

/** On a server: the loading jobs whose lease is free, i.e. whose process has died. */
export async function jobsWithoutLease(db: Database, table: JobTable, ids: string[]): Promise<string[]> {
  if (!ids.length || !sessionLocksAreOwnedByConnections(db)) return [];
  const client = await poolOf(db).connect();
  try {
    const dead: string[] = [];
    for (const id of ids) {
      const { rows } = await client.query<{ free: boolean }>('select pg_try_advisory_lock($1, $2) as free', [
        table.lockClass,
        lockKey(id),
      ]);
      if (rows[0]?.free) {
        dead.push(id);
        await client.query('select pg_advisory_unlock($1, $2)', [table.lockClass, lockKey(id)]);
      }
    }
    return dead;
  } finally {
    client.release();
  }
}

/** A job the sweep found stopped: which, its file, and the kind's own columns (`described`). */
export type SweptJob<T> = { id: string; fileName: string; uploadPath: string | null } & T;

/**
 * Jobs left loading by a process that died (kill -9, a crash, a restart mid-job). A job with its
 * file kept goes back in the queue, to be run again from the start: every job is all or nothing,
 * so running it again is how it resumes. Not for ever: a file that kills its process every time
 * fails after MAX_JOB_ATTEMPTS, as does a job someone asked to stop. A job has died when, on a
 * server, its lease is free (`holdJobLease`); when the database has heard nothing of it for
 * `quietMs` (its heartbeat moves at every batch); or, with `everyLoading`, at once (the embedded
 * database, whose only process has just started, so no job can still be alive). `forget` removes
 * what the dead jobs left (in the same transaction).
 */
export async function sweepStoppedJobs<T>(
  db: Database,
  table: JobTable,
  options: {
    quietMs: number;
    everyLoading?: boolean | undefined;
    /** Only these jobs (a partnership's, a return's). */
    scope?: SQL | undefined;
    /** The kind's own columns to return, as `column as "name"` (constant SQL). */
    described: string;
    stoppedError: string;
    forget?: (tx: Executor, ids: string[]) => Promise<void>;
  },
): Promise<{ stopped: SweptJob<T>[]; requeued: SweptJob<T>[] }> {
  const name = sql.identifier(table.name);
  const scope = options.scope ? sql` and ${options.scope}` : sql``;
  const loading = await rowsOf<{ id: string }>(
    db,
    sql`select id from ${name} where status = 'loading'${scope}`,
  );
  const leaseFree = await jobsWithoutLease(
    db,
    table,
    loading.map((r) => r.id),
  );
  const quiet = sql`heartbeat_at < now() - make_interval(secs => ${options.quietMs / 1000})`;
  const dead = options.everyLoading
    ? sql``
    : leaseFree.length
      ? sql` and (${quiet} or id in (${sql.join(
          leaseFree.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}))`
      : sql` and ${quiet}`;
  const returning = sql.raw(
    `returning id, file_name as "fileName", upload_path as "uploadPath", ${options.described}`,
  );
  return db.transaction(async (tx) => {
    const requeued = await rowsOf<SweptJob<T>>(
      tx,
      sql`update ${name} set status = 'queued', phase = null, claimed_by = null, heartbeat_at = now(),
            ${sql.raw(table.reset)}
          where status = 'loading'${dead}${scope} and upload_path is not null
            and attempts < ${MAX_JOB_ATTEMPTS} and cancel_requested_at is null
          ${returning}`,
    );
    const stopped = await rowsOf<SweptJob<T>>(
      tx,
      sql`update ${name} set status = 'failed', phase = null, error = ${options.stoppedError},
            finished_at = now()
          where status = 'loading'${dead}${scope}
          ${returning}`,
    );
    const gone = [...requeued, ...stopped].map((r) => r.id);
    if (gone.length && options.forget) await options.forget(tx, gone);
    return { stopped, requeued };
  });
}
