import type { FastifyRequest } from 'fastify';
import type { SignInMethod, SignInRecord } from '../domain/sign-in/strength.ts';
import { paths } from './paths.ts';
import type { PendingSignIn, SessionAuth } from './types.ts';

/** The second factor must follow the first within this long. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;

/** What the session records of a sign-in about to start. */
export interface CompletedSignIn {
  userId: string;
  method: SignInMethod;
  amr?: string[] | undefined;
  provider?: { id: string; key: string; name: string } | undefined;
  idToken?: string | undefined;
}

/**
 * A signed-in session: a new id (a session fixed before it is worth nothing after), the person,
 * and how they proved who they are.
 */
export async function startSession(request: FastifyRequest, now: Date, signIn: CompletedSignIn) {
  await request.session.regenerate();
  request.session.userId = signIn.userId;
  request.session.signedInAt = now.getTime();
  request.session.auth = sessionAuth(request, now, signIn);
  request.session.justSignedIn = true;
}

/** A re-authentication: the same session, proved again now (with a new id all the same). */
export async function renewSession(request: FastifyRequest, now: Date, signIn: CompletedSignIn) {
  const { userId, signedInAt, flash } = request.session;
  await request.session.regenerate();
  request.session.userId = userId;
  request.session.signedInAt = signedInAt;
  if (flash) request.session.flash = flash;
  request.session.auth = sessionAuth(request, now, signIn);
}

function sessionAuth(request: FastifyRequest, now: Date, signIn: CompletedSignIn): SessionAuth {
  return {
    method: signIn.method,
    ...(signIn.amr ? { amr: signIn.amr.slice(0, 20).map((m) => m.slice(0, 40)) } : {}),
    ...(signIn.provider ? { provider: signIn.provider } : {}),
    ...(signIn.idToken ? { idToken: signIn.idToken } : {}),
    authenticatedAt: now.getTime(),
    address: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
  };
}

/** The first factor passed: the session holds who, until the second follows. */
export async function holdPending(request: FastifyRequest, now: Date, pending: Omit<PendingSignIn, 'at'>) {
  const keep = pending.reauthenticating
    ? { userId: request.session.userId, signedInAt: request.session.signedInAt, auth: request.session.auth }
    : null;
  await request.session.regenerate();
  if (keep) Object.assign(request.session, keep);
  request.session.pending = { ...pending, at: now.getTime() };
}

/** The half-done sign-in of this session, if it is still in time. */
export function pendingOf(request: FastifyRequest, now: Date): PendingSignIn | null {
  const pending = request.session?.pending;
  if (!pending) return null;
  return now.getTime() - pending.at < PENDING_SIGN_IN_MS ? pending : null;
}

/** Where the pending step is answered. */
export function pendingPath(pending: Pick<PendingSignIn, 'step'>): string {
  return pending.step === 'code' ? paths.signInSteps.code() : paths.signInSteps.setUpAuthenticator();
}

/** The session's sign-in as the rules read it; a session from before they were recorded counts as a password. */
export function signInRecord(request: FastifyRequest): SignInRecord {
  const auth = request.session.auth;
  if (auth) return auth;
  return { method: 'password', authenticatedAt: request.session.signedInAt ?? 0 };
}
