import type { FindingKind, Match } from './types.ts';

/** A way of finding one kind of recorded detail in a text. */
export interface Matcher {
  kind: FindingKind;
  pattern: RegExp;
  /** Why it is a finding: "\"Kayla\" is part of the name of the child, as recorded in the review". */
  reason: (found: string) => string;
  /** A second look at a match the pattern alone cannot decide (a capital at a sentence start). */
  accept?: (text: string, start: number, found: string) => boolean;
}

/** Every place in a text where a matcher finds something. */
export function matchAll(text: string, matchers: readonly Matcher[], source: Match['source']): Match[] {
  const matches: Match[] = [];
  for (const { kind, pattern, reason, accept } of matchers) {
    for (const m of text.matchAll(pattern)) {
      if (m[0] === '' || (accept && !accept(text, m.index, m[0]))) continue;
      matches.push({ start: m.index, end: m.index + m[0].length, kind, source, reason: reason(m[0]) });
    }
  }
  return matches;
}
