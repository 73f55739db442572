import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIGNAL_CONFIG,
  parseSignalConfig,
  RULE_IDS,
  RULES,
  SETTING_GROUPS,
  SignalConfigError,
} from './index.ts';

describe('signal config', () => {
  it('has defaults for every rule and for possible duplicates, and a title for every rule in order', () => {
    expect(Object.keys(DEFAULT_SIGNAL_CONFIG)).toEqual([...SETTING_GROUPS]);
    expect(SETTING_GROUPS).toEqual([...RULE_IDS, 'possible-duplicates']);
    expect(DEFAULT_SIGNAL_CONFIG['possible-duplicates']).toEqual({ daysApart: 1 });
    expect(RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(DEFAULT_SIGNAL_CONFIG['service-gap'].daysWithoutContact).toBe(90);
    expect(DEFAULT_SIGNAL_CONFIG['timescale-missed'].assessmentWorkingDays).toBe(45);
  });

  it('merges a partial override on the defaults without changing them', () => {
    const config = parseSignalConfig({
      'service-gap': { daysWithoutContact: 120 },
      'worker-churn': { enabled: false },
    });
    expect(config['service-gap']).toEqual({ enabled: true, daysWithoutContact: 120 });
    expect(config['worker-churn'].enabled).toBe(false);
    expect(config['reactive-pattern']).toEqual(DEFAULT_SIGNAL_CONFIG['reactive-pattern']);
    expect(DEFAULT_SIGNAL_CONFIG['service-gap'].daysWithoutContact).toBe(90);
    expect(parseSignalConfig({})).toEqual(DEFAULT_SIGNAL_CONFIG);
  });

  it('takes a day window of possible duplicates from 0 (the same day only) to 14', () => {
    for (const daysApart of [0, 3, 14])
      expect(parseSignalConfig({ 'possible-duplicates': { daysApart } })['possible-duplicates']).toEqual({
        daysApart,
      });
  });

  it.each([
    [[], null, 'JSON object keyed by rule id'],
    [{ 'service-gaps': {} }, 'service-gaps', 'Unknown rule "service-gaps"'],
    [{ 'service-gap': 90 }, 'service-gap', '"service-gap" must be an object'],
    [{ 'service-gap': { days: 90 } }, 'service-gap.days', 'Unknown setting "service-gap.days"'],
    [
      { 'service-gap': { daysWithoutContact: '90' } },
      'service-gap.daysWithoutContact',
      'whole number of 1 or more, not "90"',
    ],
    [{ 'worker-churn': { changes: 0 } }, 'worker-churn.changes', 'whole number'],
    [{ 'worker-churn': { changes: 2.5 } }, 'worker-churn.changes', 'whole number'],
    [{ 'worker-churn': { enabled: 'no' } }, 'worker-churn.enabled', 'true or false'],
    [
      { 'possible-duplicates': { daysApart: 15 } },
      'possible-duplicates.daysApart',
      'whole number from 0 to 14, not 15',
    ],
    [{ 'possible-duplicates': { daysApart: -1 } }, 'possible-duplicates.daysApart', 'from 0 to 14'],
    [{ 'possible-duplicates': { daysApart: 1.5 } }, 'possible-duplicates.daysApart', 'from 0 to 14'],
    [{ 'possible-duplicates': { enabled: false } }, 'possible-duplicates.enabled', 'Unknown setting'],
    [{ 'risk-not-assessed': { concerns: 'drugs' } }, 'risk-not-assessed.concerns', 'list of concern tags'],
    [
      { 'risk-not-assessed': { concerns: ['knives'] } },
      'risk-not-assessed.concerns',
      '"knives", which is not a concern tag',
    ],
  ])('rejects %j naming %s', (json, key, message) => {
    let error: unknown;
    try {
      parseSignalConfig(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignalConfigError);
    expect((error as SignalConfigError).key).toBe(key);
    expect((error as SignalConfigError).message).toContain(message);
  });
});
