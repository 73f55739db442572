import type { Database } from '../db/client.ts';
import { actionSystemRepository } from '../db/repositories/action-system-repository.ts';
import { outboxRepository } from '../db/repositories/outbox-repository.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { addWorkingDays } from '../domain/calendar/working-days.ts';
import { isReadOnly } from '../domain/lifecycle/moves.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { actionReminderEmail } from './mail/action-emails.ts';

/** A reminder goes to the lead this many working days before an open action is due. */
export const REMINDER_WORKING_DAYS = 5;

/**
 * Queues, once per action, due date and kind (the outbox's dedupe key), a reminder to the lead
 * of each open action due within 5 working days, and an overdue notice to the lead and the
 * partnership's review coordinators the day after it is due. Run by the scheduler: claimed in
 * the database, so several instances never double-send; a changed due date earns a new reminder.
 */
export async function queueActionReminders(db: Database, now: Date) {
  const today = londonDate(now);
  return db.transaction(async (tx) => {
    const system = actionSystemRepository(tx);
    const outbox = outboxRepository(tx);
    const open = (await system.openActionsDueBy(addWorkingDays(today, REMINDER_WORKING_DAYS))).filter(
      (a) =>
        a.reviewStage !== 'closed' &&
        !isReadOnly({ stage: a.reviewStage as Stage, status: a.reviewStatus as 'active' }),
    );
    const coordinators = await system.coordinators([...new Set(open.map((a) => a.partnershipId))]);
    let queued = 0;
    for (const a of open) {
      const about = {
        partnershipId: a.partnershipId,
        reviewId: a.reviewId,
        reference: a.reference,
        actionId: a.id,
        number: a.number,
        dueDate: a.dueDate,
      };
      const kind = a.dueDate < today ? 'overdue' : 'due-soon';
      const messages = a.leadDisabledAt ? [] : [actionReminderEmail(about, kind, a.leadEmail, 'lead')];
      if (kind === 'overdue')
        for (const c of coordinators.filter((c) => c.partnershipId === a.partnershipId))
          messages.push(actionReminderEmail(about, kind, c.email, 'coordinator'));
      for (const m of messages) if (await outbox.enqueue(m)) queued += 1;
    }
    return { queued };
  });
}
