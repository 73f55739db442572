/**
 * PDF's standard fonts (bundled with pdfkit, so no font files or network) can show only the
 * Windows-1252 characters; pdfkit writes anything else as garbage. Text is brought into that set:
 * accents that decompose keep their letter ("ā" → "a"), a few common symbols get their nearest
 * equivalent, and the rest becomes "?", visibly rather than silently wrong.
 */

// Windows-1252's characters above Latin-1's control range (0x80–0x9F).
const WINDOWS_1252_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const NEAREST: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u200b': '',
  '\ufeff': '',
  '\uf0b7': '•',
  '\uf0a7': '•',
  // letters with no decomposition to a base letter
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
  '✓': 'v',
  '✔': 'v',
  '→': '->',
  '≤': '<=',
  '≥': '>=',
};

function encodable(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WINDOWS_1252_EXTRAS.includes(ch);
}

export function toPdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch.length === 1 && encodable(ch)) {
      out += ch;
      continue;
    }
    const nearest = NEAREST[ch];
    if (nearest !== undefined) {
      out += nearest;
      continue;
    }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += base !== '' && [...base].every((c) => c.length === 1 && encodable(c)) ? base : '?';
  }
  return out;
}
