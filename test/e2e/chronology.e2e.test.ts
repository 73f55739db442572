import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { reviewInInformationGathering } from '../chronology/setup.ts';

const BAD_CSV = [
  'date,agency,event_type,summary,children_present,source_ref',
  '2019-03-02,police,police_incident,Call-out to the address,not_recorded,POL-118',
  '2019-13-02,police,police_incident,Second call-out,yes,POL-119',
].join('\n');
const GOOD_CSV = BAD_CSV.replace('2019-13-02', '2019-03-12');

/** Information gathering end to end: requests, an upload with a mistake, a form, acceptance, the merged picture. */
describe('agency returns and the merged chronology in Chromium', { timeout: 300_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ref: string;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const visited = new Set<string>();

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    ref = await reviewInInformationGathering(t);
    smtp = await startSmtpServer();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
    await t?.close();
  });

  async function arrive(page: Page, heading: string | RegExp) {
    await verifyOnPage(page, heading);
    const path = new URL(page.url()).pathname;
    if (!visited.has(path)) {
      visited.add(path);
      await expectNoAxeViolations(page);
    }
  }

  async function signIn(email: string) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  it('runs from the requests to the merged table and timeline, every page accessible', async () => {
    const coordinator = await signIn('coordinator@demo.example');
    await coordinator.goto(`${base}/reviews/${ref}/requests`);
    await arrive(coordinator, 'Agency requests');
    await expect.poll(() => coordinator.getByLabel('Northshire Police').isChecked()).toBe(true);
    await expect
      .poll(() => coordinator.locator('#no-lead').textContent())
      .toContain('Northshire GP practices');
    await coordinator.getByRole('button', { name: 'Send requests' }).click();
    await arrive(coordinator, 'Agency requests');
    await expect
      .poll(() => coordinator.locator('.govuk-notification-banner').textContent())
      .toContain('2 requests sent');

    // The police lead uploads a file with a mistake, reads where it is, fixes it and submits.
    const police = await signIn('police.lead@demo.example');
    await police.goto(`${base}/returns`);
    await arrive(police, 'Waiting on me');
    await police.getByRole('link', { name: ref }).click();
    await arrive(police, "Your agency's return");
    await police.getByRole('link', { name: 'upload a chronology file' }).click();
    await arrive(police, 'Upload a chronology file');
    await police
      .getByLabel('Chronology file')
      .setInputFiles({ name: 'police.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    await police.getByRole('button', { name: 'Upload file' }).click();
    await verifyOnPage(police, 'Upload a chronology file');
    await expect
      .poll(() => police.locator('.govuk-error-summary').textContent())
      .toContain('Nothing was saved');
    await expect
      .poll(() => police.locator('.app-upload-problems').textContent())
      .toContain('row 3, column "date"');
    await expectNoAxeViolations(police);
    await police
      .getByLabel('Chronology file')
      .setInputFiles({ name: 'police.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
    await police.getByRole('button', { name: 'Upload file' }).click();
    await arrive(police, "Your agency's return");
    await expect
      .poll(() => police.locator('.govuk-notification-banner').textContent())
      .toContain('2 entries added');
    await police.getByRole('link', { name: 'Check your answers' }).click();
    await arrive(police, 'Check your answers');
    await police.getByRole('button', { name: 'Submit the return' }).click();
    await arrive(police, "Your agency's return");
    await expect
      .poll(() => police.locator('.govuk-summary-list').first().textContent())
      .toContain('Submitted');

    // The health visiting lead enters by form, answers the self-analysis, and submits.
    const hv = await signIn('hv.lead@demo.example');
    await hv.goto(`${base}/reviews/${ref}/return`);
    await arrive(hv, "Your agency's return");
    await hv.getByRole('link', { name: 'Add an entry' }).click();
    await arrive(hv, 'Add an entry');
    await hv.locator('#date-day').fill('24');
    await hv.locator('#date-month').fill('9');
    await hv.locator('#date-year').fill('2019');
    await hv.getByLabel('Kind of event').selectOption('developmental_check');
    await hv.getByLabel('What happened').fill('Two-year review: speech delay noted.');
    await hv.locator('#child_seen').check();
    await hv.getByLabel('Developmental delay').check();
    await hv.getByRole('button', { name: 'Save entry' }).click();
    await arrive(hv, "Your agency's return");
    await hv.getByRole('link', { name: 'Self-analysis' }).click();
    await arrive(hv, 'Was the child seen and heard?');
    await hv.getByLabel('What went well').fill('The delay was noticed.');
    await hv.getByRole('button', { name: 'Save and continue' }).click();
    await arrive(hv, 'Did agencies share information?');
    // The last key line of enquiry saved: on to check your answers, where the return is submitted.
    await hv.getByRole('button', { name: 'Save' }).click();
    await arrive(hv, 'Check your answers');
    await hv.getByRole('button', { name: 'Submit the return' }).click();
    await arrive(hv, "Your agency's return");

    // The coordinator accepts both (one from the requests list itself, one from its own page) and
    // sees the merged table and the timeline.
    await coordinator.goto(`${base}/reviews/${ref}/requests`);
    await verifyOnPage(coordinator, 'Agency requests');
    await expectNoAxeViolations(coordinator);
    await coordinator
      .getByRole('button', { name: 'Accept the return of Northshire Police into the merged chronology' })
      .click();
    await verifyOnPage(coordinator, 'Agency requests');
    expect(await coordinator.locator('.govuk-notification-banner').textContent()).toContain(
      'Return accepted into the merged chronology',
    );
    await coordinator.getByRole('link', { name: 'Northshire Health Visiting Service', exact: true }).click();
    await arrive(coordinator, 'Northshire Health Visiting Service');
    await coordinator.getByRole('button', { name: 'Accept into the merged chronology' }).click();
    await arrive(coordinator, 'Agency requests');
    await coordinator.getByRole('link', { name: 'Chronology', exact: true }).click();
    await arrive(coordinator, 'Merged chronology');
    expect(await coordinator.locator('table.app-merged tbody tr').count()).toBe(3);
    expect(await coordinator.locator('svg.app-timeline__svg .app-timeline__marker').count()).toBe(3);
    await expect.poll(() => coordinator.locator('#timeline-summary').textContent()).toContain('3 entries');
    await coordinator.getByRole('link', { name: 'Show the named view' }).click();
    await arrive(coordinator, "Show the child's identifiable details?");

    // The SMTP server received the two requests (the e-mail job sends the outbox).
    await dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'no-reply@demo.example' }),
      () => new Date(),
    );
    // (The demonstration partnership's own queued messages go too; this review's are counted.)
    const ours = smtp.received.filter((m) => m.subject.includes(ref));
    expect(ours.map((m) => m.to[0]).sort()).toEqual(['hv.lead@demo.example', 'police.lead@demo.example']);
    for (const m of ours) {
      expect(m.subject).toBe(`Information request for review ${ref}`);
      expect(m.raw).not.toContain('Infant 8');
    }
  });
});
