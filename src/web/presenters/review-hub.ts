import { describeDeadline, formatDate } from '../../domain/calendar/format.ts';
import type { Deadline } from '../../domain/lifecycle/deadlines.ts';
import {
  REVIEW_TYPE_LABELS,
  STAGE_LABELS,
  type ReviewType,
  type Stage,
} from '../../domain/lifecycle/stages.ts';
import { paths } from '../paths.ts';

export type HubTab =
  | 'overview'
  | 'referral'
  | 'screening'
  | 'terms-of-reference'
  | 'actions'
  | 'agencies'
  | 'requests'
  | 'chronology'
  | 'signals'
  | 'event'
  | 'episodes'
  | 'learning'
  | 'briefing'
  | 'history';

interface HubReview {
  reference: string;
  pseudonym: string;
  type: string;
  stage: string;
  status: string;
}

const STATUS_TAGS: Record<string, { text: string; classes: string } | undefined> = {
  paused: { text: 'Paused', classes: 'govuk-tag--yellow' },
  stopped: { text: 'Stopped', classes: 'govuk-tag--red' },
};

/** The tag colour of a stage: grey before the review starts, blue while it runs, green when closed. */
export function stageTag(stage: string): { text: string; classes: string } {
  const text = STAGE_LABELS[stage as Stage] ?? stage;
  if (stage === 'closed') return { text, classes: 'govuk-tag--green' };
  if (stage === 'referral' || stage === 'screening') return { text, classes: 'govuk-tag--grey' };
  return { text, classes: 'govuk-tag--blue' };
}

/** "Screening decision due 16 March 2026 — due in 4 working days". */
export function deadlineText(deadline: Deadline | null | undefined, today: string): string | null {
  if (!deadline) return null;
  return `${deadline.what} due ${formatDate(deadline.due)} — ${describeDeadline(today, deadline.due)}`;
}

/** The identity bar and sub-navigation every review page shares (only tabs that work). */
export function reviewHub(
  review: HubReview,
  active: HubTab,
  options: { deadline?: Deadline | null; today: string },
) {
  const ref = review.reference;
  const tabs: { key: HubTab; text: string; href: string }[] = [
    { key: 'overview', text: 'Overview', href: paths.reviews.overview({ ref }) },
    { key: 'referral', text: 'Referral', href: paths.reviews.referral({ ref }) },
    { key: 'screening', text: 'Screening', href: paths.reviews.screening({ ref }) },
    { key: 'terms-of-reference', text: 'Terms of reference', href: paths.reviews.termsOfReference({ ref }) },
    { key: 'agencies', text: 'Agencies and people', href: paths.reviews.agencies({ ref }) },
    { key: 'requests', text: 'Agency requests', href: paths.reviews.requests({ ref }) },
    { key: 'chronology', text: 'Chronology', href: paths.reviews.chronology({ ref }) },
    { key: 'signals', text: 'Signals', href: paths.reviews.signals({ ref }) },
    { key: 'event', text: 'Event', href: paths.reviews.event({ ref }) },
    { key: 'episodes', text: 'Episodes', href: paths.reviews.episodes({ ref }) },
    { key: 'learning', text: 'Learning', href: paths.reviews.learning({ ref }) },
    { key: 'actions', text: 'Actions', href: paths.reviews.actions({ ref }) },
    { key: 'briefing', text: 'Briefing', href: paths.reviews.briefing({ ref }) },
    { key: 'history', text: 'History', href: paths.reviews.history({ ref }) },
  ];
  return {
    reference: ref,
    pseudonym: review.pseudonym,
    typeLabel: REVIEW_TYPE_LABELS[review.type as ReviewType] ?? review.type,
    stageTag: stageTag(review.stage),
    statusTag: STATUS_TAGS[review.status] ?? null,
    deadline: deadlineText(options.deadline, options.today),
    subNavigation: tabs.map((t) => ({ text: t.text, href: t.href, active: t.key === active })),
  };
}
