import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { learningThemeChanges, learningThemes } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { DEFAULT_THEMES } from '../../domain/learning/themes.ts';

export type ThemeRow = typeof learningThemes.$inferSelect;

/** The actor's partnership's taxonomy of learning themes, and its history. */
export function themeRepository(db: Executor, actor: Actor) {
  const mine = eq(learningThemes.partnershipId, actor.partnershipId);

  async function record(themeId: string, kind: string, oldName: string | null, newName: string | null) {
    await db.insert(learningThemeChanges).values({
      partnershipId: actor.partnershipId,
      themeId,
      kind,
      oldName,
      newName,
      byUserId: actor.userId,
    });
  }

  return {
    /**
     * Gives a partnership with no themes the starting taxonomy (version 1). Safe when two
     * requests race: the unique key lets one insert and the other insert nothing.
     */
    async seedIfEmpty(): Promise<void> {
      const [n] = await db.select({ n: count() }).from(learningThemes).where(mine);
      if ((n?.n ?? 0) > 0) return;
      const rows = await db
        .insert(learningThemes)
        .values(
          DEFAULT_THEMES.map((t) => ({
            ...t,
            keywords: [...t.keywords],
            partnershipId: actor.partnershipId,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: learningThemes.id, name: learningThemes.name });
      for (const row of rows) await record(row.id, 'seeded', null, row.name);
    },

    async all(): Promise<ThemeRow[]> {
      return db.select().from(learningThemes).where(mine).orderBy(asc(learningThemes.name));
    },

    async byIds(ids: string[]): Promise<ThemeRow[]> {
      if (!ids.length) return [];
      return db
        .select()
        .from(learningThemes)
        .where(and(mine, sql`${learningThemes.id} = any(${sql.param(ids)}::uuid[])`));
    },

    async byKeys(keys: string[]): Promise<ThemeRow[]> {
      if (!keys.length) return [];
      return db
        .select()
        .from(learningThemes)
        .where(and(mine, sql`${learningThemes.key} = any(${sql.param(keys)}::text[])`));
    },

    async nameTaken(name: string, exceptId?: string): Promise<boolean> {
      const rows = await db
        .select({ id: learningThemes.id })
        .from(learningThemes)
        .where(and(mine, sql`lower(${learningThemes.name}) = lower(${name})`));
      return rows.some((r) => r.id !== exceptId);
    },

    async add(values: { key: string; name: string; description: string | null; keywords: string[] }) {
      const [row] = await db
        .insert(learningThemes)
        .values({ ...values, partnershipId: actor.partnershipId })
        .onConflictDoNothing()
        .returning();
      if (row) await record(row.id, 'added', null, row.name);
      return row ?? null;
    },

    async rename(theme: ThemeRow, name: string, description: string | null) {
      await db
        .update(learningThemes)
        .set({ name, description })
        .where(and(mine, eq(learningThemes.id, theme.id)));
      if (name !== theme.name) await record(theme.id, 'renamed', theme.name, name);
    },

    /** New keywords for a theme: a change of the taxonomy, so a new version. */
    async setKeywords(theme: ThemeRow, keywords: string[]) {
      await db
        .update(learningThemes)
        .set({ keywords })
        .where(and(mine, eq(learningThemes.id, theme.id)));
      await record(theme.id, 'keywords', theme.name, theme.name);
    },

    async setRetired(theme: ThemeRow, retiredAt: Date | null) {
      await db
        .update(learningThemes)
        .set({ retiredAt })
        .where(and(mine, eq(learningThemes.id, theme.id)));
      await record(theme.id, retiredAt ? 'retired' : 'restored', theme.name, theme.name);
    },

    /** The taxonomy's version: 1 as seeded, and one more for every change an administrator made. */
    async version(): Promise<number> {
      const [row] = await db
        .select({
          n: sql<number>`(count(*) filter (where ${learningThemeChanges.kind} = 'seeded') > 0)::int + (count(*) filter (where ${learningThemeChanges.kind} <> 'seeded'))::int`,
        })
        .from(learningThemeChanges)
        .where(eq(learningThemeChanges.partnershipId, actor.partnershipId));
      return row?.n ?? 0;
    },

    async history(themeId?: string) {
      return db
        .select()
        .from(learningThemeChanges)
        .where(
          themeId
            ? and(
                eq(learningThemeChanges.partnershipId, actor.partnershipId),
                eq(learningThemeChanges.themeId, themeId),
              )
            : eq(learningThemeChanges.partnershipId, actor.partnershipId),
        )
        .orderBy(asc(learningThemeChanges.id));
    },
  };
}
