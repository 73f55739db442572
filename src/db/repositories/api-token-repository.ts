import { and, count, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { apiTokens, users } from '../schema.ts';
import { mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';

const revokers = alias(users, 'revokers');

/**
 * Personal API tokens as their owner and the partnership's administrator see them: the one rule
 * of who sees which token is here. A person sees their own tokens; the administrator sees everyone's
 * in their partnership; no one sees another partnership's. The token's hash is never read.
 */
export function apiTokenRepository(db: Executor, actor: Actor) {
  const visible: SQL = mayAdminister(actor)
    ? sql`${apiTokens.userId} in (select ${users.id} from ${users} where ${users.partnershipId} = ${actor.partnershipId})`
    : eq(apiTokens.userId, actor.userId);

  const columns = {
    id: apiTokens.id,
    name: apiTokens.name,
    createdAt: apiTokens.createdAt,
    lastUsedAt: apiTokens.lastUsedAt,
    expiresAt: apiTokens.expiresAt,
    revokedAt: apiTokens.revokedAt,
    revokedByName: revokers.name,
    ownerId: users.id,
    ownerName: users.name,
    ownerEmail: users.email,
  };
  const shaped = <R extends { ownerId: string; ownerName: string; ownerEmail: string }>(row: R) => {
    const { ownerId, ownerName, ownerEmail, ...rest } = row;
    return { ...rest, owner: { id: ownerId, name: ownerName, email: ownerEmail } };
  };

  const select = (where: SQL | undefined) =>
    db
      .select(columns)
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .leftJoin(revokers, eq(revokers.id, apiTokens.revokedBy))
      .where(and(visible, where));

  return {
    /** The tokens visible to the actor, newest first; `ownerId` narrows them to one person's. */
    async list(ownerId?: string) {
      const rows = await select(ownerId ? eq(apiTokens.userId, ownerId) : undefined).orderBy(
        desc(apiTokens.createdAt),
        desc(apiTokens.id),
      );
      return rows.map(shaped);
    },

    async find(id: string) {
      const [row] = await select(eq(apiTokens.id, id));
      return row ? shaped(row) : null;
    },

    /** Tokens the actor holds that still work. */
    async activeCount(now: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(apiTokens)
        .where(
          and(eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)),
        );
      return row?.n ?? 0;
    },

    /** A new token of the actor's own (only its hash is kept). */
    async insert(values: { name: string; tokenHash: string; expiresAt: Date; createdAt: Date }) {
      const [row] = await db
        .insert(apiTokens)
        .values({ ...values, userId: actor.userId })
        .returning({ id: apiTokens.id });
      return row!;
    },

    /** Revokes a visible token not revoked yet; false when there was none to revoke. */
    async revoke(id: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: now, revokedBy: actor.userId })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), visible))
        .returning({ id: apiTokens.id });
      return rows.length === 1;
    },
  };
}

export type ApiTokenRow = NonNullable<Awaited<ReturnType<ReturnType<typeof apiTokenRepository>['find']>>>;
