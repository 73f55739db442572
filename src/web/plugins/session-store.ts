import type { SessionStore } from '@fastify/session';
import { sha256 } from '../../services/auth-service.ts';
import type { Database } from '../../db/client.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';

/** A session unchanged by a request is written back only if its expiry was set this long ago. */
export const SESSION_TOUCH_MS = 60_000;

/** The touch interval for an idle limit: a minute, or a tenth of a shorter limit. */
export function touchMsFor(idleMs: number): number {
  return Math.min(SESSION_TOUCH_MS, Math.floor(idleMs / 10));
}
/** Sessions read and not yet written back, remembered to compare with (bounded). */
const READ_LIMIT = 10_000;

/**
 * Sessions in the database, so any number of app instances share them and a sign-out is
 * immediate everywhere. The id is stored hashed.
 *
 * Sessions roll: every response extends the idle timeout. Writing that back on every request
 * would cost a statement per page, so a session whose data did not change is written only when
 * its expiry was last set more than SESSION_TOUCH_MS ago (a tenth of a shorter idle limit): the
 * idle timeout is kept to the minute.
 *
 * A session never rolls past its absolute lifetime (`maxMs` after sign-in): its row's expiry is
 * the earlier of the two, so the database refuses it after either and `session-purge` sweeps both.
 */
export function databaseSessionStore(
  db: Database,
  { idleMs, maxMs, now }: { idleMs: number; maxMs: number; now: () => Date },
): SessionStore {
  const repo = systemRepository(db);
  const read = new Map<string, number>();
  const touchMs = touchMsFor(idleMs);
  return {
    set(sessionId, session, callback) {
      const idHash = sha256(sessionId);
      const storedExpiry = read.get(idHash);
      read.delete(idHash);
      const signedInAt = (session as { signedInAt?: unknown }).signedInAt;
      const idleEnd = now().getTime() + idleMs;
      const expiresAt = typeof signedInAt === 'number' ? Math.min(idleEnd, signedInAt + maxMs) : idleEnd;
      // isModified: @fastify/session's own check of the data (the cookie's expiry aside).
      const unchanged = !(session as { isModified?: () => boolean }).isModified?.();
      if (unchanged && storedExpiry !== undefined && expiresAt - storedExpiry < touchMs) {
        callback();
        return;
      }
      const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
      // A half-done sign-in is the person's too: ending all their sessions ends it.
      const pending = data.pending as { userId?: unknown } | undefined;
      const userId =
        typeof data.userId === 'string'
          ? data.userId
          : typeof pending?.userId === 'string'
            ? pending.userId
            : null;
      repo.sessionSet(idHash, data, userId, new Date(expiresAt)).then(() => callback(), callback);
    },
    get(sessionId, callback) {
      const idHash = sha256(sessionId);
      repo.sessionGet(idHash, now()).then(
        (row) => {
          if (row) {
            if (read.size >= READ_LIMIT) read.clear();
            read.set(idHash, row.expiresAt.getTime());
          }
          callback(null, (row?.data as never) ?? null);
        },
        (err: Error) => callback(err),
      );
    },
    destroy(sessionId, callback) {
      read.delete(sha256(sessionId));
      repo.sessionDestroy(sha256(sessionId)).then(() => callback(), callback);
    },
  };
}
