import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Executor } from '../db/client.ts';
import { auditRepository, type AuditOutcome } from '../db/repositories/audit-repository.ts';
import { signInThrottleRepository } from '../db/repositories/sign-in-throttle-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { isRole, type Actor } from '../domain/lifecycle/roles.ts';
import {
  ACCOUNT_POLICY,
  accountAttempt,
  addressAttempt,
  addressKey as addressKeyOf,
  addressSucceeded,
  normaliseEmail,
} from '../domain/sign-in/throttle.ts';
import type { ServiceContext } from './context.ts';
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

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/** Sign-in with e-mail and password, and the personal API tokens scripts use. */
export function authService(ctx: ServiceContext) {
  const system = () => systemRepository(ctx.db);

  return {
    /**
     * Checks an e-mail and password, throttled per account (the e-mail as typed, whether or not
     * anyone has it) and per address, in the database so the limits hold across instances. The
     * answer is the same for an account that exists and one that does not; every attempt,
     * refusal and lockout is audited.
     */
    async signIn(email: string, password: string, request: { requestId: string; address: string }) {
      const typed = normaliseEmail(email);
      const accountKey = `account:${sha256(typed)}`;
      const addressKey = `address:${addressKeyOf(request.address)}`;
      const now = ctx.now();
      const record = (tx: Executor, outcome: AuditOutcome, user: UserRow | null, detail: object) =>
        auditRepository(tx).write({
          action: 'user.sign-in',
          outcome,
          partnershipId: user?.partnershipId ?? null,
          userId: user?.id ?? null,
          userEmail: typed.slice(0, 200),
          requestId: request.requestId,
          detail: { address: request.address, ...detail },
        });

      // 1. Count the attempt before the password is checked, so attempts at once cannot all slip in.
      const claim = await ctx.db.transaction(async (tx) => {
        const throttles = signInThrottleRepository(tx);
        const byAddress = addressAttempt(await throttles.hold(addressKey, now), now);
        if (!byAddress.allowed) return { refused: 'address' as const, retryAt: byAddress.retryAt };
        await throttles.save(addressKey, byAddress.state);
        const byAccount = accountAttempt(await throttles.hold(accountKey, now), now);
        if (!byAccount.allowed) return { refused: 'account' as const, retryAt: byAccount.retryAt };
        await throttles.save(accountKey, byAccount.state);
        return {
          refused: null,
          failures: byAccount.state.failures,
          lockedUntil: latest(byAccount.lockedUntil, byAddress.lockedUntil),
        };
      });
      if (claim.refused) {
        const user = await system().userByEmail(typed);
        await record(ctx.db, 'denied', user, {
          reason: claim.refused === 'account' ? 'account-locked' : 'too-many-from-address',
          retryAt: claim.retryAt.toISOString(),
        });
        return { outcome: 'wait' as const, waitMs: claim.retryAt.getTime() - now.getTime() };
      }

      // 2. The password, against a decoy hash when no one has the e-mail, so both take as long.
      const user = await system().userByEmail(typed);
      decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
      const ok =
        user?.passwordHash && !user.disabledAt
          ? await verify(user.passwordHash, password).catch(() => false)
          : await verify(await decoyHash, password).then(() => false);

      // 3. A success clears the account's failures and gives the address its attempt back.
      return ctx.db.transaction(async (tx) => {
        const throttles = signInThrottleRepository(tx);
        if (ok && user) {
          // The address first, then the account, as when counting: two transactions never wait on each other.
          await throttles.save(addressKey, addressSucceeded(await throttles.hold(addressKey, now), now));
          await throttles.clear(accountKey);
          await record(tx, 'success', user, {});
          await systemRepository(tx).markSignedIn(user.id, now);
          return { outcome: 'signed-in' as const, user };
        }
        await record(tx, 'failure', user, {
          reason: 'wrong-email-or-password',
          failures: claim.failures,
          ...(claim.lockedUntil ? { lockedUntil: claim.lockedUntil.toISOString() } : {}),
        });
        return claim.lockedUntil
          ? { outcome: 'wait' as const, waitMs: claim.lockedUntil.getTime() - now.getTime() }
          : { outcome: 'wrong' as const };
      });
    },

    /** Forgets failed sign-ins that no longer count (the scheduled `sign-in-throttle-purge`). */
    async purgeSignInThrottles() {
      const now = ctx.now();
      await signInThrottleRepository(ctx.db).purge(
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
      await ctx.db.transaction(async (tx) => {
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
          userEmail: user.email,
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
