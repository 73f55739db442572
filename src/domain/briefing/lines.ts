import { bulletStart } from './bullets.ts';
import {
  isLabelledHeading,
  isOtherHeading,
  matchHeading,
  stripHeadingNumber,
  type HeadingMeaning,
} from './headings.ts';
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
      /** The vocabulary entry it matched (docs/briefing-import.md), when it matched one. */
      synonym?: string;
      /** A heading the vocabulary knows as one of a section of its own (not one of the seven). */
      other?: boolean;
      /** How it showed itself to be a heading. */
      style: HeadingStyle;
    }
  | { type: 'bullet'; indent: number; raw: string }
  | { type: 'text'; indent: number; raw: string };

/** How a line showed itself to be a heading, for the import's report. */
export type HeadingStyle =
  | 'markdown'
  | 'underlined'
  | 'bold'
  | 'numbered'
  | 'labelled'
  | 'line'
  | 'question'
  | 'capitals'
  | 'short line';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$/;
const BOLD_LINE = /^\s*(\*\*|__)(?=\S)(.*?\S)\1\s*([:?.]?)\s*$/;

const headingText = (text: string): string => text.replace(/\s*:+$/, '').trim();

function heading(cleaned: string, style: HeadingStyle, level?: number): Line & { type: 'heading' } {
  const { text, numbered } = stripHeadingNumber(cleaned);
  const match = matchHeading(text);
  const other = !match && isOtherHeading(text);
  return {
    type: 'heading',
    text: headingText(text) || headingText(cleaned),
    numbered,
    style: numbered && (style === 'line' || style === 'labelled') ? 'numbered' : style,
    ...(level !== undefined ? { level } : {}),
    ...(match ? { meaning: match.meaning, synonym: match.synonym } : {}),
    ...(other ? { other } : {}),
  };
}

/** Whether the vocabulary knows the heading, as one of the seven or as one of its own. */
const known = (h: Line & { type: 'heading' }) => Boolean(h.meaning || h.other);

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
    return text === '' ? { type: 'blank' } : heading(text, 'markdown', (atx[1] ?? '#').length);
  }

  const indent = line.length - line.trimStart().length;
  // Headings are short and have words; not testing other lines keeps hostile input fast.
  const mayBeHeading = indent <= 3 && line.length <= 300 && /\p{L}/u.test(line);
  const bullet = bulletStart(line);
  if (bullet) {
    // "1. Learning" is a numbered heading; "1. Be curious" is a numbered point.
    if (bullet.ordinal && mayBeHeading) {
      const asHeading = heading(cleanInline(line, markdown), 'numbered');
      if (known(asHeading)) return asHeading;
    }
    return { type: 'bullet', indent: bullet.indent, raw: bullet.text };
  }

  const bold = mayBeHeading ? BOLD_LINE.exec(line) : null;
  if (bold && !(bold[2] ?? '').includes(bold[1] ?? '**')) {
    const inner = cleanInline(bold[2] ?? '', markdown) + (bold[3] === '?' ? '?' : '');
    const asHeading = heading(inner, 'bold');
    // A short bold line is a heading even when unknown; a bold sentence is emphasis.
    if (known(asHeading) || (inner.length <= 80 && !/[.,;]$/.test(inner))) return asHeading;
  }

  const cleaned = mayBeHeading ? cleanInline(line, markdown) : '';
  if (mayBeHeading && isLabelledHeading(cleaned)) return heading(cleaned, 'labelled');
  if (mayBeHeading && !/[.,;]$/.test(cleaned)) {
    const asHeading = heading(cleaned, 'line');
    // A lower-case line straight after text is more likely a wrapped line that happens to read "concerns".
    if (known(asHeading) && !(afterProse && /^\p{Ll}/u.test(cleaned))) return asHeading;
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
      lines[lines.length - 1] = heading(
        cleanInline(previous.raw, markdown),
        'underlined',
        line.char === '=' ? 1 : 2,
      );
    } else {
      lines.push(line);
    }
    afterProse = line.type === 'text' || line.type === 'bullet';
  }
  return markUnknownHeadings(lines, markdown);
}

const QUESTION_WORD =
  /^(?:what|why|how|who|whom|whose|where|when|which|is|are|was|were|do|does|did|can|could|should|would|will|have|has|had)\b/i;

/**
 * Headings the vocabulary does not know, told from prose by how they stand: a line on its own
 * after a blank line (not straight after another heading), with the section's text straight after
 * it, that is a question ("What next?"), in capitals ("NEXT STEPS FOR THE BOARD"), ends in a colon,
 * or is a few words above a longer line ("Voice of the child"). Each becomes a section of its own,
 * so what follows is never merged into the section before.
 */
function markUnknownHeadings(lines: Line[], markdown: boolean): Line[] {
  const out = [...lines];
  let previousNonBlank: Line | undefined;
  for (let i = 0; i < out.length; i++) {
    const line = out[i]!;
    const before = out[i - 1];
    const next = out[i + 1];
    const standsAlone =
      (before === undefined || before.type === 'blank' || before.type === 'rule') &&
      previousNonBlank?.type !== 'heading';
    if (line.type === 'text' && standsAlone && line.indent <= 3 && line.raw.length <= 100 && next) {
      const text = cleanInline(line.raw, markdown);
      const style = unknownHeadingStyle(text, next, out[i + 2], markdown);
      if (style) out[i] = heading(text.replace(/:$/, ''), style);
    }
    if (out[i]!.type !== 'blank') previousNonBlank = out[i];
  }
  return out;
}

function unknownHeadingStyle(
  text: string,
  next: Line,
  afterNext: Line | undefined,
  markdown: boolean,
): HeadingStyle | null {
  const wordCount = text.split(/\s+/).length;
  if (!/^[\p{Lu}\d]/u.test(text) || wordCount > 12) return null;
  // The section's content: straight after the line, or after one blank line for the clearer kinds.
  const content =
    next.type === 'text' || next.type === 'bullet' ? next : next.type === 'blank' ? afterNext : undefined;
  if (!content || (content.type !== 'text' && content.type !== 'bullet')) return null;
  const contentText = content.raw.trim();
  const contentIsQuestion =
    /\?\s*$/.test(contentText) && content.type === 'text' && QUESTION_WORD.test(contentText);
  if (/\?$/.test(text) && QUESTION_WORD.test(text) && !contentIsQuestion) return 'question';
  const letters = text.replace(/[^\p{L}]/gu, '');
  // Words in capitals, at least one of them a word rather than initials ("CSC (CIN)" is not a heading).
  if (
    letters.length >= 8 &&
    wordCount >= 2 &&
    letters === letters.toUpperCase() &&
    /(?:^|\s)\p{Lu}{4,}(?=\s|$|[?:])/u.test(text) &&
    !/[.,;]$/.test(text)
  )
    return 'capitals';
  // Only a line straight above its text: a blank line between is how prose paragraphs stand.
  if (next !== content || markdown) return null;
  if (/:$/.test(text) && wordCount <= 8 && content.type === 'text') return 'line';
  if (
    wordCount <= 6 &&
    text.length <= 50 &&
    !/[.,;:!?]$/.test(text) &&
    content.type === 'text' &&
    /^[\p{Lu}\d"“'‘]/u.test(contentText) &&
    contentText.length > text.length + 10
  )
    return 'short line';
  return null;
}
