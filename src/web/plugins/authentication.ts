import fp from 'fastify-plugin';
import type { Services } from '../../services/index.ts';
import { actorFor } from '../../services/auth-service.ts';
import { paths } from '../paths.ts';

/**
 * Who is signed in. Deny by default: every web route needs a signed-in person unless its
 * config says `public: true`.
 */
export const authenticationPlugin = fp<{ services: Services }>(async (app, { services }) => {
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (request, reply) => {
    const userId = request.session?.userId;
    if (userId) {
      const user = await services.auth.userById(userId);
      if (user) request.actor = actorFor(user, request.id);
      else await request.session.destroy();
    }
    if (request.actor || request.routeOptions.config?.public) return;
    if (request.method === 'GET' && request.routeOptions.url) request.session.returnTo = request.url;
    return reply.redirect(paths.signIn(), 303);
  });
});
