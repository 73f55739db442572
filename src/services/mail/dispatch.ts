import type { Database } from '../../db/client.ts';
import { outboxRepository } from '../../db/repositories/outbox-repository.ts';
import type { Mailer } from './mailer.ts';

export const MAX_ATTEMPTS = 5;

/**
 * Sends what the outbox holds. Run by the scheduler (one instance at a time) and after a change
 * that queued mail. A failure is recorded on the message and tried again, up to MAX_ATTEMPTS.
 */
export async function dispatchEmails(
  db: Database,
  mailer: Mailer,
  now: () => Date,
): Promise<{ sent: number; failed: number }> {
  const outbox = outboxRepository(db);
  let sent = 0;
  let failed = 0;
  for (const message of await outbox.due(100, MAX_ATTEMPTS)) {
    try {
      await mailer.send({ to: message.to, subject: message.subject, text: message.text });
      await outbox.markSent(message.id, now());
      sent += 1;
    } catch (error) {
      await outbox.markFailed(message.id, (error as Error).message);
      failed += 1;
    }
  }
  return { sent, failed };
}
