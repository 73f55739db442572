import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';

const MONITORING_CSV = [
  'child,date,agency,event_type,summary,concerns,source_ref',
  'C-000101,2024-01-10,csc,referral,Referral from school,neglect,R1',
  'C-000101,2024-05-02,csc,referral,Second referral from school,neglect,R2',
  'C-000102,2024-02-01,csc,referral,Referral from GP,,R3',
].join('\n');

/** A reviewer weighs the demo review's signals; the front door opens its re-referral clinic. */
describe('practice signals in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function arrive(page: Page, heading: string | RegExp) {
    await verifyOnPage(page, heading);
    await expectNoAxeViolations(page);
  }

  async function signIn(page: Page, email: string) {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
  }

  it('follows a signal to its evidence, dismisses one with a reason and sees it on the timeline', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'coordinator@demo.example');
    await page.goto(`${base}/reviews/LOS-2021-002/signals`);
    await arrive(page, 'Practice signals');
    const cards = page.locator('.govuk-summary-card');
    expect(await cards.count()).toBeGreaterThan(0);
    const first = cards.first();
    const id = await first.getAttribute('id');

    await first.locator('dd a').first().click();
    await verifyOnPage(page, 'Merged chronology');
    expect(page.url()).toMatch(/\/reviews\/LOS-2021-002\/chronology\?from=.*#entry-/);
    // The evidence is on the page the link leads to, with the signal markers on the timeline.
    const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(await page.locator(`[id="${anchor}"]`).count()).toBe(1);
    await expectNoAxeViolations(page);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);

    await page.goBack();
    await verifyOnPage(page, 'Practice signals');
    const card = page.locator(`#${id}`);
    await card.getByLabel('Dismiss').check();
    await card.getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, 'Practice signals');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter why you are dismissing this signal',
    );

    await page.locator(`#${id}`).getByLabel('Dismiss').check();
    await page
      .locator(`#${id}`)
      .getByLabel('Reason')
      .fill('Seen by the school nurse in this period; not recorded in the returns.');
    await page.locator(`#${id}`).getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, 'Practice signals');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Signal dismissed');
    expect(await page.locator(`#${id}`).textContent()).toContain('Seen by the school nurse in this period');

    await page.goto(`${base}/reviews/LOS-2021-002/chronology`);
    await verifyOnPage(page, 'Merged chronology');
    // The timeline's signal markers, and their list in words beneath the picture.
    expect(await page.locator(`.app-timeline a.govuk-link[href$="#${id}"]`).textContent()).toContain(
      '(dismissed)',
    );
    expect(await page.locator('.app-timeline__signal').count()).toBeGreaterThan(0);
  });

  it('loads monitoring data and opens the re-referral clinic', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'coordinator@demo.example');
    await page.getByRole('link', { name: 'Front door lists' }).click();
    await arrive(page, 'Re-referral clinic');
    await page.getByRole('link', { name: 'Monitoring data', exact: true }).click();
    await arrive(page, 'Monitoring data');
    await page.getByLabel('Chronology CSV with a child column').setInputFiles({
      name: 'nightly.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(MONITORING_CSV),
    });
    await page.getByRole('button', { name: 'Load and scan' }).click();
    await arrive(page, 'Load of nightly.csv');
    await page.getByRole('link', { name: 'Re-referral clinic' }).last().click();
    await arrive(page, 'Re-referral clinic');
    expect(await page.locator('tbody th').allTextContents()).toEqual(['C-000101']);
    await page.getByRole('link', { name: 'C-000101' }).click();
    await arrive(page, 'Child C-000101');
    await page.getByRole('link', { name: 'Check and challenge' }).click();
    await arrive(page, 'Check and challenge');
  });
});
