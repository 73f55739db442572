import type { FastifyReply, FastifyRequest } from 'fastify';
import { paths } from '../paths.ts';

/**
 * The page someone asked for before signing in, kept in a signed cookie sent only to the sign-in
 * page (not in a session: no session is stored for someone not signed in).
 */
export const RETURN_TO_COOKIE = 'los_return_to';
const KEEP_SECONDS = 3600;

/** A path on this site only, so a crafted value cannot send anyone elsewhere. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' &&
    value.length <= 2000 &&
    /^\/(?!\/)[^\\]*$/.test(value) &&
    !value.startsWith('/sign-')
    ? value
    : paths.home();
}

export function rememberReturnTo(request: FastifyRequest, reply: FastifyReply, url = request.url) {
  if (safeReturnTo(url) === paths.home()) return;
  reply.setCookie(RETURN_TO_COOKIE, url, {
    path: paths.signIn(),
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    signed: true,
    maxAge: KEEP_SECONDS,
  });
}

/** Where to go after signing in (the cookie is used once). */
export function takeReturnTo(request: FastifyRequest, reply: FastifyReply): string {
  const raw = request.cookies[RETURN_TO_COOKIE];
  if (!raw) return paths.home();
  reply.clearCookie(RETURN_TO_COOKIE, { path: paths.signIn() });
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? safeReturnTo(unsigned.value) : paths.home();
}
