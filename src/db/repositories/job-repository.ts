import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { scheduledJobs } from '../schema.ts';

/** Claims of scheduled jobs, so that one instance runs each job at a time. */
export function jobRepository(db: Executor) {
  return {
    /** Claims the job until `until` unless another instance holds it; true when claimed. */
    async claim(name: string, instance: string, now: Date, until: Date): Promise<boolean> {
      await db.insert(scheduledJobs).values({ name }).onConflictDoNothing();
      const rows = await db
        .update(scheduledJobs)
        .set({ lockedUntil: until, lockedBy: instance, lastStartedAt: now })
        .where(
          and(
            eq(scheduledJobs.name, name),
            or(isNull(scheduledJobs.lockedUntil), lt(scheduledJobs.lockedUntil, now)),
          ),
        )
        .returning({ name: scheduledJobs.name });
      return rows.length > 0;
    },

    async release(name: string, instance: string, now: Date, error: string | null) {
      await db
        .update(scheduledJobs)
        .set({ lockedUntil: null, lastFinishedAt: now, lastError: error })
        .where(and(eq(scheduledJobs.name, name), eq(scheduledJobs.lockedBy, instance)));
    },

    async get(name: string) {
      const [row] = await db.select().from(scheduledJobs).where(eq(scheduledJobs.name, name));
      return row ?? null;
    },

    /** For tests: how many claims are live now. */
    async held(now: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(scheduledJobs)
        .where(sql`${scheduledJobs.lockedUntil} > ${now}`);
      return row?.n ?? 0;
    },
  };
}
