import { and, asc, count, eq, gt, lte, lt, isNotNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { keptForms, sessions } from '../schema.ts';

/**
 * Forms sent after their session ended, kept for their owner (src/services/kept-form-service.ts).
 * Keeping one runs before anyone is signed in (privileged, like `systemRepository`); reading,
 * sending and discarding run as the owner, whom the database's policy also holds to their own.
 */
export function keptFormRepository(db: Executor) {
  return {
    /** Whose session this was, if it has ended (timed out) and its row is still held. */
    async endedSessionOwner(idHash: string, now: Date): Promise<string | null> {
      const [row] = await db
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(and(eq(sessions.idHash, idHash), lte(sessions.expiresAt, now), isNotNull(sessions.userId)));
      return row?.userId ?? null;
    },

    async countFor(userId: string, now: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(keptForms)
        .where(and(eq(keptForms.userId, userId), gt(keptForms.expiresAt, now)));
      return Number(row?.n ?? 0);
    },

    async insert(values: { userId: string; path: string; sealed: string; expiresAt: Date }) {
      const [row] = await db.insert(keptForms).values(values).returning({ id: keptForms.id });
      return row!.id;
    },

    async listFor(userId: string, now: Date) {
      return db
        .select({
          id: keptForms.id,
          path: keptForms.path,
          createdAt: keptForms.createdAt,
          expiresAt: keptForms.expiresAt,
        })
        .from(keptForms)
        .where(and(eq(keptForms.userId, userId), gt(keptForms.expiresAt, now)))
        .orderBy(asc(keptForms.createdAt));
    },

    async find(userId: string, id: string, now: Date) {
      const [row] = await db
        .select()
        .from(keptForms)
        .where(and(eq(keptForms.id, id), eq(keptForms.userId, userId), gt(keptForms.expiresAt, now)));
      return row ?? null;
    },

    async remove(userId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(keptForms)
        .where(and(eq(keptForms.id, id), eq(keptForms.userId, userId)))
        .returning({ id: keptForms.id });
      return rows.length > 0;
    },

    async removeAllFor(userId: string) {
      await db.delete(keptForms).where(eq(keptForms.userId, userId));
    },

    async purgeExpired(now: Date) {
      await db.delete(keptForms).where(lt(keptForms.expiresAt, now));
    },
  };
}
