import { findFullDates } from './dates.ts';
import { isValidNhsNumber } from './nhs-number.ts';
import type { Match } from './types.ts';
import { isOrdinaryPhrase, isOrdinaryWord } from './vocabulary.ts';

/**
 * Details that identify someone whoever they are: found by their shape, not from the review's
 * records, so a name or number the review never recorded is still caught.
 */

// Upper case only: lower-case look-alikes ("m6 4th") are ordinary words far more often.
const POSTCODE =
  /(?<![\p{L}\p{N}])(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/gu;
const TEN_DIGITS = /(?<![\p{N}])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\p{N}])/gu;
// "01234 567890", "(01234) 567890", "020 7946 0958", "07700 900123", "+44 (0)7700 900123"; the digit count is checked after.
const PHONE = /(?<![\p{N}+])(?:\+44\s?(?:\(0\)\s?)?|0|\(0)\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}(?![\p{N}])/gu;
// Bounded parts keep the pattern linear on long text.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\p{L}\p{N}])/gu;
const CAPITALISED = /\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)*(?:['’]s)?/gu;
const TITLE = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr)$/;

function isUkPhone(found: string): boolean {
  const digits = found.replace(/\D/g, '');
  const national = found.trim().startsWith('+44') ? `0${digits.slice(2).replace(/^0/, '')}` : digits;
  // Geographic (01, 02), non-geographic (03, 08) and mobile (07) numbers have 10 or 11 digits.
  return /^0[1-35789]\d{8,9}$/.test(national) && national.length >= 10;
}

const at = (m: RegExpMatchArray) => m.index ?? 0;

/**
 * Two or more adjacent capitalised words that are not ordinary briefing vocabulary ("Kayla
 * Testperson"), or a title and a surname ("Mrs Testperson"). "Ms D", the usual anonymised form, is
 * not: a single letter is no name.
 */
function possibleNames(text: string, ordinary: ReadonlySet<string>): Match[] {
  const matches: Match[] = [];
  let run: { start: number; end: number; title: boolean }[] = [];
  const flush = () => {
    const names = run.filter((w) => !w.title).length;
    const first = run[0];
    const last = run[run.length - 1];
    if (first && last && names >= 1 && (names >= 2 || first.title)) {
      const phrase = text.slice(first.start, last.end);
      if (!isOrdinaryPhrase(phrase)) {
        matches.push({
          start: first.start,
          end: last.end,
          kind: 'possible-full-name',
          source: 'pattern',
          message: `"${phrase}" looks like a person's name. Use a role ("Mother", "Child 2") instead, or accept it if it is not a person.`,
        });
      }
    }
    run = [];
  };
  for (const m of text.matchAll(CAPITALISED)) {
    const word = { start: at(m), end: at(m) + m[0].length, title: TITLE.test(m[0]) };
    const previous = run[run.length - 1];
    // Next to the word before: one space, or a title's full stop and a space ("Mr. Testperson").
    const gap = previous ? text.slice(previous.end, word.start) : '';
    if (previous && !(gap === ' ' || gap === '\u00a0' || (previous.title && gap === '. '))) flush();
    if (word.title || !isOrdinaryWord(m[0], ordinary)) run.push(word);
    else flush();
  }
  flush();
  return matches;
}

/** Every place in a text that looks like a personal detail. */
export function matchPatterns(text: string, ordinary: ReadonlySet<string>): Match[] {
  const matches: Match[] = [];
  const add = (m: RegExpMatchArray, kind: Match['kind'], message: string) =>
    matches.push({ start: at(m), end: at(m) + m[0].length, kind, source: 'pattern', message });
  for (const m of text.matchAll(POSTCODE)) add(m, 'postcode', `"${m[0]}" looks like a postcode.`);
  for (const m of text.matchAll(TEN_DIGITS)) {
    if (isValidNhsNumber(m[0]))
      add(m, 'nhs-number', `"${m[0]}" looks like an NHS number (its check digit is valid).`);
  }
  for (const m of text.matchAll(PHONE)) {
    if (isUkPhone(m[0])) add(m, 'phone', `"${m[0]}" looks like a UK phone number.`);
  }
  for (const m of text.matchAll(EMAIL)) add(m, 'email', `"${m[0]}" looks like an e-mail address.`);
  for (const date of findFullDates(text)) {
    const found = text.slice(date.start, date.end);
    matches.push({
      ...date,
      kind: 'possible-birth-date',
      source: 'pattern',
      message: `"${found}" is a full date; if it is someone's date of birth it can identify them. Month and year are usually enough.`,
    });
  }
  for (const name of possibleNames(text, ordinary)) matches.push(name);
  return matches;
}
