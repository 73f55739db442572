import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { resourceLinks } from '../schema.ts';
import { mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';

export type ResourceRow = typeof resourceLinks.$inferSelect;

/** The actor's partnership's resource library: everyone reads it, administrators change it. */
export function resourceRepository(db: Executor, actor: Actor) {
  const requireAdmin = () => {
    if (!mayAdminister(actor))
      throw new ForbiddenError('Only a partnership administrator can change the resource library.');
  };
  return {
    async list(): Promise<ResourceRow[]> {
      return db
        .select()
        .from(resourceLinks)
        .where(eq(resourceLinks.partnershipId, actor.partnershipId))
        .orderBy(asc(resourceLinks.position), asc(resourceLinks.createdAt));
    },

    async add(values: { title: string; url: string; category: string }): Promise<ResourceRow> {
      requireAdmin();
      const [last] = await db
        .select({ n: sql<number>`coalesce(max(${resourceLinks.position}), -1)::int` })
        .from(resourceLinks)
        .where(eq(resourceLinks.partnershipId, actor.partnershipId));
      const [row] = await db
        .insert(resourceLinks)
        .values({
          ...values,
          partnershipId: actor.partnershipId,
          position: (last?.n ?? -1) + 1,
          createdBy: actor.userId,
        })
        .returning();
      return row!;
    },

    async remove(id: string): Promise<ResourceRow | null> {
      requireAdmin();
      const [row] = await db
        .delete(resourceLinks)
        .where(and(eq(resourceLinks.id, id), eq(resourceLinks.partnershipId, actor.partnershipId)))
        .returning();
      return row ?? null;
    },
  };
}
