/**
 * Inline Markdown to plain text. Briefings come from Word (through mammoth's Markdown, which
 * escapes punctuation and marks bold as `__x__`) and from hand-written Markdown; the model holds
 * plain text only, so markup goes and escaped characters come back as themselves.
 */

import { BULLET_CHARACTERS } from './bullets.ts';

// ASCII punctuation may be backslash-escaped (CommonMark); so may the bullet characters, which our
// Markdown writer escapes when a paragraph happens to start with one.
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~' + BULLET_CHARACTERS;
const ESCAPABLE_SET = new Set(ESCAPABLE);

// Escaped characters are parked on lone low surrogates while the markup is removed: decoded text
// never holds a lone surrogate, so they cannot be confused with the document's own characters.
// Both directions are plain loops: a 5 MB run of escapes would be slow through a replace callback.
const PARK_BASE = 0xdc00;

export function parkEscapes(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i < raw.length - 1; i = raw.indexOf('\\', i)) {
    const ch = raw.charAt(i + 1);
    if (ESCAPABLE_SET.has(ch)) {
      out += raw.slice(from, i) + String.fromCharCode(PARK_BASE + ESCAPABLE.indexOf(ch));
      from = i + 2;
      i += 2;
    } else {
      i += 1;
    }
  }
  return out + raw.slice(from);
}

/** Parked characters back to themselves, or (`asEscapes`) back to the escapes they came from. */
export function unparkEscapes(text: string, asEscapes = false): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < PARK_BASE || code >= PARK_BASE + ESCAPABLE.length) continue;
    // a low surrogate after a high one is half of a real character, not a parked escape
    if (i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) continue;
    out += text.slice(from, i) + (asEscapes ? '\\' : '') + ESCAPABLE.charAt(code - PARK_BASE);
    from = i + 1;
  }
  return out + text.slice(from);
}

// Only what needs changing: a lone ordinary space is left alone, which keeps long texts fast.
const NEEDS_SPACE = / \s+|[^\S ]\s*/g;

/** Collapse runs of whitespace (including non-breaking spaces and line breaks) to one space and trim. */
export function normaliseSpace(text: string): string {
  return text.replace(NEEDS_SPACE, ' ').trim();
}

/** Remove Markdown markup and escapes from one line or block of inline text. */
export function stripInlineMarkdown(raw: string): string {
  if (!/[\\*_[<`]/.test(raw)) return raw;
  let text = parkEscapes(raw);
  // Each pattern's spans stop at the next delimiter, so a hostile 5 MB paragraph costs linear time.
  text = text
    // mammoth writes Word bookmarks as empty HTML anchors
    .replace(/<a\s{1,5}id="[^"<]{0,200}"\s{0,5}>\s{0,5}<\/a>/g, '')
    // images carry no text a briefing needs
    .replace(/!\[[^[\]]{0,500}\]\([^()\s]{0,2000}\)/g, '')
    .replace(/\[([^[\]]{0,500})\]\(<?([^()<>[\]\s]{1,2000})>?\)/g, (_, label: string, url: string) => {
      const words = label.trim();
      return words === '' || words === url ? url : `${words} (${url})`;
    })
    .replace(/<((?:https?:\/\/|mailto:)[^<>\s]{1,2000})>/g, '$1')
    .replace(/`([^`]{1,500})`/g, '$1');
  text = stripEmphasis(text);
  return unparkEscapes(text);
}

/**
 * Removes paired `*`/`_` emphasis delimiters (`**strong**`, `__strong__`, `*em*`, `_em_`), pairing
 * each closing run with the nearest open run of the same character, as CommonMark does; unpaired
 * runs stay as text. One pass with a stack per character: linear however the text is built.
 */
function stripEmphasis(text: string): string {
  const runs: { start: number; length: number; removed: number }[] = [];
  const open: Record<string, number[]> = { '*': [], _: [] };
  const wordChar = /[\p{L}\p{N}]/u;
  for (const m of text.matchAll(/\*+|_+/g)) {
    const start = m.index;
    const char = m[0].charAt(0);
    const before = text.charAt(start - 1);
    const after = text.charAt(start + m[0].length);
    let canOpen = after !== '' && !/\s/.test(after);
    let canClose = before !== '' && !/\s/.test(before);
    if (char === '_') {
      // snake_case and file_names are not emphasis
      canOpen &&= !wordChar.test(before);
      canClose &&= !wordChar.test(after);
    }
    const run = { start, length: m[0].length, removed: 0 };
    runs.push(run);
    const stack = open[char] ?? [];
    let left = run.length;
    while (canClose && left > 0 && stack.length > 0) {
      const opener = runs[stack[stack.length - 1] ?? -1];
      if (!opener) break;
      const available = opener.length - opener.removed;
      const used = Math.min(available, left, 2);
      opener.removed += used;
      run.removed += used;
      left -= used;
      if (opener.removed === opener.length) stack.pop();
    }
    if (canOpen && left > 0) stack.push(runs.length - 1);
  }
  if (runs.every((r) => r.removed === 0)) return text;
  let out = '';
  let at = 0;
  for (const run of runs) {
    // An opener loses its innermost characters (the end of its run); a closer its first ones.
    out += text.slice(at, run.start);
    const kept = run.length - run.removed;
    out += text.slice(run.start, run.start + kept);
    at = run.start + run.length;
  }
  return out + text.slice(at);
}

/** Plain text from a raw fragment: Markdown removed when the source is Markdown, spaces normalised. */
export function cleanInline(raw: string, markdown: boolean): string {
  return normaliseSpace(markdown ? stripInlineMarkdown(raw) : raw);
}

/** Characters our Markdown writer escapes so that the parser reads the text back unchanged. */
export function escapeMarkdownText(text: string): string {
  let out = text.replace(/[\\`*_[\]<>]/g, '\\$&');
  // A URL in plain text would be read back as a link: escape its colon.
  out = out.replace(/(\b[a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:');
  return out;
}
