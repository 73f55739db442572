/**
 * Themes suggested for a briefing from its text: each theme's keywords and phrases (kept with the
 * taxonomy, versioned with it) are looked for as whole words, in any case; a theme is suggested
 * when its phrases are found at least `minimum` times, or once in the learning itself. The
 * coordinator confirms or changes the suggestion when importing.
 */

export interface ThemeWithKeywords {
  key: string;
  name: string;
  keywords: readonly string[];
  retired: boolean;
}

export interface ThemeSuggestion {
  key: string;
  name: string;
  /** How many times its phrases were found, in all the text. */
  hits: number;
  /** The phrases found, as the taxonomy words them, most found first. */
  found: string[];
}

/** Text to compare: lower case, curly quotes and dashes straightened, runs of space as one. */
export function normaliseForMatching(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[‐‑–—]/g, '-')
    .replace(/[^\p{L}\p{N}'-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

function occurrences(haystack: string, phrase: string): number {
  const needle = normaliseForMatching(phrase).trim();
  if (needle === '') return 0;
  // Whole words: the haystack is padded and tokens are separated by single spaces.
  const target = ` ${needle} `;
  let count = 0;
  for (let at = haystack.indexOf(target); at !== -1; at = haystack.indexOf(target, at + target.length - 1))
    count++;
  return count;
}

export function suggestThemes(
  text: { all: string; learning: string },
  themes: readonly ThemeWithKeywords[],
  minimum = 2,
): ThemeSuggestion[] {
  const all = normaliseForMatching(text.all);
  const learning = normaliseForMatching(text.learning);
  const out: ThemeSuggestion[] = [];
  for (const theme of themes) {
    if (theme.retired) continue;
    const counts = theme.keywords
      .map((k) => ({ k, n: occurrences(all, k), inLearning: occurrences(learning, k) > 0 }))
      .filter((c) => c.n > 0);
    // Nested phrases ("information was not shared" holds "not shared") count once, the longer one.
    const kept = counts.filter(
      (c) =>
        !counts.some(
          (o) =>
            o !== c &&
            o.k.length > c.k.length &&
            normaliseForMatching(o.k).includes(normaliseForMatching(c.k)) &&
            o.n >= c.n,
        ),
    );
    const hits = kept.reduce((n, c) => n + c.n, 0);
    if (hits >= minimum || kept.some((c) => c.inLearning))
      out.push({
        key: theme.key,
        name: theme.name,
        hits,
        found: kept.sort((a, b) => b.n - a.n || a.k.localeCompare(b.k)).map((c) => c.k),
      });
  }
  return out.sort((a, b) => b.hits - a.hits || a.name.localeCompare(b.name));
}

/** Keywords typed one a line or separated by commas: trimmed, lower case, each once. */
export function parseKeywords(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\n,;]+/)) {
    const k = raw.trim().replace(/\s+/g, ' ').toLowerCase();
    if (k !== '') seen.add(k);
  }
  return [...seen];
}
