import { matchPatterns } from './patterns.ts';
import { matchReviewData, reviewMatchers } from './review-data.ts';
import type { CheckedText, Finding, FindingKind, IdentifiableData, Match } from './types.ts';

export interface FindOptions {
  /** The partnership's own ordinary words (place and service names) that are not people's names. */
  ordinaryWords?: readonly string[];
}

// Where findings overlap, one is kept: the review's own data before general patterns, the most
// specific kind first, then the longest.
const PRIORITY: Record<Match['source'], FindingKind[]> = {
  review: ['nhs-number', 'date-of-birth', 'postcode', 'address', 'school', 'name', 'practitioner'],
  pattern: ['nhs-number', 'email', 'phone', 'postcode', 'possible-birth-date', 'possible-full-name'],
};
const rank = (m: Match) => (m.source === 'review' ? 0 : 100) + PRIORITY[m.source].indexOf(m.kind);

function settleOverlaps(matches: Match[], textLength: number): Match[] {
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

/**
 * Everything in the texts that could identify the child, family or practitioners: the review's
 * recorded names (and their parts and possessives), dates of birth in any format, street
 * addresses, postcodes, NHS numbers and schools; and, whoever they belong to, postcodes, valid NHS
 * numbers, UK phone numbers, e-mail addresses, full dates and capitalised full names.
 */
export function findIdentifyingDetails(
  texts: readonly CheckedText[],
  identifiable: IdentifiableData,
  options: FindOptions = {},
): Finding[] {
  const matchers = reviewMatchers(identifiable);
  const ordinary = new Set((options.ordinaryWords ?? []).map((w) => w.toLowerCase()));
  const findings: Finding[] = [];
  for (const { sectionKey, itemIndex, text } of texts) {
    const tlds = topLevelDomains(text);
    const matches = settleOverlaps(
      [...matchReviewData(text, matchers), ...matchPatterns(text, ordinary)].filter(
        (m) => !tlds.some(([start, end]) => m.start >= start && m.end <= end),
      ),
      text.length,
    );
    for (const m of matches) {
      findings.push({
        sectionKey,
        ...(itemIndex !== undefined ? { itemIndex } : {}),
        start: m.start,
        end: m.end,
        text: text.slice(m.start, m.end),
        kind: m.kind,
        source: m.source,
        message: m.message,
      });
    }
  }
  return findings;
}
