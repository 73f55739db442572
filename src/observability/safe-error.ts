/**
 * What may be written to a log about an error. Logs carry ids and error codes, never what people
 * typed: a failed statement's parameters, PostgreSQL's own message and detail (which quote the
 * offending value: `invalid input syntax for type date: "…"`, `Key (email)=(…)`), or a request body.
 */
export interface LoggedError {
  type: string;
  /** PostgreSQL's SQLSTATE, or the error's own code. */
  code?: string;
  /** Which constraint, table or column a database error names (schema names, never values). */
  constraint?: string;
  table?: string;
  column?: string;
  message: string;
  stack?: string;
}

interface DatabaseErrorLike {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  severity?: unknown;
}

const isDatabaseError = (e: unknown): e is Error & DatabaseErrorLike =>
  e instanceof Error &&
  typeof (e as DatabaseErrorLike).severity === 'string' &&
  typeof (e as DatabaseErrorLike).code === 'string';

/** The database error behind an error (drizzle wraps PostgreSQL's in `cause`), if there is one. */
function databaseCause(error: unknown): (Error & DatabaseErrorLike) | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (isDatabaseError(e)) return e;
  return null;
}

const wrapsQuery = (e: unknown) => e instanceof Error && 'params' in e && 'query' in e;

/** Only the frames of a stack: the first line repeats the message. */
const framesOf = (stack: string | undefined) =>
  stack
    ?.split('\n')
    .filter((line) => line.startsWith('    at '))
    .join('\n');

export function loggedError(error: unknown): LoggedError {
  const db = databaseCause(error);
  if (db || wrapsQuery(error)) {
    const code = typeof db?.code === 'string' ? db.code : undefined;
    return {
      type: 'DatabaseError',
      ...(code ? { code } : {}),
      ...(typeof db?.constraint === 'string' ? { constraint: db.constraint } : {}),
      ...(typeof db?.table === 'string' ? { table: db.table } : {}),
      ...(typeof db?.column === 'string' ? { column: db.column } : {}),
      message: `A database statement failed${code ? ` (SQLSTATE ${code})` : ''}.`,
      stack: framesOf((error as Error).stack),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      type: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: error.message.slice(0, 300),
      stack: framesOf(error.stack),
    };
  }
  return { type: typeof error, message: 'A value that is not an Error was thrown.' };
}

/** One line for a person at a terminal or a job's record: the message, or the code of a database failure. */
export function safeMessage(error: unknown): string {
  return loggedError(error).message;
}
