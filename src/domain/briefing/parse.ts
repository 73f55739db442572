import { append } from './append.ts';
import { withoutBulletMarker } from './bullets.ts';
import { cleanInline } from './inline.ts';
import { classifyLines, type Line } from './lines.ts';
import { furtherInformationItem } from './further-information.ts';
import { titleFromFileName } from './title.ts';
import { briefingWarnings } from './warnings.ts';
import {
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
  const lines = classifyLines(text, markdown);
  const { title, titleLine } = findTitle(lines, options.fileName, markdown);

  const drafts: Draft[] = [];
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
      if (!current) introduced = true;
      const draft = current ?? open('custom', INTRODUCTION_HEADING);
      draft.entries[draft.area].push(line);
      return;
    }
    const meaning = line.meaning;
    if (meaning && 'part' in meaning) {
      // "Expected good practice" inside the key practice episodes switches list (Devon's briefings give
      // "Good Practice" and "What else did we find?" as headings of their own); numbered, it is a section.
      if (current?.kind === 'practiceEpisodes' && !line.numbered) current.area = meaning.part;
      else open('practiceEpisodes', line.text, meaning.part);
      return;
    }
    open(meaning ? meaning.kind : 'custom', line.text);
  });

  const briefing: Briefing = { title, sections: drafts.map((draft) => toSection(draft, markdown)) };
  return { briefing, warnings: briefingWarnings(briefing, { introduced }) };
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
}

/**
 * Bullets and prose of one list or section. An unmarked line straight after a bullet (or indented
 * after a blank line) continues that bullet; other lines are prose, blank lines ending paragraphs.
 * A list written without any bullet marks (Word lists pasted as text) gives one item per line.
 */
function readArea(entries: Entry[], markdown: boolean, listLike: boolean): AreaContent {
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

  const content: AreaContent = { paragraphs: [], items: [] };
  const hasBullets = blocks.some((b) => b.kind === 'item');
  for (const block of blocks) {
    if (block.kind === 'item') {
      content.items.push(block.raw);
    } else if (listLike && !hasBullets) {
      readUnmarkedList(block.lines, markdown, content);
    } else {
      const paragraph = cleanInline(block.lines.join(' '), markdown);
      if (paragraph !== '') content.paragraphs.push(paragraph);
    }
  }
  return content;
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

function toSection(draft: Draft, markdown: boolean): BriefingSection {
  const section = emptySection(draft.kind, draft.heading);
  const main = readArea(draft.entries.main, markdown, LIST_KINDS.has(draft.kind));
  const clean = (raws: string[]): string[] =>
    raws.map((raw) => cleanInline(raw, markdown)).filter((item) => item !== '');
  append(section.paragraphs, main.paragraphs);
  switch (section.kind) {
    case 'practiceEpisodes': {
      append(section.items, clean(main.items));
      const good = readArea(draft.entries.goodPractice, markdown, true);
      const improve = readArea(draft.entries.areasForImprovement, markdown, true);
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
  return section;
}
