import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { signalSettings } from '../schema.ts';

export type SignalOverrides = Record<string, Record<string, unknown>>;

/** The signal thresholds of one partnership (its overrides of the defaults). Never another's. */
export function signalSettingsRepository(db: Executor, partnershipId: string) {
  return {
    async overrides(): Promise<{ overrides: SignalOverrides; updatedAt: Date | null }> {
      const [row] = await db
        .select({ overrides: signalSettings.overrides, updatedAt: signalSettings.updatedAt })
        .from(signalSettings)
        .where(eq(signalSettings.partnershipId, partnershipId));
      return row ?? { overrides: {}, updatedAt: null };
    },

    async save(overrides: SignalOverrides, userId: string | null, at: Date): Promise<void> {
      await db
        .insert(signalSettings)
        .values({ partnershipId, overrides, updatedBy: userId, updatedAt: at })
        .onConflictDoUpdate({
          target: signalSettings.partnershipId,
          set: { overrides, updatedBy: userId, updatedAt: at },
        });
    },
  };
}
