import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../../domain/api-tokens/expiry.ts';
import type { Services } from '../../services/index.ts';
import { ValidationError } from '../../services/errors.ts';
import { keepForm, flashSuccess, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { periodItems, tokenRow } from '../presenters/api-tokens.ts';
import { adminNavigation } from './admin.ts';

type Body = Record<string, unknown>;
const FORM = 'api-token';

/**
 * "Your API tokens" (/account/api-tokens) for everyone signed in, and the administrator's view of
 * everyone's tokens in the partnership (/admin/api-tokens, reached from "People and roles").
 */
export async function apiTokenRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  app.get(paths.account.apiTokens(), async (request, reply) => {
    const tokens = await services.apiTokens.mine(actor(request));
    return reply.view('pages/account/api-tokens.njk', { tokens: tokens.map(tokenRow) });
  });

  app.get(paths.account.newApiToken(), async (request, reply) => {
    const state = takeForm(request, FORM);
    return reply.view('pages/account/api-token-new.njk', {
      v: state?.values ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
      periods: periodItems(new Date(), state?.values.expiresInDays),
      defaultDays: DEFAULT_TOKEN_DAYS,
      maxDays: MAX_TOKEN_DAYS,
    });
  });

  // The new token is shown in the answer to this form and nowhere else: it is never stored, not
  // even in the session, so it cannot come back over a redirect.
  app.post(paths.account.apiTokens(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const values = { name: body.name, expiresInDays: body.expiresInDays };
    try {
      const created = await services.apiTokens.create(actor(request), values, { via: 'page' });
      return reply.view('pages/account/api-token-created.njk', {
        created: tokenRow(created),
        token: created.token,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      keepForm(request, FORM, { values, errors: error.fieldErrors });
      return reply.redirect(paths.account.newApiToken(), 303);
    }
  });

  app.post<{ Params: { id: string } }>('/account/api-tokens/:id/revoke', async (request, reply) => {
    const token = await services.apiTokens.revoke(actor(request), request.params.id);
    flashSuccess(request, `Token “${token.name}” revoked: it no longer works`);
    return reply.redirect(paths.account.apiTokens(), 303);
  });

  // The administrator's view -------------------------------------------------------------------
  app.get<{ Querystring: { user?: string } }>(paths.admin.apiTokens(), async (request, reply) => {
    const user =
      typeof request.query.user === 'string' && request.query.user ? request.query.user : undefined;
    const { person, tokens } = await services.apiTokens.ofPartnership(actor(request), user);
    return reply.view('pages/admin/api-tokens.njk', {
      adminNav: adminNavigation(paths.admin.apiTokens()),
      person,
      tokens: tokens.map(tokenRow),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/api-tokens/:id/revoke', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const token = await services.apiTokens.revoke(actor(request), request.params.id, {
      asAdministrator: true,
    });
    flashSuccess(request, `${token.owner.name}’s token “${token.name}” revoked: it no longer works`);
    const back = typeof body.user === 'string' && body.user === token.owner.id ? token.owner.id : undefined;
    return reply.redirect(paths.admin.apiTokens({ user: back }), 303);
  });
}
