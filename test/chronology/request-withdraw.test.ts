import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/domain/calendar/working-days.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/services/errors.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { actorOf, reviewInInformationGathering } from './setup.ts';

/** Case detail that must never leave in an e-mail. */
const CASE_DETAIL = /Infant 8|Testinfant|Include the 2019 call-outs|Wrong agency asked/i;

describe.each(DATABASE_KINDS)('a coordinator withdraws an agency request and reissues it (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: Actor;
  let police: Actor;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let now = new Date('2026-03-02T10:00:00Z');
  let first: string;
  let second: string;

  const send = () =>
    dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' }),
      () => now,
    );
  const requests = async () =>
    (await t.services.requests.list(coordinator, ref)).filter((r) => r.agencyCode === 'police');
  const audited = async (action: string) =>
    (
      (await t.database.db.execute(
        sql`select subject_id, detail from audit_events where action = ${action} and review_reference = ${ref} and outcome = 'success' order by id`,
      )) as unknown as { rows: { subject_id: string; detail: Record<string, unknown> }[] }
    ).rows;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  beforeAll(async () => {
    t = await buildTestApp(kind, { now: () => now });
    smtp = await startSmtpServer();
    ref = await reviewInInformationGathering(t);
    coordinator = await actorOf(t, 'coordinator@demo.example');
    police = await actorOf(t, 'police.lead@demo.example');
    // The demonstration partnership's own messages go first, so only this test's are counted.
    await send();
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('withdraws a request the agency has started: the lead can no longer open or change the return', async () => {
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police'],
      workingDays: 15,
      instructions: 'Include the 2019 call-outs.',
    });
    first = (await requests())[0]!.request.id;
    await t.services.returns.addEntry(police, ref, {
      date: '2019-03-02',
      event_type: 'police_incident',
      summary: 'Call-out to the address',
    });
    expect((await requests())[0]!.request.status).toBe('in_progress');

    // A reason is required, and only the coordinator may withdraw.
    expect(
      await failure(t.services.requests.withdraw(coordinator, ref, first, { reason: '' })),
    ).toBeInstanceOf(ValidationError);
    expect(
      await failure(t.services.requests.withdraw(police, ref, first, { reason: 'Not mine to withdraw' })),
    ).toBeInstanceOf(ForbiddenError);
    expect((await requests())[0]!.request.status).toBe('in_progress');

    await t.services.requests.withdraw(coordinator, ref, first, { reason: 'Wrong agency asked' });
    const [withdrawn] = await requests();
    expect(withdrawn!.request).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'Wrong agency asked',
      withdrawnAt: now,
    });
    expect(await audited('request.withdraw')).toEqual([
      { subject_id: first, detail: { reason: 'Wrong agency asked' } },
    ]);

    // The lead keeps seeing the review, but has no return in it to open or change.
    await expect(t.services.reviews.overview(police, ref)).resolves.toBeTruthy();
    expect(await failure(t.services.returns.workspace(police, ref))).toBeInstanceOf(ForbiddenError);
    expect(
      await failure(
        t.services.returns.addEntry(police, ref, { date: '2019-03-03', event_type: 'arrest', summary: 'x' }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(await failure(t.services.returns.checkUpload(police, ref))).toBeInstanceOf(ForbiddenError);
    expect((await t.services.requests.waitingOnMe(police)).items.map((i) => i.reference)).not.toContain(ref);

    // Withdrawn twice, or reissued while live: refused.
    expect(
      await failure(t.services.requests.withdraw(coordinator, ref, first, { reason: 'Again' })),
    ).toBeInstanceOf(ConflictError);
  });

  it('sends no e-mail for a withdrawal, and no reminder for a withdrawn request', async () => {
    expect(await send()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received.map((m) => [m.to[0], m.subject])).toEqual([
      ['police.lead@demo.example', `Information request for review ${ref}`],
    ]);
    smtp.received.length = 0;
    const due = addWorkingDays('2026-03-02', 15);
    now = new Date(`${addWorkingDays(due, 1)}T10:00:00Z`);
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 0 });
    expect(await send()).toEqual({ sent: 0, failed: 0 });
  });

  it('reissues the request as a new one with a new due date, and tells the lead', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const reissued = await t.services.requests.reissue(coordinator, ref, first, { workingDays: 10 });
    second = reissued.id;
    expect(second).not.toBe(first);
    const byId = new Map((await requests()).map((r) => [r.request.id, r.request]));
    expect(byId.get(first)).toMatchObject({ status: 'withdrawn' });
    expect(byId.get(second)).toMatchObject({
      status: 'sent',
      dueDate: addWorkingDays('2026-04-01', 10),
      instructions: 'Include the 2019 call-outs.',
      withdrawnAt: null,
    });
    expect(await audited('request.reissue')).toEqual([
      { subject_id: second, detail: { reissues: first, dueDate: addWorkingDays('2026-04-01', 10) } },
    ]);

    // The lead opens the new request: a fresh return (the withdrawn draft stays with the withdrawn request).
    const workspace = await t.services.returns.workspace(police, ref);
    expect(workspace.ret.id).toBe(second);
    expect(workspace.request.request.status).toBe('sent');
    expect(workspace.entries).toEqual([]);
    expect((await t.services.requests.waitingOnMe(police)).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reference: ref,
          waitingOnMe: true,
          request: expect.objectContaining({ id: second }),
        }),
      ]),
    );

    expect(await send()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message!.to).toEqual(['police.lead@demo.example']);
    expect(message!.subject).toBe(`Information request for review ${ref}`);
    expect(message!.body).toContain(`http://localhost:3000/reviews/${ref}/return`);
    expect(message!.raw).not.toMatch(CASE_DETAIL);

    // Only a withdrawn request can be reissued, and only once while the new one is live.
    expect(await failure(t.services.requests.reissue(coordinator, ref, second, {}))).toBeInstanceOf(
      ConflictError,
    );
    expect(await failure(t.services.requests.reissue(coordinator, ref, first, {}))).toBeInstanceOf(
      ConflictError,
    );
    expect(await failure(t.services.requests.reissue(police, ref, first, {}))).toBeInstanceOf(ForbiddenError);
  });

  it('reminds about the reissued request by its own due date', async () => {
    smtp.received.length = 0;
    now = new Date(`${addWorkingDays('2026-04-01', 7)}T10:00:00Z`);
    expect(await t.services.requests.queueReminders()).toEqual({ queued: 1 });
    expect(await send()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received[0]!.subject).toMatch(/^Reminder: return for review /);
    expect(smtp.received[0]!.raw).not.toMatch(CASE_DETAIL);
  });

  it('withdraws and reissues through the request page, with its CSRF token', async () => {
    const c = new WebClient(t.app);
    await c.signIn('coordinator@demo.example');
    const show = `/reviews/${ref}/requests/${second}`;
    const token = await c.csrfToken(show);

    const noReason = await c.post(`${show}/withdraw`, { reason: '' }, token);
    expect(noReason.headers.location).toBe(show);
    expect(page(await c.follow(noReason)).errorSummary.join(' ')).toContain(
      'Enter why the request is withdrawn',
    );

    const refused = await c.post(`${show}/withdraw`, { reason: 'No CSRF', _csrf: 'forged' });
    expect(refused.statusCode).toBe(403);
    expect((await requests()).find((r) => r.request.id === second)!.request.status).toBe('sent');

    const withdrawn = await c.post(`${show}/withdraw`, { reason: 'Sent to the wrong team' }, token);
    expect(withdrawn.headers.location).toBe(`/reviews/${ref}/requests`);
    expect(page(await c.follow(withdrawn)).banner).toContain('Request withdrawn');
    const shown = page(await c.get(show));
    expect(shown.$('.govuk-summary-list .govuk-tag').first().text()).toContain('Withdrawn');
    expect(shown.$('main').text()).toContain('Withdrawn: Sent to the wrong team');

    const reissued = await c.post(`${show}/reissue`, { workingDays: '5' }, token);
    expect(reissued.headers.location).toBe(`/reviews/${ref}/requests`);
    expect(page(await c.follow(reissued)).banner).toContain('Request sent again');
    const live = (await requests()).filter((r) => !r.request.withdrawnAt);
    expect(live).toHaveLength(1);
    expect(live[0]!.request).toMatchObject({
      status: 'sent',
      dueDate: addWorkingDays(now.toISOString().slice(0, 10), 5),
    });

    // The police lead cannot withdraw through the page either.
    const lead = new WebClient(t.app);
    await lead.signIn('police.lead@demo.example');
    const leadRefused = await lead.post(
      `/reviews/${ref}/requests/${live[0]!.request.id}/withdraw`,
      { reason: 'Not mine to withdraw' },
      await lead.csrfToken(`/reviews/${ref}/return`),
    );
    expect(leadRefused.statusCode).toBe(403);
    expect((await requests()).find((r) => r.request.id === live[0]!.request.id)!.request.status).toBe('sent');
  });
});
