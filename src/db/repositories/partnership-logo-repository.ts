import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { partnerships } from '../schema.ts';
import { mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';
import type { LogoMediaType } from '../../domain/briefing/logo.ts';
import { ForbiddenError } from '../../services/errors.ts';

export interface LogoInfo {
  mediaType: LogoMediaType;
  bytes: number;
  updatedAt: Date;
}

/**
 * The actor's partnership's logo, never another partnership's. Everyone in the partnership reads
 * it (it heads every briefing); only its administrator changes it, checked here.
 */
export function partnershipLogoRepository(db: Executor, actor: Actor) {
  const mine = eq(partnerships.id, actor.partnershipId);
  const requireAdmin = () => {
    if (!mayAdminister(actor))
      throw new ForbiddenError("Only a partnership administrator can change the partnership's logo.");
  };

  return {
    /** Whether there is a logo, its type and size, without reading the picture itself. */
    async info(): Promise<LogoInfo | null> {
      const [row] = await db
        .select({
          mediaType: partnerships.logoMediaType,
          bytes: sql<number>`octet_length(${partnerships.logo})::int`,
          updatedAt: partnerships.logoUpdatedAt,
        })
        .from(partnerships)
        .where(mine);
      if (!row?.mediaType) return null;
      return {
        mediaType: row.mediaType as LogoMediaType,
        bytes: Number(row.bytes),
        updatedAt: row.updatedAt ?? new Date(0),
      };
    },

    async logo(): Promise<{ content: Buffer; mediaType: LogoMediaType } | null> {
      const [row] = await db
        .select({ content: partnerships.logo, mediaType: partnerships.logoMediaType })
        .from(partnerships)
        .where(mine);
      if (!row?.content || !row.mediaType) return null;
      return { content: row.content, mediaType: row.mediaType as LogoMediaType };
    },

    /** Sets or replaces the logo; the caller has checked the picture (files/briefing-logo.ts). */
    async set(content: Buffer, mediaType: LogoMediaType, at: Date): Promise<void> {
      requireAdmin();
      await db
        .update(partnerships)
        .set({ logo: content, logoMediaType: mediaType, logoUpdatedAt: at })
        .where(mine);
    },

    /** Removes the logo; says whether there was one. */
    async remove(): Promise<boolean> {
      requireAdmin();
      const rows = await db
        .update(partnerships)
        .set({ logo: null, logoMediaType: null, logoUpdatedAt: null })
        .where(sql`${mine} and ${partnerships.logo} is not null`)
        .returning({ id: partnerships.id });
      return rows.length > 0;
    },
  };
}
