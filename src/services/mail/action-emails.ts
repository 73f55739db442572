import { formatDate } from '../../domain/calendar/format.ts';
import type { QueuedEmail } from '../../db/repositories/outbox-repository.ts';

/**
 * Action reminders. They carry the review reference, the action's number, a date and a link;
 * never case detail (no names, no pseudonym, no wording of the action: e-mail leaves our control).
 */
export function siteUrl(): string {
  return (process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

const footer =
  '\n\nThis message was sent by Line of Sight. Sign in to see the details; they are not sent by e-mail.';

export interface ActionAbout {
  partnershipId: string;
  reviewId: string;
  reference: string;
  actionId: string;
  number: number;
  dueDate: string;
}

export type ReminderKind = 'due-soon' | 'overdue';

export function actionReminderEmail(
  a: ActionAbout,
  kind: ReminderKind,
  to: string,
  role: 'lead' | 'coordinator',
): QueuedEmail {
  const link = `${siteUrl()}/actions/${a.actionId}`;
  const what = `Action A${a.number} of review ${a.reference}`;
  const subject =
    kind === 'overdue'
      ? `Overdue: action A${a.number} of review ${a.reference} was due ${formatDate(a.dueDate)}`
      : `Reminder: action A${a.number} of review ${a.reference} is due ${formatDate(a.dueDate)}`;
  const lead =
    kind === 'overdue'
      ? `${what} was due by ${formatDate(a.dueDate)} and is not yet complete.`
      : `${what} is due by ${formatDate(a.dueDate)}.`;
  const ask =
    role === 'lead'
      ? 'Please record an update, with evidence, on the action.'
      : 'You are told as the review coordinator.';
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: `action.${kind}`,
    to,
    subject,
    text: `${lead} ${ask}\n\nOpen the action: ${link}${footer}`,
    dedupeKey: `action.${kind}:${a.actionId}:${a.dueDate}:${to.toLowerCase()}`,
  };
}
