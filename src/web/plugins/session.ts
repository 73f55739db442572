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

/** The cookie holding the CSRF secret of this browser (signed, so it cannot be forged). */
export const CSRF_COOKIE = 'los_csrf';

/**
 * What a form's CSRF token is bound to besides the browser's secret: the session once someone
 * is signed in, so a token made before sign-in, or for another session, is refused after it.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  const session = request.session;
  // Never empty: the token library refuses an empty value.
  return session?.userId || session?.pending ? `session:${session.sessionId}` : 'signed-out';
}

/**
 * Cookie, database-backed session and CSRF, in that order. A session is stored only once someone
 * signs in: the CSRF secret lives in a signed cookie of its own, so an anonymous page (the sign-in
 * form above all) writes nothing to the database.
 */
export const sessionPlugin = fp<SessionOptions>(async (app, opts) => {
  const idleMs = opts.idleMinutes * 60_000;
  await app.register(fastifyCookie, { secret: opts.secret });
  await app.register(fastifySession, {
    secret: opts.secret,
    cookieName: 'los_session',
    store: databaseSessionStore(opts.db, { idleMs, maxMs: opts.maxHours * 3_600_000, now: opts.now }),
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: idleMs, path: '/' },
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
