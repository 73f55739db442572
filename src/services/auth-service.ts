import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { isRole, type Actor } from '../domain/lifecycle/roles.ts';
import type { ServiceContext } from './context.ts';

export type UserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof systemRepository>['userById']>>>;

/** A hash to compare against when the e-mail is unknown, so both failures take the same time. */
let decoyHash: Promise<string> | null = null;

export const hashPassword = (password: string) => hash(password); // argon2id, the library's defaults

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

/** Sign-in with e-mail and password, and the personal API tokens scripts use. */
export function authService(ctx: ServiceContext) {
  const system = () => systemRepository(ctx.db);

  return {
    /** The user, or null; the caller says only "e-mail or password not right", never which. */
    async signIn(email: string, password: string, requestId: string): Promise<UserRow | null> {
      const user = await system().userByEmail(email.trim());
      decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
      const ok =
        user?.passwordHash && !user.disabledAt
          ? await verify(user.passwordHash, password).catch(() => false)
          : await verify(await decoyHash, password).then(() => false);
      await ctx.db.transaction(async (tx) => {
        await auditRepository(tx).write({
          action: 'user.sign-in',
          outcome: ok ? 'success' : 'failure',
          partnershipId: user?.partnershipId ?? null,
          userId: user?.id ?? null,
          userEmail: email.trim().toLowerCase().slice(0, 200),
          requestId,
        });
        if (ok && user) await systemRepository(tx).markSignedIn(user.id, ctx.now());
      });
      return ok && user ? user : null;
    },

    async userById(id: string) {
      const user = await system().userById(id);
      return user && !user.disabledAt ? user : null;
    },

    /** A new token for the user; only its hash is stored, so it is shown once. */
    async createApiToken(email: string, name: string): Promise<{ token: string; user: UserRow }> {
      const user = await system().userByEmail(email);
      if (!user || user.disabledAt) throw new Error(`There is no active user with the e-mail ${email}.`);
      const token = `los_${randomBytes(32).toString('base64url')}`;
      await ctx.db.transaction(async (tx) => {
        const { id } = await systemRepository(tx).insertApiToken(user.id, name, sha256(token));
        await auditRepository(tx).write({
          action: 'api-token.create',
          outcome: 'success',
          partnershipId: user.partnershipId,
          userId: user.id,
          userEmail: user.email,
          subjectType: 'api_token',
          subjectId: id,
          detail: { name },
        });
      });
      return { token, user };
    },

    async userByApiToken(token: string) {
      const user = await system().userByApiToken(sha256(token), ctx.now());
      return user && !user.disabledAt ? user : null;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
