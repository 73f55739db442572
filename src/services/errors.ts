import type { AuditEvent } from '../db/repositories/audit-repository.ts';

/** Failures a user or script can act on. Routes map them to pages and API statuses in one place. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * The thing exists but this actor may not see or do it (deny by default). A refusal worth
 * recording carries its audit event, written after the transaction has rolled back.
 */
export class ForbiddenError extends Error {
  override readonly name: string = 'ForbiddenError';
  /** Set once its audit row is written, so it is written once. */
  audited = false;
  constructor(
    message: string,
    readonly denial?: AuditEvent,
  ) {
    super(message);
  }
}

/** Wrong stage, a read-only review, or a clash with the current state. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly reasons: string[] = [message],
  ) {
    super(message);
  }
}

/** Input that fails its schema: field name → the message to show beside it. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly fieldErrors: Record<string, string>,
    message = 'There is a problem with what was entered.',
  ) {
    super(message);
  }
}

/**
 * Input past one of the limits in src/limits.ts (bytes, rows, inflated size): the API answers
 * 413, a form shows the message like any other problem with what was sent.
 */
export class TooLargeError extends ValidationError {}

/** A review that exists but is not visible to the actor: the web says "no access", the API 404. */
export class NotVisibleError extends ForbiddenError {
  override readonly name = 'NotVisibleError';
}
