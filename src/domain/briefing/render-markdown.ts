import { append } from './append.ts';
import { BULLET_CHARACTERS } from './bullets.ts';
import { escapeMarkdownText } from './inline.ts';
import {
  AREAS_FOR_IMPROVEMENT_HEADING,
  GOOD_PRACTICE_HEADING,
  type Briefing,
  type BriefingSection,
  type FurtherInformationItem,
} from './model.ts';

/**
 * The briefing as Markdown: "# Title", "## 1 Background and Concerns" and "- " bullets. Text is
 * escaped so that `parseBriefing` reads it back to the same structure.
 */
export function renderBriefingMarkdown(briefing: Briefing): string {
  const blocks: string[] = [`# ${escapeHeading(briefing.title)}`];
  briefing.sections.forEach((section, index) => {
    blocks.push(`## ${index + 1} ${escapeHeading(section.heading)}`);
    append(blocks, section.paragraphs.map(escapeParagraph));
    append(blocks, sectionLists(section));
  });
  return `${blocks.filter((b) => b !== '').join('\n\n')}\n`;
}

function sectionLists(section: BriefingSection): string[] {
  switch (section.kind) {
    case 'practiceEpisodes':
      return [
        bulletList(section.items),
        ...(section.goodPractice.length > 0
          ? [`### ${GOOD_PRACTICE_HEADING}`, bulletList(section.goodPractice)]
          : []),
        ...(section.areasForImprovement.length > 0
          ? [`### ${AREAS_FOR_IMPROVEMENT_HEADING}`, bulletList(section.areasForImprovement)]
          : []),
      ];
    case 'furtherInformation':
      return [section.items.map((item) => `- ${furtherInformationMarkdown(item)}`).join('\n')];
    default:
      return [bulletList(section.items)];
  }
}

const bulletList = (items: readonly string[]): string =>
  items.map((item) => `- ${escapeLeadingMarker(escapeMarkdownText(item))}`).join('\n');

function furtherInformationMarkdown(item: FurtherInformationItem): string {
  const title = escapeLeadingMarker(escapeMarkdownText(item.title));
  if (!item.url) return title;
  // Spaces and brackets would end the link early; their percent-encoded forms are the same address.
  const url = item.url.replace(
    /[\s()<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${title}](${url})`;
}

function escapeHeading(text: string): string {
  return escapeMarkdownText(text).replace(/#/g, '\\#');
}

const LEADING_SYMBOL = new RegExp(`^[${BULLET_CHARACTERS.replace(/[-\]\\^]/g, '\\$&')}#=]`, 'u');

/** A leading character that would make a bullet, heading or rule is escaped. */
function escapeLeadingMarker(text: string): string {
  if (LEADING_SYMBOL.test(text)) return `\\${text}`;
  // "1. ", "1) ", "a) ", "iv. " would start a numbered or lettered point.
  return text
    .replace(/^(\d{1,2}|[a-zA-Z]|[ivx]{1,4})([.)])(?=\s)/, '$1\\$2')
    .replace(/^\((?=[\da-zA-Z]{1,2}\)\s)/, '\\(');
}

function escapeParagraph(text: string): string {
  return escapeLeadingMarker(escapeMarkdownText(text));
}
