import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { POLICY } from '../../domain/access/policy.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../route-capabilities.ts';

const READS = new Set(['GET', 'HEAD']);

/**
 * Before a route reads its input or draws its page, the policy is asked whether this person could
 * do what the route does at all (route-capabilities.ts): a refusal is a 403 (or "no access" / 404
 * for a review they cannot see), audited once, whatever the body held — for a page as for a
 * change, so no one is shown a form they cannot use. Registered before the step-up hook: someone
 * who may not open a page is refused it, not first asked to confirm who they are. Also stamps the actor with the request's source address
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
      const access = ROUTE_CAPABILITIES[routeKey(request.method, request.routeOptions.url ?? '')];
      if (!access || access === 'public' || access === 'signed-in') return;
      // A read is decided, and its view or refusal audited, by the data layer's own read.
      if (READS.has(request.method) && POLICY[access].kind === 'read') return;
      const params = (request.params ?? {}) as { ref?: string };
      await services.access.guard(request.actor, access, {
        reference: params.ref,
        route: routeKey(request.method, request.routeOptions.url ?? ''),
      });
    });
  },
);
