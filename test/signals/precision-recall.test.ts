import { afterAll, describe, expect, it } from 'vitest';
import { detectSignals, RULE_IDS, type Signal } from '../../src/domain/signals/index.ts';
import { generateChild, type GeneratedChild } from '../../src/synthetic/child.ts';
import { scoreSignals, signalKey } from '../../src/synthetic/score.ts';
import type { ExpectedSignal, HardNegative } from '../../src/synthetic/story.ts';

/**
 * The rules against synthetic chronologies whose generator injects each practice pattern on
 * purpose (with near misses that must not fire) and records the signals that must be found.
 */
const children: GeneratedChild[] = [];
const expected: ExpectedSignal[] = [];
const negatives: HardNegative[] = [];
const found: Signal[] = [];
let row = 2;
for (let i = 0; i < 300; i += 1) {
  const child = generateChild(42, i, row);
  row += child.entries.length;
  children.push(child);
  expected.push(...child.expected);
  negatives.push(...child.negatives);
  found.push(...detectSignals(child.entries));
}
const scores = scoreSignals(expected, found);

describe('practice signals on 300 synthetic children (seed 42)', () => {
  afterAll(() => {
    console.table(
      scores.map(({ rule, expected: e, found: f, precision, recall }) => ({
        rule,
        expected: e,
        found: f,
        precision,
        recall,
      })),
    );
  });

  it.each(RULE_IDS.map((rule) => [rule]))('%s: precision and recall are at least 0.95', (rule) => {
    const score = scores.find((s) => s.rule === rule);
    if (!score) throw new Error(`no score for ${rule}`);
    // Enough to find that a rule which finds nothing fails (it scores 0, not a vacuous 1).
    expect(score.expected).toBeGreaterThanOrEqual(20);
    const want = new Set(expected.filter((e) => e.rule === rule).map(signalKey));
    const got = new Set(found.filter((f) => f.rule === rule).map(signalKey));
    const missed = [...want].filter((k) => !got.has(k)).slice(0, 3);
    const extra = [...got].filter((k) => !want.has(k)).slice(0, 3);
    expect(score.precision, `extra: ${extra.join(' | ')}`).toBeGreaterThanOrEqual(0.95);
    expect(score.recall, `missed: ${missed.join(' | ')}`).toBeGreaterThanOrEqual(0.95);
  });
});

describe('hard negatives: the protection process working as it should', () => {
  const patterns = [
    'child protection plan running to timescale',
    'exploitation managed under a plan',
    'serious incident referred the same day, closed with no further action and not re-referred',
  ];

  it.each(patterns.map((p) => [p]))('%s: no rule that must stay quiet cites them', (pattern) => {
    const cases = negatives.filter((n) => n.pattern === pattern);
    // Enough of each to matter in the precision above.
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const cited = cases.flatMap((n) =>
      found
        .filter((s) => s.child === n.child && n.rules.includes(s.rule))
        .filter((s) => s.evidence.some((ref) => n.evidence.includes(ref)))
        .map((s) => `${s.child} ${s.rule} ${s.evidence.join(',')}`),
    );
    expect(cited).toEqual([]);
  });
});

describe('synthetic chronologies', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(generateChild(42, 7, 2)).toEqual(generateChild(42, 7, 2));
    expect(generateChild(43, 7, 2).entries).not.toEqual(generateChild(42, 7, 2).entries);
  });

  it('number rows on from where the previous child ended', () => {
    const [first, second] = children;
    expect(first?.entries[0]?.row).toBe(2);
    expect(second?.entries[0]?.row).toBe(2 + (first?.entries.length ?? 0));
  });

  it('are obviously fictional and exercise the CSV format', () => {
    const entries = children.slice(0, 30).flatMap((c) => c.entries);
    expect(entries.every((e) => /^C-\d{6}$/.test(e.child ?? ''))).toBe(true);
    expect(entries.filter((e) => e.worker).every((e) => /^(SW|HV|EH)-\d{4}$/.test(e.worker ?? ''))).toBe(
      true,
    );
    const text = entries.map((e) => `${e.summary} ${e.childVoice ?? ''}`).join(' ');
    for (const mark of [',', '"', '\n']) expect(text).toContain(mark);
    expect(entries.some((e) => /^\d{4}-\d{2}$/.test(e.date))).toBe(true);
    expect(new Set(entries.map((e) => e.agency)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(entries.map((e) => e.eventType)).size).toBeGreaterThanOrEqual(20);
  });
});
