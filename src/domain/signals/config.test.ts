import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNAL_CONFIG, parseSignalConfig, RULE_IDS, RULES, SignalConfigError } from './index.ts';

describe('signal config', () => {
  it('has defaults for every rule, and a title for every rule in order', () => {
    expect(Object.keys(DEFAULT_SIGNAL_CONFIG)).toEqual([...RULE_IDS]);
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
