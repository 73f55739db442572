import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/domain/calendar/working-days.ts';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { createScheduler } from '../../src/services/scheduler.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { actorOf, CHILD_2 } from './setup.ts';

/** Case detail that must never leave in an e-mail: the pseudonym, names, the action's words. */
const CASE_DETAIL = /Child 2|Testchild|Testmother|crime report|household|success measure/i;

describe.each(DATABASE_KINDS)('action reminders and overdue notices over SMTP (%s)', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let now = new Date('2026-03-02T10:00:00Z'); // a Monday
  let actionId: string;
  const due = addWorkingDays('2026-03-02', 8);
  // Quoted-printable bodies wrap long lines with soft breaks (`=` at the end of a line).
  const mine = () => smtp.received.filter((m) => m.body.replace(/=\r?\n/g, '').includes(actionId));
  const send = () =>
    dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' }),
      () => now,
    );

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => now });
    smtp = await startSmtpServer();
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const lead = await systemRepository(t.database.db).userByEmail('police.lead@demo.example');
    ({ id: actionId } = await t.services.actions.add(coordinator, CHILD_2, {
      what: 'Record every child in the household on each crime report',
      owningAgency: 'police',
      leadUserId: lead!.id,
      dueDate: due,
      successMeasure: '95% of crime reports in a dip-sample audit record the children in the household',
    }));
    // Whatever the demo's own actions queue is sent and set aside first.
    await t.services.actions.queueReminders();
    await send();
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('sends nothing while the due date is more than 5 working days away', async () => {
    await t.services.actions.queueReminders();
    await send();
    expect(mine()).toEqual([]);
  });

  it('reminds the lead 5 working days before, once, with a link and no case detail', async () => {
    now = new Date(`${addWorkingDays('2026-03-02', 3)}T10:00:00Z`);
    await t.services.actions.queueReminders();
    await t.services.actions.queueReminders();
    await send();
    expect(mine().map((m) => [m.to, m.subject])).toEqual([
      [
        ['police.lead@demo.example'],
        expect.stringMatching(/^Reminder: action A\d+ of review LOS-2021-002 is due /),
      ],
    ]);
    const [m] = mine();
    expect(m!.body.replace(/=\r?\n/g, '')).toContain(`http://localhost:3000/actions/${actionId}`);
    expect(m!.raw).not.toMatch(CASE_DETAIL);
  });

  it('tells the lead and the coordinator once it is overdue, once, even with two scheduler instances', async () => {
    now = new Date(`${addWorkingDays(due, 1)}T10:00:00Z`);
    smtp.received.length = 0;
    const jobs = [
      { name: 'action-reminders', everyMs: 3_600_000, run: () => t.services.actions.queueReminders() },
    ];
    const a = createScheduler(t.database.db, jobs, { now: () => now });
    const b = createScheduler(t.database.db, jobs, { now: () => now });
    const results = await Promise.all([a.run('action-reminders'), b.run('action-reminders')]);
    expect(results).toContain('ran');
    await a.run('action-reminders');
    await send();
    const got = mine()
      .map((m) => [m.to[0], m.subject.split(':')[0]])
      .sort();
    expect(got).toEqual([
      ['coordinator@demo.example', 'Overdue'],
      ['police.lead@demo.example', 'Overdue'],
    ]);
    for (const m of mine()) expect(m.raw).not.toMatch(CASE_DETAIL);
  });

  it('stops chasing a completed action', async () => {
    const police = await actorOf(t, 'police.lead@demo.example');
    await t.services.actions.update(police, actionId, { note: 'Done', status: 'completed' });
    now = new Date(`${addWorkingDays(due, 3)}T10:00:00Z`);
    smtp.received.length = 0;
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    // A new due date would earn a new reminder, but a completed action earns none.
    await t.services.actions.patch(coordinator, actionId, { dueDate: addWorkingDays(due, 5) });
    await t.services.actions.queueReminders();
    await send();
    expect(mine()).toEqual([]);
  });
});
