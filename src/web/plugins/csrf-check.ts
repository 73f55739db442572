import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Where a request's CSRF token is: the form body, or a header. A multipart upload's body is read
 * by its route after this check, so its form puts the token in the action's query string
 * (`?_csrf=…`); only multipart requests may carry it there.
 */
export function csrfTokenOf(request: FastifyRequest): string | undefined {
  const body = request.body as { _csrf?: unknown } | undefined;
  if (typeof body?._csrf === 'string') return body._csrf;
  const header = request.headers['x-csrf-token'] ?? request.headers['csrf-token'];
  if (typeof header === 'string') return header;
  if (
    String(request.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('multipart/form-data')
  ) {
    const query = request.query as { _csrf?: unknown } | undefined;
    if (typeof query?._csrf === 'string') return query._csrf;
  }
  return undefined;
}

/**
 * Every state-changing web request carries the form's CSRF token. It runs at preHandler, once
 * the body is parsed (at onRequest the token in the form body is not there yet).
 */
export const csrfCheckPlugin = fp(async (app) => {
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    app.csrfProtection(request, reply, done);
  });
});
