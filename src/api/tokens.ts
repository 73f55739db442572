import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiTokenInput, apiTokenListQuery } from '../schemas/api-tokens.ts';
import type { ApiTokenRow } from '../db/repositories/api-token-repository.ts';
import type { TokenStatus } from '../domain/api-tokens/expiry.ts';
import type { Services } from '../services/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token this request came with (set by the API's authentication). */
    apiToken?: { id: string; expiresAt: Date };
  }
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A token as the API shows it: never its value (only its hash is kept), except once when made. */
export function apiTokenJson(t: ApiTokenRow & { status: TokenStatus }) {
  return {
    id: t.id,
    name: t.name,
    owner: t.owner,
    status: t.status,
    createdAt: iso(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  };
}

/**
 * Personal API tokens: list, create and revoke your own; a partnership administrator lists and
 * revokes anyone's in the partnership. The same rules as the "Your API tokens" page.
 */
export async function apiTokenApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];

  app.get(
    '/tokens',
    {
      schema: {
        tags,
        summary:
          'Your API tokens; with ?user=ID one person’s, or ?user=all everyone’s in the partnership (administrators)',
        querystring: apiTokenListQuery,
      },
    },
    async (request) => {
      const user = request.query.user;
      const items = user
        ? (await services.apiTokens.ofPartnership(request.actor!, user === 'all' ? undefined : user)).tokens
        : await services.apiTokens.mine(request.actor!);
      return { items: items.map(apiTokenJson), total: items.length };
    },
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags,
        summary:
          'Make a token of your own: the answer holds it once (`token`); it cannot outlast the token that made it',
        body: apiTokenInput,
      },
    },
    async (request, reply) => {
      const created = await services.apiTokens.create(request.actor!, request.body, {
        via: 'api',
        notAfter: request.apiToken?.expiresAt,
      });
      return reply.code(201).send({ ...apiTokenJson(created), token: created.token });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a token: your own, or (administrators) anyone’s in the partnership',
        params: z.object({ id: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      await services.apiTokens.revoke(request.actor!, request.params.id);
      return reply.code(204).send();
    },
  );
}
