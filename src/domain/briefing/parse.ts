import { append } from './append.ts';
import { withoutBulletMarker } from './bullets.ts';
import { cleanInline } from './inline.ts';
import { classifyLines, type HeadingStyle, type Line } from './lines.ts';
import { removeBoilerplate } from './boilerplate.ts';
import { documentDate, isDateLine, type DocumentDate } from './document-date.ts';
import { furtherInformationItem } from './further-information.ts';
import { titleFromFileName } from './title.ts';
import { headingKey } from './headings.ts';
import { SECTION_HEADINGS } from './heading-vocabulary.ts';
import { briefingWarnings } from './warnings.ts';
import {
  DEFAULT_HEADINGS,
  emptySection,
  INTRODUCTION_HEADING,
  type Briefing,
  type BriefingSection,
  type SectionKind,
  type StandardSectionKind,
} from './model.ts';

export interface ParseOptions {
  /** The file the text came from: gives the title when the text has none, and says whether it is Markdown. */
  fileName?: string;
  /** Read inline Markdown (escapes, emphasis, links). Defaults from the file name, else from the text. */
  markdown?: boolean;
}

export interface ParsedBriefing {
  briefing: Briefing;
  warnings: string[];
  /** What was recognised and how: the import's preview shows it. */
  report: ImportReport;
}

/** How one section of the briefing was found. */
export interface SectionRecognition {
  heading: string;
  kind: SectionKind;
  /**
   * standard: the section's usual heading; synonym: another name for it in the vocabulary; part:
   * good practice or areas for improvement inside the key practice episodes; own: a heading that
   * is none of the seven, kept as a section of its own; introduction: text before any heading.
   */
  how: 'standard' | 'synonym' | 'part' | 'own' | 'introduction';
  /** The vocabulary entry it matched. */
  synonym?: string;
  /** How the heading showed itself (numbered, in capitals, a question…). */
  style?: HeadingStyle;
}

export interface ImportReport {
  title: { text: string; from: 'document' | 'file name' | 'none' };
  sections: SectionRecognition[];
  /** Lines of a web page's boilerplate taken out (skip links, menus, cookie notices, footers). */
  removed: string[];
  /** The partnership the document names at its head ("Eastmoor Safeguarding Children Partnership"). */
  partnership: string | null;
  documentDate: DocumentDate | null;
  /** Points or paragraphs made from lines written one under another without bullets. */
  splitLines: number;
}

type Area = 'main' | 'goodPractice' | 'areasForImprovement';
type Entry = Exclude<Line, { type: 'heading' }>;

interface Draft {
  kind: SectionKind;
  heading: string;
  area: Area;
  entries: Record<Area, Entry[]>;
}

// Lists whose items a document may give one per line, without bullet marks (pasted from Word).
const LIST_KINDS: ReadonlySet<SectionKind> = new Set<StandardSectionKind>([
  'linesOfEnquiry',
  'learning',
  'progressImpact',
  'furtherInformation',
]);

function isMarkdown(text: string, options: ParseOptions): boolean {
  if (options.markdown !== undefined) return options.markdown;
  const ext = /\.([a-z0-9]+)$/i.exec(options.fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'docx') return true;
  if (ext === 'txt') return false;
  return /^ {0,3}#{1,6} \S/m.test(text);
}

/**
 * Text or Markdown → briefing. Sections are found by their headings in any order, numbering and
 * case; unknown sections are kept as custom sections and text before the first heading as an
 * "Introduction"; missing sections stay empty and are named in the warnings. Never throws.
 */
export function parseBriefing(text: string, options: ParseOptions = {}): ParsedBriefing {
  const markdown = isMarkdown(text, options);
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n|\u2028|\u2029|\f/);
  const cleaned = removeBoilerplate(rawLines);
  // A line that only dates the document ("Published: March 2023") is its metadata, not its text.
  const dateLines = cleaned.lines.filter((l) => isDateLine(cleanInline(l, markdown)));
  const partnership = partnershipLine(cleaned.lines, markdown);
  const kept = cleaned.lines.filter((l, i) => !dateLines.includes(l) && i !== partnership?.index);
  const lines = classifyLines(kept.join('\n'), markdown);
  const { title, titleLine } = findTitle(lines, options.fileName, markdown);

  const drafts: Draft[] = [];
  const recognised: SectionRecognition[] = [];
  let current: Draft | undefined;
  let introduced = false;
  const open = (kind: SectionKind, heading: string, area: Area = 'main'): Draft => {
    current = { kind, heading, area, entries: { main: [], goodPractice: [], areasForImprovement: [] } };
    drafts.push(current);
    return current;
  };

  lines.forEach((line, index) => {
    if (index === titleLine) return;
    if (line.type !== 'heading') {
      if (!current && (line.type === 'blank' || line.type === 'rule')) return;
      if (!current) {
        introduced = true;
        recognised.push({ heading: INTRODUCTION_HEADING, kind: 'custom', how: 'introduction' });
      }
      const draft = current ?? open('custom', INTRODUCTION_HEADING);
      draft.entries[draft.area].push(line);
      return;
    }
    const meaning = line.meaning;
    const found = (kind: SectionKind, how: SectionRecognition['how']) =>
      recognised.push({
        heading: line.text,
        kind,
        how,
        style: line.style,
        ...(line.synonym ? { synonym: line.synonym } : {}),
      });
    if (meaning && 'part' in meaning) {
      // "Expected good practice" inside the key practice episodes switches list (Devon's briefings give
      // "Good Practice" and "What else did we find?" as headings of their own); numbered, it is a section.
      if (current?.kind === 'practiceEpisodes' && !line.numbered) {
        current.area = meaning.part;
        found('practiceEpisodes', 'part');
      } else {
        open('practiceEpisodes', line.text, meaning.part);
        found('practiceEpisodes', 'synonym');
      }
      return;
    }
    const kind = meaning ? meaning.kind : 'custom';
    open(kind, line.text);
    found(kind, !meaning ? 'own' : isStandardName(meaning.kind, line.synonym) ? 'standard' : 'synonym');
  });

  let splitLines = 0;
  const sections = drafts.map((draft) => {
    const out = toSection(draft, markdown);
    splitLines += out.split;
    return out.section;
  });
  const briefing: Briefing = { title, sections };
  const allText = kept.map((l) => cleanInline(l, markdown));
  return {
    briefing,
    warnings: briefingWarnings(briefing, { introduced }),
    report: {
      title: { text: title, from: titleLine >= 0 ? 'document' : title ? 'file name' : 'none' },
      sections: recognised,
      removed: [...cleaned.removed, ...dateLines.map((l) => cleanInline(l, markdown))],
      partnership: partnership?.name ?? null,
      documentDate: documentDate(
        [...dateLines.map((l) => cleanInline(l, markdown)), ...allText],
        titleLine >= 0 ? title : '',
      ),
      splitLines,
    },
  };
}

/** The section's own name: the seed's heading, or the first the vocabulary lists ("Background"). */
function isStandardName(kind: StandardSectionKind, synonym: string | undefined): boolean {
  return synonym === headingKey(DEFAULT_HEADINGS[kind]) || synonym === SECTION_HEADINGS[kind][0];
}

const PARTNERSHIP_NAME =
  /^(?:the )?[\p{L}][\p{L}'’&., -]{1,60}?\s(?:(?:local )?safeguarding (?:children(?:'s)? )?(?:partnership|board)|children(?:'s)? safeguarding (?:partnership|board)|safeguarding partnership)$/iu;

/** A line at the head of the document that only names a partnership (its letterhead). */
function partnershipLine(
  lines: readonly string[],
  markdown: boolean,
): { index: number; name: string } | null {
  let seen = 0;
  for (let i = 0; i < lines.length && seen < 4; i++) {
    const text = cleanInline(lines[i]!.replace(/^\s*#+\s*/, ''), markdown).trim();
    if (text === '') continue;
    seen++;
    if (text.length <= 90 && PARTNERSHIP_NAME.test(text)) return { index: i, name: text };
  }
  return null;
}

/** A leading `# Title`, bold line or short line that is not a section heading; else the file name. */
function findTitle(
  lines: Line[],
  fileName: string | undefined,
  markdown: boolean,
): { title: string; titleLine: number } {
  const first = lines.findIndex((l) => l.type !== 'blank' && l.type !== 'rule');
  const line = lines[first];
  let after = first + 1;
  while (lines[after]?.type === 'rule') after++;
  const next = lines[after];
  if (
    line?.type === 'heading' &&
    !line.meaning &&
    !line.numbered &&
    (line.level === undefined || line.level === 1)
  ) {
    return { title: line.text, titleLine: first };
  }
  if (
    line?.type === 'text' &&
    line.raw.length <= 300 &&
    (next === undefined || next.type === 'blank' || next.type === 'heading')
  ) {
    const text = cleanInline(line.raw, markdown);
    if (text.length <= 150 && !/[.,;:]$/.test(text)) return { title: text, titleLine: first };
  }
  return { title: fileName ? titleFromFileName(fileName) : '', titleLine: -1 };
}

interface AreaContent {
  paragraphs: string[];
  /** Raw (still Markdown) item texts, wrapped lines joined. */
  items: string[];
  /** Pieces made from lines written one under another (counted beyond the first of each block). */
  split: number;
}

/** How prose written one line under another is read: a list, separate paragraphs, or prose. */
type Layout = 'list' | 'paragraphs' | 'points';

/**
 * Bullets and prose of one list or section. An unmarked line straight after a bullet (or indented
 * after a blank line) continues that bullet; other lines are prose, blank lines ending paragraphs.
 * A list written without any bullet marks (Word lists pasted as text) gives one item per line.
 */
function readArea(entries: Entry[], markdown: boolean, layout: Layout): AreaContent {
  type Block = { kind: 'item'; raw: string } | { kind: 'prose'; lines: string[] };
  const blocks: Block[] = [];
  let afterBlank = false;
  for (const entry of entries) {
    if (entry.type === 'blank' || entry.type === 'rule') {
      afterBlank = true;
      continue;
    }
    const last = blocks.at(-1);
    if (entry.type === 'bullet') blocks.push({ kind: 'item', raw: entry.raw });
    else if (last?.kind === 'item' && (!afterBlank || entry.indent >= 2)) last.raw += ` ${entry.raw.trim()}`;
    else if (last?.kind === 'prose' && !afterBlank) last.lines.push(entry.raw);
    else blocks.push({ kind: 'prose', lines: [entry.raw] });
    afterBlank = false;
  }

  const content: AreaContent = { paragraphs: [], items: [], split: 0 };
  const hasBullets = blocks.some((b) => b.kind === 'item');
  for (const block of blocks) {
    if (block.kind === 'item') {
      content.items.push(block.raw);
    } else if (layout === 'list' && !hasBullets) {
      const before = content.items.length;
      readUnmarkedList(block.lines, markdown, content);
      content.split += Math.max(0, content.items.length - before - 1);
    } else if (layout === 'points' && !hasBullets && block.lines.length > 1) {
      // A section of its own written one point a line ("Reflective questions"): its own points.
      const before = content.items.length;
      readUnmarkedList(block.lines, markdown, content);
      content.split += Math.max(0, content.items.length - before - 1);
    } else if (block.lines.length > 1 && oneSentenceALine(block.lines)) {
      // Sentences written one a line are paragraphs, not one run-on paragraph.
      for (const line of block.lines) {
        const paragraph = cleanInline(line, markdown);
        if (paragraph !== '') content.paragraphs.push(paragraph);
      }
      content.split += block.lines.length - 1;
    } else {
      const paragraph = cleanInline(block.lines.join(' '), markdown);
      if (paragraph !== '') content.paragraphs.push(paragraph);
    }
  }
  return content;
}

/** Every line but the last ends a sentence and the next starts one: a line per sentence, not wrapped prose. */
function oneSentenceALine(lines: string[]): boolean {
  return lines.every((line, i) => {
    const next = lines[i + 1];
    return next === undefined || (/[.?!]["”’)]?\s*$/.test(line) && /^\s*["“‘(]?[\p{Lu}\d]/u.test(next));
  });
}

/** One item per line; a line ending in ":" introduces the list; a lower-case line continues the one before. */
function readUnmarkedList(lines: string[], markdown: boolean, content: AreaContent): void {
  let pending: string | undefined;
  const flush = () => {
    if (pending !== undefined) content.items.push(pending);
    pending = undefined;
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (/:$/.test(line)) {
      flush();
      const intro = cleanInline(line, markdown);
      if (intro !== '') content.paragraphs.push(intro);
    } else if (pending !== undefined && /^\p{Ll}/u.test(line)) {
      pending += ` ${line}`;
    } else {
      flush();
      // An escaped or typed marker ("\\- item", "• item") that did not make a bullet is still one.
      pending = withoutBulletMarker(line.replace(/^\\(?=[-*+•])/, ''));
    }
  }
  flush();
}

function toSection(draft: Draft, markdown: boolean): { section: BriefingSection; split: number } {
  const section = emptySection(draft.kind, draft.heading);
  const layout: Layout = LIST_KINDS.has(draft.kind)
    ? 'list'
    : draft.kind === 'custom' && draft.heading !== INTRODUCTION_HEADING
      ? 'points'
      : 'paragraphs';
  const main = readArea(draft.entries.main, markdown, layout);
  let split = main.split;
  const clean = (raws: string[]): string[] =>
    raws.map((raw) => cleanInline(raw, markdown)).filter((item) => item !== '');
  append(section.paragraphs, main.paragraphs);
  switch (section.kind) {
    case 'practiceEpisodes': {
      append(section.items, clean(main.items));
      const good = readArea(draft.entries.goodPractice, markdown, 'list');
      const improve = readArea(draft.entries.areasForImprovement, markdown, 'list');
      split += good.split + improve.split;
      append(section.goodPractice, clean(good.items));
      append(section.areasForImprovement, clean(improve.items));
      append(section.paragraphs, good.paragraphs);
      append(section.paragraphs, improve.paragraphs);
      break;
    }
    case 'furtherInformation':
      for (const raw of main.items) {
        const item = furtherInformationItem(raw, markdown);
        if (item.title !== '') section.items.push(item);
      }
      break;
    default:
      append(section.items, clean(main.items));
  }
  return { section, split };
}
