/** Shared pieces for building whole-word, case-insensitive patterns from recorded values. */

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Letters with their accents removed, so "Zoë" in the record also finds "Zoe" in the text. */
export const withoutAccents = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Words in a phrase may be split by any run of spaces or a line break. */
export const flexibleSpaces = (escaped: string): string => escaped.replace(/\s+/g, '\\s+');

// Whole words: not inside another word, and "Kayla's" / "Kayla’s" is still Kayla.
const BEFORE = "(?<![\\p{L}\\p{N}'’])";
const AFTER = "(?:['’]s)?(?![\\p{L}\\p{N}])";

/** A pattern for any of the phrases, each as whole words, optionally possessive. */
export function wholeWords(phrases: Iterable<string>, caseSensitive = false): RegExp | undefined {
  const alternatives = new Set<string>();
  for (const phrase of phrases) {
    const trimmed = phrase.trim();
    if (trimmed === '') continue;
    alternatives.add(flexibleSpaces(escapeRegExp(trimmed)));
    const plain = withoutAccents(trimmed);
    if (plain !== trimmed) alternatives.add(flexibleSpaces(escapeRegExp(plain)));
  }
  if (alternatives.size === 0) return undefined;
  // Longest first, so "Kayla Testperson" is found whole before "Kayla".
  const sorted = [...alternatives].sort((a, b) => b.length - a.length);
  return new RegExp(`${BEFORE}(?:${sorted.join('|')})${AFTER}`, caseSensitive ? 'gu' : 'giu');
}
