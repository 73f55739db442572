import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { errorSummary } from '../presenters/error-summary.ts';
import { keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';

const FORM = 'sign-in';

/** A path on this site only, so a crafted returnTo cannot send anyone elsewhere. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\\]*$/.test(value) && !value.startsWith('/sign-')
    ? value
    : paths.home();
}

export async function signInRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/', async (_request, reply) => reply.redirect(paths.reviews.list(), 303));

  app.get(paths.signIn(), { config: { public: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.home(), 303);
    const form = takeForm(request, FORM);
    return reply.view('pages/sign-in.njk', {
      values: form?.values ?? {},
      errors: form?.errors ?? {},
      errorList: errorSummary(form?.errors),
    });
  });

  app.post(
    paths.signIn(),
    { config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email = String(body.email ?? '').trim();
      const password = String(body.password ?? '');
      const errors: Record<string, string> = {};
      if (!email) errors.email = 'Enter your e-mail address';
      if (!password) errors.password = 'Enter your password';
      const user = Object.keys(errors).length
        ? null
        : await services.auth.signIn(email, password, request.id);
      if (!user) {
        // One message whichever part was wrong: no hint to someone guessing.
        if (!Object.keys(errors).length) errors._ = 'The e-mail address or password is not right';
        keepForm(request, FORM, { values: { email }, errors });
        return reply.redirect(paths.signIn(), 303);
      }
      const returnTo = safeReturnTo(request.session.returnTo);
      // A new session id at sign-in: a session fixed before it is worth nothing after.
      await request.session.regenerate();
      request.session.userId = user.id;
      return reply.redirect(returnTo, 303);
    },
  );

  app.post(paths.signOut(), { config: { public: true } }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(paths.signIn(), 303);
  });
}
