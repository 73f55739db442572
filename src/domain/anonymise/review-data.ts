import { isIsoDate } from '../calendar/iso-date.ts';
import { datePattern } from './dates.ts';
import { escapeRegExp, wholeWords } from './text-match.ts';
import type { FindingKind, IdentifiableData, Match } from './types.ts';

/** A way of finding one kind of recorded detail in a text. */
interface Matcher {
  kind: FindingKind;
  pattern: RegExp;
  message: (found: string) => string;
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'master', 'prof']);

// Given names that are also ordinary words: found only when capitalised, as a name is.
const WORD_NAMES = new Set(
  `april august autumn bill brook brown carol chase dawn eve faith frank grace grant green hazel heath hope
  ivy jack jay joy june king lane mark may miles pat patience penny rose ruby sky summer sunny will winter
  white wood young`.split(/\s+/),
);

/** The parts of a name worth finding alone: no titles or initials. */
function nameParts(name: string): string[] {
  const words = name.split(/\s+/).filter((w) => w !== '');
  const parts = new Set<string>();
  for (const word of words) {
    const bare = word.replace(/[.,]$/, '');
    if (bare.length < 2 || TITLES.has(bare.toLowerCase())) continue;
    parts.add(bare);
    // "Smith-Jones" may appear as "Smith" or "Jones".
    for (const half of bare.split('-')) if (half.length >= 2 && half !== bare) parts.add(half);
  }
  return [...parts];
}

function nameMatchers(names: string[], kind: 'name' | 'practitioner'): Matcher[] {
  const whose =
    kind === 'name' ? 'a name recorded in the review' : "a practitioner's name recorded in the review";
  const wholeNames = names.map((n) => n.trim()).filter((n) => n.split(/\s+/).length > 1);
  const parts = names.flatMap(nameParts);
  const common = parts.filter((p) => WORD_NAMES.has(p.toLowerCase()));
  const distinctive = parts.filter((p) => !WORD_NAMES.has(p.toLowerCase()));
  const message = (found: string) => `"${found}" is ${whose}, or part of one.`;
  // "Grace" the name, not "grace" the word: names that are also words are found capitalised only.
  const capitalised = common.map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase());
  const patterns = [wholeWords(wholeNames), wholeWords(distinctive), wholeWords(capitalised, true)];
  return patterns.flatMap((pattern) => (pattern ? [{ pattern, kind, message }] : []));
}

// Street types and their abbreviations, so "12 Example Road" also finds "12 Example Rd".
const STREET_TYPES: [string, string][] = [
  ['street', 'st'],
  ['road', 'rd'],
  ['avenue', 'ave'],
  ['lane', 'ln'],
  ['close', 'cl'],
  ['drive', 'dr'],
  ['crescent', 'cres'],
  ['court', 'ct'],
  ['place', 'pl'],
  ['gardens', 'gdns'],
  ['grove', 'gr'],
  ['terrace', 'tce'],
  ['square', 'sq'],
  ['way', 'way'],
  ['row', 'row'],
  ['walk', 'walk'],
  ['mews', 'mews'],
  ['hill', 'hill'],
  ['park', 'pk'],
  ['view', 'view'],
  ['rise', 'rise'],
  ['green', 'grn'],
  ['parade', 'pde'],
  ['vale', 'vale'],
];
const STREET_TYPE = new RegExp(`\\b(${STREET_TYPES.flat().join('|')})\\.?$`, 'i');
const POSTCODE_SHAPE = /^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/i;

/**
 * Street lines of an address ("1 Example Street", and "Example Street" without the number): the
 * town alone is too broad to report, and a postcode part is checked as a postcode.
 */
function streetPatterns(address: string): string[] {
  const patterns: string[] = [];
  for (const part of address.split(/[,\n]+/).map((p) => p.trim())) {
    if (part === '' || POSTCODE_SHAPE.test(part)) continue;
    const type = STREET_TYPE.exec(part);
    if (!type) continue;
    const pair = STREET_TYPES.find(([full, short]) => [full, short].includes((type[1] ?? '').toLowerCase()));
    const typeAlternatives = pair ? `(?:${pair[0]}|${pair[1]}\\.?)` : escapeRegExp(type[1] ?? '');
    const withoutType = part.slice(0, type.index).trim();
    const house = /^(?:flat\s+\w+\s+)?(\d+[a-z]?)\s+(.*)$/i.exec(withoutType);
    const street = (house ? (house[2] ?? '') : withoutType).trim();
    if (street === '') continue;
    const streetPattern = `${escapeRegExp(street).replace(/\s+/g, '\\s+')}\\s+${typeAlternatives}`;
    patterns.push(house ? `(?:${escapeRegExp(house[1] ?? '')}\\s*,?\\s+)?${streetPattern}` : streetPattern);
  }
  return patterns;
}

function postcodePattern(postcode: string): string | undefined {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{5,7}$/.test(compact)) return undefined;
  return `${escapeRegExp(compact.slice(0, -3))}\\s*${escapeRegExp(compact.slice(-3))}`;
}

const anyOf = (sources: (string | undefined)[], flags = 'giu'): RegExp | undefined => {
  const present = sources.filter((s): s is string => s !== undefined && s !== '');
  return present.length === 0
    ? undefined
    : new RegExp(`(?<![\\p{L}\\p{N}])(?:${present.join('|')})(?![\\p{L}\\p{N}])`, flags);
};

/** Matchers for everything the review records about the child, family and practitioners. */
export function reviewMatchers(data: IdentifiableData): Matcher[] {
  const matchers: Matcher[] = [
    ...nameMatchers(data.names, 'name'),
    ...nameMatchers(data.practitioners, 'practitioner'),
  ];
  const add = (kind: FindingKind, pattern: RegExp | undefined, message: (found: string) => string) => {
    if (pattern) matchers.push({ kind, pattern, message });
  };
  for (const dob of data.datesOfBirth.filter(isIsoDate)) {
    add('date-of-birth', datePattern(dob), (f) => `"${f}" is a date of birth recorded in the review.`);
  }
  add(
    'address',
    anyOf(data.addresses.flatMap(streetPatterns)),
    (f) => `"${f}" is part of an address recorded in the review.`,
  );
  const postcodes = [
    ...data.postcodes,
    ...data.addresses.flatMap((a) => a.split(/[,\n]+/).map((p) => p.trim())),
  ]
    .filter((p) => POSTCODE_SHAPE.test(p.trim()))
    .map(postcodePattern);
  add('postcode', anyOf(postcodes), (f) => `"${f}" is a postcode recorded in the review.`);
  const nhs = data.nhsNumbers
    .map((n) => n.replace(/\D/g, ''))
    .filter((n) => n.length === 10)
    .map((n) => `${n.slice(0, 3)}[\\s-]?${n.slice(3, 6)}[\\s-]?${n.slice(6)}`);
  add('nhs-number', anyOf(nhs), (f) => `"${f}" is an NHS number recorded in the review.`);
  add(
    'school',
    wholeWords(data.schools.flatMap(schoolNames)),
    (f) => `"${f}" is a school recorded in the review.`,
  );
  return matchers;
}

// "Sampletown Primary School" is also written "Sampletown Primary"; the town alone is too broad.
const SCHOOL_NOUN = /\s+(school|academy|college)$/i;

function schoolNames(school: string): string[] {
  const name = school.trim();
  const short = name.replace(SCHOOL_NOUN, '').trim();
  return short !== name && short.includes(' ') ? [name, short] : [name];
}

/** Every place in a text where a recorded detail appears. */
export function matchReviewData(text: string, matchers: Matcher[]): Match[] {
  const matches: Match[] = [];
  for (const { kind, pattern, message } of matchers) {
    for (const m of text.matchAll(pattern)) {
      matches.push({
        start: m.index,
        end: m.index + m[0].length,
        kind,
        source: 'review',
        message: message(m[0]),
      });
    }
  }
  return matches;
}

export type { Matcher };
