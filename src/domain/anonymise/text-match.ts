/** Shared pieces for building whole-word patterns from recorded values. */

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Letters with their accents removed, so "Zoë" in the record also finds "Zoe" in the text. */
export const withoutAccents = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/**
 * A recorded phrase as a pattern: its words split by any run of spaces or a line break (or, in a
 * name, a hyphen: "Smith-Jones" is also written "Smith Jones"), either apostrophe.
 */
export function phraseSource(phrase: string, options: { hyphens?: boolean } = {}): string {
  const words = phrase
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const between = options.hyphens ? '(?:\\s*-\\s*|\\s+)' : '\\s+';
  return words
    .map((word) => {
      const parts = word.split('-').map((p) => escapeRegExp(p).replace(/['’]/g, "['’]"));
      return parts.join(options.hyphens ? between : '-');
    })
    .join(between);
}

// Whole words: not inside another word; "Kayla's", "Kayla’s", "Jones'" and "the Testpersons'"
// are still the name.
export const BEFORE = "(?<![\\p{L}\\p{N}'’])";
export const AFTER = "(?:['’]s|s['’]|(?<=s)['’]|s)?(?![\\p{L}\\p{N}])";

/** A whole-word pattern for any of the phrases (each also without accents), longest first. */
export function wholeWords(
  phrases: Iterable<string>,
  options: { caseSensitive?: boolean; hyphens?: boolean } = {},
): RegExp | undefined {
  const alternatives = new Set<string>();
  for (const phrase of phrases) {
    const trimmed = phrase.trim();
    if (trimmed === '') continue;
    alternatives.add(phraseSource(trimmed, options));
    const plain = withoutAccents(trimmed);
    if (plain !== trimmed) alternatives.add(phraseSource(plain, options));
  }
  if (alternatives.size === 0) return undefined;
  // Longest first, so "Kayla Testperson" is found whole before "Kayla".
  const sorted = [...alternatives].sort((a, b) => b.length - a.length);
  return new RegExp(`${BEFORE}(?:${sorted.join('|')})${AFTER}`, options.caseSensitive ? 'gu' : 'giu');
}

/**
 * Whether a word at `index` starts a sentence: the start of the text (a list item or paragraph),
 * or after a full stop, question or exclamation mark, colon or semicolon, with any quotes,
 * brackets or list marks between. There any word is capitalised, so a capital says nothing.
 */
export function atSentenceStart(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /[\s"'“”‘’([*•\-–—]/u.test(text[i]!)) i--;
  return i < 0 || /[.!?:;]/.test(text[i]!);
}
