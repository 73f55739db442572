/**
 * Bullet markers as they arrive from Word, plain text and Markdown: symbols (Word's Symbol-font
 * bullet comes through as U+F0B7), numbers "1." "1)" "(1)", letters "a)" "a." "(a)", roman "iv)".
 */
export const BULLET_CHARACTERS = '-*+•–—·▪◦●○■□➢➤►✓✔→\uf0b7\uf0a7\uf076\uf0d8';

const SYMBOL = `[${BULLET_CHARACTERS.replace(/[-\]\\^]/g, '\\$&')}]`;
const ORDINAL = String.raw`(?:\d{1,2}[.)]|\(\d{1,2}\)|[a-z][.)]|[A-Z]\)|\([a-zA-Z]\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])`;
const BULLET_LINE = new RegExp(`^(\\s*)(?:(${SYMBOL})|(${ORDINAL}))\\s+(?=\\S)`, 'u');

export interface BulletStart {
  indent: number;
  /** Numbered or lettered ("1.", "a)"): such a line may instead be a numbered heading. */
  ordinal: boolean;
  /** The raw text after the marker. */
  text: string;
}

/** The bullet a raw line starts, if any. */
export function bulletStart(line: string): BulletStart | undefined {
  const m = BULLET_LINE.exec(line);
  if (!m) return undefined;
  const text = line.slice(m[0].length);
  // "**Learning**" and "*emphasis*" are markup, not a "*" bullet: a bullet marker is followed by a space,
  // which the pattern already demands, so only a horizontal rule ("- - -", "* * *") needs excluding.
  if (/^[-*_](?:\s*[-*_])+\s*$/.test(line.trim())) return undefined;
  return { indent: (m[1] ?? '').length, ordinal: m[3] !== undefined, text };
}

/** A line's text without a leading bullet marker (used when list items lost their formatting). */
export function withoutBulletMarker(line: string): string {
  const start = bulletStart(line);
  return start ? start.text : line;
}
