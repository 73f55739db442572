import { bulletStart } from './bullets.ts';
import { recogniseHeading, isLabelledHeading, stripHeadingNumber, type HeadingMeaning } from './headings.ts';
import { cleanInline } from './inline.ts';

/**
 * One line of a briefing, classified. Raw text is kept for bullets and prose so that wrapped
 * lines are joined before Markdown is removed (emphasis may span a line break).
 */
export type Line =
  | { type: 'blank' }
  | { type: 'rule'; char: string }
  | {
      type: 'heading';
      /** The heading as the reader sees it, without numbering or a trailing colon. */
      text: string;
      /** Markdown level (# to ######, or Setext); undefined for plain and bold headings. */
      level?: number;
      numbered: boolean;
      meaning?: HeadingMeaning;
    }
  | { type: 'bullet'; indent: number; raw: string }
  | { type: 'text'; indent: number; raw: string };

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$/;
const BOLD_LINE = /^\s*(\*\*|__)(?=\S)(.*?\S)\1\s*([:?.]?)\s*$/;

const headingText = (text: string): string => text.replace(/\s*:+$/, '').trim();

function heading(cleaned: string, level?: number): Line & { type: 'heading' } {
  const { text, numbered } = stripHeadingNumber(cleaned);
  const meaning = recogniseHeading(text);
  return {
    type: 'heading',
    text: headingText(text) || headingText(cleaned),
    numbered,
    ...(level !== undefined ? { level } : {}),
    ...(meaning ? { meaning } : {}),
  };
}

/** Classify one raw line; `afterProse` says whether it follows a line of prose or a bullet directly. */
export function classifyLine(rawLine: string, afterProse: boolean, markdown: boolean): Line {
  if (rawLine.trim() === '') return { type: 'blank' };
  let line = rawLine.replace(/\t/g, '    ').trimEnd();
  if (markdown) line = line.replace(/^ {0,3}(?:> ?)+/, '');
  if (line.trim() === '') return { type: 'blank' };

  const rule = line.length <= 300 ? RULE.exec(line) : null;
  if (rule) return { type: 'rule', char: rule[1] ?? '-' };

  const atx = line.length <= 2000 ? ATX.exec(line) : null;
  if (atx) {
    const text = cleanInline(atx[2] ?? '', markdown);
    return text === '' ? { type: 'blank' } : heading(text, (atx[1] ?? '#').length);
  }

  const indent = line.length - line.trimStart().length;
  // Headings are short and have words; not testing other lines keeps hostile input fast.
  const mayBeHeading = indent <= 3 && line.length <= 300 && /\p{L}/u.test(line);
  const bullet = bulletStart(line);
  if (bullet) {
    // "1. Learning" is a numbered heading; "1. Be curious" is a numbered point.
    if (bullet.ordinal && mayBeHeading) {
      const asHeading = heading(cleanInline(line, markdown));
      if (asHeading.meaning) return asHeading;
    }
    return { type: 'bullet', indent: bullet.indent, raw: bullet.text };
  }

  const bold = mayBeHeading ? BOLD_LINE.exec(line) : null;
  if (bold && !(bold[2] ?? '').includes(bold[1] ?? '**')) {
    const inner = cleanInline(bold[2] ?? '', markdown) + (bold[3] === '?' ? '?' : '');
    const asHeading = heading(inner);
    // A short bold line is a heading even when unknown; a bold sentence is emphasis.
    if (asHeading.meaning || (inner.length <= 80 && !/[.,;]$/.test(inner))) return asHeading;
  }

  const cleaned = mayBeHeading ? cleanInline(line, markdown) : '';
  if (mayBeHeading && isLabelledHeading(cleaned)) return heading(cleaned);
  if (mayBeHeading && !/[.,;]$/.test(cleaned)) {
    const asHeading = heading(cleaned);
    // A lower-case line straight after text is more likely a wrapped line that happens to read "concerns".
    if (asHeading.meaning && !(afterProse && /^\p{Ll}/u.test(cleaned))) return asHeading;
  }
  return { type: 'text', indent, raw: line };
}

/** Split into lines on any line ending, and classify them; Setext underlines make headings. */
export function classifyLines(text: string, markdown: boolean): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n|\u2028|\u2029|\f/);
  const lines: Line[] = [];
  let afterProse = false;
  for (const rawLine of raw) {
    const line = classifyLine(rawLine, afterProse, markdown);
    const previous = lines.at(-1);
    // Only a one-line paragraph can be underlined into a heading; after longer prose it is a separator.
    const before = lines.at(-2);
    const underlined =
      previous?.type === 'text' &&
      previous.raw.length <= 300 &&
      (before === undefined ||
        before.type === 'blank' ||
        before.type === 'rule' ||
        before.type === 'heading');
    if (line.type === 'rule' && (line.char === '=' || line.char === '-') && underlined) {
      lines[lines.length - 1] = heading(cleanInline(previous.raw, markdown), line.char === '=' ? 1 : 2);
    } else {
      lines.push(line);
    }
    afterProse = line.type === 'text' || line.type === 'bullet';
  }
  return lines;
}
