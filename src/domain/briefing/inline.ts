/**
 * Inline Markdown to plain text. Briefings come from Word (through mammoth's Markdown, which
 * escapes punctuation and marks bold as `__x__`) and from hand-written Markdown; the model holds
 * plain text only, so markup goes and escaped characters come back as themselves.
 */

import { BULLET_CHARACTERS } from './bullets.ts';

// ASCII punctuation may be backslash-escaped (CommonMark); so may the bullet characters, which our
// Markdown writer escapes when a paragraph happens to start with one.
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~' + BULLET_CHARACTERS;
const ESCAPE = new RegExp(`\\\\([${ESCAPABLE.replace(/[\\\]^-]/g, '\\$&')}])`, 'gu');

// Escaped characters are parked on lone low surrogates while the markup is removed: decoded text
// never holds a lone surrogate, so they cannot be confused with the document's own characters.
const PARK_BASE = 0xdc00;
const PARKED = /[\udc00-\udfff]/gu;
const park = (ch: string): string => String.fromCharCode(PARK_BASE + ESCAPABLE.indexOf(ch));
const unpark = (ch: string): string => ESCAPABLE.charAt(ch.charCodeAt(0) - PARK_BASE);

/** Collapse runs of whitespace (including non-breaking spaces) to one space and trim. */
export function normaliseSpace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Remove Markdown markup and escapes from one line or block of inline text. */
export function stripInlineMarkdown(raw: string): string {
  let text = raw.replace(ESCAPE, (_, ch: string) => park(ch));
  text = text
    // mammoth writes Word bookmarks as empty HTML anchors
    .replace(/<a\s+id="[^"]*"\s*>\s*<\/a>/g, '')
    // images carry no text a briefing needs (mammoth inlines them as data URIs)
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) => {
      const words = label.trim();
      return words === '' || words === url ? url : `${words} (${url})`;
    })
    .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
  // Strong before emphasis; repeat for nesting such as ***x***.
  for (let i = 0; i < 3; i++) {
    text = text
      .replace(/(\*\*|__)(?=\S)([^]*?\S)\1/gu, '$2')
      .replace(/(?<![\p{L}\p{N}*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![*])/gu, '$1')
      .replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}_])/gu, '$1');
  }
  return text.replace(PARKED, unpark);
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
