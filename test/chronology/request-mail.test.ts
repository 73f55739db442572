import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/domain/calendar/working-days.ts';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

/** Case detail that must never leave in an e-mail. */
const CASE_DETAIL = /Infant 8|Testinfant|non-accidental|injur|Please include|Was the delay/i;

describe.each(DATABASE_KINDS)('agency request e-mails over SMTP (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let now = new Date('2026-03-02T10:00:00Z');
  const send = () =>
    dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' }),
      () => now,
    );

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => now });
    smtp = await startSmtpServer();
    ref = await reviewInInformationGathering(t);
    // The demonstration partnership's own messages go first, so only this test's are counted.
    await send();
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('tells each agency lead of a request, with a link and no case detail', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const { dueDate } = await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
      instructions: 'Please include the injuries seen in 2019.',
    });
    expect(dueDate).toBe(addWorkingDays('2026-03-02', 15));
    expect(await send()).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'hv.lead@demo.example',
      'police.lead@demo.example',
    ]);
    for (const m of smtp.received) {
      expect(m.subject).toBe(`Information request for review ${ref}`);
      expect(m.body).toContain(`http://localhost:3000/reviews/${ref}/return`);
      expect(m.raw).not.toMatch(CASE_DETAIL);
    }
  });

  it('reminds three working days before the due date and once only, then says when it is overdue', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const [request] = await t.services.requests.list(coordinator, ref);
    const due = request!.request.dueDate;
    smtp.received.length = 0;
    now = new Date(`${addWorkingDays('2026-03-02', 10)}T10:00:00Z`);
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 0 });
    now = new Date(`${addWorkingDays('2026-03-02', 12)}T10:00:00Z`);
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 2 });
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 0 });
    // A submitted return is no longer chased.
    const police = await actorOf(t, 'police.lead@demo.example');
    await t.services.returns.addEntries(police, ref, {
      entries: [{ date: '2019-03-02', eventType: 'arrest', summary: 'x' }],
    });
    await t.services.returns.submit(police, ref);
    now = new Date(`${addWorkingDays(due, 1)}T10:00:00Z`);
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 1 });
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 0 });
    expect(await send()).toEqual({ sent: 3, failed: 0 });
    const got = smtp.received.map((m) => [m.to[0], m.subject.split(':')[0]]).sort();
    expect(got).toEqual([
      ['hv.lead@demo.example', 'Overdue'],
      ['hv.lead@demo.example', 'Reminder'],
      ['police.lead@demo.example', 'Reminder'],
    ]);
    for (const m of smtp.received) expect(m.raw).not.toMatch(CASE_DETAIL);
  });

  it('tells the lead a return came back with a query, without the query', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const police = (await t.services.requests.list(coordinator, ref)).find((r) => r.agencyCode === 'police')!;
    smtp.received.length = 0;
    await t.services.requests.returnWithQuery(coordinator, ref, police.request.id, {
      query: 'Was the delay recorded?',
    });
    expect(await send()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received[0]!.subject).toBe(`Your return for review ${ref} has a query`);
    expect(smtp.received[0]!.raw).not.toMatch(CASE_DETAIL);
  });
});
