import { isOrdinaryWord } from './vocabulary.ts';

const NONE: ReadonlySet<string> = new Set();

/**
 * A practitioner's name as the check should look for it: without bracketed notes ("(demo)") and
 * without parts that are ordinary briefing words, so "Pat Police-Lead" does not flag every "police".
 * A name made only of ordinary words comes back empty, and is then not looked for at all.
 */
export function practitionerName(name: string): string {
  return name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .map((word) =>
      word
        .split('-')
        .filter((part) => part !== '' && !isOrdinaryWord(part, NONE))
        .join('-'),
    )
    .filter((word) => word !== '')
    .join(' ');
}
