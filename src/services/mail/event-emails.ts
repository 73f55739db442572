import { formatDate } from '../../domain/calendar/format.ts';
import { EVENT_FORMAT_LABELS, type EventFormat } from '../../domain/learning/labels.ts';
import type { QueuedEmail } from '../../db/repositories/outbox-repository.ts';

function siteUrl(): string {
  return (process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

/**
 * The invitation to a Line of Sight event: the review reference, the date, how it is held and a
 * link to the pre-reading pack. Never case detail (no names, pseudonym, venue or narrative):
 * e-mail leaves our control.
 */
export function eventInvitationEmail(a: {
  partnershipId: string;
  reviewId: string;
  reference: string;
  attendeeId: string;
  to: string;
  heldOn: string;
  format: EventFormat;
}): QueuedEmail {
  const pack = `${siteUrl()}/reviews/${encodeURIComponent(a.reference)}/event/pre-reading`;
  return {
    partnershipId: a.partnershipId,
    reviewId: a.reviewId,
    kind: 'event.invitation',
    to: a.to,
    subject: `Invitation: Line of Sight event for review ${a.reference}`,
    text:
      `You are invited to the Line of Sight event for review ${a.reference} on ${formatDate(a.heldOn)} ` +
      `(${EVENT_FORMAT_LABELS[a.format].toLowerCase()}).\n\n` +
      `Please read the pre-reading pack before the event: ${pack}\n\n` +
      'This message was sent by Line of Sight. Sign in to see the details; they are not sent by e-mail.',
    dedupeKey: eventInvitationKey(a.attendeeId),
  };
}

/** The outbox key of an invitee's invitation: one per invitee, withdrawn if they are removed unsent. */
export function eventInvitationKey(attendeeId: string): string {
  return `event.invitation:${attendeeId}`;
}
