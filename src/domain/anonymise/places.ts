import { institutionForms } from './institutions.ts';
import type { Matcher } from './matcher.ts';
import { isNameWord } from './name-words.ts';
import { POSTCODE_SHAPE, streetTypeOf } from './streets.ts';
import { atSentenceStart, escapeRegExp, phraseSource, wholeWords } from './text-match.ts';
import type { FindingKind, IdentifiableData } from './types.ts';
import { isOrdinaryWord } from './vocabulary.ts';

const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = "(?:['’]s)?(?![\\p{L}\\p{N}])";

const anyOf = (sources: Iterable<string>): RegExp | undefined => {
  const present = [...new Set(sources)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return present.length === 0
    ? undefined
    : new RegExp(`${EDGE_BEFORE}(?:${present.join('|')})${EDGE_AFTER}`, 'giu');
};

/** "1 Example Street" with or without its number, flat or comma, and with the type abbreviated. */
function streetSource(part: string): string | undefined {
  const type = streetTypeOf(part);
  if (!type) return undefined;
  const withoutType = part.slice(0, type.index).trim();
  const house = /^(?:(?:flat|apartment|apt|unit)\s+\w+\s*,?\s+)?(\d+[a-z]?)\s*,?\s+(.*)$/i.exec(withoutType);
  const street = (house ? (house[2] ?? '') : withoutType).trim();
  if (street === '') return undefined;
  const types = type.full === type.short ? type.full : `(?:${type.full}|${type.short}\\.?)`;
  const name = `${phraseSource(street)}\\s+${types}`;
  const flat = '(?:(?:flat|apartment|apt|unit)\\s+\\w+\\s*,?\\s+)?';
  return house ? `(?:${flat}${escapeRegExp(house[1] ?? '')}\\s*,?\\s+)?${name}` : name;
}

function postcodeSources(postcode: string): { full: string; district: string } | undefined {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  if (!POSTCODE_SHAPE.test(compact)) return undefined;
  const district = escapeRegExp(compact.slice(0, -3));
  return { full: `${district}\\s*${escapeRegExp(compact.slice(-3))}`, district };
}

/**
 * Recorded names of places found as a name is: several words in any case; a single word in any
 * case when it is not a word, only capitalised and not at a sentence start when it is also a
 * common word ("Reading", "Hope"); briefing words (or the partnership's own) never.
 */
function namedPhrases(
  phrases: Iterable<string>,
  kind: FindingKind,
  reason: (found: string) => string,
  ordinary: ReadonlySet<string>,
): Matcher[] {
  const anyCase: string[] = [];
  const capitalised: string[] = [];
  for (const phrase of new Set([...phrases].map((p) => p.replace(/\s+/g, ' ').trim()))) {
    const words = phrase.split(' ').filter((w) => /\p{L}/u.test(w));
    if (words.length === 0) continue;
    const only = words.length === 1 ? words[0]! : null;
    if (only === null) {
      // Several words are specific together ("example lane"), unless they are all briefing words.
      if (words.some((w) => isNameWord(w) || !isOrdinaryWord(w, ordinary))) anyCase.push(phrase);
    } else if (isNameWord(only)) capitalised.push(only.charAt(0).toUpperCase() + only.slice(1));
    else if (!isOrdinaryWord(only, ordinary)) anyCase.push(phrase);
  }
  const matchers: Matcher[] = [];
  const loose = wholeWords(anyCase);
  if (loose) matchers.push({ kind, pattern: loose, reason });
  const strict = wholeWords(capitalised, { caseSensitive: true });
  if (strict)
    matchers.push({ kind, pattern: strict, reason, accept: (text, start) => !atSentenceStart(text, start) });
  return matchers;
}

/**
 * Matchers for every part of the recorded addresses (house and street, the town or locality, the
 * postcode and its district) and the recorded settings: schools, nurseries, GP practices, hospitals.
 */
export function placeMatchers(
  data: Pick<IdentifiableData, 'addresses' | 'postcodes' | 'institutions'>,
  ordinary: ReadonlySet<string>,
): Matcher[] {
  const streets: string[] = [];
  const houses: string[] = [];
  const localities: string[] = [];
  const postcodes = new Set(data.postcodes);
  for (const address of data.addresses) {
    const parts = address
      .split(/[,\n]+/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const streetAt = parts.findIndex((p) => streetTypeOf(p) !== undefined);
    parts.forEach((part, i) => {
      if (POSTCODE_SHAPE.test(part)) return postcodes.add(part);
      // "Flat 3" alone says nothing; its street does.
      if (/^(?:flat|apartment|apt|unit)\s+\w+$/i.test(part)) return;
      const street = streetSource(part);
      if (street) return streets.push(street);
      // Before the street: a house name ("Rose Cottage"); after it: the town, locality or county.
      (streetAt >= 0 && i < streetAt ? houses : localities).push(part.replace(/^\d+[a-z]?\s+/i, ''));
    });
  }
  const matchers: Matcher[] = [];
  const address = (found: string) => `"${found}" is part of an address recorded in the review`;
  const streetPattern = anyOf(streets);
  if (streetPattern) matchers.push({ kind: 'address', pattern: streetPattern, reason: address });
  matchers.push(...namedPhrases(houses, 'address', address, ordinary));
  matchers.push(
    ...namedPhrases(
      localities,
      'place',
      (found) => `"${found}" is the town or area of an address recorded in the review`,
      ordinary,
    ),
  );
  const codes = [...postcodes].flatMap((p) => postcodeSources(p) ?? []);
  const full = anyOf(codes.map((c) => c.full));
  if (full)
    matchers.push({
      kind: 'address',
      pattern: full,
      reason: (found) => `"${found}" is a postcode recorded in the review`,
    });
  const district = anyOf(codes.map((c) => c.district));
  if (district)
    matchers.push({
      kind: 'place',
      pattern: district,
      reason: (found) => `"${found}" is the postcode district of an address recorded in the review`,
    });
  matchers.push(
    ...namedPhrases(
      data.institutions.flatMap(institutionForms),
      'institution',
      (found) => `"${found}" is a school, nursery or other setting recorded in the review`,
      ordinary,
    ),
  );
  return matchers;
}
