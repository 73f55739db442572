import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import type { OnlyThingWaiting } from '../../services/request-service.ts';
import { waitInWords } from '../../domain/sign-in/throttle.ts';
import { errorSummary } from '../presenters/error-summary.ts';
import { paths } from '../paths.ts';
import { RETURN_TO_COOKIE, safeReturnTo, takeReturnTo } from '../plugins/return-to.ts';
import {
  holdPending,
  pendingOf,
  pendingPath,
  renewSession,
  signInRecord,
  startSession,
} from '../sign-in-session.ts';
import type { PendingSignIn } from '../types.ts';

/** Longer than any e-mail address can be (RFC 5321). */
const MAX_EMAIL = 320;

export const tooManyAttempts = (waitMs: number) =>
  `There have been too many attempts to sign in. Wait ${waitInWords(waitMs)}, then try again.`;

/** What each refused code means to the person typing it. */
export const CODE_MESSAGES: Record<string, string> = {
  'wrong-code': 'The code is not right: enter the 6-digit code your authenticator app shows now',
  'code-already-used':
    'That code has been used already: wait for your authenticator app to show a new code, then enter it',
  'code-expired': 'That code has expired: enter the code your authenticator app shows now',
  'no-authenticator': 'You have no authenticator app set up: sign in again',
  'wrong-recovery-code':
    'The recovery code is not right: enter one of the codes you saved when you set up your authenticator app',
  'recovery-code-already-used':
    'That recovery code has been used already: each one works once. Enter another',
  'no-such-person': 'You cannot sign in: ask your partnership’s administrator',
};

type Body = Record<string, unknown>;

/** The page of the one thing waiting on someone. */
const waitingPath = (only: OnlyThingWaiting) =>
  only.kind === 'return'
    ? paths.reviews.return({ ref: only.reference })
    : only.kind === 'accept'
      ? paths.reviews.request({ ref: only.reference, id: only.id })
      : only.kind === 'briefing'
        ? paths.reviews.briefing({ ref: only.reference })
        : paths.actions.action({ id: only.id });
const text = (body: Body, key: string, max = 200) => String(body[key] ?? '').slice(0, max);
const signInFor = (request: FastifyRequest) => ({ requestId: request.id, address: request.ip });

/**
 * Sign-in, its second factor, re-authentication, password resets and sign-out. No session is
 * stored until the first factor passes: the form's CSRF secret and the page to return to live in
 * signed cookies, and a refused sign-in is answered with the form itself.
 */
export async function signInRoutes(
  app: FastifyInstance,
  { services, now }: { services: Services; now: () => Date },
) {
  /**
   * The home page: the reviews list; but straight after signing in (with no page asked for before),
   * someone with exactly one thing waiting on them goes straight to it.
   */
  app.get('/', async (request, reply) => {
    if (request.session.justSignedIn) {
      delete request.session.justSignedIn;
      const only = request.actor ? await services.requests.onlyThingWaiting(request.actor) : null;
      if (only) return reply.redirect(waitingPath(only), 303);
    }
    return reply.redirect(paths.reviews.list(), 303);
  });

  const view = (
    reply: FastifyReply,
    status: number,
    page: string,
    data: object,
    errors: Record<string, string> = {},
  ) => reply.code(status).view(page, { ...data, errors, errorList: errorSummary(errors) });

  const form = async (
    reply: FastifyReply,
    status: number,
    values: { email?: string },
    errors: Record<string, string> = {},
  ) => view(reply, status, 'pages/sign-in.njk', { values, providers: await services.sso.buttons() }, errors);

  const wait = (reply: FastifyReply, waitMs: number) =>
    reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));

  app.get(paths.signIn(), { config: { public: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect(paths.home(), 303);
    // Why the person is here after a form was sent from a session that had ended.
    const session = (request.query as { session?: unknown } | undefined)?.session;
    if (session === 'kept' || session === 'file' || session === 'ended') reply.locals.sessionNotice = session;
    return form(reply, 200, {});
  });

  app.post(paths.signIn(), { config: { public: true } }, async (request: FastifyRequest, reply) => {
    const body = (request.body ?? {}) as Body;
    const email = String(body.email ?? '').trim();
    const password = String(body.password ?? '');
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your e-mail address';
    else if (email.length > MAX_EMAIL)
      errors.email = `Enter an e-mail address of ${MAX_EMAIL} characters or fewer`;
    if (!password) errors.password = 'Enter your password';
    if (Object.keys(errors).length) return form(reply, 400, { email: email.slice(0, MAX_EMAIL) }, errors);

    const result = await services.auth.signIn(email, password, signInFor(request));
    if (result.outcome === 'wait') {
      // The same words whether or not anyone has the e-mail, and whichever limit was reached.
      wait(reply, result.waitMs);
      return form(reply, 429, { email }, { _: tooManyAttempts(result.waitMs) });
    }
    if (result.outcome === 'wrong')
      // One message whichever part was wrong: no hint to someone guessing.
      return form(reply, 401, { email }, { _: 'The e-mail address or password is not right' });

    const returnTo = takeReturnTo(request, reply);
    if (result.next !== 'none') {
      await holdPending(request, now(), {
        userId: result.user.id,
        step: result.next,
        first: 'password',
        returnTo,
      });
      return reply.redirect(pendingPath({ step: result.next }), 303);
    }
    await startSession(request, now(), { userId: result.user.id, method: 'password' });
    return reply.redirect(returnTo, 303);
  });

  // The second factor ------------------------------------------------------------------------------
  /** The half-done sign-in, or a redirect to start again. */
  const pendingOr = (request: FastifyRequest, reply: FastifyReply, step: PendingSignIn['step']) => {
    const pending = pendingOf(request, now());
    if (pending && pending.step === step) return pending;
    void reply.redirect(pending ? pendingPath(pending) : paths.signIn(), 303);
    return null;
  };

  /** The second factor passed: a signed-in session, or the one being re-authenticated proved again. */
  async function finish(
    request: FastifyRequest,
    reply: FastifyReply,
    pending: PendingSignIn,
    method: Parameters<typeof startSession>[2]['method'],
  ) {
    const signIn = {
      userId: pending.userId,
      method,
      amr: pending.amr,
      provider: pending.provider,
      idToken: pending.idToken,
    };
    if (pending.reauthenticating && request.session.userId === pending.userId) {
      delete request.session.pending;
      await renewSession(request, now(), signIn);
    } else await startSession(request, now(), signIn);
  }

  const codePage = (reply: FastifyReply, status: number, errors: Record<string, string> = {}) =>
    view(reply, status, 'pages/sign-in/code.njk', {}, errors);

  app.get(paths.signInSteps.code(), { config: { public: true } }, async (request, reply) => {
    if (!pendingOr(request, reply, 'code')) return reply;
    return codePage(reply, 200);
  });

  app.post(paths.signInSteps.code(), { config: { public: true } }, async (request, reply) => {
    const pending = pendingOr(request, reply, 'code');
    if (!pending) return reply;
    const code = text((request.body ?? {}) as Body, 'code', 40).trim();
    if (!code) return codePage(reply, 400, { code: 'Enter the 6-digit code from your authenticator app' });
    const result = await services.secondFactor.verifyCode(pending.userId, code, signInFor(request), {
      action: pending.reauthenticating ? 'user.reauthenticate' : 'user.sign-in',
      first: pending.first,
    });
    if (result.outcome === 'wait') {
      wait(reply, result.waitMs);
      return codePage(reply, 429, { code: tooManyAttempts(result.waitMs) });
    }
    if (result.outcome === 'refused')
      return codePage(reply, 401, { code: CODE_MESSAGES[result.reason] ?? CODE_MESSAGES['wrong-code']! });
    await finish(request, reply, pending, result.value.method);
    return reply.redirect(pending.returnTo, 303);
  });

  const recoveryPage = (reply: FastifyReply, status: number, errors: Record<string, string> = {}) =>
    view(reply, status, 'pages/sign-in/recovery-code.njk', {}, errors);

  app.get(paths.signInSteps.recoveryCode(), { config: { public: true } }, async (request, reply) => {
    if (!pendingOr(request, reply, 'code')) return reply;
    return recoveryPage(reply, 200);
  });

  app.post(paths.signInSteps.recoveryCode(), { config: { public: true } }, async (request, reply) => {
    const pending = pendingOr(request, reply, 'code');
    if (!pending) return reply;
    const code = text((request.body ?? {}) as Body, 'code', 40).trim();
    if (!code) return recoveryPage(reply, 400, { code: 'Enter one of your recovery codes' });
    const result = await services.secondFactor.useRecoveryCode(pending.userId, code, signInFor(request), {
      action: pending.reauthenticating ? 'user.reauthenticate' : 'user.sign-in',
      first: pending.first,
    });
    if (result.outcome === 'wait') {
      wait(reply, result.waitMs);
      return recoveryPage(reply, 429, { code: tooManyAttempts(result.waitMs) });
    }
    if (result.outcome === 'refused')
      return recoveryPage(reply, 401, {
        code: CODE_MESSAGES[result.reason] ?? CODE_MESSAGES['wrong-recovery-code']!,
      });
    await finish(request, reply, pending, result.value.method);
    return view(reply, 200, 'pages/sign-in/recovery-code-used.njk', {
      left: result.value.left,
      continueTo: pending.returnTo,
    });
  });

  // Setting up an authenticator at sign-in, for someone whose role must use one -------------------
  const setUpPage = async (
    reply: FastifyReply,
    status: number,
    userId: string,
    sealed: string,
    errors: Record<string, string> = {},
  ) =>
    view(
      reply,
      status,
      'pages/sign-in/set-up-authenticator.njk',
      {
        picture: await services.secondFactor.enrolmentPicture(userId, sealed),
        action: paths.signInSteps.setUpAuthenticator(),
      },
      errors,
    );

  app.get(paths.signInSteps.setUpAuthenticator(), { config: { public: true } }, async (request, reply) => {
    const pending = pendingOr(request, reply, 'enrol');
    if (!pending) return reply;
    if (!pending.sealed) {
      const started = await services.secondFactor.startEnrolment(pending.userId);
      request.session.pending = { ...pending, sealed: started.sealed };
    }
    return setUpPage(reply, 200, pending.userId, request.session.pending!.sealed!);
  });

  app.post(paths.signInSteps.setUpAuthenticator(), { config: { public: true } }, async (request, reply) => {
    const pending = pendingOr(request, reply, 'enrol');
    if (!pending) return reply;
    if (!pending.sealed) return reply.redirect(paths.signInSteps.setUpAuthenticator(), 303);
    const code = text((request.body ?? {}) as Body, 'code', 40).trim();
    if (!code)
      return setUpPage(reply, 400, pending.userId, pending.sealed, {
        code: 'Enter the 6-digit code your authenticator app shows for Line of Sight',
      });
    const result = await services.secondFactor.confirmEnrolment(
      pending.userId,
      pending.sealed,
      code,
      signInFor(request),
      'sign-in',
    );
    if (result.outcome === 'wait') {
      wait(reply, result.waitMs);
      return setUpPage(reply, 429, pending.userId, pending.sealed, { code: tooManyAttempts(result.waitMs) });
    }
    if (result.outcome === 'refused')
      return setUpPage(reply, 401, pending.userId, pending.sealed, {
        code: CODE_MESSAGES[result.reason] ?? CODE_MESSAGES['wrong-code']!,
      });
    await finish(request, reply, pending, `${pending.first}+totp`);
    await services.auth.recordSignIn(pending.userId, {
      requestId: request.id,
      address: request.ip,
      method: `${pending.first}+totp`,
    });
    // Shown in the answer to this form and nowhere else: never stored, not even in the session.
    return view(reply, 200, 'pages/sign-in/recovery-codes.njk', {
      codes: result.value.recoveryCodes,
      continueTo: pending.returnTo,
    });
  });

  // Re-authentication, when a page asks for a recent strong sign-in ---------------------------------
  const confirmPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    errors: Record<string, string> = {},
  ) => {
    const actor = request.actor!;
    const status2 = await services.secondFactor.status(actor.userId);
    const auth = signInRecord(request);
    const provider = request.session.auth?.provider ?? null;
    return view(
      reply,
      status,
      'pages/sign-in/confirm.njk',
      {
        enrolled: status2.enrolled,
        provider,
        hasPassword: await services.auth.hasPassword(actor.userId),
        method: auth.method,
      },
      errors,
    );
  };

  app.get(paths.signInSteps.confirm(), async (request, reply) => confirmPage(request, reply, 200));

  app.post(paths.signInSteps.confirm(), async (request, reply) => {
    const actor = request.actor!;
    const body = (request.body ?? {}) as Body;
    const password = text(body, 'password');
    const code = text(body, 'code', 40).trim();
    const enrolled = (await services.secondFactor.status(actor.userId)).enrolled;
    const errors: Record<string, string> = {};
    if (!password) errors.password = 'Enter your password';
    if (enrolled && !code) errors.code = 'Enter the 6-digit code from your authenticator app';
    if (Object.keys(errors).length) return confirmPage(request, reply, 400, errors);
    const checked = await services.auth.confirmPassword(actor.userId, password, signInFor(request));
    if (checked.outcome === 'wait') {
      wait(reply, checked.waitMs);
      return confirmPage(request, reply, 429, { _: tooManyAttempts(checked.waitMs) });
    }
    if (checked.outcome !== 'ok')
      return confirmPage(request, reply, 401, { password: 'Your password is not right' });
    let method: 'password' | 'password+totp' = 'password';
    if (enrolled) {
      const result = await services.secondFactor.verifyCode(actor.userId, code, signInFor(request), {
        action: 'user.reauthenticate',
        first: 'password',
      });
      if (result.outcome === 'wait') {
        wait(reply, result.waitMs);
        return confirmPage(request, reply, 429, { code: tooManyAttempts(result.waitMs) });
      }
      if (result.outcome === 'refused')
        return confirmPage(request, reply, 401, {
          code: CODE_MESSAGES[result.reason] ?? CODE_MESSAGES['wrong-code']!,
        });
      method = 'password+totp';
    }
    const back = safeReturnTo(request.session.stepUpReturn);
    delete request.session.stepUpReturn;
    await renewSession(request, now(), { userId: actor.userId, method });
    return reply.redirect(back, 303);
  });

  // Forgotten passwords ----------------------------------------------------------------------------
  const forgotPage = (
    reply: FastifyReply,
    status: number,
    values: { email?: string },
    errors: Record<string, string> = {},
  ) => view(reply, status, 'pages/sign-in/forgot-password.njk', { values }, errors);

  app.get(paths.signInSteps.forgotPassword(), { config: { public: true } }, async (_request, reply) =>
    forgotPage(reply, 200, {}),
  );

  app.post(paths.signInSteps.forgotPassword(), { config: { public: true } }, async (request, reply) => {
    const email = text((request.body ?? {}) as Body, 'email', MAX_EMAIL + 1).trim();
    if (!email) return forgotPage(reply, 400, {}, { email: 'Enter your e-mail address' });
    if (email.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+$/.test(email))
      return forgotPage(
        reply,
        400,
        { email: email.slice(0, MAX_EMAIL) },
        {
          email: 'Enter an e-mail address in the correct format, like name@example.org',
        },
      );
    const result = await services.account.requestReset(email, signInFor(request));
    if (result.outcome === 'wait') {
      wait(reply, result.waitMs);
      return forgotPage(
        reply,
        429,
        { email },
        {
          _: `There have been too many requests from your network. Wait ${waitInWords(result.waitMs)}, then try again.`,
        },
      );
    }
    // The same page whether or not anyone signs in with the address.
    return view(reply, 200, 'pages/sign-in/reset-sent.njk', { email });
  });

  const tokenOf = (request: FastifyRequest) => {
    const fromQuery = (request.query as { token?: unknown } | undefined)?.token;
    const fromBody = ((request.body ?? {}) as Body).token;
    const token = typeof fromBody === 'string' ? fromBody : typeof fromQuery === 'string' ? fromQuery : '';
    return token.slice(0, 100);
  };
  const linkProblem = (reply: FastifyReply, state: 'unknown' | 'used' | 'expired') =>
    view(reply, state === 'unknown' ? 404 : 410, 'pages/sign-in/reset-link-problem.njk', { state });
  const resetPage = (
    reply: FastifyReply,
    status: number,
    token: string,
    errors: Record<string, string> = {},
  ) => view(reply, status, 'pages/sign-in/reset-password.njk', { token }, errors);

  // The token travels in the query string, which is never logged (paths are).
  app.get(paths.signInSteps.resetPassword(), { config: { public: true } }, async (request, reply) => {
    const token = tokenOf(request);
    const state = await services.account.resetLinkState(token, signInFor(request));
    return state === 'ok' ? resetPage(reply, 200, token) : linkProblem(reply, state);
  });

  app.post(paths.signInSteps.resetPassword(), { config: { public: true } }, async (request, reply) => {
    const token = tokenOf(request);
    const body = (request.body ?? {}) as Body;
    try {
      const result = await services.account.resetPassword(
        token,
        { password: text(body, 'password', 1000), confirm: text(body, 'confirm', 1000) },
        signInFor(request),
      );
      if (result.outcome === 'refused') return linkProblem(reply, result.state);
      return view(reply, 200, 'pages/sign-in/password-reset-done.njk', {});
    } catch (error) {
      const fields = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
      if (fields) return resetPage(reply, 400, token, fields);
      throw error;
    }
  });

  // Sign-out ----------------------------------------------------------------------------------------
  app.post(paths.signOut(), { config: { public: true } }, async (request, reply) => {
    const auth = request.session?.auth;
    const userId = request.session?.userId;
    await request.session.destroy();
    reply.clearCookie(RETURN_TO_COOKIE, { path: paths.signIn() });
    if (userId) await services.auth.recordSignOut(userId, { requestId: request.id, address: request.ip });
    // Signed in through an identity provider that offers it: a link to sign out there too
    // (RP-initiated logout). A link, as a form's redirect to another site is refused by our CSP.
    const elsewhere = auth?.provider ? await services.sso.logoutUrl(auth.provider.id, auth.idToken) : null;
    if (elsewhere)
      return view(reply, 200, 'pages/sign-in/signed-out.njk', {
        provider: auth!.provider!.name,
        logoutUrl: elsewhere,
      });
    return reply.redirect(paths.signIn(), 303);
  });
}
