import { formatDate } from '../../domain/calendar/format.ts';
import type { QueuedEmail } from '../../db/repositories/outbox-repository.ts';

/**
 * The agency-request messages. They carry the review reference, a date and a link, and never
 * case detail: no names, no pseudonym, no narrative, no query text (e-mail leaves our control).
 */
export function siteUrl(): string {
  return (process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

interface About {
  partnershipId: string;
  reviewId: string;
  reference: string;
  to: string;
}

const footer =
  '\n\nThis message was sent by Line of Sight. Sign in to see the details; they are not sent by e-mail.';

function returnLink(reference: string) {
  return `${siteUrl()}/reviews/${encodeURIComponent(reference)}/return`;
}

export function requestSentEmail(a: About & { dueDate: string }): QueuedEmail {
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'request.sent',
    to: a.to,
    subject: `Information request for review ${a.reference}`,
    text: `Your agency has been asked for its chronology and self-analysis for review ${a.reference}, due by ${formatDate(a.dueDate)}.\n\nOpen your agency's return: ${returnLink(a.reference)}${footer}`,
  };
}

export function requestReturnedEmail(a: About): QueuedEmail {
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'request.returned',
    to: a.to,
    subject: `Your return for review ${a.reference} has a query`,
    text: `The review coordinator has returned your agency's return for review ${a.reference} with a query.\n\nRead the query and update the return: ${returnLink(a.reference)}${footer}`,
  };
}

export function requestReminderEmail(a: About & { requestId: string; dueDate: string }): QueuedEmail {
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'request.reminder',
    to: a.to,
    subject: `Reminder: return for review ${a.reference} due ${formatDate(a.dueDate)}`,
    text: `Your agency's return for review ${a.reference} is due by ${formatDate(a.dueDate)}.\n\nOpen your agency's return: ${returnLink(a.reference)}${footer}`,
    dedupeKey: `request.reminder:${a.requestId}:${a.dueDate}`,
  };
}

export function requestOverdueEmail(a: About & { requestId: string; dueDate: string }): QueuedEmail {
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'request.overdue',
    to: a.to,
    subject: `Overdue: return for review ${a.reference}`,
    text: `Your agency's return for review ${a.reference} was due by ${formatDate(a.dueDate)} and has not been submitted.\n\nOpen your agency's return: ${returnLink(a.reference)}${footer}`,
    dedupeKey: `request.overdue:${a.requestId}:${a.dueDate}`,
  };
}

/** The coordinator's reminder, sent now from the overview: at most one a day per request. */
export function requestChaseEmail(
  a: About & { requestId: string; dueDate: string; today: string },
): QueuedEmail {
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'request.chase',
    to: a.to,
    subject: `Overdue: the review coordinator asks for your return for review ${a.reference}`,
    text: `The review coordinator has asked for your agency's return for review ${a.reference}. It was due by ${formatDate(a.dueDate)}.\n\nOpen your agency's return: ${returnLink(a.reference)}${footer}`,
    dedupeKey: `request.chase:${a.requestId}:${a.today}`,
  };
}
