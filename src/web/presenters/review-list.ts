import { daysBetween, fromUtcDate } from '../../domain/calendar/iso-date.ts';
import {
  REVIEW_TYPE_LABELS,
  REVIEW_TYPES,
  STAGE_LABELS,
  STAGES,
  type ReviewType,
} from '../../domain/lifecycle/stages.ts';
import type { Deadline } from '../../domain/lifecycle/deadlines.ts';
import { paths } from '../paths.ts';
import { deadlineText, stageTag } from './review-hub.ts';

interface ListedReview {
  reference: string;
  pseudonym: string;
  type: string;
  stage: string;
  status: string;
  stageEnteredAt: Date;
  nextDeadline: Deadline | null;
}

/** The reviews table and its filters, as govuk macro parameters. */
export function reviewList(
  items: ListedReview[],
  query: {
    stage?: string | undefined;
    type?: string | undefined;
    agency?: string | undefined;
    overdue?: string | undefined;
    mine?: string | undefined;
    sort?: string | undefined;
  },
  today: string,
  agencies: { code: string; name: string }[] = [],
) {
  const rows = items.map((r) => {
    const tag = stageTag(r.stage);
    const status = r.status === 'active' ? '' : ` (${r.status})`;
    const days = daysBetween(fromUtcDate(r.stageEnteredAt), today);
    return [
      {
        html: `<a class="govuk-link" href="${paths.reviews.overview({ ref: r.reference })}">${escape(r.reference)}</a>`,
      },
      { text: r.pseudonym },
      { text: REVIEW_TYPE_LABELS[r.type as ReviewType] ?? r.type },
      { html: `<strong class="govuk-tag ${tag.classes}">${escape(tag.text)}</strong>${escape(status)}` },
      {
        text: deadlineText(r.nextDeadline, today) ?? 'None',
        classes: r.nextDeadline && r.nextDeadline.due < today ? 'app-overdue' : undefined,
      },
      { text: `${days} day${days === 1 ? '' : 's'}`, format: 'numeric' },
    ];
  });
  const option = (value: string, text: string, selected: string | undefined) => ({
    value,
    text,
    selected: value === (selected ?? ''),
  });
  return {
    rows,
    stageOptions: [
      option('', 'Any stage', query.stage),
      ...STAGES.map((s) => option(s, STAGE_LABELS[s], query.stage)),
    ],
    typeOptions: [
      option('', 'Any type', query.type),
      ...REVIEW_TYPES.map((t) => option(t, REVIEW_TYPE_LABELS[t], query.type)),
    ],
    agencyOptions: [
      option('', 'Any agency', query.agency),
      ...agencies.map((a) => option(a.code, a.name, query.agency)),
    ],
    sortOptions: [
      option('newest', 'Newest first', query.sort ?? 'newest'),
      option('deadline', 'Next deadline, soonest first', query.sort),
    ],
    showItems: [
      { value: 'yes', text: 'Only my reviews', checked: query.mine === 'yes', name: 'mine' },
      { value: 'yes', text: 'Only overdue', checked: query.overdue === 'yes', name: 'overdue' },
    ],
  };
}

function escape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
