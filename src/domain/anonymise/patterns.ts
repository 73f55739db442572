import { findFullDates } from './dates.ts';
import { GENERIC_INSTITUTION_WORDS, INSTITUTION_NOUNS } from './institutions.ts';
import { isNameWord } from './name-words.ts';
import { isValidNhsNumber } from './nhs-number.ts';
import { STREET_TYPE_SOURCE, streetTypeOf } from './streets.ts';
import type { FindingKind, Match } from './types.ts';
import { isOrdinaryPhrase, isOrdinaryWord } from './vocabulary.ts';

/**
 * Details that identify someone whoever they are: found by their shape, not from the review's
 * records, so a name, number or place the review never recorded is still caught.
 */

// Upper case only: lower-case look-alikes ("m6 4th") are ordinary words far more often.
const POSTCODE = /(?<![\p{L}\p{N}])(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![\p{L}\p{N}])/gu;
const TEN_DIGITS = /(?<![\p{N}])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\p{N}])/gu;
// "01234 567890", "(01234) 567890", "020 7946 0958", "07700 900123", "+44 (0)7700 900123"; the digit count is checked after.
const PHONE =
  /(?<![\p{N}+])(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|0\d{2,4}|\(0\d{2,4}\))[ -]?\d{3,4}[ -]?\d{3,4}(?![\p{N}])/gu;
// Bounded parts keep the pattern linear on long text.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\p{L}\p{N}])/gu;
// A house number (after a flat, if any) and up to three words ending in a street type, in any case.
const STREET = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(?:flat|apartment|apt|unit)\\s+\\d+[a-z]?\\s*,?\\s+)?\\d{1,4}[a-z]?\\s*,?\\s+((?:[\\p{L}'’-]+\\s+){1,3})${STREET_TYPE_SOURCE}(?![\\p{L}\\p{N}])`,
  'giu',
);
/** The settings' nouns as a name writes them: "School", "Medical Centre", "Pre-school" or "Pre-School". */
function capitalisedNouns(): string {
  const word = (w: string) => `[${w.charAt(0).toUpperCase()}${w.charAt(0)}]${w.slice(1)}`;
  const noun = (n: string) =>
    n
      .split(' ')
      .map((w, i) => (i === 0 ? `${w.charAt(0).toUpperCase()}${w.slice(1)}` : word(w)))
      .join('\\s+')
      .replace(/-(\w)/, (_, c: string) => `-[${c.toUpperCase()}${c}]`);
  return `(?:${INSTITUTION_NOUNS.map(noun).join('|')})`;
}

// Capitalised words (with "of", "the" or "upon" between them) before a setting's capitalised noun.
const INSTITUTION = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:(?:\\p{Lu}[\\p{L}'’.&-]*|of|the|upon)\\s+){1,6})${capitalisedNouns()}(?![\\p{L}\\p{N}])`,
  'gu',
);
// "Kayla", "O’Neill", "McDonald", "Smith-Jones", "Children’s".
const CAPITALISED = /(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:['’-]?\p{Lu}\p{Ll}+|['’-]\p{Ll}+)*/gu;
const TITLE = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sgt)$/;
const SMALL_WORDS = new Set(['of', 'the', 'upon', 'st', 'st.']);

const REASONS = {
  postcode: (f: string) => `"${f}" looks like a postcode`,
  nhs: (f: string) => `"${f}" looks like an NHS number (its check digit is valid)`,
  phone: (f: string) => `"${f}" looks like a UK phone number`,
  email: (f: string) => `"${f}" looks like an e-mail address`,
  date: (f: string) => `"${f}" is a full date: if it is someone's date of birth it can identify them`,
  street: (f: string) => `"${f}" looks like a street address`,
  streetName: (f: string) => `"${f}" looks like the name of a street`,
  institution: (f: string) =>
    `"${f}" looks like the name of a school, nursery, health setting or place of worship`,
  person: (f: string) => `"${f}" looks like a person's name`,
};

function isUkPhone(found: string): boolean {
  const digits = found.replace(/\D/g, '');
  const national = found.trim().startsWith('+44') ? `0${digits.slice(2).replace(/^0/, '')}` : digits;
  // Geographic (01, 02), non-geographic (03, 08) and mobile (07) numbers have 10 or 11 digits.
  return /^0[1-35789]\d{8,9}$/.test(national) && national.length >= 10;
}

const at = (m: RegExpMatchArray) => m.index ?? 0;

/**
 * A street's words are a name, not a sentence: "22 mill road" is an address, "3 times the way"
 * and "2 agencies did not close" are not.
 */
function streetWordsAreNames(words: string, ordinary: ReadonlySet<string>): boolean {
  return words
    .trim()
    .split(/\s+/)
    .every((w) => !isOrdinaryWord(w, ordinary) && !/^\d/.test(w));
}

/** A setting's name says which one: "Sampletown Primary School", not "the Primary School". */
function namesAnInstitution(words: string, ordinary: ReadonlySet<string>): boolean {
  return words
    .trim()
    .split(/\s+/)
    .some((w) => {
      const bare = w.toLowerCase().replace(/['’]s$/, '');
      return !SMALL_WORDS.has(bare) && !GENERIC_INSTITUTION_WORDS.has(bare) && !isOrdinaryWord(w, ordinary);
    });
}

// Street types that are also common surnames ("Freya Hill", "Will Green"): a street only after
// a word that places it ("on Acacia Park", "at Mill Green").
const SURNAME_TYPES = new Set([
  'hill',
  'green',
  'park',
  'lane',
  'vale',
  'view',
  'rise',
  'walk',
  'row',
  'place',
  'square',
  'court',
  'wood',
]);
const PLACING = /(?:^|[^\p{L}])(?:on|at|in|to|from|near|off|along|of|into|onto|via|lived|moved)\s+$/iu;

function isStreetName(text: string, start: number, lastWord: string): boolean {
  const type = streetTypeOf(lastWord);
  if (!type) return false;
  return !SURNAME_TYPES.has(type.full) || PLACING.test(text.slice(Math.max(0, start - 12), start));
}

/**
 * Runs of capitalised words that are not ordinary briefing vocabulary: two or more ("Kayla
 * Testperson", "Will Mitchell": a name that is also a word counts beside one that is not) or a
 * title and a name ("Mrs Testperson"). "Ms D", the usual anonymised form, is
 * not: a single letter is no name. A run that ends in a street type is a street ("Acacia Avenue").
 */
function capitalisedRuns(text: string, ordinary: ReadonlySet<string>): Match[] {
  const matches: Match[] = [];
  // A weak word is a name that is also a briefing word ("Will", "May"): a name only beside a strong one.
  let run: { start: number; end: number; title: boolean; weak: boolean; word: string }[] = [];
  const flush = () => {
    const names = run.filter((w) => !w.title);
    const first = run[0];
    const last = run[run.length - 1];
    const strong = names.some((w) => !w.weak);
    if (first && last && names.length >= 1 && (first.title || (strong && names.length >= 2))) {
      const phrase = text.slice(first.start, last.end);
      if (!isOrdinaryPhrase(phrase)) {
        const street = names.length >= 2 && isStreetName(text, first.start, last.word);
        matches.push({
          start: first.start,
          end: last.end,
          kind: street ? 'address' : 'person',
          source: 'pattern',
          reason: street ? REASONS.streetName(phrase) : REASONS.person(phrase),
        });
      }
    }
    run = [];
  };
  for (const m of text.matchAll(CAPITALISED)) {
    const ordinaryWord = isOrdinaryWord(m[0], ordinary);
    const word = {
      start: at(m),
      end: at(m) + m[0].length,
      title: TITLE.test(m[0]),
      weak: ordinaryWord && isNameWord(m[0]),
      word: m[0],
    };
    const previous = run[run.length - 1];
    // Next to the word before: one space, a title's full stop and a space ("Mr. Testperson"), or a
    // middle initial ("Jack Y. Testperson").
    const gap = previous ? text.slice(previous.end, word.start) : '';
    const next =
      gap === ' ' || gap === '\u00a0' || (previous?.title && gap === '. ') || /^ \p{Lu}\.? $/u.test(gap);
    if (previous && !next) flush();
    // A street type ends a street's name even though it is an ordinary word ("Mill Road").
    const streetEnd = run.length > 0 && streetTypeOf(m[0]) !== undefined;
    if (word.title || streetEnd || word.weak || !ordinaryWord) run.push(word);
    else flush();
    if (streetEnd) flush();
  }
  flush();
  return matches;
}

// "J. Testperson" and "Testperson, Jane": an initial and a surname, or a surname and a first name.
const INITIAL_NAME = /(?<![\p{L}\p{N}.])\p{Lu}\.\s(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:['’-]?\p{Lu}\p{Ll}+)*/gu;
const SURNAME_FIRST =
  /(?<![\p{L}\p{N}])(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:['’-]?\p{Lu}\p{Ll}+)*, (?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?![\p{L}\p{N}])/gu;

/** Both words of a pair are names, not briefing words (a name that is also a word counts). */
const namesOnly = (found: string, ordinary: ReadonlySet<string>) =>
  found
    .split(/[\s,.]+/)
    .filter((w) => w.length > 1)
    .every((w) => isNameWord(w) || !isOrdinaryWord(w, ordinary));

/** Every place in a text that looks like a personal detail. */
export function matchPatterns(text: string, ordinary: ReadonlySet<string>): Match[] {
  const matches: Match[] = [];
  const add = (m: RegExpMatchArray, kind: FindingKind, reason: string) =>
    matches.push({ start: at(m), end: at(m) + m[0].length, kind, source: 'pattern', reason });
  for (const m of text.matchAll(POSTCODE)) add(m, 'address', REASONS.postcode(m[0]));
  for (const m of text.matchAll(TEN_DIGITS)) {
    if (isValidNhsNumber(m[0])) add(m, 'health-number', REASONS.nhs(m[0]));
  }
  for (const m of text.matchAll(PHONE)) {
    if (isUkPhone(m[0])) add(m, 'contact', REASONS.phone(m[0]));
  }
  for (const m of text.matchAll(EMAIL)) add(m, 'contact', REASONS.email(m[0]));
  for (const date of findFullDates(text)) {
    matches.push({
      ...date,
      kind: 'date',
      source: 'pattern',
      reason: REASONS.date(text.slice(date.start, date.end)),
    });
  }
  for (const m of text.matchAll(STREET)) {
    if (streetWordsAreNames(m[1] ?? '', ordinary)) add(m, 'address', REASONS.street(m[0]));
  }
  for (const m of text.matchAll(INSTITUTION)) {
    // The name starts at its first capitalised word: "the Sampletown Academy" is "Sampletown Academy".
    const words = m[1] ?? '';
    const lead = /^(?:(?:of|the|upon|The)\s+)*/.exec(words)?.[0].length ?? 0;
    if (!namesAnInstitution(words, ordinary)) continue;
    const start = at(m) + lead;
    const found = text.slice(start, at(m) + m[0].length);
    matches.push({
      start,
      end: start + found.length,
      kind: 'institution',
      source: 'pattern',
      reason: REASONS.institution(found),
    });
  }
  for (const m of text.matchAll(INITIAL_NAME)) {
    if (namesOnly(m[0], ordinary)) add(m, 'person', REASONS.person(m[0]));
  }
  for (const m of text.matchAll(SURNAME_FIRST)) {
    if (
      namesOnly(m[0], ordinary) &&
      m[0].split(', ').some((w) => !isNameWord(w) || !isOrdinaryWord(w, ordinary))
    )
      add(m, 'person', REASONS.person(m[0]));
  }
  for (const run of capitalisedRuns(text, ordinary)) matches.push(run);
  return matches;
}
