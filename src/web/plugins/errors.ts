import fp from 'fastify-plugin';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../services/errors.ts';

/** GOV.UK-style 403, 404, 409 and 500 pages for the web; the API answers JSON on its own. */
export const errorPagesPlugin = fp(async (app) => {
  app.setNotFoundHandler(async (request, reply) => {
    return reply.code(404).view('pages/errors/not-found.njk', {});
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof NotFoundError)
      return reply.code(404).view('pages/errors/not-found.njk', { message: error.message });
    if (error instanceof ForbiddenError)
      return reply.code(403).view('pages/errors/forbidden.njk', { message: error.message });
    if (error instanceof ConflictError)
      return reply.code(409).view('pages/errors/conflict.njk', { reasons: error.reasons });
    if (error instanceof ValidationError)
      return reply
        .code(400)
        .view('pages/errors/bad-request.njk', { errors: Object.values(error.fieldErrors) });
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 403 && (error as { code?: string }).code?.startsWith('FST_CSRF')) {
      request.log.warn({ url: request.url }, 'CSRF token missing or invalid');
      return reply.code(403).view('pages/errors/session-expired.njk', {});
    }
    if (status && status >= 400 && status < 500)
      return reply.code(status).view('pages/errors/bad-request.njk', { errors: [(error as Error).message] });
    request.log.error(error);
    return reply.code(500).view('pages/errors/server-error.njk', { requestId: request.id });
  });
});
