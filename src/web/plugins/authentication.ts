import fp from 'fastify-plugin';
import type { Services } from '../../services/index.ts';
import { actorFor, sha256 } from '../../services/auth-service.ts';
import { paths } from '../paths.ts';
import { rememberReturnTo } from './return-to.ts';

export interface AuthenticationOptions {
  services: Services;
  now: () => Date;
  /** A session ends this long after sign-in, however active (SESSION_MAX_HOURS). */
  maxSessionMs: number;
}

/**
 * Who is signed in. Deny by default: every web route needs a signed-in person unless its
 * config says `public: true`.
 */
export const authenticationPlugin = fp<AuthenticationOptions>(
  async (app, { services, now, maxSessionMs }) => {
    app.decorateRequest('actor', null);
    app.addHook('preHandler', async (request, reply) => {
      const userId = request.session?.userId;
      if (userId) {
        // A session without its sign-in time predates the absolute lifetime: it ends too.
        const signedInAt = request.session.signedInAt ?? 0;
        const user =
          now().getTime() - signedInAt < maxSessionMs ? await services.auth.userById(userId) : null;
        if (user) request.actor = actorFor(user, request.id);
        else await request.session.destroy();
        // The home page's "straight to the one thing waiting" is for the first page after signing
        // in only: a page asked for before signing in came first, so it no longer applies.
        const page = request.method === 'GET' ? request.routeOptions.url : undefined;
        if (user && request.session.justSignedIn && page && page !== '/') delete request.session.justSignedIn;
      }
      if (request.actor || request.routeOptions.config?.public) return;
      if (request.method === 'GET' && request.routeOptions.url) rememberReturnTo(request, reply);
      if (request.endedSessionId && request.method === 'POST') {
        // The session this page came from has ended. A form sent from it (its CSRF token checked
        // against that session already) is kept for that session's person, to send after sign-in.
        let notice = 'ended';
        if (request.routeOptions.url) {
          const kept = String(request.headers['content-type'] ?? '')
            .toLowerCase()
            .startsWith('multipart/')
            ? ({ outcome: 'not-kept', reason: 'not-text' } as const)
            : await services.keptForms.keep({
                sessionIdHash: sha256(request.endedSessionId),
                path: request.url,
                body: request.body,
                requestId: request.id,
                address: request.ip,
              });
          if (kept.outcome === 'kept')
            rememberReturnTo(request, reply, paths.account.keptForm({ id: kept.id }));
          notice = kept.outcome === 'kept' ? 'kept' : kept.reason === 'not-text' ? 'file' : 'ended';
        }
        return reply.redirect(`${paths.signIn()}?session=${notice}`, 303);
      }
      return reply.redirect(paths.signIn(), 303);
    });
  },
);
