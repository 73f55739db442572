import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { primaryNavigation } from '../presenters/navigation.ts';
import { csrfUserInfo } from './session.ts';
import { minutesInWords, sessionTimeout } from '../presenters/session-timeout.ts';

/** What every page's layout needs: the CSP nonce, a CSRF token, the person, navigation, flash. */
export const localsPlugin = fp<{
  partnershipName: (partnershipId: string) => Promise<string | null>;
  /** How many things wait on the person ("Waiting on me" in the navigation). */
  waitingCount?: (actor: NonNullable<FastifyRequest['actor']>) => Promise<number>;
  /** The session's limits, for the time-out warning and the words on every page. */
  session?: { idleMs: number; maxMs: number; now: () => Date };
}>(async (app, opts) => {
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/api/')) return;
    const flash = request.session?.flash;
    const success = flash?.success;
    if (flash && success) {
      delete flash.success;
      request.session.flash = flash;
    }
    // Pages only: a form's post redirects to a page that counts.
    const waiting =
      request.actor && request.method === 'GET' && opts.waitingCount
        ? await opts.waitingCount(request.actor)
        : 0;
    reply.locals = {
      ...(reply.locals ?? {}),
      cspNonce: reply.cspNonce?.script,
      // The secret is in a signed cookie: a token for every page, signed in or not, stores nothing.
      csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
      actor: request.actor,
      navigation: primaryNavigation(request.actor, request.url.split('?')[0] ?? '/', waiting),
      successMessage: success,
      partnershipName: request.actor ? await opts.partnershipName(request.actor.partnershipId) : null,
      currentPath: request.url,
      sessionTimeout:
        opts.session && request.actor
          ? sessionTimeout(opts.session.now(), {
              ...opts.session,
              signedInAt: request.session.signedInAt ?? 0,
            })
          : null,
      sessionIdleWords: opts.session ? minutesInWords(Math.round(opts.session.idleMs / 60_000)) : null,
    };
  });
});
