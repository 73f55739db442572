import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyCsrf from '@fastify/csrf-protection';
import { csrfTokenOf } from './csrf-check.ts';
import type { Database } from '../../db/client.ts';
import { databaseSessionStore } from './session-store.ts';

export interface SessionOptions {
  db: Database;
  secret: string;
  idleMinutes: number;
  /** A session ends this many hours after sign-in, however active. */
  maxHours: number;
  now: () => Date;
}

/** The cookie naming the session. */
export const SESSION_COOKIE = 'los_session';

/** The cookie holding the CSRF secret of this browser (signed, so it cannot be forged). */
export const CSRF_COOKIE = 'los_csrf';

/**
 * What a form's CSRF token is bound to besides the browser's secret: the session once someone
 * is signed in, so a token made before sign-in, or for another session, is refused after it.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  const session = request.session;
  // Never empty: the token library refuses an empty value.
  if (session?.userId || session?.pending) return `session:${session.sessionId}`;
  // A form sent to a signed-in page after its session ended carries a token of that session: it
  // is checked against it, so only a form made in that session can be kept for its person.
  if (request.endedSessionId && !request.routeOptions.config?.public)
    return `session:${request.endedSessionId}`;
  return 'signed-out';
}

/**
 * Cookie, database-backed session and CSRF, in that order. A session is stored only once someone
 * signs in: the CSRF secret lives in a signed cookie of its own, so an anonymous page (the sign-in
 * form above all) writes nothing to the database.
 */
export const sessionPlugin = fp<SessionOptions>(async (app, opts) => {
  const idleMs = opts.idleMinutes * 60_000;
  const maxMs = opts.maxHours * 3_600_000;
  await app.register(fastifyCookie, { secret: opts.secret });
  await app.register(fastifySession, {
    secret: opts.secret,
    cookieName: SESSION_COOKIE,
    store: databaseSessionStore(opts.db, { idleMs, maxMs, now: opts.now }),
    saveUninitialized: false,
    rolling: true,
    // The database ends a session after its idle time; the browser keeps the cookie as long as a
    // session can last, so a form sent after the idle time says whose session it came from.
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: maxMs, path: '/' },
  });
  // The session this browser's cookie names, when the store no longer has it (it ended).
  app.decorateRequest('endedSessionId', null);
  app.addHook('onRequest', async (request) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie || request.session?.userId || request.session?.pending) return;
    const unsigned = request.unsignCookie(cookie);
    if (unsigned.valid && unsigned.value && unsigned.value !== request.session?.sessionId)
      request.endedSessionId = unsigned.value;
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true },
    getToken: csrfTokenOf,
    getUserInfo: csrfUserInfo,
    // The binding to the session is keyed with a key of its own, made from the session secret.
    csrfOpts: { hmacKey: createHmac('sha256', opts.secret).update('csrf-user-info').digest() },
  });
});
