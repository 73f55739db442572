import type { Matcher } from './matcher.ts';
import { isNameWord } from './name-words.ts';
import { AFTER, atSentenceStart, BEFORE, phraseSource, wholeWords, withoutAccents } from './text-match.ts';
import type { KnownPerson, PersonRole } from './types.ts';
import { isOrdinaryWord } from './vocabulary.ts';

// Titles and police ranks: dropped from a name's parts ("PC Demo Officer" is not "PC").
const TITLES = new Set('mr mrs ms miss mx dr master prof rev pc pcso dc ds di dci sgt'.split(' '));
const TITLE = '(?:mrs?|ms|miss|mx|dr|master|prof)\\.?';

const WHOSE: Record<PersonRole, string> = {
  child: 'the child',
  household: 'a household member',
  referrer: 'the referrer',
  member: 'a member of the review',
  'agency-lead': 'an agency lead for the review',
  event: 'someone invited to the learning event',
  'chronology-worker': 'a worker named in the chronology',
};

/** A recorded name without bracketed notes ("(demo)", "(locum)") or stray punctuation. */
export function cleanName(name: string): string {
  return name
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[,;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const letters = (w: string) => w.replace(/[^\p{L}]/gu, '');

/** The words of a name that can name someone: no titles, initials or codes ("HV-A"). */
function nameWords(name: string): string[] {
  return name
    .split(' ')
    .map((w) => w.replace(/\.$/, ''))
    .filter((w) => !TITLES.has(w.toLowerCase()) && /\p{Ll}/u.test(w) && letters(w).length >= 2);
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
const MONTHS = /^(?:april|may|june|august)$/i;
/** "in May 2020", "3rd June": the month, not the name. */
const inDate = (text: string, start: number, found: string) =>
  MONTHS.test(found) &&
  (/^\s*\d/.test(text.slice(start + found.length)) || /\d(?:st|nd|rd|th)?\s*$/.test(text.slice(0, start)));

/**
 * Matchers for the people a review knows. The whole name is found in any case and spacing, also
 * as first and last name, title and surname, "Surname, First" and initial and surname. Each part
 * is found alone too: in any case when it is not a word; when it is an ordinary English word that
 * is also a name ("Example", "Hope"), only capitalised and not at the start of a sentence; never
 * when it is only briefing vocabulary ("Lead" in "Pat Police-Lead").
 */
export function peopleMatchers(people: readonly KnownPerson[], ordinary: ReadonlySet<string>): Matcher[] {
  const matchers: Matcher[] = [];
  const reason = (role: PersonRole, part: boolean) => (found: string) =>
    `"${found}" is ${part ? 'part of ' : ''}the name of ${WHOSE[role]}, as recorded in the review`;
  // Each part of a name, with the first role it names: the child, then the household, then the rest.
  const parts = new Map<string, PersonRole>();

  for (const { name, role } of people) {
    const words = nameWords(cleanName(name));
    const pieces = words.flatMap((w) => [w, ...(w.includes('-') ? w.split('-') : [])]);
    // A code or a job title alone ("HV-A", "Police Lead") names nobody.
    if (!pieces.some((p) => letters(p).length >= 2 && (isNameWord(p) || !isOrdinaryWord(p, ordinary))))
      continue;
    for (const piece of pieces) {
      const key = piece.toLowerCase();
      if (letters(key).length < 2) continue;
      if (!parts.has(key)) parts.set(key, role);
      if (!parts.has(withoutAccents(key))) parts.set(withoutAccents(key), role);
    }
    if (words.length < 2) continue;
    const first = words[0]!;
    const last = words[words.length - 1]!;
    const whole = wholeWords([words.join(' '), `${first} ${last}`], { hyphens: true });
    if (whole) matchers.push({ kind: 'person', pattern: whole, reason: reason(role, false) });
    // "Mr Chair" or "Chair, Chris" for "Chris Chair (demo)" would be the job, not the person.
    if (isOrdinaryWord(last, ordinary) && !isNameWord(last)) continue;
    const surname = phraseSource(last, { hyphens: true });
    matchers.push({
      kind: 'person',
      pattern: new RegExp(
        `${BEFORE}(?:${TITLE}\\s+${surname}|${surname},\\s*${phraseSource(first)})${AFTER}`,
        'giu',
      ),
      reason: reason(role, false),
    });
    const initial = first.charAt(0).toUpperCase();
    matchers.push({
      kind: 'person',
      pattern: new RegExp(`${BEFORE}${initial}\\.?\\s+${surname}${AFTER}`, 'giu'),
      reason: reason(role, false),
      // The initial is a capital: "a Example" is not "A. Example".
      accept: (text, start) => text[start] === initial,
    });
  }

  const anyCase: string[] = [];
  const capitalised: string[] = [];
  for (const part of parts.keys()) {
    if (part.includes('-')) {
      // "smith-jones" whole, as well as each half; a compound of job words ("police-lead") never.
      if (part.split('-').some((p) => !isNameWord(p) && !isOrdinaryWord(p, ordinary))) anyCase.push(part);
    } else if (isNameWord(part)) capitalised.push(capitalise(part));
    else if (!isOrdinaryWord(part, ordinary)) anyCase.push(part);
  }
  const partReason = (found: string) => {
    const key = found.toLowerCase().replace(/['’]s?$/, '');
    return reason(parts.get(key) ?? parts.get(withoutAccents(key)) ?? 'child', true)(found);
  };
  const loose = wholeWords(anyCase);
  if (loose) matchers.push({ kind: 'person', pattern: loose, reason: partReason });
  const strict = wholeWords(capitalised, { caseSensitive: true });
  if (strict)
    matchers.push({
      kind: 'person',
      pattern: strict,
      reason: partReason,
      // At the start of a sentence every word is capitalised: "Example said" may be "for example".
      accept: (text, start, found) => !atSentenceStart(text, start) && !inDate(text, start, found),
    });
  return matchers;
}
