import type { Database, DatabaseReach, Executor } from '../db/client.ts';
import { currentActorScope } from '../db/actor-scope.ts';
import { scopedTransaction } from '../db/transaction-scope.ts';
import { auditRepository, type AuditEvent } from '../db/repositories/audit-repository.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Limits } from '../limits.ts';
import { ForbiddenError } from './errors.ts';

/** What every service is built from, once, in the composition root. */
export interface ServiceContext {
  db: Database;
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
    return await (actor ? scopedTransaction(ctx.db, actor, fn) : ctx.db.transaction(fn));
  } catch (error) {
    await recordRefusal(ctx.db, error);
    throw error;
  }
}

/**
 * Writes a refusal's audit row once, however many use cases it passes through on its way out. A
 * refusal that carries no event of its own is recorded where it reaches the person (web and API
 * plugins, `refusalOnRecord`), so every refusal is on record.
 */
export async function recordRefusal(db: Executor, error: unknown, otherwise?: AuditEvent): Promise<void> {
  if (!(error instanceof ForbiddenError) || error.audited) return;
  const event = error.denial ?? otherwise;
  if (!event) return;
  error.audited = true;
  await auditRepository(db).write(event);
}

/**
 * A read that changes nothing and writes no audit row of its own (the hub heading a tab whose own
 * service audits its view). For a person it is scoped as every use case of theirs is, so the
 * database's own policies hold for it too (the settings go with the BEGIN: two round trips, the
 * BEGIN's and the COMMIT's); for no one (a job, a command) it runs on the database as it is. A
 * refusal is still audited.
 */
export async function inRead<T>(ctx: ServiceContext, fn: (db: Executor) => Promise<T>): Promise<T> {
  const actor = currentActorScope();
  try {
    return await (actor ? scopedTransaction(ctx.db, actor, fn) : fn(ctx.db));
  } catch (error) {
    await recordRefusal(ctx.db, error);
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
