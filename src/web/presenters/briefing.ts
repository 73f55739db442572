import type { FindingView } from '../../services/briefing-service.ts';
import {
  AREAS_FOR_IMPROVEMENT_HEADING,
  GOOD_PRACTICE_HEADING,
  type Briefing,
  type BriefingSection,
} from '../../domain/briefing/model.ts';
import { BRIEFING_STATE_LABELS, type BriefingState } from '../../domain/briefing/states.ts';
import { findingSectionIndex } from '../../domain/briefing/finding-location.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import { londonDate } from '../../domain/calendar/iso-date.ts';

export interface ListItemView {
  text: string;
  href: string | null;
}
export interface SectionView {
  number: number;
  heading: string;
  paragraphs: string[];
  lists: { heading: string | null; items: ListItemView[] }[];
  empty: boolean;
  /** A section someone added (not one of the standard seven): it may be removed. */
  custom: boolean;
}

/** Only web addresses become links; anything else stays text. */
export function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(/^www\./i.test(url) ? `https://${url}` : url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function lists(section: BriefingSection): SectionView['lists'] {
  const plain = (items: string[]) => items.map((text) => ({ text, href: null }));
  switch (section.kind) {
    case 'practiceEpisodes':
      return [
        { heading: null, items: plain(section.items) },
        { heading: GOOD_PRACTICE_HEADING, items: plain(section.goodPractice) },
        { heading: AREAS_FOR_IMPROVEMENT_HEADING, items: plain(section.areasForImprovement) },
      ].filter((l) => l.items.length > 0);
    case 'furtherInformation':
      return [{ heading: null, items: section.items.map((i) => ({ text: i.title, href: safeHref(i.url) })) }];
    default:
      return section.items.length ? [{ heading: null, items: plain(section.items) }] : [];
  }
}

/** The briefing as the page shows it: numbered sections with prose and lists, every text escaped by the template. */
export function briefingContentView(content: Briefing): { title: string; sections: SectionView[] } {
  return {
    title: content.title,
    sections: content.sections.map((section, i) => {
      const l = lists(section).filter((x) => x.items.length > 0);
      return {
        number: i + 1,
        heading: section.heading,
        paragraphs: section.paragraphs,
        lists: l,
        empty: section.paragraphs.length === 0 && l.length === 0,
        custom: section.kind === 'custom',
      };
    }),
  };
}

export function stateTag(state: string): { text: string; classes: string } {
  const text = BRIEFING_STATE_LABELS[state as BriefingState] ?? state;
  const classes =
    state === 'published'
      ? 'govuk-tag--green'
      : state === 'approved'
        ? 'govuk-tag--turquoise'
        : state === 'in_review'
          ? 'govuk-tag--yellow'
          : 'govuk-tag--grey';
  return { text, classes };
}

export const whenText = (at: Date | null | undefined) => (at ? formatDate(londonDate(at)) : null);

/** The findings panel: open findings first, each with where it is and a link to its section. */
export function findingsPanel(
  findings: FindingView[],
  sectionHref: (index: number) => string,
  content: Briefing,
) {
  const items = findings.map((f) => {
    const index = findingSectionIndex(content, f.sectionKey);
    return { ...f, href: index === null ? null : sectionHref(index) };
  });
  return {
    open: items.filter((f) => !f.accepted),
    accepted: items.filter((f) => f.accepted),
  };
}
