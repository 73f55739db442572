import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SIGN_IN_METHOD_WORDS, type SignInMethod } from '../../domain/sign-in/strength.ts';
import type { Services } from '../../services/index.ts';
import { sha256 } from '../../services/auth-service.ts';
import { flashSuccess, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { renewSession, signInRecord } from '../sign-in-session.ts';
import { CODE_MESSAGES, tooManyAttempts } from './sign-in.ts';

type Body = Record<string, unknown>;
const text = (body: Body, key: string, max = 1000) => String(body[key] ?? '').slice(0, max);

/** A browser's name from its user agent, in words ("Chrome on Windows"): enough to know a session. */
export function browserInWords(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Android/.test(userAgent)
          ? 'Android'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return system ? `${browser} on ${system}` : browser;
}

/**
 * The signed-in person's own sign-in and security: their password, authenticator app and
 * recovery codes, and their sessions.
 */
export async function accountRoutes(
  app: FastifyInstance,
  { services, now }: { services: Services; now: () => Date },
) {
  const actor = (request: FastifyRequest) => request.actor!;
  const currentHash = (request: FastifyRequest) => sha256(request.session.sessionId);
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      v: state?.values ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  app.get(paths.account.security(), async (request, reply) => {
    const me = actor(request);
    const status = await services.secondFactor.status(me.userId);
    const record = signInRecord(request);
    return reply.view('pages/account/security.njk', {
      status,
      hasPassword: await services.auth.hasPassword(me.userId),
      method: SIGN_IN_METHOD_WORDS[record.method],
      provider: request.session.auth?.provider?.name ?? null,
    });
  });

  // Password -----------------------------------------------------------------------------------------
  app.get(paths.account.password(), async (request, reply) =>
    reply.view('pages/account/password.njk', {
      ...form(request, 'password'),
      hasPassword: await services.auth.hasPassword(actor(request).userId),
    }),
  );

  app.post(paths.account.password(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const back = () => reply.redirect(paths.account.password(), 303);
    try {
      const result = await services.account.changePassword(
        actor(request),
        { current: text(body, 'current'), password: text(body, 'password'), confirm: text(body, 'confirm') },
        { requestId: request.id, address: request.ip, sessionHash: currentHash(request) },
      );
      if (result.outcome === 'wait') {
        keepForm(request, 'password', { values: {}, errors: { current: tooManyAttempts(result.waitMs) } });
        return back();
      }
      if (result.outcome === 'refused') {
        keepForm(request, 'password', {
          values: {},
          errors: { current: 'Your current password is not right' },
        });
        return back();
      }
      flashSuccess(
        request,
        result.value.sessionsEnded
          ? `Password changed. You were signed out everywhere else (${result.value.sessionsEnded} ${result.value.sessionsEnded === 1 ? 'session' : 'sessions'}).`
          : 'Password changed.',
      );
      return reply.redirect(paths.account.security(), 303);
    } catch (error) {
      const fields = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
      if (!fields) throw error;
      keepForm(request, 'password', { values: {}, errors: fields });
      return back();
    }
  });

  // Authenticator app ---------------------------------------------------------------------------------
  const enrolPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    errors: Record<string, string> = {},
  ) => {
    const me = actor(request);
    let enrolment = request.session.enrolment;
    if (!enrolment || now().getTime() - enrolment.at > 30 * 60_000) {
      const started = await services.secondFactor.startEnrolment(me.userId);
      enrolment = { sealed: started.sealed, at: now().getTime() };
      request.session.enrolment = enrolment;
    }
    const status2 = await services.secondFactor.status(me.userId);
    return reply.code(status).view('pages/account/authenticator.njk', {
      picture: await services.secondFactor.enrolmentPicture(me.userId, enrolment.sealed),
      replacing: status2.enrolled,
      action: paths.account.authenticator(),
      errors,
      errorList: errorSummary(errors),
    });
  };

  app.get(paths.account.authenticator(), async (request, reply) => enrolPage(request, reply, 200));

  app.post(paths.account.authenticator(), async (request, reply) => {
    const me = actor(request);
    const enrolment = request.session.enrolment;
    if (!enrolment) return reply.redirect(paths.account.authenticator(), 303);
    const code = text((request.body ?? {}) as Body, 'code', 40).trim();
    if (!code)
      return enrolPage(request, reply, 400, {
        code: 'Enter the 6-digit code your authenticator app shows for Line of Sight',
      });
    const result = await services.secondFactor.confirmEnrolment(
      me.userId,
      enrolment.sealed,
      code,
      { requestId: request.id, address: request.ip },
      'account',
    );
    if (result.outcome === 'wait')
      return enrolPage(request, reply, 429, { code: tooManyAttempts(result.waitMs) });
    if (result.outcome === 'refused')
      return enrolPage(request, reply, 401, {
        code: CODE_MESSAGES[result.reason] ?? CODE_MESSAGES['wrong-code']!,
      });
    delete request.session.enrolment;
    // A code from the new authenticator has just been typed in a recent session: it counts as a second factor.
    const first = signInRecord(request).method.startsWith('sso') ? 'sso' : 'password';
    const back = request.session.stepUpReturn;
    delete request.session.stepUpReturn;
    await renewSession(request, now(), {
      userId: me.userId,
      method: `${first}+totp` as SignInMethod,
      amr: request.session.auth?.amr,
      provider: request.session.auth?.provider,
      idToken: request.session.auth?.idToken,
    });
    return reply.view('pages/sign-in/recovery-codes.njk', {
      codes: result.value.recoveryCodes,
      continueTo: back ?? paths.account.security(),
    });
  });

  app.post(paths.account.recoveryCodes(), async (request, reply) => {
    const codes = await services.secondFactor.newRecoveryCodes(actor(request));
    return reply.view('pages/sign-in/recovery-codes.njk', {
      codes,
      continueTo: paths.account.security(),
      renewed: true,
    });
  });

  // Sessions -------------------------------------------------------------------------------------------
  app.get(paths.account.sessions(), async (request, reply) => {
    const sessions = await services.account.sessions(actor(request), currentHash(request));
    return reply.view('pages/account/sessions.njk', {
      sessions: sessions.map((s) => ({
        ...s,
        method: SIGN_IN_METHOD_WORDS[s.method as SignInMethod] ?? 'Password',
        browser: browserInWords(s.userAgent),
      })),
      others: sessions.filter((s) => !s.current).length,
    });
  });

  app.post<{ Params: { ref: string } }>('/account/sessions/:ref/end', async (request, reply) => {
    try {
      const ended = await services.account.endSession(
        actor(request),
        request.params.ref.slice(0, 64),
        currentHash(request),
      );
      if (ended.current) {
        await request.session.destroy();
        return reply.redirect(paths.signIn(), 303);
      }
      flashSuccess(request, 'Session ended: that browser is signed out.');
    } catch (error) {
      if (!(error as { fieldErrors?: unknown }).fieldErrors) throw error;
      flashSuccess(request, 'That session had ended already.');
    }
    return reply.redirect(paths.account.sessions(), 303);
  });

  app.post(paths.account.endOtherSessions(), async (request, reply) => {
    const ended = await services.account.endOtherSessions(actor(request), currentHash(request));
    flashSuccess(
      request,
      ended
        ? `Signed out everywhere else (${ended} ${ended === 1 ? 'session' : 'sessions'}).`
        : 'You were not signed in anywhere else.',
    );
    return reply.redirect(paths.account.sessions(), 303);
  });
}
