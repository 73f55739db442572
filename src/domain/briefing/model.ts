/**
 * The 7-minute briefing as an ordered list of typed sections. Partnerships rename, reorder and
 * add sections (domain.md §2.2), so the kind says what a section is for and the heading says what
 * the document calls it; numbering is never stored, renderers add it.
 */

import { append } from './append.ts';

export const STANDARD_SECTION_KINDS = [
  'background',
  'purpose',
  'linesOfEnquiry',
  'practiceEpisodes',
  'learning',
  'progressImpact',
  'furtherInformation',
] as const;

export type StandardSectionKind = (typeof STANDARD_SECTION_KINDS)[number];
export type SectionKind = StandardSectionKind | 'custom';

/** The seed briefing's own headings, used for new briefings and in warnings. */
export const DEFAULT_HEADINGS: Readonly<Record<StandardSectionKind, string>> = {
  background: 'Background and Concerns',
  purpose: 'Purpose of the Review',
  linesOfEnquiry: 'Key Lines of Enquiry',
  practiceEpisodes: 'Key Practice Episodes',
  learning: 'Learning',
  progressImpact: 'Progress/Impact',
  furtherInformation: 'Further information',
};

/** Where text found before a briefing's first heading is kept. */
export const INTRODUCTION_HEADING = 'Introduction';

/** Sub-headings of the key practice episodes: fixed wording, as in the seed. */
export const GOOD_PRACTICE_HEADING = 'Expected good practice';
export const AREAS_FOR_IMPROVEMENT_HEADING = 'Areas for improvement';

interface SectionBase {
  heading: string;
  /** Prose, in order; lists come after it when rendered. */
  paragraphs: string[];
}

export interface TextSection extends SectionBase {
  kind: 'background' | 'purpose' | 'linesOfEnquiry' | 'learning' | 'progressImpact' | 'custom';
  items: string[];
}

export interface PracticeEpisodesSection extends SectionBase {
  kind: 'practiceEpisodes';
  goodPractice: string[];
  areasForImprovement: string[];
  /** Episodes the document did not mark either way: kept rather than guessed. */
  items: string[];
}

export interface FurtherInformationItem {
  title: string;
  url?: string;
}

export interface FurtherInformationSection extends SectionBase {
  kind: 'furtherInformation';
  items: FurtherInformationItem[];
}

export type BriefingSection = TextSection | PracticeEpisodesSection | FurtherInformationSection;

export interface Briefing {
  title: string;
  sections: BriefingSection[];
}

export function emptySection(kind: SectionKind, heading?: string): BriefingSection {
  const name = heading ?? (kind === 'custom' ? 'Other information' : DEFAULT_HEADINGS[kind]);
  if (kind === 'practiceEpisodes') {
    return { kind, heading: name, paragraphs: [], goodPractice: [], areasForImprovement: [], items: [] };
  }
  if (kind === 'furtherInformation') return { kind, heading: name, paragraphs: [], items: [] };
  return { kind, heading: name, paragraphs: [], items: [] };
}

/** A new briefing with the seven standard sections, empty, in the standard order. */
export function newBriefing(title: string): Briefing {
  return { title, sections: STANDARD_SECTION_KINDS.map((kind) => emptySection(kind)) };
}

/** Whether a section holds anything at all. */
export function isSectionEmpty(section: BriefingSection): boolean {
  const lists =
    section.kind === 'practiceEpisodes'
      ? section.goodPractice.length + section.areasForImprovement.length + section.items.length
      : section.items.length;
  return lists === 0 && section.paragraphs.length === 0;
}

/** Further-information item as one line of text: "title (url)" when it has a separate address. */
export function furtherInformationText(item: FurtherInformationItem): string {
  return item.url && item.url !== item.title ? `${item.title} (${item.url})` : item.title;
}

/** The structure printed by `briefing import --json` (interfaces.md); the optional keys are extensions. */
export interface BriefingJson {
  title: string;
  sections: {
    background: string;
    purpose: string;
    linesOfEnquiry: string[];
    practiceEpisodes: { goodPractice: string[]; areasForImprovement: string[] };
    learning: string[];
    progressImpact: string[];
    furtherInformation: string[];
  };
  /** Sections the document had that are none of the seven. */
  customSections?: { heading: string; text: string; items: string[] }[];
  /** Prose that introduces a list section ("The review asked:"), which the lists above cannot hold. */
  introductions?: Partial<Record<StandardSectionKind, string>>;
  /** Key practice episodes the document did not mark as good practice or area for improvement. */
  unmarkedPracticeEpisodes?: string[];
  warnings: string[];
}

const joinText = (blocks: string[]): string => blocks.filter((b) => b !== '').join('\n\n');

/** Prose and bullets as one text: bullets keep their "- " so nothing is silently merged. */
function proseOf(section: TextSection): string {
  const list = section.items.map((item) => `- ${item}`).join('\n');
  return joinText([...section.paragraphs, list]);
}

/**
 * The interfaces.md JSON. Sections of the same kind (a document may repeat a heading) are merged
 * in document order; nothing the model holds is left out.
 */
export function toBriefingJson(briefing: Briefing, warnings: readonly string[]): BriefingJson {
  const out: BriefingJson = {
    title: briefing.title,
    sections: {
      background: '',
      purpose: '',
      linesOfEnquiry: [],
      practiceEpisodes: { goodPractice: [], areasForImprovement: [] },
      learning: [],
      progressImpact: [],
      furtherInformation: [],
    },
    warnings: [...warnings],
  };
  const s = out.sections;
  const customSections: NonNullable<BriefingJson['customSections']> = [];
  const introductions: Partial<Record<StandardSectionKind, string>> = {};
  const unmarked: string[] = [];
  const introduce = (kind: StandardSectionKind, paragraphs: string[]) => {
    const text = joinText([introductions[kind] ?? '', ...paragraphs]);
    if (text !== '') introductions[kind] = text;
  };

  for (const section of briefing.sections) {
    switch (section.kind) {
      case 'background':
      case 'purpose':
        s[section.kind] = joinText([s[section.kind], proseOf(section)]);
        break;
      case 'linesOfEnquiry':
      case 'learning':
      case 'progressImpact':
        append(s[section.kind], section.items);
        introduce(section.kind, section.paragraphs);
        break;
      case 'practiceEpisodes':
        append(s.practiceEpisodes.goodPractice, section.goodPractice);
        append(s.practiceEpisodes.areasForImprovement, section.areasForImprovement);
        append(unmarked, section.items);
        introduce('practiceEpisodes', section.paragraphs);
        break;
      case 'furtherInformation':
        append(s.furtherInformation, section.items.map(furtherInformationText));
        introduce('furtherInformation', section.paragraphs);
        break;
      case 'custom':
        customSections.push({
          heading: section.heading,
          text: joinText(section.paragraphs),
          items: [...section.items],
        });
        break;
    }
  }
  // Extensions appear only when they carry something, so the seed's JSON is exactly the documented shape.
  return {
    title: out.title,
    sections: out.sections,
    ...(customSections.length > 0 ? { customSections } : {}),
    ...(Object.keys(introductions).length > 0 ? { introductions } : {}),
    ...(unmarked.length > 0 ? { unmarkedPracticeEpisodes: unmarked } : {}),
    warnings: out.warnings,
  };
}
