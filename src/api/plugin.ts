import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Services } from '../services/index.ts';
import { actorFor } from '../services/auth-service.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  NotVisibleError,
  TooLargeError,
  ValidationError,
} from '../services/errors.ts';
import { LIMITS, sizeInWords } from '../limits.ts';
import { actionApiRoutes } from './actions.ts';
import { reviewApiRoutes } from './reviews.ts';
import { chronologyApiRoutes } from './chronology.ts';
import { eventLearningApiRoutes } from './event-learning.ts';
import { signalApiRoutes } from './signals.ts';
import { reviewTargetApiRoutes } from './review-targets.ts';
import { briefingApiRoutes } from './briefings.ts';
import { apiTokenApiRoutes } from './tokens.ts';
import { libraryApiRoutes } from './library.ts';
import { learningAcrossApiRoutes } from './learning-across.ts';
import { monitoringApiRoutes } from './monitoring.ts';
import { returnUploadApiRoutes } from './return-uploads.ts';

/** Why a token is refused, in words its owner can act on. */
const TOKEN_REFUSED = {
  unknown: 'The API token is not valid.',
  expired: 'The API token has expired: make a new one on the “Your API tokens” page.',
  revoked: 'The API token has been revoked.',
} as const;

const apiError = (code: string, message: string, details?: unknown) => ({
  error: { code, message, ...(details ? { details } : {}) },
});

/**
 * The JSON API: the same services and access rules as the web, a personal token per person
 * (`Authorization: Bearer …`), errors as `{"error": {"code", "message"}}`.
 */
export async function apiPlugin(app: FastifyInstance, { services }: { services: Services }) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Line of Sight API',
        version: '1.0.0',
        description:
          'Multi-agency child safeguarding learning reviews. The same access rules as the web service.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (request.routeOptions.config?.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      return reply
        .code(401)
        .send(apiError('unauthorised', 'Send a personal API token: Authorization: Bearer TOKEN.'));
    const session = await services.auth.apiTokenSession(match[1]!);
    if (!session.ok) return reply.code(401).send(apiError('unauthorised', TOKEN_REFUSED[session.reason]));
    request.actor = actorFor(session.user, request.id);
    request.apiToken = session.token;
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = Object.fromEntries(
        error.validation.map((v) => [
          v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '_',
          v.message,
        ]),
      );
      return reply.code(400).send(apiError('invalid', 'The request is not valid.', { fields }));
    }
    if (error instanceof TooLargeError)
      return reply.code(413).send(apiError('too_large', error.message, { fields: error.fieldErrors }));
    if (error instanceof ValidationError)
      return reply.code(400).send(apiError('invalid', error.message, { fields: error.fieldErrors }));
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The route's own limit (a briefing file's is 20 MB), in words; a chronology can go as CSV.
      const limit = request.routeOptions.bodyLimit ?? LIMITS.requestBodyBytes;
      const csv = request.routeOptions.url?.endsWith('/chronology')
        ? ` Send a larger chronology as a text/csv body (up to ${sizeInWords(LIMITS.chronologyBytes)}).`
        : '';
      return reply
        .code(413)
        .send(
          apiError(
            'too_large',
            `The request body is larger than ${sizeInWords(limit)}, the limit for this request.${csv}`,
          ),
        );
    }
    if (error instanceof NotFoundError || error instanceof NotVisibleError)
      return reply
        .code(404)
        .send(apiError('not_found', error instanceof NotVisibleError ? 'Not found.' : error.message));
    if (error instanceof ForbiddenError) return reply.code(403).send(apiError('forbidden', error.message));
    if (error instanceof ConflictError)
      return reply.code(409).send(apiError('conflict', error.message, { reasons: error.reasons }));
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return reply.code(status).send(apiError('bad_request', (error as Error).message));
    request.log.error(error);
    return reply
      .code(500)
      .send(apiError('server_error', `Something went wrong. Quote request id ${request.id}.`));
  });
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send(apiError('not_found', 'No such API path.')),
  );

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(reviewApiRoutes, { prefix: '/v1', services });
  await app.register(chronologyApiRoutes, { prefix: '/v1', services });
  await app.register(eventLearningApiRoutes, { prefix: '/v1', services });
  await app.register(actionApiRoutes, { prefix: '/v1', services });
  await app.register(signalApiRoutes, { prefix: '/v1', services });
  await app.register(reviewTargetApiRoutes, { prefix: '/v1', services });
  await app.register(briefingApiRoutes, { prefix: '/v1', services });
  await app.register(apiTokenApiRoutes, { prefix: '/v1', services });
  await app.register(libraryApiRoutes, { prefix: '/v1', services });
  await app.register(learningAcrossApiRoutes, { prefix: '/v1', services });
  await app.register(monitoringApiRoutes, { prefix: '/v1', services });
  await app.register(returnUploadApiRoutes, { prefix: '/v1', services });
}
