import type { Database, DatabaseReach, Executor } from '../db/client.ts';
import { currentActorScope } from '../db/actor-scope.ts';
import { scopedTransaction } from '../db/transaction-scope.ts';
import { auditRepository, type AuditEvent } from '../db/repositories/audit-repository.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Limits } from '../limits.ts';
import { ForbiddenError } from './errors.ts';

/** What every service is built from, once, in the composition root. */
export interface ServiceContext {
  /**
   * The application's connection: a person's use cases run on it, in a transaction scoped to them
   * (`inTransaction`, `inRead`). On the PostgreSQL server it signs in as a role that owns nothing,
   * under the database's own policies (docs/security.md, "What holds where"): run unscoped, it
   * reads nothing of any partnership.
   */
  db: Database;
  /**
   * The partnership's own connection, for work that is for no person: the scheduled jobs, the
   * commands that work across the partnership (retention, the population scan, backup, the audit
   * chain), and signing in and finding a session or token before the person is known. It is the
   * tables' owner, which the policies do not bind: use it only for such work.
   */
  system: Database;
  /** The only clock: services pass "now" into the pure domain. */
  now: () => Date;
  /** The limits with this installation's settings (src/limits.ts); the defaults when not given. */
  limits?: Limits;
  /** Where uploads wait for their job (a monitoring load); the system's temporary folder if not given. */
  uploadDir?: string;
  /**
   * How a worker thread reaches this same database. Given (the service), a monitoring load's job
   * runs in a thread of its own, so this thread only answers requests while it runs; not given (a
   * command, that thread itself, a test with its own clock), it runs where it is called.
   */
  jobThread?: DatabaseReach;
}

/**
 * One use case, one transaction: the change and its audit row commit or roll back together.
 * A refusal rolls back everything else, then its own audit row is written on its own.
 */
export async function inTransaction<T>(ctx: ServiceContext, fn: (tx: Executor) => Promise<T>): Promise<T> {
  // For a person, the database's own policies hold too: the transaction is scoped to them.
  const actor = currentActorScope();
  try {
    return await (actor ? scopedTransaction(ctx.db, actor, fn) : ctx.system.transaction(fn));
  } catch (error) {
    await recordRefusal(ctx, error);
    throw error;
  }
}

/**
 * Writes a refusal's audit row once, however many use cases it passes through on its way out. A
 * refusal that carries no event of its own is recorded where it reaches the person (web and API
 * plugins, `refusalOnRecord`), so every refusal is on record.
 */
export async function recordRefusal(
  ctx: ServiceContext,
  error: unknown,
  otherwise?: AuditEvent,
): Promise<void> {
  if (!(error instanceof ForbiddenError) || error.audited) return;
  const event = error.denial ?? otherwise;
  if (!event) return;
  error.audited = true;
  // The person's refusal is written as they are, in a transaction of its own (the refused one has
  // rolled back); one for no one on the partnership's own connection.
  const actor = currentActorScope();
  if (actor) await scopedTransaction(ctx.db, actor, (tx) => auditRepository(tx).write(event));
  else await auditRepository(ctx.system).write(event);
}

/**
 * A read that changes nothing and writes no audit row of its own (the hub heading a tab whose own
 * service audits its view). For a person it is scoped as every use case of theirs is, so the
 * database's own policies hold for it too (the settings go with the BEGIN: two round trips, the
 * BEGIN's and the COMMIT's); for no one (a job, a command) it runs on the partnership's own
 * connection as it is. A refusal is still audited.
 */
export async function inRead<T>(ctx: ServiceContext, fn: (db: Executor) => Promise<T>): Promise<T> {
  const actor = currentActorScope();
  try {
    return await (actor ? scopedTransaction(ctx.db, actor, fn) : fn(ctx.system));
  } catch (error) {
    await recordRefusal(ctx, error);
    throw error;
  }
}

/** The audit event of a refusal, for a ForbiddenError to carry. */
export function denial(
  actor: Actor,
  event: Omit<AuditEvent, 'partnershipId' | 'userId' | 'requestId' | 'outcome'>,
): AuditEvent {
  return {
    ...event,
    outcome: 'denied',
    partnershipId: actor.partnershipId,
    userId: actor.userId,
    requestId: actor.requestId,
    sourceAddress: actor.sourceAddress ?? null,
  };
}

/** Writes an audit row for the actor, in the transaction given. */
export async function audit(
  tx: Executor,
  actor: Actor,
  event: Omit<AuditEvent, 'partnershipId' | 'userId' | 'requestId'>,
): Promise<void> {
  await auditRepository(tx).write({
    ...event,
    partnershipId: actor.partnershipId,
    userId: actor.userId,
    requestId: actor.requestId,
    sourceAddress: actor.sourceAddress ?? null,
  });
}
