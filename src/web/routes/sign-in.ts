import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { waitInWords } from '../../domain/sign-in/throttle.ts';
import { errorSummary } from '../presenters/error-summary.ts';
import { paths } from '../paths.ts';
import { RETURN_TO_COOKIE, takeReturnTo } from '../plugins/return-to.ts';

/** Longer than any e-mail address can be (RFC 5321). */
const MAX_EMAIL = 320;

/**
 * Sign-in and sign-out. No session is stored until someone signs in: the form's CSRF secret and
 * the page to return to live in signed cookies, and a refused sign-in is answered with the form
 * itself rather than a redirect through the session.
 */
export async function signInRoutes(
  app: FastifyInstance,
  { services, now }: { services: Services; now: () => Date },
) {
  app.get('/', async (_request, reply) => reply.redirect(paths.reviews.list(), 303));

  const form = (
    reply: FastifyReply,
    status: number,
    values: { email?: string },
    errors: Record<string, string> = {},
  ) => reply.code(status).view('pages/sign-in.njk', { values, errors, errorList: errorSummary(errors) });

  app.get(paths.signIn(), { config: { public: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.home(), 303);
    return form(reply, 200, {});
  });

  app.post(paths.signIn(), { config: { public: true } }, async (request: FastifyRequest, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = String(body.email ?? '').trim();
    const password = String(body.password ?? '');
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your e-mail address';
    else if (email.length > MAX_EMAIL)
      errors.email = `Enter an e-mail address of ${MAX_EMAIL} characters or fewer`;
    if (!password) errors.password = 'Enter your password';
    if (Object.keys(errors).length) return form(reply, 400, { email: email.slice(0, MAX_EMAIL) }, errors);

    const result = await services.auth.signIn(email, password, {
      requestId: request.id,
      address: request.ip,
    });
    if (result.outcome === 'wait') {
      // The same words whether or not anyone has the e-mail, and whichever limit was reached.
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.waitMs / 1000))));
      return form(
        reply,
        429,
        { email },
        {
          _: `There have been too many attempts to sign in. Wait ${waitInWords(result.waitMs)}, then try again.`,
        },
      );
    }
    if (result.outcome === 'wrong')
      // One message whichever part was wrong: no hint to someone guessing.
      return form(reply, 401, { email }, { _: 'The e-mail address or password is not right' });

    const returnTo = takeReturnTo(request, reply);
    // A new session id at sign-in: a session fixed before it is worth nothing after.
    await request.session.regenerate();
    request.session.userId = result.user.id;
    request.session.signedInAt = now().getTime();
    return reply.redirect(returnTo, 303);
  });

  app.post(paths.signOut(), { config: { public: true } }, async (request, reply) => {
    await request.session.destroy();
    reply.clearCookie(RETURN_TO_COOKIE, { path: paths.signIn() });
    return reply.redirect(paths.signIn(), 303);
  });
}
