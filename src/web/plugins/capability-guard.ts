import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../route-capabilities.ts';

const READS = new Set(['GET', 'HEAD']);

/**
 * Before a change reads its input, the policy is asked whether this person could make it at all
 * (route-capabilities.ts): a refusal is a 403 (or "no access" / 404 for a review they cannot
 * see), audited, whatever the body held. Also stamps the actor with the request's source address
 * for the audit log. `apiOnly` for the hook at the application's root, where only the API's actor
 * is known yet (the web's is set by its own scope, which registers this again).
 */
export const capabilityGuardPlugin = fp<{ services: Services; apiOnly?: boolean }>(
  async (app, { services, apiOnly }) => {
    // The API validates its body before preHandler: its guard runs just before validation.
    app.addHook(apiOnly ? 'preValidation' : 'preHandler', async (request: FastifyRequest) => {
      const isApi = request.url.startsWith('/api/');
      if (Boolean(apiOnly) !== isApi) return;
      const actor = request.actor;
      if (!actor) return;
      request.actor = { ...actor, sourceAddress: request.ip };
      if (READS.has(request.method)) return;
      const access = ROUTE_CAPABILITIES[routeKey(request.method, request.routeOptions.url ?? '')];
      if (!access || access === 'public' || access === 'signed-in') return;
      const params = (request.params ?? {}) as { ref?: string };
      await services.access.guard(request.actor, access, {
        reference: params.ref,
        route: routeKey(request.method, request.routeOptions.url ?? ''),
      });
    });
  },
);
