import { cleanInline, parkEscapes, unparkEscapes } from './inline.ts';
import type { FurtherInformationItem } from './model.ts';

const URL_TOKEN = /^[(<]?((?:https?:\/\/|www\.)[^\s<>()]+?)[)>]?[.,;]?$/;
const MARKDOWN_LINK_AT_END = /\[([^[\]]*)\]\(<?((?:https?:\/\/|www\.)[^\s<>()[\]]+)>?\)[.,;]?$/;

// Scanned by hand from the end: a pattern anchored with $ would be retried from every position.
function lastWordStart(text: string): number {
  let i = text.length;
  while (i > 0 && !/\s/.test(text.charAt(i - 1))) i--;
  return i;
}

function withoutTrailingSeparators(text: string): string {
  let i = text.length;
  while (i > 0 && /[\s\-–—:|]/.test(text.charAt(i - 1))) i--;
  return text.slice(0, i);
}

/**
 * One further-information entry: its title and, when the entry ends with one, its web address:
 * "Threshold of Need – https://…", "Threshold of Need (https://…)", "[Threshold of Need](https://…)".
 */
export function furtherInformationItem(raw: string, markdown: boolean): FurtherInformationItem {
  // Escaped characters are parked first, so "\[" is not a link's bracket nor "https\://" an address.
  const text = markdown ? parkEscapes(raw.trim()) : raw.trim();
  const clean = (part: string) => cleanInline(markdown ? unparkEscapes(part, true) : part, markdown);
  const unescape = (url: string) => (markdown ? unparkEscapes(url) : url);
  let before: string;
  let label = '';
  let url: string;

  // The link can only be the last "[" … "](" … ")": found by position, never by backtracking.
  const linkStart = markdown ? text.lastIndexOf('[', text.lastIndexOf('](')) : -1;
  const link = linkStart >= 0 ? MARKDOWN_LINK_AT_END.exec(text.slice(linkStart)) : null;
  if (link && link.index === 0) {
    before = text.slice(0, linkStart);
    label = clean(link[1] ?? '');
    url = unescape(link[2] ?? '');
  } else {
    const wordStart = lastWordStart(text);
    const token = URL_TOKEN.exec(text.slice(wordStart));
    if (!token) return { title: clean(text) };
    before = text.slice(0, wordStart);
    url = unescape(token[1] ?? '');
  }
  const lead = clean(withoutTrailingSeparators(before));
  const title = [lead, label === url ? '' : label].filter((t) => t !== '').join(' – ') || url;
  return { title, url };
}
