import type { StandardSectionKind } from './model.ts';
import { OTHER_HEADINGS, SECTION_HEADINGS } from './heading-vocabulary.ts';

/**
 * What a heading means: a standard section, or one half of the key practice episodes (those
 * sub-headings also stand alone as sections in some partnerships' briefings, e.g. Devon's
 * "Good Practice").
 */
export type HeadingMeaning =
  { kind: StandardSectionKind } | { kind: 'practiceEpisodes'; part: 'goodPractice' | 'areasForImprovement' };

const MEANINGS = new Map<string, HeadingMeaning>();
for (const [name, variants] of Object.entries(SECTION_HEADINGS)) {
  const meaning: HeadingMeaning =
    name === 'goodPractice' || name === 'areasForImprovement'
      ? { kind: 'practiceEpisodes', part: name }
      : { kind: name as StandardSectionKind };
  for (const variant of variants) MEANINGS.set(variant, meaning);
}

const NUMBER_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten';
// "Minute One –", "Section 1:", "Part 2)"; the word makes the number unambiguous.
const LABELLED_NUMBER = new RegExp(
  `^(?:section|minute|part|step)\\s+(?:\\d{1,2}|${NUMBER_WORDS})\\b(?:\\s*[.):\\-–—]+\\s*|\\s+|$)`,
  'i',
);
// "1 ", "1.", "1)", "(1)", "1:", "1 –"; not "7 minute briefing", whose number is part of its name,
// nor "1.5" or "2020".
const BARE_NUMBER = new RegExp(
  '^(?:\\(\\d{1,2}\\)\\s*|\\d{1,2}(?!\\d)' +
    `(?!\\s*(?:minute|point|day|week|month|year)s?\\b(?!\\s+(?:\\d{1,2}|${NUMBER_WORDS})\\b))` +
    '(?:\\s*[.):\\-–—]+(?!\\d)\\s*|\\s+))(?=\\S)',
  'i',
);

/**
 * The heading without its numbering ("3 Minute Three: Learning" → "Learning") and whether it had
 * any. Each style is stripped at most once, so "5 3 ways to help" keeps its "3".
 */
export function stripHeadingNumber(text: string): { text: string; numbered: boolean } {
  let rest = text.trim();
  let numbered = false;
  const unused = [LABELLED_NUMBER, BARE_NUMBER];
  for (let i = 0; i < unused.length;) {
    const pattern = unused[i] as RegExp;
    const m = pattern.exec(rest);
    if (!m) {
      i++;
      continue;
    }
    const after = rest.slice(m[0].length).trim();
    // "Minute One" alone is still the heading's whole text: keep it rather than leave nothing.
    if (after === '') return { text: rest, numbered: true };
    rest = after;
    numbered = true;
    unused.splice(i, 1);
    i = 0;
  }
  return { text: rest, numbered };
}

/** The comparable form of a heading: case, punctuation, "&" and a trailing "(...)" ignored. */
export function headingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’‘]/g, '')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/[&+]/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The meaning of a heading's text (numbering already stripped), or undefined for an unknown heading. */
export function recogniseHeading(text: string): HeadingMeaning | undefined {
  return matchHeading(text)?.meaning;
}

/** The vocabulary entry a heading's text matches, and which: its meaning and the synonym as listed. */
export function matchHeading(text: string): { meaning: HeadingMeaning; synonym: string } | undefined {
  const key = headingKey(text);
  for (const candidate of [key, key.replace(/^(?:the|our) /, '')]) {
    const meaning = MEANINGS.get(candidate);
    if (meaning) return { meaning, synonym: candidate };
  }
  return undefined;
}

const OTHERS = new Set(OTHER_HEADINGS);

/** Whether a heading's text is one the vocabulary knows as a heading of a section of its own. */
export function isOtherHeading(text: string): boolean {
  const key = headingKey(text);
  return OTHERS.has(key) || OTHERS.has(key.replace(/^(?:the|our) /, ''));
}

// A heading by its label alone, known or not: "Minute One", "Minute 2: Legal framework", "Section 3 –
// Tools". The separator is required, so "Section 47 enquiries were made" stays prose.
const LABELLED_HEADING = new RegExp(
  `^(?:section|minute|part|step)\\s+(?:\\d{1,2}|${NUMBER_WORDS})\\b\\s*(?:[.):\\-–—]+\\s*\\S.{0,70}|)$`,
  'i',
);

/** Whether a line announces itself as a heading by a "Minute"/"Section" label. */
export function isLabelledHeading(text: string): boolean {
  return LABELLED_HEADING.test(text) && !/[.,;]$/.test(text);
}
