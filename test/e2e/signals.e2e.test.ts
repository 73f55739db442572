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

  it('filters the signals, follows one to its evidence, dismisses it on its own page and sees it on the timeline', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'coordinator@demo.example');
    await page.goto(`${base}/reviews/LOS-2021-002/signals`);
    await arrive(page, 'Practice signals');
    // At 1280 px the identity bar's stage tag keeps to one line.
    await page.setViewportSize({ width: 1280, height: 800 });
    const tag = page.locator('.moj-identity-bar .govuk-tag').first();
    // The tag's own line height, read in the page (Node's types have no DOM).
    type InPage = {
      ownerDocument: { defaultView: { getComputedStyle(e: unknown): { lineHeight: string } } };
    };
    const lineHeight = await tag.evaluate((el) =>
      parseFloat((el as unknown as InPage).ownerDocument.defaultView.getComputedStyle(el).lineHeight),
    );
    expect((await tag.boundingBox())!.height).toBeLessThan(lineHeight * 2);
    // At 375 px the table scrolls sideways inside its own pane, which fits the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    const pane = page.locator('.moj-scrollable-pane').first();
    expect(await pane.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect((await pane.boundingBox())!.width).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 800 });
    const rows = page.locator('tbody tr');
    const all = await rows.count();
    expect(all).toBeGreaterThan(1);
    // Filtered by rule: only that rule's signals stay, and the filter says what it shows.
    const rule = (await page.locator('select#rule option').nth(1).getAttribute('value'))!;
    await page.getByLabel('Rule').selectOption(rule);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await arrive(page, 'Practice signals');
    expect(await page.locator('caption').textContent()).toContain(`of ${all} signals`);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    expect(await rows.count()).toBe(all);

    const first = rows.first();
    const id = await first.getAttribute('id');
    const key = id!.replace(/^signal-/, '');
    await first.getByRole('link').click();
    await verifyOnPage(page, /\d{4}/);
    await expectNoAxeViolations(page);
    expect(new URL(page.url()).pathname).toBe(`/reviews/LOS-2021-002/signals/${key}`);

    await page.locator('.govuk-summary-list dd a').first().click();
    await verifyOnPage(page, 'Merged chronology');
    expect(page.url()).toMatch(/\/reviews\/LOS-2021-002\/chronology\?from=.*#entry-/);
    // The evidence is on the page the link leads to, with the signal markers on the timeline.
    const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(await page.locator(`[id="${anchor}"]`).count()).toBe(1);
    await expectNoAxeViolations(page);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);

    await page.goBack();
    await page.getByLabel('Dismiss').check();
    await page.getByRole('button', { name: 'Save decision' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter why you are dismissing this signal',
    );
    await expectNoAxeViolations(page);

    await page
      .getByLabel('Reason')
      .fill('Seen by the school nurse in this period; not recorded in the returns.');
    await page.getByRole('button', { name: 'Save decision' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Signal dismissed');
    // The saved decision is selected on the signal's page.
    expect(await page.getByLabel('Dismiss').isChecked()).toBe(true);
    expect(await page.locator('.govuk-summary-list').textContent()).toContain(
      'Seen by the school nurse in this period',
    );
    await expectNoAxeViolations(page);

    await page.goto(`${base}/reviews/LOS-2021-002/chronology`);
    await verifyOnPage(page, 'Merged chronology');
    // The timeline's signal markers, and their list in words with dates beneath the picture.
    expect(
      await page
        .locator(`.app-timeline a.govuk-link[href="/reviews/LOS-2021-002/signals/${key}"]`)
        .textContent(),
    ).toMatch(/^\d{1,2} \w+ \d{4}: .*\(dismissed\)$/);
    expect(await page.locator('.app-timeline__signal').count()).toBeGreaterThan(0);
    // Each entry's marker is a link to its row in the table.
    const marker = page.locator('svg .app-timeline__link[href*="#entry-"]').first();
    const href = (await marker.getAttribute('href'))!;
    await marker.click();
    await verifyOnPage(page, 'Merged chronology');
    const row = decodeURIComponent(href.slice(href.indexOf('#') + 1));
    expect(await page.locator(`tr[id="${row}"]`).count()).toBe(1);
    await expectNoAxeViolations(page);
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
    // The load is a job, run off the request: once it has run, the page says so when refreshed.
    await t.services.monitoring.runQueued();
    await page.reload();
    expect(await page.locator('#import-progress').textContent()).toMatch(/^Finished: loaded \d+ rows/);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Re-referral clinic' }).last().click();
    await arrive(page, 'Re-referral clinic');
    expect(await page.locator('tbody th').allTextContents()).toEqual(['C-000101']);
    await page.getByRole('link', { name: 'C-000101' }).click();
    await arrive(page, 'Child C-000101');
    await page.getByRole('link', { name: 'Check and challenge' }).click();
    await arrive(page, 'Check and challenge');
  });
});
