import { DEFAULT_SIGNAL_CONFIG, SETTING_GROUPS, type SignalConfig } from './config.ts';

/**
 * What a full config changes from the defaults, as a partial override: what a partnership stores,
 * so that a later change of a default reaches every partnership that never touched it.
 */
export function overridesOf(config: SignalConfig): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const rule of SETTING_GROUPS) {
    const defaults = DEFAULT_SIGNAL_CONFIG[rule] as unknown as Record<string, unknown>;
    const chosen = config[rule] as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(chosen)) {
      if (canonical(value) !== canonical(defaults[name])) (result[rule] ??= {})[name] = value;
    }
  }
  return result;
}

/** Lists of concerns are sets: the same tags in another order are no change. */
function canonical(value: unknown): string {
  return JSON.stringify(Array.isArray(value) ? [...(value as string[])].sort() : value);
}
