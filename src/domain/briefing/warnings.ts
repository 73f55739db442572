import {
  DEFAULT_HEADINGS,
  INTRODUCTION_HEADING,
  STANDARD_SECTION_KINDS,
  isSectionEmpty,
  type Briefing,
} from './model.ts';

/**
 * What a reader should check after an import: sections the document lacks (left empty, never
 * invented), empty or repeated sections, and anything kept that is not one of the seven.
 */
export function briefingWarnings(briefing: Briefing, found: { introduced: boolean }): string[] {
  const warnings: string[] = [];
  if (briefing.title === '') warnings.push('The briefing has no title.');
  if (found.introduced) {
    warnings.push(`Text before the first heading is kept in an "${INTRODUCTION_HEADING}" section.`);
  }
  for (const kind of STANDARD_SECTION_KINDS) {
    const sections = briefing.sections.filter((s) => s.kind === kind);
    const name = DEFAULT_HEADINGS[kind];
    if (sections.length === 0) {
      warnings.push(`No "${name}" section was found; it is left empty.`);
      continue;
    }
    if (sections.length > 1) {
      warnings.push(`"${name}" appears ${sections.length} times; the sections are kept in order.`);
    }
    for (const section of sections) {
      if (isSectionEmpty(section)) warnings.push(`The "${section.heading}" section is empty.`);
    }
  }
  const episodes = briefing.sections.flatMap((s) =>
    s.kind === 'practiceEpisodes' && !isSectionEmpty(s) ? [s] : [],
  );
  if (episodes.length > 0) {
    if (episodes.every((s) => s.goodPractice.length === 0)) {
      warnings.push('No expected good practice is listed in the key practice episodes.');
    }
    if (episodes.every((s) => s.areasForImprovement.length === 0)) {
      warnings.push('No areas for improvement are listed in the key practice episodes.');
    }
    const unmarked = episodes.reduce((n, s) => n + s.items.length, 0);
    if (unmarked > 0) {
      warnings.push(
        `${unmarked} key practice ${unmarked === 1 ? 'episode is' : 'episodes are'} not marked as good practice or an area for improvement.`,
      );
    }
  }
  for (const section of briefing.sections) {
    if (section.kind === 'custom' && !(found.introduced && section === briefing.sections[0])) {
      warnings.push(`"${section.heading}" is not one of the seven briefing sections; it is kept as it is.`);
    }
  }
  return warnings;
}
