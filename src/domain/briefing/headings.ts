import type { StandardSectionKind } from './model.ts';

/**
 * What a heading means: a standard section, or one half of the key practice episodes (those
 * sub-headings also stand alone as sections in some partnerships' briefings, e.g. Devon's
 * "Good Practice").
 */
export type HeadingMeaning =
  { kind: StandardSectionKind } | { kind: 'practiceEpisodes'; part: 'goodPractice' | 'areasForImprovement' };

const VARIANTS: Record<string, readonly string[]> = {
  background: [
    'background',
    'background and concerns',
    'background and concern',
    'background concerns',
    'concerns',
    'what happened',
    'the incident',
    'incident',
    'case summary',
    'summary of the case',
    'case background',
    'background to the case',
    'background to the review',
    'about the case',
    'the case',
    'context',
  ],
  purpose: [
    'purpose',
    'purpose of the review',
    'purpose of review',
    'purpose of this review',
    'purpose of the briefing',
    'purpose of this briefing',
    'why it matters',
    'why this matters',
    'why does it matter',
    'why is it important',
    'aim of the review',
    'aims of the review',
    'about the review',
    'about this review',
    'the review',
    'why we did the review',
  ],
  linesOfEnquiry: [
    'key lines of enquiry',
    'lines of enquiry',
    'key lines of inquiry',
    'lines of inquiry',
    'kloes',
    'kloe',
    'key questions',
    'questions for the review',
    'terms of reference',
    'what the review looked at',
  ],
  practiceEpisodes: [
    'key practice episodes',
    'practice episodes',
    'key episodes',
    'key practice episodes and findings',
    'episodes of practice',
  ],
  goodPractice: [
    'expected good practice',
    'good practice',
    'examples of good practice',
    'good practice identified',
    'what went well',
    'what good practice did we find',
    'what worked well',
    'strengths',
    'positive practice',
  ],
  areasForImprovement: [
    'areas for improvement',
    'area for improvement',
    'areas of improvement',
    'areas for development',
    'areas for further development',
    'what could have been better',
    'what could be better',
    'what could have been done differently',
    'what else did we find',
    'what needs to improve',
    'practice issues',
    'missed opportunities',
    'even better if',
  ],
  learning: [
    'learning',
    'key learning',
    'learning points',
    'key learning points',
    'learning for practice',
    'learning from the review',
    'lessons learned',
    'lessons learnt',
    'lessons',
    'messages for practice',
    'messages for practitioners',
    'key messages',
    'key messages for practice',
    'what we learned',
    'what we learnt',
    'what have we learned',
    'what have we learnt',
    'what to do',
    'things to note',
    'things to remember',
    'recommendations',
  ],
  progressImpact: [
    'progress impact',
    'progress and impact',
    'progress',
    'impact',
    'impact of the review',
    'progress update',
    'what has changed',
    'whats changed',
    'what has changed since',
    'what has happened since',
    'what has happened since the review',
    'what we have done',
    'actions taken',
    'action taken',
    'actions',
    'changes made',
    'improvements made',
  ],
  furtherInformation: [
    'further information',
    'further information and resources',
    'more information',
    'useful information',
    'resources',
    'useful resources',
    'further resources',
    'useful links',
    'links',
    'links to local guidance',
    'further reading',
    'find out more',
    'where to find out more',
    'information and further discussion',
    'references',
  ],
};

const MEANINGS = new Map<string, HeadingMeaning>();
for (const [name, variants] of Object.entries(VARIANTS)) {
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
  const key = headingKey(text);
  return MEANINGS.get(key) ?? MEANINGS.get(key.replace(/^(?:the|our) /, ''));
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
