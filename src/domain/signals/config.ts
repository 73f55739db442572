import { CONCERN_TAGS, type ConcernTag } from '../chronology/entry.ts';
import { DUPLICATE_WITHIN_DAYS } from '../chronology/merge.ts';
import { RULE_IDS } from './types.ts';

/**
 * The settings' groups: one per rule, then the merged chronology's flag of possible duplicates,
 * which is no rule's but is set beside them, as a partnership's judgement of its agencies' records.
 */
export const SETTING_GROUPS = [...RULE_IDS, 'possible-duplicates'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

/**
 * Every threshold of every rule, per partnership. Keys are the rule ids; defaults are those of
 * docs/product.md and docs/signals.md. A partnership's file overrides only what it names.
 */
export interface SignalConfig {
  'service-gap': { enabled: boolean; daysWithoutContact: number };
  'repeat-referral': { enabled: boolean; withinMonths: number; sameReferralWithinDays: number };
  'reactive-pattern': { enabled: boolean; incidents: number; withinDays: number; followUpWithinDays: number };
  'child-not-recorded': { enabled: boolean };
  'child-not-seen': { enabled: boolean; daysUnseen: number };
  'concern-not-followed-up': { enabled: boolean; followUpWithinDays: number; concerns: ConcernTag[] };
  'worker-churn': { enabled: boolean; changes: number; withinMonths: number };
  'timescale-missed': {
    enabled: boolean;
    referralDecisionWorkingDays: number;
    assessmentWorkingDays: number;
    initialConferenceWorkingDays: number;
    firstReviewMonths: number;
    laterReviewMonths: number;
  };
  'risk-not-assessed': { enabled: boolean; responseWithinWorkingDays: number; concerns: ConcernTag[] };
  /**
   * Entries of one event type from two agencies this many days apart or fewer are flagged as
   * possible duplicates in the merged chronology (0: the same day only).
   */
  'possible-duplicates': { daysApart: number };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_SIGNAL_CONFIG: SignalConfig = deepFreeze({
  'service-gap': { enabled: true, daysWithoutContact: 90 },
  'repeat-referral': { enabled: true, withinMonths: 12, sameReferralWithinDays: 3 },
  'reactive-pattern': { enabled: true, incidents: 3, withinDays: 180, followUpWithinDays: 14 },
  'child-not-recorded': { enabled: true },
  'child-not-seen': { enabled: true, daysUnseen: 90 },
  'concern-not-followed-up': {
    enabled: true,
    followUpWithinDays: 90,
    concerns: ['developmental_delay', 'neglect', 'mental_health'],
  },
  'worker-churn': { enabled: true, changes: 3, withinMonths: 12 },
  'timescale-missed': {
    enabled: true,
    referralDecisionWorkingDays: 1,
    assessmentWorkingDays: 45,
    initialConferenceWorkingDays: 15,
    firstReviewMonths: 3,
    laterReviewMonths: 6,
  },
  'risk-not-assessed': {
    enabled: true,
    responseWithinWorkingDays: 10,
    concerns: ['drugs', 'domestic_abuse', 'organised_crime', 'exploitation'],
  },
  'possible-duplicates': { daysApart: DUPLICATE_WITHIN_DAYS },
});

/**
 * Numbers with a range of their own; every other number is a whole number of 1 or more. Two
 * weeks apart is as far as two records are still likely to be one event rather than two.
 */
const RANGES: Record<string, readonly [number, number]> = {
  'possible-duplicates.daysApart': [0, 14],
};

/** A bad signal config file; `key` names the setting at fault (e.g. `service-gap.daysWithoutContact`). */
export class SignalConfigError extends Error {
  constructor(
    message: string,
    readonly key: string | null,
  ) {
    super(message);
    this.name = 'SignalConfigError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSetting(key: string, defaultValue: unknown, value: unknown): unknown {
  if (typeof defaultValue === 'boolean') {
    if (typeof value !== 'boolean') throw new SignalConfigError(`"${key}" must be true or false`, key);
    return value;
  }
  if (typeof defaultValue === 'number') {
    const range = RANGES[key];
    if (range) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1])
        throw new SignalConfigError(
          `"${key}" must be a whole number from ${range[0]} to ${range[1]}, not ${JSON.stringify(value)}`,
          key,
        );
      return value;
    }
    // Zero would make most rules fire on every entry, or never: not a threshold anyone means.
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new SignalConfigError(
        `"${key}" must be a whole number of 1 or more, not ${JSON.stringify(value)}`,
        key,
      );
    }
    return value;
  }
  if (!Array.isArray(value)) throw new SignalConfigError(`"${key}" must be a list of concern tags`, key);
  for (const tag of value) {
    if (typeof tag !== 'string' || !(CONCERN_TAGS as readonly string[]).includes(tag)) {
      throw new SignalConfigError(
        `"${key}" lists ${JSON.stringify(tag)}, which is not a concern tag (${CONCERN_TAGS.join(', ')})`,
        key,
      );
    }
  }
  return [...new Set(value)];
}

/**
 * A partnership's settings: a partial override (e.g. `{"service-gap": {"daysWithoutContact": 120}}`)
 * merged on the defaults. Throws SignalConfigError naming the first bad key.
 */
export function parseSignalConfig(json: unknown): SignalConfig {
  if (!isPlainObject(json))
    throw new SignalConfigError('A signal config must be a JSON object keyed by rule id', null);
  const groups: readonly string[] = SETTING_GROUPS;
  const result = structuredClone(DEFAULT_SIGNAL_CONFIG) as unknown as Record<string, Record<string, unknown>>;
  for (const [rule, override] of Object.entries(json)) {
    if (!groups.includes(rule)) {
      throw new SignalConfigError(
        `Unknown rule "${rule}" (rules are: ${RULE_IDS.join(', ')}; and possible-duplicates)`,
        rule,
      );
    }
    if (!isPlainObject(override))
      throw new SignalConfigError(`"${rule}" must be an object of settings`, rule);
    const target = result[rule as SettingGroup];
    if (!target) throw new SignalConfigError(`Unknown rule "${rule}"`, rule);
    const defaults = DEFAULT_SIGNAL_CONFIG[rule as SettingGroup] as Record<string, unknown>;
    for (const [name, value] of Object.entries(override)) {
      const key = `${rule}.${name}`;
      if (!(name in defaults)) {
        throw new SignalConfigError(
          `Unknown setting "${key}" (settings of ${rule} are: ${Object.keys(defaults).join(', ')})`,
          key,
        );
      }
      target[name] = parseSetting(key, defaults[name], value);
    }
  }
  return result as unknown as SignalConfig;
}
