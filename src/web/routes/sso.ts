import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { ValidationError } from '../../services/errors.ts';
import type { SsoRefusal, SsoStart } from '../../services/sign-in/sso-service.ts';
import { paths } from '../paths.ts';
import { errorSummary } from '../presenters/error-summary.ts';
import { safeReturnTo, takeReturnTo } from '../plugins/return-to.ts';
import { holdPending, pendingPath, renewSession, startSession } from '../sign-in-session.ts';

/** The signed cookie that carries a single sign-on's state, nonce and PKCE verifier to its callback. */
export const SSO_COOKIE = 'los_sso';

/** What a refused single sign-on means to the person, by reason. */
function refusalMessage(reason: SsoRefusal): string {
  switch (reason) {
    case 'not-started':
    case 'too-slow':
    case 'state-mismatch':
    case 'state-replayed':
      return 'This sign-in could not be completed: it was not started from this browser, took longer than 10 minutes, or has been used already. Sign in again.';
    case 'provider-error':
    case 'code-refused':
      return 'Your organisation’s sign-in did not confirm who you are. Sign in again.';
    case 'wrong-issuer':
    case 'wrong-audience':
    case 'wrong-nonce':
    case 'token-invalid':
      return 'The answer from your organisation’s sign-in could not be trusted, so you have not been signed in. Sign in again; if this happens again, tell your partnership’s administrator.';
    case 'provider-unavailable':
      return 'Your organisation’s sign-in cannot be reached just now. Try again in a few minutes.';
    case 'no-email':
    case 'email-not-verified':
      return 'Your organisation’s sign-in did not give a confirmed e-mail address, so Line of Sight cannot tell who you are. Ask your partnership’s administrator.';
    case 'unknown-person':
      return 'You do not have a Line of Sight account. Ask your partnership’s administrator to add you with the e-mail address your organisation’s sign-in holds for you.';
    case 'other-partnership':
    case 'account-disabled':
      return 'You cannot sign in to Line of Sight with this account. Ask your partnership’s administrator.';
  }
}

/** Single sign-on: leaving for the identity provider, and its answer. */
export async function ssoRoutes(
  app: FastifyInstance,
  { services, now }: { services: Services; now: () => Date },
) {
  const cookieOptions = {
    path: '/sign-in/sso',
    httpOnly: true,
    // Lax: the provider's answer is a top-level navigation back to us, which Lax cookies go with.
    sameSite: 'lax' as const,
    secure: 'auto' as const,
    signed: true,
  };

  // A link, not a form: the browser is sent on to the provider, and a form's redirect to another
  // site is refused by our own Content Security Policy (form-action 'self').
  app.get<{ Params: { key: string }; Querystring: { reauthenticate?: string } }>(
    '/sign-in/sso/:key',
    { config: { public: true } },
    async (request, reply) => {
      const reauthenticate = Boolean(request.actor) && request.query.reauthenticate === 'yes';
      try {
        const { url, started } = await services.sso.start(request.params.key.slice(0, 40), {
          reauthenticate,
          now: now(),
        });
        reply.setCookie(SSO_COOKIE, JSON.stringify(started), { ...cookieOptions, maxAge: 600 });
        return reply.redirect(url, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = error.fieldErrors;
        return reply.code(503).view('pages/sign-in.njk', {
          values: {},
          providers: await services.sso.buttons(),
          errors,
          errorList: errorSummary(errors),
        });
      }
    },
  );

  const startedOf = (request: FastifyRequest, reply: FastifyReply): SsoStart | null => {
    const raw = request.cookies[SSO_COOKIE];
    if (!raw) return null;
    reply.clearCookie(SSO_COOKIE, { path: cookieOptions.path });
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return null;
    try {
      return JSON.parse(unsigned.value) as SsoStart;
    } catch {
      return null;
    }
  };

  app.get(paths.signInSteps.ssoCallback(), { config: { public: true } }, async (request, reply) => {
    const query = Object.fromEntries(
      Object.entries((request.query ?? {}) as Record<string, unknown>)
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => [k.slice(0, 100), (v as string).slice(0, 4000)]),
    );
    const result = await services.sso.complete(startedOf(request, reply), query, {
      requestId: request.id,
      address: request.ip,
    });
    if (result.outcome === 'refused')
      return reply
        .code(401)
        .view('pages/sign-in/sso-problem.njk', { message: refusalMessage(result.reason) });

    const signIn = {
      userId: result.user.id,
      amr: result.amr,
      provider: result.provider,
      idToken: result.idToken,
    };
    const again = result.reauthenticate && request.session.userId === result.user.id;
    const returnTo = again ? safeReturnTo(request.session.stepUpReturn) : takeReturnTo(request, reply);
    if (again) delete request.session.stepUpReturn;
    if (result.next !== 'none') {
      await holdPending(request, now(), {
        ...signIn,
        step: result.next,
        first: 'sso',
        returnTo,
        reauthenticating: again,
      });
      return reply.redirect(pendingPath({ step: result.next }), 303);
    }
    if (again) await renewSession(request, now(), { ...signIn, method: 'sso' });
    else await startSession(request, now(), { ...signIn, method: 'sso' });
    return reply.redirect(returnTo, 303);
  });
}
