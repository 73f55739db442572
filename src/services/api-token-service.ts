import { z } from 'zod';
import { apiTokenRepository } from '../db/repositories/api-token-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { MAX_ACTIVE_TOKENS, tokenExpiry, tokenStatus } from '../domain/api-tokens/expiry.ts';
import { mayAdminister, type Actor } from '../domain/lifecycle/roles.ts';
import { apiTokenInput } from '../schemas/api-tokens.ts';
import { parseInput } from '../schemas/parse.ts';
import { newApiToken, sha256, tooManyTokens } from './auth-service.ts';
import { audit, denial, inTransaction, recordRefusal, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, NotVisibleError, ValidationError } from './errors.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/**
 * Personal API tokens managed by their owner (create, list, revoke) and by the partnership's
 * administrator (list and revoke anyone's in the partnership). Who sees which token is decided in
 * the repository; every create, revoke and refusal is audited.
 */
export function apiTokenService(ctx: ServiceContext) {
  /** Refuses anyone but an administrator, on record (before any transaction is open). */
  const requireAdmin = async (actor: Actor, action: AuditAction, subjectId?: string) => {
    if (mayAdminister(actor)) return;
    const error = new ForbiddenError(
      'Only a partnership administrator can see or revoke other people’s tokens.',
      denial(actor, { action, subjectType: subjectId ? 'user' : null, subjectId: subjectId ?? null }),
    );
    await recordRefusal(ctx, error);
    throw error;
  };

  const withStatus = <T extends { expiresAt: Date; revokedAt: Date | null }>(rows: T[]) => {
    const now = ctx.now();
    return rows.map((row) => ({ ...row, status: tokenStatus(row, now) }));
  };

  return {
    /** The actor's own tokens, newest first, with their status. */
    async mine(actor: Actor) {
      return inTransaction(ctx, async (tx) =>
        withStatus(await apiTokenRepository(tx, actor).list(actor.userId)),
      );
    },

    /**
     * Everyone's tokens in the partnership, or one person's (`userId`): the administrator's view.
     * Anyone else is refused, on record; a person not of the partnership is not found.
     */
    async ofPartnership(actor: Actor, userId?: string) {
      await requireAdmin(actor, 'api-token.list', userId);
      return inTransaction(ctx, async (tx) => {
        let person = null;
        if (userId) {
          const [found] = isUuid(userId) ? await directoryRepository(tx, actor).usersByIds([userId]) : [];
          if (!found) throw new NotFoundError('There is no such person in your partnership.');
          person = found;
        }
        return { person, tokens: withStatus(await apiTokenRepository(tx, actor).list(userId)) };
      });
    },

    /**
     * A new token of the actor's own, shown once (only its hash is kept). `notAfter` caps its
     * expiry: a token made with another token cannot outlast it.
     */
    async create(actor: Actor, input: unknown, options: { notAfter?: Date; via: 'page' | 'api' }) {
      const data = parseInput(apiTokenInput, input ?? {});
      const now = ctx.now();
      const expiresAt = tokenExpiry(now, data.expiresInDays);
      if (options.notAfter && expiresAt > options.notAfter) {
        const days = Math.floor((options.notAfter.getTime() - now.getTime()) / 86_400_000);
        throw new ValidationError({
          expiresInDays:
            days >= 1
              ? `A token made with another token cannot outlast it: enter ${days} days or fewer`
              : 'The token you are using expires within a day: make a new token on the “Your API tokens” page',
        });
      }
      const token = newApiToken();
      const created = await inTransaction(ctx, async (tx) => {
        const tokens = apiTokenRepository(tx, actor);
        if ((await tokens.activeCount(now)) >= MAX_ACTIVE_TOKENS)
          throw new ValidationError({ _: tooManyTokens });
        const { id } = await tokens.insert({
          name: data.name,
          tokenHash: sha256(token),
          expiresAt,
          createdAt: now,
        });
        await audit(tx, actor, {
          action: 'api-token.create',
          outcome: 'success',
          subjectType: 'api_token',
          subjectId: id,
          detail: { name: data.name, expiresAt: expiresAt.toISOString(), via: options.via },
        });
        return (await tokens.find(id))!;
      });
      return { ...created, status: tokenStatus(created, now), token };
    },

    /**
     * Revokes a token the actor may see: their own, or (for the administrator) anyone's in the
     * partnership. Another person's token is refused, on record; an unknown one is not found;
     * one already revoked is left as it was.
     */
    async revoke(actor: Actor, id: string, options: { asAdministrator?: boolean } = {}) {
      // The administrator's pages refuse anyone else (on record) before looking for the token.
      if (options.asAdministrator) await requireAdmin(actor, 'api-token.revoke');
      const now = ctx.now();
      return inTransaction(ctx, async (tx) => {
        const tokens = apiTokenRepository(tx, actor);
        const token = isUuid(id) ? await tokens.find(id) : null;
        if (!token) {
          const owner = isUuid(id) ? await systemRepository(tx).apiTokenOwner(id) : null;
          if (!owner) throw new NotFoundError('There is no such API token.');
          throw new NotVisibleError(
            'You can revoke only your own API tokens.',
            denial(actor, { action: 'api-token.revoke', subjectType: 'api_token', subjectId: id }),
          );
        }
        if (!(await tokens.revoke(id, now))) return { ...token, status: tokenStatus(token, now) };
        await audit(tx, actor, {
          action: 'api-token.revoke',
          outcome: 'success',
          subjectType: 'api_token',
          subjectId: id,
          detail: { name: token.name, ownerId: token.owner.id },
        });
        const revoked = (await tokens.find(id))!;
        return { ...revoked, status: tokenStatus(revoked, now) };
      });
    },
  };
}

export type ApiTokenService = ReturnType<typeof apiTokenService>;
