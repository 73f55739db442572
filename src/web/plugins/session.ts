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
}

/** Cookie, database-backed session and CSRF secret, in that order. */
export const sessionPlugin = fp<SessionOptions>(async (app, opts) => {
  const idleMs = opts.idleMinutes * 60_000;
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: opts.secret,
    cookieName: 'los_session',
    store: databaseSessionStore(opts.db, idleMs),
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: idleMs, path: '/' },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: csrfTokenOf });
});
