import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencies, eventAttendees, outboundEmails, reviewEvents, users } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { Attendance, AttendeeTier, EventFormat } from '../../domain/learning/labels.ts';
import type { VisibleReview } from './review-access.ts';
import { requireRecorder } from './learning-access.ts';

export interface EventDetails {
  heldOn: string | null;
  format: EventFormat | null;
  venue: string | null;
  link: string | null;
}

/** A review's Line of Sight event and the people invited to it. */
export function eventRepository(db: Executor, actor: Actor) {
  return {
    async find(review: VisibleReview) {
      const [row] = await db.select().from(reviewEvents).where(eq(reviewEvents.reviewId, review.id));
      return row ?? null;
    },

    async saveDetails(review: VisibleReview, details: EventDetails) {
      requireRecorder(actor);
      const values = { ...details, updatedBy: actor.userId, updatedAt: new Date() };
      await db
        .insert(reviewEvents)
        .values({ ...values, reviewId: review.id })
        .onConflictDoUpdate({ target: reviewEvents.reviewId, set: values });
    },

    async saveNotes(review: VisibleReview, reflectiveNotes: string | null) {
      requireRecorder(actor);
      const values = { reflectiveNotes, updatedBy: actor.userId, updatedAt: new Date() };
      await db
        .insert(reviewEvents)
        .values({ ...values, reviewId: review.id })
        .onConflictDoUpdate({ target: reviewEvents.reviewId, set: values });
    },

    async attendees(review: VisibleReview) {
      return db
        .select({
          id: eventAttendees.id,
          name: eventAttendees.name,
          tier: eventAttendees.tier,
          jobTitle: eventAttendees.jobTitle,
          email: eventAttendees.email,
          userId: eventAttendees.userId,
          attendance: eventAttendees.attendance,
          invitationQueuedAt: eventAttendees.invitationQueuedAt,
          agencyId: eventAttendees.agencyId,
          agencyCode: agencies.code,
          agencyName: agencies.name,
        })
        .from(eventAttendees)
        .innerJoin(agencies, eq(agencies.id, eventAttendees.agencyId))
        .where(eq(eventAttendees.reviewId, review.id))
        .orderBy(asc(agencies.name), asc(eventAttendees.tier), asc(eventAttendees.name));
    },

    async addAttendee(
      review: VisibleReview,
      values: {
        agencyId: string;
        name: string;
        tier: AttendeeTier;
        jobTitle: string | null;
        email: string | null;
        userId: string | null;
      },
    ) {
      requireRecorder(actor);
      const [row] = await db
        .insert(eventAttendees)
        .values({ ...values, reviewId: review.id, createdBy: actor.userId })
        .returning({ id: eventAttendees.id });
      return row!;
    },

    async setAttendance(review: VisibleReview, id: string, attendance: Attendance): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .update(eventAttendees)
        .set({ attendance })
        .where(and(eq(eventAttendees.reviewId, review.id), eq(eventAttendees.id, id)))
        .returning({ id: eventAttendees.id });
      return rows.length > 0;
    },

    async removeAttendee(review: VisibleReview, id: string): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .delete(eventAttendees)
        .where(and(eq(eventAttendees.reviewId, review.id), eq(eventAttendees.id, id)))
        .returning({ id: eventAttendees.id });
      return rows.length > 0;
    },

    /**
     * Withdraws an invitation still waiting in the outbox (the invitee was removed before it went);
     * true when there was one. One already sent cannot be called back.
     */
    async withdrawInvitation(review: VisibleReview, dedupeKey: string): Promise<boolean> {
      requireRecorder(actor);
      const rows = await db
        .delete(outboundEmails)
        .where(
          and(
            eq(outboundEmails.reviewId, review.id),
            eq(outboundEmails.dedupeKey, dedupeKey),
            isNull(outboundEmails.sentAt),
          ),
        )
        .returning({ id: outboundEmails.id });
      return rows.length > 0;
    },

    /** Invitees with an e-mail address not yet invited. */
    async uninvited(review: VisibleReview) {
      requireRecorder(actor);
      return db
        .select({ id: eventAttendees.id, email: eventAttendees.email, userId: eventAttendees.userId })
        .from(eventAttendees)
        .where(and(eq(eventAttendees.reviewId, review.id), isNull(eventAttendees.invitationQueuedAt)));
    },

    async markInvited(review: VisibleReview, id: string, at: Date) {
      requireRecorder(actor);
      await db
        .update(eventAttendees)
        .set({ invitationQueuedAt: at })
        .where(and(eq(eventAttendees.reviewId, review.id), eq(eventAttendees.id, id)));
    },

    /** The partnership's person with this e-mail address, if any (to give them access to the pack). */
    async personByEmail(email: string) {
      const [row] = await db
        .select({ id: users.id })
        .from(users)
        .where(
          and(eq(users.partnershipId, actor.partnershipId), sql`lower(${users.email}) = lower(${email})`),
        );
      return row ?? null;
    },
  };
}
