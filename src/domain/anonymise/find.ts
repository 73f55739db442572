import { FINDING_ADVICE } from './kinds.ts';
import { matchAll, type Matcher } from './matcher.ts';
import { matchPatterns } from './patterns.ts';
import { reviewMatchers } from './review-data.ts';
import type { CheckedText, Finding, FindingKind, IdentifiableData, Match } from './types.ts';

export interface FindOptions {
  /**
   * The partnership's own names: its name and its agencies' ("Northshire Children's Safeguarding
   * Partnership", "Northshire General Hospital"). They name no family: their words are ordinary
   * words, and a pattern that finds only one of them is not reported.
   */
  partnershipNames?: readonly string[];
}

/** The check with nothing recorded to compare with: the general patterns only (an imported briefing). */
export const NOTHING_RECORDED: IdentifiableData = {
  people: [],
  datesOfBirth: [],
  addresses: [],
  postcodes: [],
  nhsNumbers: [],
  institutions: [],
};

// Where findings overlap, one is kept: the review's own data before general patterns, the most
// specific kind first, then the longest.
const PRIORITY: FindingKind[] = [
  'health-number',
  'contact',
  'date',
  'address',
  'institution',
  'person',
  'place',
];
const rank = (m: Match) => (m.source === 'review' ? 0 : 100) + PRIORITY.indexOf(m.kind);

const WHOLES = new Set<FindingKind>(['institution', 'address', 'contact', 'date']);
const PARTS = new Set<FindingKind>(['person', 'place', 'institution']);

/**
 * A name, town or setting inside a longer setting, street, e-mail address or date ("Sampletown" in
 * "Sampletown Primary School", "finley" in "finley.morgan@example.org", "May" in "14th of May,
 * 2006") is reported as the whole, which is what has to go. Linear: for each position, the
 * furthest end of a whole starting before it, and of one starting there.
 */
function withoutParts(all: Match[], textLength: number): Match[] {
  const endFrom = new Int32Array(textLength + 1).fill(-1);
  for (const w of all) if (WHOLES.has(w.kind)) endFrom[w.start] = Math.max(endFrom[w.start]!, w.end);
  const endBefore = new Int32Array(textLength + 1).fill(-1);
  for (let i = 1; i <= textLength; i++) endBefore[i] = Math.max(endBefore[i - 1]!, endFrom[i - 1]!);
  return all.filter(
    (m) => !(PARTS.has(m.kind) && (endBefore[m.start]! >= m.end || endFrom[m.start]! > m.end)),
  );
}

function settleOverlaps(all: Match[], textLength: number): Match[] {
  const matches = withoutParts(all, textLength);
  const ordered = [...matches].sort(
    (a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Characters already claimed by a kept finding: linear however many candidates a long text has.
  const taken = new Uint8Array(textLength);
  const kept: Match[] = [];
  for (const m of ordered) {
    if (taken.subarray(m.start, m.end).includes(1)) continue;
    taken.fill(1, m.start, m.end);
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * The top-level domain of each web address in a text ("example" in "https://scp.example/x"): a
 * name found only there identifies nobody, while the rest of the address is still checked.
 */
function topLevelDomains(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/\bhttps?:\/\/([^\s/?#)]+)/gi)) {
    const host = m[1]!.replace(/:\d+$/, '');
    const dot = host.lastIndexOf('.');
    if (dot < 0) continue;
    const start = m.index + m[0].length - m[1]!.length + dot + 1;
    spans.push([start, start + host.length - dot - 1]);
  }
  return spans;
}

/** A prepared check: the matchers are built once and run on every text of a briefing. */
export interface Checker {
  matchers: Matcher[];
  ordinary: ReadonlySet<string>;
  partnershipNames: string[];
}

export function prepareCheck(identifiable: IdentifiableData, options: FindOptions = {}): Checker {
  const partnershipNames = (options.partnershipNames ?? [])
    .map((n) => n.toLowerCase().trim())
    .filter(Boolean);
  const ordinary = new Set(
    partnershipNames.flatMap((n) => n.split(/[^\p{L}'’]+/u)).filter((w) => w.length >= 2),
  );
  return { matchers: reviewMatchers(identifiable, ordinary), ordinary, partnershipNames };
}

/** The findings in one text, overlaps settled. */
export function findInText(checker: Checker, text: string): Match[] {
  const tlds = topLevelDomains(text);
  const isPartnerships = (m: Match) =>
    m.source === 'pattern' &&
    checker.partnershipNames.some((n) =>
      n.includes(text.slice(m.start, m.end).toLowerCase().replace(/\s+/g, ' ')),
    );
  return settleOverlaps(
    [...matchAll(text, checker.matchers, 'review'), ...matchPatterns(text, checker.ordinary)].filter(
      (m) => !tlds.some(([start, end]) => m.start >= start && m.end <= end) && !isPartnerships(m),
    ),
    text.length,
  );
}

/**
 * Everything in the texts that could identify the child, family, practitioners or places: the
 * review's recorded people (and the parts of their names), addresses, towns, postcodes, settings,
 * dates of birth and NHS numbers; and, whoever they belong to, names, street addresses, named
 * settings, postcodes, valid NHS numbers, UK phone numbers, e-mail addresses and full dates.
 * Each finding says its kind, why it was found, and what to do instead.
 */
export function findIdentifyingDetails(
  texts: readonly CheckedText[],
  identifiable: IdentifiableData,
  options: FindOptions = {},
): Finding[] {
  const checker = prepareCheck(identifiable, options);
  const findings: Finding[] = [];
  for (const { sectionKey, itemIndex, text } of texts) {
    for (const m of findInText(checker, text)) {
      findings.push({
        sectionKey,
        ...(itemIndex !== undefined ? { itemIndex } : {}),
        start: m.start,
        end: m.end,
        text: text.slice(m.start, m.end),
        kind: m.kind,
        source: m.source,
        reason: m.reason,
        advice: FINDING_ADVICE[m.kind],
      });
    }
  }
  return findings;
}
