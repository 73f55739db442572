import { furtherInformationText, type Briefing } from '../briefing/model.ts';
import type { CheckedText } from './types.ts';

/**
 * Every text of a briefing, each with where it lives, for the identifying-details check. Keys:
 * "title"; then per section, its kind (a second section of the same kind is "learning-2", custom
 * sections "custom-1", "custom-2", …) followed by ".heading", ".paragraphs", ".items",
 * ".goodPractice" or ".areasForImprovement", with the index of the paragraph or item.
 */
export function briefingTexts(briefing: Briefing): CheckedText[] {
  const texts: CheckedText[] = [{ sectionKey: 'title', text: briefing.title }];
  const seen = new Map<string, number>();
  for (const section of briefing.sections) {
    const n = (seen.get(section.kind) ?? 0) + 1;
    seen.set(section.kind, n);
    const key = section.kind === 'custom' || n > 1 ? `${section.kind}-${n}` : section.kind;
    const list = (name: string, items: readonly string[]) =>
      items.forEach((text, itemIndex) => texts.push({ sectionKey: `${key}.${name}`, itemIndex, text }));
    texts.push({ sectionKey: `${key}.heading`, text: section.heading });
    list('paragraphs', section.paragraphs);
    if (section.kind === 'practiceEpisodes') {
      list('items', section.items);
      list('goodPractice', section.goodPractice);
      list('areasForImprovement', section.areasForImprovement);
    } else if (section.kind === 'furtherInformation') {
      list('items', section.items.map(furtherInformationText));
    } else {
      list('items', section.items);
    }
  }
  return texts;
}
