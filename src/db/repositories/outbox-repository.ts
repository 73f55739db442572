import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { outboundEmails } from '../schema.ts';

export interface QueuedEmail {
  partnershipId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  reviewId?: string | null;
  /** Set to send a message at most once, e.g. one reminder per request and due date. */
  dedupeKey?: string | null;
}

/** E-mail waiting to be sent, written inside the transaction of the change it tells of. */
export function outboxRepository(db: Executor) {
  return {
    /** Queues the message; false when one with the same dedupe key was queued before. */
    async enqueue(message: QueuedEmail): Promise<boolean> {
      const rows = await db
        .insert(outboundEmails)
        .values(message)
        .onConflictDoNothing({ target: outboundEmails.dedupeKey })
        .returning({ id: outboundEmails.id });
      return rows.length > 0;
    },

    /** Unsent messages with attempts left, oldest first. */
    async due(limit: number, maxAttempts: number) {
      return db
        .select()
        .from(outboundEmails)
        .where(and(isNull(outboundEmails.sentAt), lt(outboundEmails.attempts, maxAttempts)))
        .orderBy(asc(outboundEmails.createdAt))
        .limit(limit);
    },

    async markSent(id: string, at: Date) {
      await db
        .update(outboundEmails)
        .set({ sentAt: at, attempts: sql`${outboundEmails.attempts} + 1`, lastError: null })
        .where(eq(outboundEmails.id, id));
    },

    async markFailed(id: string, error: string) {
      await db
        .update(outboundEmails)
        .set({ attempts: sql`${outboundEmails.attempts} + 1`, lastError: error.slice(0, 1000) })
        .where(eq(outboundEmails.id, id));
    },

    /** Marks everything queued as sent without sending it (the demonstration's messages belong to its past). */
    async markQueuedAsSent(at: Date) {
      await db.update(outboundEmails).set({ sentAt: at }).where(isNull(outboundEmails.sentAt));
    },

    async list(filter: { to?: string; kind?: string } = {}) {
      const conditions = [];
      if (filter.to) conditions.push(eq(outboundEmails.to, filter.to));
      if (filter.kind) conditions.push(eq(outboundEmails.kind, filter.kind));
      return db
        .select()
        .from(outboundEmails)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(outboundEmails.createdAt));
    },
  };
}
