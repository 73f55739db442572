import fp from 'fastify-plugin';
import type { Services } from '../../services/index.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../route-capabilities.ts';

/**
 * Every refusal is on record. Use cases write theirs in their own transaction; a refusal that
 * reaches the person unrecorded (raised by a route, or carrying no event) is written here, before
 * the error page or the API's answer, under what the route does in the policy.
 */
export const refusalsOnRecordPlugin = fp<{ services: Services }>(async (app, { services }) => {
  app.addHook('onError', async (request, _reply, error) => {
    if (!(error instanceof ForbiddenError) || error.audited || !request.actor) return;
    const route = routeKey(request.method, request.routeOptions.url ?? '');
    const access = ROUTE_CAPABILITIES[route];
    await services.access.recordRefusal(request.actor, error, {
      route,
      action: access && access !== 'public' && access !== 'signed-in' ? access : ('request' as const),
      reference: (request.params as { ref?: string } | undefined)?.ref,
    });
  });
});
