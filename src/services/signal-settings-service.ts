import type { Executor } from '../db/client.ts';
import { signalSettingsRepository } from '../db/repositories/signal-settings-repository.ts';
import type { MergedSqlOptions } from '../db/repositories/merged-chronology-repository.ts';
import { NOT_PROFESSIONAL_CONTACT } from '../domain/chronology/merge.ts';
import { mayAdminister, mayViewSignalThresholds, type Actor } from '../domain/lifecycle/roles.ts';
import { parseSignalConfig, SignalConfigError, type SignalConfig } from '../domain/signals/index.ts';
import { overridesOf } from '../domain/signals/overrides.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';

/**
 * The partnership's signal thresholds: its stored overrides on the defaults. A stored value that
 * no longer parses (a setting since renamed) falls back to the defaults rather than failing pages.
 */
export async function partnershipSignalConfig(tx: Executor, partnershipId: string): Promise<SignalConfig> {
  const { overrides } = await signalSettingsRepository(tx, partnershipId).overrides();
  try {
    return parseSignalConfig(overrides);
  } catch (error) {
    if (error instanceof SignalConfigError) return parseSignalConfig({});
    throw error;
  }
}

/**
 * How a review's merged chronology is worked out under its partnership's settings: the day window
 * of possible duplicates is one of them, and is part of the merged version's key.
 */
export function mergeOptionsOf(config: SignalConfig): MergedSqlOptions {
  return {
    notContact: [...NOT_PROFESSIONAL_CONTACT],
    duplicateWithinDays: config['possible-duplicates'].daysApart,
  };
}

/** Parses a partial override, or a ValidationError naming the setting at fault. */
export function validSignalConfig(input: unknown): SignalConfig {
  try {
    return parseSignalConfig(input);
  } catch (error) {
    if (error instanceof SignalConfigError)
      throw new ValidationError({ [error.key ?? '_']: `${error.message}` }, error.message);
    throw error;
  }
}

/** Signal thresholds as per-partnership settings: read by partnership-wide roles, set by administrators. */
export function signalSettingsService(ctx: ServiceContext) {
  const read = (actor: Actor) =>
    inTransaction(ctx, async (tx) => {
      const stored = await signalSettingsRepository(tx, actor.partnershipId).overrides();
      return {
        config: await partnershipSignalConfig(tx, actor.partnershipId),
        overrides: stored.overrides,
        updatedAt: stored.updatedAt,
      };
    });

  return {
    async thresholds(actor: Actor) {
      if (!mayViewSignalThresholds(actor))
        throw new ForbiddenError(
          'Only partnership administrators, review coordinators and board members can see signal thresholds.',
          denial(actor, { action: 'signal-thresholds.view' }),
        );
      return read(actor);
    },

    /** The admin page's read: the admin area is the administrator's alone. */
    async thresholdsForAdmin(actor: Actor) {
      if (!mayAdminister(actor))
        throw new ForbiddenError(
          'Only a partnership administrator can do this.',
          denial(actor, { action: 'signal-thresholds.view' }),
        );
      return read(actor);
    },

    /** Replaces the partnership's thresholds with `input` (a partial override of the defaults). */
    async update(actor: Actor, input: unknown) {
      if (!mayAdminister(actor))
        throw new ForbiddenError(
          'Only a partnership administrator can change signal thresholds.',
          denial(actor, { action: 'signal-thresholds.change' }),
        );
      const config = validSignalConfig(input ?? {});
      const overrides = overridesOf(config);
      return inTransaction(ctx, async (tx) => {
        const repo = signalSettingsRepository(tx, actor.partnershipId);
        const before = (await repo.overrides()).overrides;
        await repo.save(overrides, actor.userId, ctx.now());
        await audit(tx, actor, {
          action: 'signal-thresholds.change',
          outcome: 'success',
          subjectType: 'signal-thresholds',
          subjectId: actor.partnershipId,
          detail: { before, after: overrides },
        });
        return { config, overrides };
      });
    },
  };
}
