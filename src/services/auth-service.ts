import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Executor } from '../db/client.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { signInThrottleRepository } from '../db/repositories/sign-in-throttle-repository.ts';
import { identityRepository } from '../db/repositories/identity-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { isRole, type Actor } from '../domain/lifecycle/roles.ts';
import { ACCOUNT_POLICY, normaliseEmail } from '../domain/sign-in/throttle.ts';
import { DEFAULT_SECOND_FACTOR_ROLES, secondFactorAtSignIn } from '../domain/sign-in/strength.ts';
import { throttledAttempt, type AttemptRequest } from './sign-in/attempts.ts';
import { audit, inTransaction, type ServiceContext } from './context.ts';
import { ValidationError } from './errors.ts';
import { parseInput } from '../schemas/parse.ts';
import { apiTokenInput } from '../schemas/api-tokens.ts';
import { MAX_ACTIVE_TOKENS, tokenExpiry, tokenStatus } from '../domain/api-tokens/expiry.ts';

export type UserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof systemRepository>['userById']>>>;

/** A hash to compare against when the e-mail is unknown, so both failures take the same time. */
let decoyHash: Promise<string> | null = null;

export const hashPassword = (password: string) => hash(password); // argon2id, the library's defaults

/** `los_` and 32 random bytes: shown once, stored as its SHA-256. */
export const newApiToken = () => `los_${randomBytes(32).toString('base64url')}`;

export const tooManyTokens = `You have ${MAX_ACTIVE_TOKENS} tokens that still work, the most a person may hold. Revoke one you no longer use first`;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function actorFor(user: UserRow, requestId: string): Actor {
  return {
    userId: user.id,
    partnershipId: user.partnershipId,
    agencyId: user.agencyId,
    roles: user.roles.filter(isRole),
    email: user.email,
    name: user.name,
    requestId,
  };
}

/** What sign-in asks for after the password, in the audit log's words. */
const NEXT_WORDS = { code: 'authenticator code', enrol: 'set up an authenticator' } as const;

/** The roles that must use a second factor in this partnership (its administrator's choice, or the default). */
export async function secondFactorRoles(db: Executor, partnershipId: string): Promise<readonly string[]> {
  return (await identityRepository(db).secondFactorRoles(partnershipId)) ?? DEFAULT_SECOND_FACTOR_ROLES;
}

/** What this person is asked for after the password (or an identity provider that did not ask for a second factor). */
export async function nextFactor(
  db: Executor,
  user: Pick<UserRow, 'id' | 'roles' | 'partnershipId'>,
  _now: Date,
  providerTwoFactor = false,
): Promise<'none' | 'code' | 'enrol'> {
  const enrolment = await identityRepository(db).totp(user.id);
  return secondFactorAtSignIn({
    roles: user.roles,
    requiredRoles: await secondFactorRoles(db, user.partnershipId),
    enrolled: Boolean(enrolment?.confirmedAt),
    providerTwoFactor,
  });
}

/** Sign-in with e-mail and password, and the personal API tokens scripts use. */
export function authService(ctx: ServiceContext) {
  const system = () => systemRepository(ctx.system);

  return {
    /**
     * Checks an e-mail and password, throttled per account (the e-mail as typed, whether or not
     * anyone has it) and per address, in the database so the limits hold across instances. The
     * answer is the same for an account that exists and one that does not; every attempt,
     * refusal and lockout is audited. A right password is the whole sign-in only for someone who
     * holds no second factor and need not: `next` says what sign-in asks for after it.
     */
    async signIn(email: string, password: string, request: AttemptRequest) {
      const typed = normaliseEmail(email);
      let user: UserRow | null | undefined;
      const person = async () => (user === undefined ? (user = await system().userByEmail(typed)) : user);
      const result = await throttledAttempt(ctx, {
        action: 'user.sign-in',
        accountKey: `account:${sha256(typed)}`,
        request,
        subject: async () => {
          const who = await person();
          return { partnershipId: who?.partnershipId ?? null, userId: who?.id ?? null, email: typed };
        },
        // The password, against a decoy hash when no one has the e-mail, so both take as long.
        precheck: async () => {
          const who = await person();
          decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
          return who?.passwordHash && !who.disabledAt
            ? await verify(who.passwordHash, password).catch(() => false)
            : await verify(await decoyHash, password).then(() => false);
        },
        check: async (tx, ok) => {
          const who = await person();
          if (!ok || !who) return { ok: false, reason: 'wrong-email-or-password' };
          const next = await nextFactor(tx, who, ctx.now());
          if (next === 'none') await systemRepository(tx).markSignedIn(who.id, ctx.now());
          return {
            ok: true,
            value: { user: who, next },
            detail: next === 'none' ? { method: 'password' } : { step: 'password', next: NEXT_WORDS[next] },
          };
        },
      });
      if (result.outcome === 'ok') return { outcome: 'signed-in' as const, ...result.value };
      if (result.outcome === 'wait') return result;
      return { outcome: 'wrong' as const };
    },

    /**
     * The signed-in person's password again, when a page asks for a recent sign-in: throttled and
     * audited like a sign-in (`user.reauthenticate`).
     */
    async confirmPassword(userId: string, password: string, request: AttemptRequest) {
      const who = await system().userById(userId);
      if (!who || who.disabledAt) return { outcome: 'refused' as const, reason: 'no-such-person' };
      return throttledAttempt(ctx, {
        action: 'user.reauthenticate',
        accountKey: `account:${sha256(normaliseEmail(who.email))}`,
        request,
        subject: async () => ({ partnershipId: who.partnershipId, userId: who.id, email: who.email }),
        precheck: async () =>
          who.passwordHash ? await verify(who.passwordHash, password).catch(() => false) : false,
        check: async (_tx, ok) =>
          ok
            ? { ok: true, value: who, detail: { step: 'password' } }
            : { ok: false, reason: 'wrong-password' },
      });
    },

    /** A sign-in completed by setting up an authenticator: on record as the person's latest. */
    async recordSignIn(userId: string, request: AttemptRequest & { method: string }) {
      const who = await system().userById(userId);
      if (!who) return;
      await ctx.system.transaction(async (tx) => {
        await systemRepository(tx).markSignedIn(who.id, ctx.now());
        await auditRepository(tx).write({
          action: 'user.sign-in',
          outcome: 'success',
          partnershipId: who.partnershipId,
          userId: who.id,
          requestId: request.requestId,
          sourceAddress: request.address,
          detail: { method: request.method, step: 'set up an authenticator' },
        });
      });
    },

    async recordSignOut(userId: string, request: AttemptRequest) {
      const who = await system().userById(userId);
      if (!who) return;
      await auditRepository(ctx.system).write({
        action: 'user.sign-out',
        outcome: 'success',
        partnershipId: who.partnershipId,
        userId: who.id,
        requestId: request.requestId,
        sourceAddress: request.address,
        detail: {},
      });
    },

    /** A page asked for a recent strong sign-in and the session was not one: on record. */
    async recordStepUp(actor: Actor, demand: { action: string; need: string; path: string }) {
      await inTransaction(ctx, (tx) =>
        audit(tx, actor, {
          action: 'user.reauthenticate',
          outcome: 'denied',
          detail: { reason: demand.need, for: demand.action, path: demand.path.slice(0, 200) },
        }),
      );
    },

    async hasPassword(userId: string): Promise<boolean> {
      return Boolean((await system().userById(userId))?.passwordHash);
    },

    /** Forgets failed sign-ins that no longer count (the scheduled `sign-in-throttle-purge`). */
    async purgeSignInThrottles() {
      const now = ctx.now();
      await signInThrottleRepository(ctx.system).purge(
        now,
        new Date(now.getTime() - ACCOUNT_POLICY.forgetAfterMs),
      );
    },

    async userById(id: string) {
      const user = await system().userById(id);
      return user && !user.disabledAt ? user : null;
    },

    /**
     * A new token for the user, from the command line (an administrator's command on the database);
     * only its hash is stored, so it is shown once. It lasts `expiresInDays` (default 90, at most 365).
     */
    async createApiToken(
      email: string,
      name: string,
      options: { expiresInDays?: number } = {},
    ): Promise<{ token: string; user: UserRow; expiresAt: Date }> {
      const input = parseInput(apiTokenInput, { name, expiresInDays: options.expiresInDays });
      const user = await system().userByEmail(email);
      if (!user || user.disabledAt) throw new Error(`There is no active user with the e-mail ${email}.`);
      const token = newApiToken();
      const now = ctx.now();
      const expiresAt = tokenExpiry(now, input.expiresInDays);
      await ctx.system.transaction(async (tx) => {
        const system = systemRepository(tx);
        if ((await system.activeApiTokenCount(user.id, now)) >= MAX_ACTIVE_TOKENS)
          throw new ValidationError({ _: tooManyTokens });
        const { id } = await system.insertApiToken({
          userId: user.id,
          name: input.name,
          tokenHash: sha256(token),
          expiresAt,
          createdAt: now,
        });
        await auditRepository(tx).write({
          action: 'api-token.create',
          outcome: 'success',
          partnershipId: user.partnershipId,
          userId: user.id,
          subjectType: 'api_token',
          subjectId: id,
          detail: { name: input.name, expiresAt: expiresAt.toISOString(), via: 'command line' },
        });
      });
      return { token, user, expiresAt };
    },

    /** The person a token acts for, or null when it is unknown, expired or revoked. */
    async userByApiToken(token: string): Promise<UserRow | null> {
      const session = await this.apiTokenSession(token);
      return session.ok ? session.user : null;
    },

    /** The person a presented token acts for, or why it is refused. */
    async apiTokenSession(
      token: string,
    ): Promise<
      | { ok: true; user: UserRow; token: { id: string; expiresAt: Date } }
      | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }
    > {
      const now = ctx.now();
      const found = await system().apiTokenByHash(sha256(token), now);
      if (!found || found.user.disabledAt) return { ok: false, reason: 'unknown' };
      const status = tokenStatus(found.token, now);
      if (status !== 'active') return { ok: false, reason: status };
      return { ok: true, user: found.user, token: { id: found.token.id, expiresAt: found.token.expiresAt } };
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
