import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { outboxRepository } from '../../src/db/repositories/outbox-repository.ts';
import { dispatchEmails, MAX_ATTEMPTS } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { createScheduler } from '../../src/services/scheduler.ts';
import { DATABASE_KINDS, openTestDatabase } from '../support/database.ts';
import { startSmtpServer } from '../support/smtp.ts';

describe.each(DATABASE_KINDS)('e-mail outbox over SMTP, and the scheduler (%s)', (kind) => {
  let database: DatabaseHandle;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    smtp = await startSmtpServer({ refuse: (to) => to.startsWith('bounce') });
  });
  afterAll(async () => {
    await smtp?.close();
    await database?.close();
  });

  it('sends queued messages over SMTP once, and a rolled-back change sends nothing', async () => {
    const outbox = outboxRepository(database.db);
    await outbox.enqueue({
      partnershipId: null,
      kind: 'test',
      to: 'lead@demo.example',
      subject: 'Agency request sent',
      text: 'Open http://localhost/reviews/LOS-2026-004',
    });
    await database.db
      .transaction(async (tx) => {
        await outboxRepository(tx).enqueue({
          partnershipId: null,
          kind: 'test',
          to: 'never@demo.example',
          subject: 'Rolled back',
          text: 'x',
        });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' });
    expect(await dispatchEmails(database.db, mailer, () => new Date())).toEqual({ sent: 1, failed: 0 });
    expect(await dispatchEmails(database.db, mailer, () => new Date())).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([
      [['lead@demo.example'], 'Agency request sent'],
    ]);
    expect(smtp.received[0]!.from).toBe('no-reply@demo.example');
    expect(smtp.received[0]!.body).toContain('http://localhost/reviews/LOS-2026-004');
  });

  it('queues a deduplicated reminder once however often it is asked for', async () => {
    const outbox = outboxRepository(database.db);
    const reminder = {
      partnershipId: null,
      kind: 'reminder',
      to: 'lead@demo.example',
      subject: 'Reminder',
      text: 'x',
      dedupeKey: 'reminder:1:2026-12-01',
    };
    expect(await outbox.enqueue(reminder)).toBe(true);
    expect(await outbox.enqueue(reminder)).toBe(false);
    expect((await outbox.list({ kind: 'reminder' })).length).toBe(1);
  });

  it('records a refused message and stops after the last attempt', async () => {
    const outbox = outboxRepository(database.db);
    await outbox.enqueue({
      partnershipId: null,
      kind: 'bounce',
      to: 'bounce@demo.example',
      subject: 'Refused',
      text: 'x',
    });
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'no-reply@demo.example' });
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await dispatchEmails(database.db, mailer, () => new Date());
    const [bounced] = await outbox.list({ kind: 'bounce' });
    expect(bounced!.sentAt).toBeNull();
    expect(bounced!.attempts).toBe(MAX_ATTEMPTS);
    expect(bounced!.lastError).toContain('Mailbox unavailable');
  });

  it('runs a job on one instance at a time', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job = {
      name: 'slow-job',
      everyMs: 60_000,
      run: async () => {
        runs += 1;
        await gate;
      },
    };
    const first = createScheduler(database.db, [job]);
    const second = createScheduler(database.db, [job]);
    const running = first.run('slow-job');
    await new Promise((r) => setTimeout(r, 50));
    expect(await second.run('slow-job')).toBe('skipped');
    release();
    expect(await running).toBe('ran');
    expect(await second.run('slow-job')).toBe('ran');
    expect(runs).toBe(2);
  });
});
