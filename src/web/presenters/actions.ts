import { formatDate, formatDateTime, describeDeadline } from '../../domain/calendar/format.ts';
import { ACTION_STATUS_LABELS, type ActionStatus } from '../../domain/actions/status.ts';
import { ragText, type Rag } from '../../domain/actions/rag.ts';
import { isOpen } from '../../domain/actions/status.ts';
import { asArray } from '../forms.ts';
import { paths } from '../paths.ts';

const RAG_CLASSES: Record<Rag, string> = {
  red: 'govuk-tag--red',
  amber: 'govuk-tag--orange',
  green: 'govuk-tag--green',
  none: 'govuk-tag--grey',
};

const STATUS_CLASSES: Record<ActionStatus, string> = {
  not_started: 'govuk-tag--grey',
  in_progress: 'govuk-tag--blue',
  completed: 'govuk-tag--turquoise',
  assured: 'govuk-tag--green',
  cancelled: 'govuk-tag--grey',
};

export const ragTag = (a: { status: ActionStatus; rag: Rag }) => ({
  text: ragText(a, a.rag),
  classes: RAG_CLASSES[a.rag],
});

export const statusTag = (status: ActionStatus) => ({
  text: ACTION_STATUS_LABELS[status],
  classes: STATUS_CLASSES[status],
});

/** "3 June 2026 — due in 4 working days" for open work; the date alone once it is done. */
export function dueText(a: { status: ActionStatus; dueDate: string }, today: string): string {
  return isOpen(a.status)
    ? `${formatDate(a.dueDate)} — ${describeDeadline(today, a.dueDate)}`
    : formatDate(a.dueDate);
}

interface Row {
  id: string;
  number: number;
  what: string;
  agencyName: string;
  leadName: string;
  dueDate: string;
  status: ActionStatus;
  rag: Rag;
  reviewReference: string;
}

/** Rows of a GOV.UK table of actions (the review's plan, or the partnership's list). */
export function actionRows(actions: readonly Row[], today: string, options: { withReview: boolean }) {
  return actions.map((a) => ({
    ...a,
    href: paths.actions.action({ id: a.id }),
    label: `A${a.number}`,
    due: dueText(a, today),
    statusTag: statusTag(a.status),
    ragTag: ragTag(a),
    reviewHref: options.withReview ? paths.reviews.actions({ ref: a.reviewReference }) : null,
  }));
}

interface Update {
  id: string;
  note: string;
  statusFrom: string;
  statusTo: string;
  evidenceText: string | null;
  evidenceUrl: string | null;
  fileName: string | null;
  fileSize: number | null;
  byName: string | null;
  at: Date;
}

/**
 * MoJ timeline items, newest first, with dates already formatted (the MoJ template's own date
 * filters are not used). Text only: the template escapes it.
 */
export function timelineItems(actionId: string, updates: readonly Update[]) {
  return updates.map((u) => ({
    title:
      u.statusFrom === u.statusTo
        ? 'Progress update'
        : `${ACTION_STATUS_LABELS[u.statusFrom as ActionStatus] ?? u.statusFrom} to ${ACTION_STATUS_LABELS[u.statusTo as ActionStatus] ?? u.statusTo}`,
    byline: u.byName ?? 'Unknown',
    datetime: u.at.toISOString(),
    date: formatDateTime(u.at),
    note: u.note,
    evidenceText: u.evidenceText,
    evidenceUrl: u.evidenceUrl,
    file: u.fileName
      ? {
          name: u.fileName,
          size: formatSize(u.fileSize ?? 0),
          href: paths.actions.evidence({ id: actionId, updateId: u.id }),
        }
      : null,
  }));
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
}

/**
 * The choices of the action form (add and change): owning agency, named lead and learning, each
 * marked from the values shown (what was typed, or the action as it is).
 */
export function actionFormItems(
  choices: {
    agencies: readonly { code: string; name: string }[];
    leads: readonly { id: string; name: string; agencyName: string }[];
    learningOptions: readonly { id: string; statement: string }[];
  },
  v: Record<string, unknown>,
) {
  const learning = asArray(v.learning);
  return {
    agencyItems: [
      { value: '', text: 'Choose the owning agency' },
      ...choices.agencies.map((a) => ({ value: a.code, text: a.name, selected: v.owningAgency === a.code })),
    ],
    leadItems: [
      { value: '', text: 'Choose the named lead' },
      ...choices.leads.map((p) => ({
        value: p.id,
        text: `${p.name} — ${p.agencyName}`,
        selected: v.leadUserId === p.id,
      })),
    ],
    learningItems: choices.learningOptions.map((l) => ({
      value: l.id,
      text: l.statement,
      checked: learning.includes(l.id),
    })),
  };
}
