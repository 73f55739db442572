import { furtherInformationItem } from './further-information.ts';
import { furtherInformationText, type BriefingSection } from './model.ts';

/**
 * A section as the edit page shows it: a heading, prose (paragraphs separated by a blank line)
 * and lists with one item per line. Which lists a section has depends on its kind.
 */
export interface SectionForm {
  heading: string;
  text: string;
  items: string;
  goodPractice: string;
  areasForImprovement: string;
}

export type SectionListField = 'items' | 'goodPractice' | 'areasForImprovement';

/** The list fields the edit page offers for a section, with their labels. */
export function sectionListFields(
  section: BriefingSection,
): { field: SectionListField; label: string; hint: string }[] {
  const onePerLine = 'One per line.';
  switch (section.kind) {
    case 'background':
    case 'purpose':
      return section.items.length > 0 ? [{ field: 'items', label: 'Points', hint: onePerLine }] : [];
    case 'practiceEpisodes':
      return [
        { field: 'goodPractice', label: 'Expected good practice', hint: onePerLine },
        { field: 'areasForImprovement', label: 'Areas for improvement', hint: onePerLine },
        ...(section.items.length > 0
          ? [{ field: 'items' as const, label: 'Episodes not marked either way', hint: onePerLine }]
          : []),
      ];
    case 'furtherInformation':
      return [
        {
          field: 'items',
          label: 'Links',
          hint: 'One per line: the title, then the web address in brackets, for example Threshold of Need (https://northshire-scp.example/threshold-of-need).',
        },
      ];
    default:
      return [{ field: 'items', label: 'Points', hint: onePerLine }];
  }
}

const lines = (items: readonly string[]) => items.join('\n');

export function sectionToForm(section: BriefingSection): SectionForm {
  return {
    heading: section.heading,
    text: section.paragraphs.join('\n\n'),
    items:
      section.kind === 'furtherInformation'
        ? lines(section.items.map(furtherInformationText))
        : lines(section.items),
    goodPractice: section.kind === 'practiceEpisodes' ? lines(section.goodPractice) : '',
    areasForImprovement: section.kind === 'practiceEpisodes' ? lines(section.areasForImprovement) : '',
  };
}

const splitLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

const splitParagraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');

/** The section with the form's values: same kind, new heading, prose and lists. */
export function sectionFromForm(section: BriefingSection, form: SectionForm): BriefingSection {
  const base = { heading: form.heading.trim(), paragraphs: splitParagraphs(form.text) };
  switch (section.kind) {
    case 'practiceEpisodes':
      return {
        ...section,
        ...base,
        goodPractice: splitLines(form.goodPractice),
        areasForImprovement: splitLines(form.areasForImprovement),
        items: splitLines(form.items),
      };
    case 'furtherInformation':
      return {
        ...section,
        ...base,
        items: splitLines(form.items).map((l) => furtherInformationItem(l, false)),
      };
    default:
      return { ...section, ...base, items: splitLines(form.items) };
  }
}
