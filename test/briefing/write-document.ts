/**
 * Writes briefing documents the way partnerships do: any section order, numbering, heading and
 * bullet style, line ending. Used by the parser's example tests and its property tests; it is
 * written independently of the parser so that the two check each other.
 */

export type Numbering = 'none' | 'digit' | 'dot' | 'paren' | 'section' | 'minute' | 'minuteWord';
export type HeadingStyle =
  'plain' | 'upper' | 'lower' | 'colon' | 'question' | 'md1' | 'md2' | 'md3' | 'bold';
export type BulletStyle = '-' | '•' | '*' | '–' | '1)' | '1.' | 'a)' | '\uf0b7';
export type LineEnding = '\n' | '\r\n' | '\r';

export interface DocumentStyle {
  numbering: Numbering;
  heading: HeadingStyle;
  bullet: BulletStyle;
  eol: LineEnding;
  /** Blank line between a heading and its content (and between blocks). */
  spacious: boolean;
  /** Wrap bullets over two lines: 'flush' continues at the margin, 'indent' indents the continuation. */
  wrap: 'none' | 'flush' | 'indent';
}

export interface DocumentSection {
  heading: string;
  paragraphs?: string[];
  items?: string[];
  /** Key practice episodes: the two lists under their own sub-headings. */
  goodPractice?: { heading: string; items: string[] };
  areasForImprovement?: { heading: string; items: string[] };
}

const WORDS = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

export const isMarkdownStyle = (style: DocumentStyle): boolean =>
  style.heading === 'md1' || style.heading === 'md2' || style.heading === 'md3';

/** Whether an unknown heading written in this style is still a heading (so custom sections survive). */
export const marksUnknownHeadings = (style: DocumentStyle): boolean =>
  isMarkdownStyle(style) ||
  style.heading === 'bold' ||
  style.numbering === 'section' ||
  style.numbering === 'minute' ||
  style.numbering === 'minuteWord';

function number(n: number, numbering: Numbering): string {
  switch (numbering) {
    case 'none':
      return '';
    case 'digit':
      return `${n} `;
    case 'dot':
      return `${n}. `;
    case 'paren':
      return `${n}) `;
    case 'section':
      return `Section ${n} – `;
    case 'minute':
      return `Minute ${n}: `;
    case 'minuteWord':
      return `Minute ${WORDS[n - 1] ?? n} – `;
  }
}

function headingLine(text: string, n: number | undefined, style: DocumentStyle, sub: boolean): string {
  const numbered = n === undefined ? text : `${number(n, style.numbering)}${text}`;
  switch (style.heading) {
    case 'plain':
      return numbered;
    case 'upper':
      return numbered.toUpperCase();
    case 'lower':
      return numbered.toLowerCase();
    case 'colon':
      return `${numbered}:`;
    case 'question':
      return `${numbered}?`;
    case 'md1':
      return `${sub ? '##' : '#'} ${numbered}`;
    case 'md2':
      return `${sub ? '###' : '##'} ${numbered}`;
    case 'md3':
      return `${sub ? '####' : '###'} ${numbered}`;
    case 'bold':
      return `**${numbered}**`;
  }
}

function marker(i: number, bullet: BulletStyle): string {
  if (bullet === '1)') return `${i + 1})`;
  if (bullet === '1.') return `${i + 1}.`;
  if (bullet === 'a)') return `${String.fromCharCode(97 + (i % 26))})`;
  return bullet;
}

function bulletLines(items: readonly string[], style: DocumentStyle): string[] {
  const lines: string[] = [];
  items.forEach((item, i) => {
    const words = item.split(' ');
    const cut = Math.ceil(words.length / 2);
    if (style.wrap === 'none' || words.length < 2) {
      lines.push(`${marker(i, style.bullet)} ${item}`);
    } else {
      lines.push(`${marker(i, style.bullet)} ${words.slice(0, cut).join(' ')}`);
      lines.push(`${style.wrap === 'indent' ? '  ' : ''}${words.slice(cut).join(' ')}`);
    }
  });
  return lines;
}

/** The document's text. `title` is written as a first line (a "# " heading in Markdown styles). */
export function writeDocument(
  title: string | undefined,
  sections: readonly DocumentSection[],
  style: DocumentStyle,
): string {
  const eol = style.eol;
  const out: string[] = [];
  if (title !== undefined) out.push(isMarkdownStyle(style) ? `# ${title}` : title);
  sections.forEach((section, index) => {
    const n = style.numbering === 'none' ? undefined : index + 1;
    // Chunks are separated by a blank line; a heading is followed by one only in the spacious style.
    const chunks: string[] = [];
    for (const paragraph of section.paragraphs ?? []) chunks.push(paragraph);
    if (section.items && section.items.length > 0) chunks.push(bulletLines(section.items, style).join(eol));
    for (const part of [section.goodPractice, section.areasForImprovement]) {
      if (!part) continue;
      const sub = headingLine(part.heading, undefined, style, true);
      const list = bulletLines(part.items, style).join(eol);
      chunks.push(list === '' ? sub : `${sub}${style.spacious ? eol + eol : eol}${list}`);
    }
    const heading = headingLine(section.heading, n, style, false);
    const body = chunks.join(eol + eol);
    out.push(body === '' ? heading : `${heading}${style.spacious ? eol + eol : eol}${body}`);
  });
  return out.join(eol + eol) + eol;
}
