import { DEFAULT_HEADINGS, emptySection, type Briefing, type FurtherInformationItem } from './model.ts';

/** What a review has recorded that the briefing is built from; nothing identifiable. */
export interface BriefingSource {
  /** The review's pseudonym, e.g. "Child 2". */
  title: string;
  background: string | null;
  purpose: string | null;
  linesOfEnquiry: string[];
  episodes: { title: string; kind: 'good_practice' | 'area_for_improvement' | string }[];
  learning: string[];
  progressImpact: string[];
  resources: FurtherInformationItem[];
}

const paragraphsOf = (text: string | null): string[] =>
  (text ?? '')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');

/**
 * The first draft of a review's 7-minute briefing: the seven standard sections, in the seed's
 * order and wording, filled from what the review recorded. A section with nothing recorded stays
 * empty (the page says so): nothing is invented.
 */
export function generateBriefing(source: BriefingSource): Briefing {
  const background = emptySection('background');
  background.paragraphs = paragraphsOf(source.background);
  const purpose = emptySection('purpose');
  purpose.paragraphs = paragraphsOf(source.purpose);
  const kloes = emptySection('linesOfEnquiry');
  if (kloes.kind === 'linesOfEnquiry') kloes.items = [...source.linesOfEnquiry];
  const episodes = {
    kind: 'practiceEpisodes' as const,
    heading: DEFAULT_HEADINGS.practiceEpisodes,
    paragraphs: [],
    goodPractice: source.episodes.filter((e) => e.kind === 'good_practice').map((e) => e.title),
    areasForImprovement: source.episodes.filter((e) => e.kind === 'area_for_improvement').map((e) => e.title),
    items: source.episodes
      .filter((e) => e.kind !== 'good_practice' && e.kind !== 'area_for_improvement')
      .map((e) => e.title),
  };
  const learning = {
    kind: 'learning' as const,
    heading: DEFAULT_HEADINGS.learning,
    paragraphs: [],
    items: [...source.learning],
  };
  const progress = {
    kind: 'progressImpact' as const,
    heading: DEFAULT_HEADINGS.progressImpact,
    paragraphs: [],
    items: [...source.progressImpact],
  };
  const further = {
    kind: 'furtherInformation' as const,
    heading: DEFAULT_HEADINGS.furtherInformation,
    paragraphs: [],
    items: source.resources.map((r) => ({ ...r })),
  };
  return {
    title: source.title,
    sections: [background, purpose, kloes, episodes, learning, progress, further],
  };
}
