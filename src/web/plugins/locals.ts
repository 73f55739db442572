import fp from 'fastify-plugin';
import { primaryNavigation } from '../presenters/navigation.ts';
import { csrfUserInfo } from './session.ts';

/** What every page's layout needs: the CSP nonce, a CSRF token, the person, navigation, flash. */
export const localsPlugin = fp<{ partnershipName: (partnershipId: string) => Promise<string | null> }>(
  async (app, opts) => {
    app.addHook('preHandler', async (request, reply) => {
      if (request.url.startsWith('/api/')) return;
      const flash = request.session?.flash;
      const success = flash?.success;
      if (flash && success) {
        delete flash.success;
        request.session.flash = flash;
      }
      reply.locals = {
        ...(reply.locals ?? {}),
        cspNonce: reply.cspNonce?.script,
        // The secret is in a signed cookie: a token for every page, signed in or not, stores nothing.
        csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
        actor: request.actor,
        navigation: primaryNavigation(request.actor, request.url.split('?')[0] ?? '/'),
        successMessage: success,
        partnershipName: request.actor ? await opts.partnershipName(request.actor.partnershipId) : null,
        currentPath: request.url,
      };
    });
  },
);
