import { RULE_IDS, type RuleId, type Signal } from '../domain/signals/index.ts';
import type { ExpectedSignal } from './story.ts';

/** How well the rules found what the generator injected, per rule. */
export interface RuleScore {
  rule: RuleId;
  expected: number;
  found: number;
  matched: number;
  precision: number;
  recall: number;
}

/** A signal matches an expected one when child, rule and evidence (in order) are the same. */
export function signalKey(s: Pick<Signal, 'child' | 'rule' | 'evidence'>): string {
  return `${s.child}|${s.rule}|${s.evidence.join(',')}`;
}

export function scoreSignals(expected: readonly ExpectedSignal[], found: readonly Signal[]): RuleScore[] {
  return RULE_IDS.map((rule) => {
    const want = new Set(expected.filter((e) => e.rule === rule).map(signalKey));
    const got = new Set(found.filter((s) => s.rule === rule).map(signalKey));
    const matched = [...got].filter((k) => want.has(k)).length;
    return {
      rule,
      expected: want.size,
      found: got.size,
      matched,
      // Nothing expected and nothing found is no evidence the rule works: score it 0, not 1.
      precision: got.size ? matched / got.size : 0,
      recall: want.size ? matched / want.size : 0,
    };
  });
}
