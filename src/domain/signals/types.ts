/** The practice-signal rule ids, as printed in Signal JSON (docs/interfaces.md). */
export const RULE_IDS = [
  'service-gap',
  'repeat-referral',
  'reactive-pattern',
  'child-not-recorded',
  'child-not-seen',
  'concern-not-followed-up',
  'worker-churn',
  'timescale-missed',
  'risk-not-assessed',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'high' | 'medium' | 'low';

/**
 * One practice signal. Property order is the order of the JSON in docs/interfaces.md.
 * `from`/`to` carry dates as the chronology recorded them, so a month-only entry stays `YYYY-MM`.
 */
export interface Signal {
  child: string | null;
  rule: RuleId;
  severity: Severity;
  from: string;
  to: string;
  evidence: string[];
  explanation: string;
}
