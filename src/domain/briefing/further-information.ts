import { cleanInline } from './inline.ts';
import type { FurtherInformationItem } from './model.ts';

const URL = String.raw`(?:https?:\/\/|www\.)[^\s<>()]*[^\s<>().,;:!?'"]`;
// A link or address at the end of the item: "Threshold of Need – https://…", "[Threshold of Need](https://…)",
// "Threshold of Need (https://…)". The address is looked for in the raw text, so one our Markdown writer
// escaped ("https\://") stays part of the title.
const TRAILING_LINK = new RegExp(
  String.raw`^(.*?)[\s\-–—:|]*(?:\[([^\]]*)\]\(\s*<?(${URL})>?(?:\s+"[^"]*")?\s*\)|<(${URL})>|\((${URL})\)|(${URL}))\s*[.,;]?\s*$`,
  'u',
);

const unescape = (url: string): string => url.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/** One further-information entry: its title and, when it ends with one, its web address. */
export function furtherInformationItem(raw: string, markdown: boolean): FurtherInformationItem {
  const m = TRAILING_LINK.exec(raw.trim());
  if (!m) return { title: cleanInline(raw, markdown) };
  const url = unescape(m[3] ?? m[4] ?? m[5] ?? m[6] ?? '');
  const before = cleanInline(m[1] ?? '', markdown);
  const label = m[2] === undefined ? '' : cleanInline(m[2], markdown);
  const title = [before, label === url ? '' : label].filter((t) => t !== '').join(' – ') || url;
  return { title, url };
}
