import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { reviewAtStage } from '../support/learning.ts';
import { startSmtpServer } from '../support/smtp.ts';

const REF = 'LOS-2021-002';

describe.each(DATABASE_KINDS)('event invitations over SMTP (%s)', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('sends one invitation per invitee with a link to the pre-reading pack and no case detail', async () => {
    await reviewAtStage(t, REF, 'event');
    const coordinator = actorFor(
      (await systemRepository(t.database.db).userByEmail('coordinator@demo.example'))!,
      'test',
    );
    await t.services.event.addAttendee(coordinator, REF, {
      agency: 'school',
      name: 'Designated safeguarding lead (test)',
      tier: 'supervisor',
      email: 'dsl@school.example',
    });
    expect(await t.services.event.sendInvitations(coordinator, REF)).toEqual({ queued: 1, withoutEmail: 10 });
    expect(await t.services.event.sendInvitations(coordinator, REF)).toEqual({ queued: 0, withoutEmail: 10 });

    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' });
    // The demonstration outbox may hold other messages; each goes once.
    await dispatchEmails(t.database.db, mailer, () => new Date());
    expect(await dispatchEmails(t.database.db, mailer, () => new Date())).toEqual({ sent: 0, failed: 0 });
    const invitations = smtp.received.filter((m) => m.subject.startsWith('Invitation:'));
    expect(invitations).toHaveLength(1);
    const [mail] = invitations;
    expect(mail!.to).toEqual(['dsl@school.example']);
    expect(mail!.subject).toBe(`Invitation: Line of Sight event for review ${REF}`);
    // Quoted-printable folds long lines with a soft break.
    const body = mail!.body.replace(/=\r?\n/g, '');
    expect(body).toContain(`/reviews/${REF}/event/pre-reading`);
    expect(body).toContain('20 April 2021');
    for (const detail of ['Child 2', 'Testchild', 'Testmother', 'Northshire House', 'drug'])
      expect(mail!.raw).not.toContain(detail);
  });

  it('invites someone added after the invitations went out, and sends nothing to someone removed', async () => {
    const coordinator = actorFor(
      (await systemRepository(t.database.db).userByEmail('coordinator@demo.example'))!,
      'test',
    );
    const add = (name: string, email: string) =>
      t.services.event.addAttendee(coordinator, REF, { agency: 'school', name, tier: 'practitioner', email });
    const added = await add('Class teacher (test)', 'teacher@school.example');
    const removedBefore = await add('Removed before sending (test)', 'before@school.example');
    const removedAfter = await add('Removed before delivery (test)', 'after@school.example');
    await t.services.event.removeAttendee(coordinator, REF, removedBefore.id);
    // Only the two still uninvited: the one invited earlier is not invited twice.
    expect(await t.services.event.sendInvitations(coordinator, REF)).toEqual({ queued: 2, withoutEmail: 10 });
    // Removed while the invitation waits in the outbox: it is withdrawn.
    await t.services.event.removeAttendee(coordinator, REF, removedAfter.id);

    const before = smtp.received.length;
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' });
    expect(await dispatchEmails(t.database.db, mailer, () => new Date())).toEqual({ sent: 1, failed: 0 });
    const sent = smtp.received.slice(before);
    expect(sent.map((m) => m.to)).toEqual([['teacher@school.example']]);
    expect(sent[0]!.subject).toBe(`Invitation: Line of Sight event for review ${REF}`);

    const removals = (await t.database.db.execute(
      sql`select subject_id, detail from audit_events where action = 'review.event.attendee.remove'
          and outcome = 'success' and review_reference = ${REF} order by id`,
    )) as unknown as { rows: { subject_id: string; detail: { invitationWithdrawn: boolean } }[] };
    expect(removals.rows.slice(-2)).toEqual([
      { subject_id: removedBefore.id, detail: { invitationWithdrawn: false } },
      { subject_id: removedAfter.id, detail: { invitationWithdrawn: true } },
    ]);
    const additions = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'review.event.attendee.add'
          and subject_id = ${added.id}`,
    )) as unknown as { rows: { n: number }[] };
    expect(additions.rows[0]!.n).toBe(1);
  });
});
