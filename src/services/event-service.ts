import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { eventRepository } from '../db/repositories/event-repository.ts';
import { evidenceRepository } from '../db/repositories/evidence-repository.ts';
import { outboxRepository } from '../db/repositories/outbox-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import { isUuid } from '../db/repositories/request-repository.ts';
import { inSequence } from '../db/sequential.ts';
import type { EventFormat } from '../domain/learning/labels.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import {
  attendanceInput,
  attendeeInput,
  eventDetailsInput,
  reflectiveNotesInput,
} from '../schemas/learning.ts';
import { inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { changed, loadForRecording, viewed, whyNotRecordable } from './learning-load.ts';
import { loadReview } from './review-load.ts';
import { eventInvitationEmail, eventInvitationKey } from './mail/event-emails.ts';

/** The Line of Sight event: details, invitees and attendance, invitations, pre-reading, notes. */
export function eventService(ctx: ServiceContext) {
  return {
    async event(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const events = eventRepository(tx, actor);
        const [event, attendees, agencies] = await inSequence(
          () => events.find(handle),
          () => events.attendees(handle),
          () => directoryRepository(tx, actor).agencies(),
        );
        await viewed(tx, actor, handle, 'event');
        return {
          review: row,
          event,
          attendees,
          agencies,
          editable: whyNotRecordable(actor, row, 'event') === null,
          whyNotEditable: whyNotRecordable(actor, row, 'event'),
        };
      });
    },

    async saveDetails(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(eventDetailsInput, input);
        await eventRepository(tx, actor).saveDetails(handle, {
          heldOn: data.heldOn,
          format: data.format,
          venue: data.format === 'online' ? null : data.venue,
          link: data.format === 'in_person' ? null : data.link,
        });
        await changed(tx, actor, handle, 'review.event.update', {
          detail: { heldOn: data.heldOn, format: data.format },
        });
      });
    },

    async saveNotes(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(reflectiveNotesInput, input);
        await eventRepository(tx, actor).saveNotes(handle, data.reflectiveNotes);
        await changed(tx, actor, handle, 'review.event.notes.update');
      });
    },

    async addAttendee(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(attendeeInput, input);
        const agency = await directoryRepository(tx, actor).agencyByCode(data.agency);
        if (!agency || agency.retiredAt) throw new ValidationError({ agency: "Select the person's agency" });
        const events = eventRepository(tx, actor);
        const person = data.email ? await events.personByEmail(data.email) : null;
        const added = await events.addAttendee(handle, {
          agencyId: agency.id,
          name: data.name,
          tier: data.tier,
          jobTitle: data.jobTitle,
          email: data.email?.toLowerCase() ?? null,
          userId: person?.id ?? null,
        });
        await changed(tx, actor, handle, 'review.event.attendee.add', {
          subjectType: 'event_attendee',
          subjectId: added.id,
          detail: { agency: data.agency, tier: data.tier },
        });
        return added;
      });
    },

    /**
     * Removes an invitee, before or after the event is planned. An invitation still waiting in the
     * outbox is withdrawn with them, so nothing is sent to someone no longer invited.
     */
    async removeAttendee(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        const events = eventRepository(tx, actor);
        if (!isUuid(id) || !(await events.removeAttendee(handle, id)))
          throw new NotFoundError('There is no such invitee at this event.');
        const invitationWithdrawn = await events.withdrawInvitation(handle, eventInvitationKey(id));
        await changed(tx, actor, handle, 'review.event.attendee.remove', {
          subjectType: 'event_attendee',
          subjectId: id,
          detail: { invitationWithdrawn },
        });
      });
    },

    /** Records the attendance of several invitees at once (the table by agency is one form). */
    async recordAttendance(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(attendanceInput, input);
        const events = eventRepository(tx, actor);
        for (const [id, attendance] of Object.entries(data.attendance))
          if (!(await events.setAttendance(handle, id, attendance)))
            throw new NotFoundError('There is no such invitee at this event.');
        await changed(tx, actor, handle, 'review.event.attendance.record', {
          detail: { attendance: data.attendance },
        });
      });
    },

    /**
     * Queues an invitation to every invitee with an e-mail address not yet invited, and gives
     * those who sign in to Line of Sight access to the review so they can read the pre-reading.
     */
    async sendInvitations(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'event');
        const events = eventRepository(tx, actor);
        const event = await events.find(handle);
        if (!event?.heldOn || !event.format)
          throw new ConflictError('Record the date and format of the event before sending invitations.');
        const pending = await events.uninvited(handle);
        const outbox = outboxRepository(tx);
        let queued = 0;
        for (const invitee of pending) {
          if (!invitee.email) continue;
          await outbox.enqueue(
            eventInvitationEmail({
              partnershipId: actor.partnershipId,
              reviewId: handle.id,
              reference: handle.reference,
              attendeeId: invitee.id,
              to: invitee.email,
              heldOn: event.heldOn,
              format: event.format as EventFormat,
            }),
          );
          await events.markInvited(handle, invitee.id, ctx.now());
          queued++;
        }
        const members = pending.filter((p) => p.email && p.userId).map((p) => p.userId!);
        await reviewRepository(tx, actor).addMembers(handle, members);
        await changed(tx, actor, handle, 'review.event.invitations.send', {
          detail: { queued, givenAccess: members.length },
        });
        return { queued, withoutEmail: pending.filter((p) => !p.email).length };
      });
    },

    /** The pre-reading pack: the merged chronology and signals are linked; self-analyses shown. */
    async preReading(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const [event, kloes, answers] = await inSequence(
          () => eventRepository(tx, actor).find(handle),
          () => reviewRepository(tx, actor).linesOfEnquiry(handle),
          () => evidenceRepository(tx, actor).acceptedSelfAnalyses(handle),
        );
        await viewed(tx, actor, handle, 'event-pre-reading');
        return { review: row, event, linesOfEnquiry: kloes, answers };
      });
    },
  };
}

export type EventService = ReturnType<typeof eventService>;
