import type { SessionStore } from '@fastify/session';
import { sha256 } from '../../services/auth-service.ts';
import type { Database } from '../../db/client.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';

/**
 * Sessions in the database, so any number of app instances share them and a sign-out is
 * immediate everywhere. The id is stored hashed.
 */
export function databaseSessionStore(db: Database, idleMs: number): SessionStore {
  const repo = systemRepository(db);
  return {
    set(sessionId, session, callback) {
      const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
      const userId = typeof data.userId === 'string' ? data.userId : null;
      repo
        .sessionSet(sha256(sessionId), data, userId, new Date(Date.now() + idleMs))
        .then(() => callback(), callback);
    },
    get(sessionId, callback) {
      repo.sessionGet(sha256(sessionId), new Date()).then(
        (data) => callback(null, (data as never) ?? null),
        (err: Error) => callback(err),
      );
    },
    destroy(sessionId, callback) {
      repo.sessionDestroy(sha256(sessionId)).then(() => callback(), callback);
    },
  };
}
