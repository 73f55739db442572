import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Executor } from '../../db/client.ts';
import { auditRepository } from '../../db/repositories/audit-repository.ts';
import { identityRepository } from '../../db/repositories/identity-repository.ts';
import { outboxRepository } from '../../db/repositories/outbox-repository.ts';
import { signInThrottleRepository } from '../../db/repositories/sign-in-throttle-repository.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { newPasswordProblem } from '../../domain/sign-in/password-rules.ts';
import { commonPasswords } from './common-passwords.ts';
import { addressAttempt, addressKey, normaliseEmail } from '../../domain/sign-in/throttle.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import { hashPassword, sha256, type UserRow } from '../auth-service.ts';
import { audit, inRead, inTransaction, type ServiceContext } from '../context.ts';
import { ValidationError } from '../errors.ts';
import { siteUrl } from '../mail/request-emails.ts';
import { throttledAttempt, type AttemptRequest, type AttemptResult } from './attempts.ts';

/** A reset link works for 30 minutes, once. */
export const RESET_LINK_MINUTES = 30;
/** At most this many links a person an hour, however often someone asks. */
export const RESETS_PER_HOUR = 3;

export type ResetLinkState = 'ok' | 'unknown' | 'used' | 'expired';

const footer = '\n\nThis message was sent by Line of Sight.';

/** A new password, typed twice: the problems to show beside its fields, if any. */
function newPasswordErrors(password: string, confirm: string, email: string): Record<string, string> {
  const problem = newPasswordProblem(password, { email, common: commonPasswords() });
  if (problem) return { password: problem };
  if (password !== confirm) return { confirm: 'Enter the same new password again' };
  return {};
}

/** A session as its person sees it in their list: a reference, never its id or its hash. */
export const sessionRef = (idHash: string) => sha256(`session:${idHash}`).slice(0, 32);

/**
 * Accounts that look after themselves: a person changes their password, asks for a reset link
 * by e-mail (which says nothing of whether the address has an account), and sees and ends their
 * own sessions. Every change and every refusal is audited.
 */
export function accountService(ctx: ServiceContext) {
  async function tellPasswordChanged(tx: Executor, user: UserRow) {
    await outboxRepository(tx).enqueue({
      partnershipId: user.partnershipId,
      kind: 'user.password.changed',
      to: user.email,
      subject: 'Your Line of Sight password was changed',
      text: `The password of your Line of Sight account was changed on ${formatDate(ctx.now().toISOString().slice(0, 10))}.\n\nIf you did not change it, tell your partnership's administrator at once.${footer}`,
    });
  }

  return {
    /**
     * Changes the signed-in person's password: the current one (throttled like a sign-in), then a
     * new one of at least 12 characters that is not a common password. Their other sessions end.
     */
    async changePassword(
      actor: Actor,
      input: { current?: unknown; password?: unknown; confirm?: unknown },
      request: AttemptRequest & { sessionHash: string },
    ): Promise<AttemptResult<{ sessionsEnded: number }>> {
      const current = typeof input.current === 'string' ? input.current : '';
      const password = typeof input.password === 'string' ? input.password : '';
      const confirm = typeof input.confirm === 'string' ? input.confirm : '';
      const user = await systemRepository(ctx.system).userById(actor.userId);
      if (!user) throw new ValidationError({ _: 'There is no such person.' });
      if (!user.passwordHash)
        throw new ValidationError({
          _: 'You sign in with your organisation’s account: change your password there.',
        });
      const errors: Record<string, string> = {};
      if (!current) errors.current = 'Enter your current password';
      Object.assign(errors, newPasswordErrors(password, confirm, user.email));
      if (Object.keys(errors).length) {
        await audit(ctx.system, actor, {
          action: 'user.password.change',
          outcome: 'failure',
          subjectType: 'user',
          subjectId: actor.userId,
          detail: { reason: 'invalid', fields: Object.keys(errors) },
        });
        throw new ValidationError(errors);
      }
      return throttledAttempt(ctx, {
        action: 'user.password.change',
        accountKey: `account:${sha256(normaliseEmail(user.email))}`,
        request,
        subject: async () => ({ partnershipId: user.partnershipId, userId: user.id, email: user.email }),
        precheck: async () => ({
          ok: await verify(user.passwordHash!, current).catch(() => false),
          hash: await hashPassword(password),
        }),
        check: async (tx, pre) => {
          if (!pre.ok) return { ok: false, reason: 'wrong-current-password' };
          const identity = identityRepository(tx);
          await identity.setPassword(user.id, pre.hash);
          await identity.cancelResets(user.id, ctx.now());
          const sessionsEnded = await identity.endSessions(user.id, request.sessionHash);
          await tellPasswordChanged(tx, user);
          return { ok: true, value: { sessionsEnded }, detail: { sessionsEnded } };
        },
      });
    },

    /**
     * Sends a reset link to the address if someone active signs in with it and a password. The
     * answer is the same either way; an address asking too often is told to wait (which says
     * nothing of any account), and a person gets at most three links an hour.
     */
    async requestReset(
      email: string,
      request: AttemptRequest,
    ): Promise<{ outcome: 'sent' } | { outcome: 'wait'; waitMs: number }> {
      const typed = normaliseEmail(email);
      const now = ctx.now();
      const key = `address:${addressKey(request.address)}`;
      const byAddress = await ctx.system.transaction(async (tx) => {
        const throttles = signInThrottleRepository(tx);
        const attempt = addressAttempt(await throttles.hold(key, now), now);
        if (attempt.allowed) await throttles.save(key, attempt.state);
        return attempt;
      });
      const user = await systemRepository(ctx.system).userByEmail(typed);
      const record = (tx: Executor, outcome: 'success' | 'denied', detail: object) =>
        auditRepository(tx).write({
          action: 'user.password.reset-request',
          outcome,
          partnershipId: user?.partnershipId ?? null,
          userId: user?.id ?? null,
          requestId: request.requestId,
          sourceAddress: request.address,
          detail: { ...detail },
        });
      if (!byAddress.allowed) {
        await record(ctx.system, 'denied', { reason: 'too-many-from-address' });
        return { outcome: 'wait', waitMs: byAddress.retryAt.getTime() - now.getTime() };
      }
      if (!user || user.disabledAt || !user.passwordHash) {
        const reason = !user ? 'no-such-account' : user.disabledAt ? 'account-disabled' : 'no-password';
        await record(ctx.system, 'denied', { reason });
        return { outcome: 'sent' };
      }
      const token = randomBytes(32).toString('base64url');
      await ctx.system.transaction(async (tx) => {
        const identity = identityRepository(tx);
        // The person's row is locked so that requests at once count one after another.
        await systemRepository(tx).userById(user.id);
        if ((await identity.resetsSince(user.id, new Date(now.getTime() - 3_600_000))) >= RESETS_PER_HOUR) {
          await record(tx, 'denied', { reason: 'too-many-links' });
          return;
        }
        const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
        await identity.insertReset({ userId: user.id, tokenHash: sha256(token), expiresAt, createdAt: now });
        await outboxRepository(tx).enqueue({
          partnershipId: user.partnershipId,
          kind: 'user.password.reset',
          to: user.email,
          subject: 'Reset your Line of Sight password',
          text: `Someone asked to reset the password of your Line of Sight account.\n\nChoose a new password here within ${RESET_LINK_MINUTES} minutes (the link works once):\n${siteUrl()}/sign-in/reset-password?token=${token}\n\nIf it was not you, ignore this message: your password has not changed.${footer}`,
        });
        await record(tx, 'success', { expiresAt: expiresAt.toISOString() });
      });
      return { outcome: 'sent' };
    },

    /** Whether a reset link still works, to show its form or say why not (a refusal is audited). */
    async resetLinkState(token: string, request: AttemptRequest): Promise<ResetLinkState> {
      const state = await linkState(ctx.system, token, ctx.now());
      if (state.state !== 'ok') await refuseLink(ctx.system, state, request);
      return state.state;
    },

    /**
     * Sets a new password through a reset link: the link is taken once (whichever request comes
     * first), every other link and every session of the person ends.
     */
    async resetPassword(
      token: string,
      input: { password?: unknown; confirm?: unknown },
      request: AttemptRequest,
    ): Promise<{ outcome: 'done' } | { outcome: 'refused'; state: Exclude<ResetLinkState, 'ok'> }> {
      const found = await linkState(ctx.system, token, ctx.now());
      if (found.state !== 'ok') {
        await refuseLink(ctx.system, found, request);
        return { outcome: 'refused', state: found.state };
      }
      const password = typeof input.password === 'string' ? input.password : '';
      const confirm = typeof input.confirm === 'string' ? input.confirm : '';
      const errors = newPasswordErrors(password, confirm, found.user.email);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const hash = await hashPassword(password);
      return ctx.system.transaction(async (tx) => {
        const identity = identityRepository(tx);
        if (!(await identity.useReset(found.reset.id, ctx.now()))) {
          const again = await linkState(tx, token, ctx.now());
          const state = again.state === 'ok' ? 'used' : again.state;
          await refuseLink(tx, { ...found, state }, request);
          return { outcome: 'refused' as const, state };
        }
        await identity.setPassword(found.user.id, hash);
        await identity.cancelResets(found.user.id, ctx.now());
        const sessionsEnded = await identity.endSessions(found.user.id);
        await tellPasswordChanged(tx, found.user);
        await auditRepository(tx).write({
          action: 'user.password.reset',
          outcome: 'success',
          partnershipId: found.user.partnershipId,
          userId: found.user.id,
          requestId: request.requestId,
          sourceAddress: request.address,
          subjectType: 'user',
          subjectId: found.user.id,
          detail: { sessionsEnded },
        });
        return { outcome: 'done' as const };
      });
    },

    /** The signed-in person's sessions, newest first, the one asking marked. */
    async sessions(actor: Actor, currentHash: string) {
      const rows = await inRead(ctx, (db) => identityRepository(db).sessionsOf(actor.userId, ctx.now()));
      return rows
        .filter((r) => (r.data as { userId?: unknown }).userId === actor.userId)
        .map((r) => {
          const data = r.data as {
            signedInAt?: number;
            auth?: { method?: string; address?: string; userAgent?: string; providerName?: string };
          };
          return {
            ref: sessionRef(r.idHash),
            current: r.idHash === currentHash,
            signedInAt: new Date(data.signedInAt ?? r.createdAt.getTime()),
            method: data.auth?.method ?? 'password',
            providerName: data.auth?.providerName ?? null,
            address: data.auth?.address ?? null,
            userAgent: data.auth?.userAgent ?? null,
          };
        });
    },

    /** Ends one of the person's own sessions (by its reference in their list). */
    async endSession(actor: Actor, ref: string, currentHash: string): Promise<{ current: boolean }> {
      return inTransaction(ctx, async (tx) => {
        const identity = identityRepository(tx);
        const mine = await identity.sessionsOf(actor.userId, ctx.now());
        const session = mine.find((r) => sessionRef(r.idHash) === ref);
        if (!session) throw new ValidationError({ _: 'That session has ended already.' });
        await identity.endSession(actor.userId, session.idHash);
        await audit(tx, actor, {
          action: 'user.session.end',
          outcome: 'success',
          subjectType: 'user',
          subjectId: actor.userId,
          detail: { session: ref, current: session.idHash === currentHash },
        });
        return { current: session.idHash === currentHash };
      });
    },

    /** Ends every other session of the person. */
    async endOtherSessions(actor: Actor, currentHash: string): Promise<number> {
      return inTransaction(ctx, async (tx) => {
        const ended = await identityRepository(tx).endSessions(actor.userId, currentHash);
        await audit(tx, actor, {
          action: 'user.session.end-others',
          outcome: 'success',
          subjectType: 'user',
          subjectId: actor.userId,
          detail: { sessionsEnded: ended },
        });
        return ended;
      });
    },
  };
}

type LinkFound =
  { state: 'unknown' } | { state: 'ok' | 'used' | 'expired'; reset: { id: string }; user: UserRow };

async function linkState(db: Executor, token: string, now: Date): Promise<LinkFound> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'unknown' };
  const row = await identityRepository(db).resetByHash(sha256(token));
  if (!row || row.user.disabledAt) return { state: 'unknown' };
  const state = row.reset.usedAt ? 'used' : row.reset.expiresAt <= now ? 'expired' : 'ok';
  return { state, reset: row.reset, user: row.user };
}

async function refuseLink(db: Executor, found: LinkFound, request: AttemptRequest) {
  const user = found.state === 'unknown' ? null : found.user;
  await auditRepository(db).write({
    action: 'user.password.reset',
    outcome: 'denied',
    partnershipId: user?.partnershipId ?? null,
    userId: user?.id ?? null,
    requestId: request.requestId,
    sourceAddress: request.address,
    detail: { reason: `link-${found.state}` },
  });
}
