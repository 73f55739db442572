import { eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { signInThrottles } from '../schema.ts';
import type { ThrottleState } from '../../domain/sign-in/throttle.ts';

/**
 * Failed sign-ins per account and per address (privileged: it runs before anyone is signed in).
 * `hold` takes the row's lock for the rest of the transaction, so attempts at the same account or
 * address, on any instance, are counted one after another.
 */
export function signInThrottleRepository(db: Executor) {
  return {
    async hold(key: string, now: Date): Promise<ThrottleState> {
      await db.insert(signInThrottles).values({ key, failures: 0, lastFailureAt: now }).onConflictDoNothing();
      const [row] = await db
        .select({
          failures: signInThrottles.failures,
          lastFailureAt: signInThrottles.lastFailureAt,
          lockedUntil: signInThrottles.lockedUntil,
        })
        .from(signInThrottles)
        .where(eq(signInThrottles.key, key))
        .for('update');
      return row!;
    },

    async save(key: string, state: ThrottleState) {
      await db.update(signInThrottles).set(state).where(eq(signInThrottles.key, key));
    },

    async clear(key: string) {
      await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
    },

    /** Rows with nothing left to remember: no lock running and no failure since `before`. */
    async purge(now: Date, before: Date) {
      await db
        .delete(signInThrottles)
        .where(
          sql`${lt(signInThrottles.lastFailureAt, before)} and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${now})`,
        );
    },
  };
}
