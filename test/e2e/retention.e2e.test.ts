import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  answerSecondFactor,
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
} from '../support/browser.ts';

/**
 * The administrator's retention and subject access pages in Chromium: a legal hold placed and
 * released, a period refused outside its bounds, a subject access ZIP downloaded. Axe on each page
 * and each state.
 */
describe('retention and subject access pages, in Chromium', { timeout: 240_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
    return page;
  }

  it('the administrator holds a review, is refused a period out of bounds, and releases the hold', async () => {
    const page = await signIn('admin@demo.example');
    await page.goto(`${base}/admin/retention`);
    await verifyOnPage(page, 'Retention');
    await expectNoAxeViolations(page);
    await page.getByLabel('Review reference').fill('LOS-2021-002');
    await page.getByLabel('Why it is held').fill('Inquest pending');
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    await verifyOnPage(page, 'Retention');
    expect(await page.locator('main table').filter({ hasText: 'Inquest pending' }).count()).toBe(1);
    await expectNoAxeViolations(page);

    await page.getByLabel('Period in days (7 to 730 days)').fill('3');
    await page.getByRole('button', { name: 'Change the period' }).nth(4).click();
    expect((await page.locator('.govuk-error-summary li').allTextContents()).map((t) => t.trim())).toEqual([
      'E-mail sent: the period must be a whole number of days from 7 to 730.',
    ]);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Release the hold on LOS-2021-002' }).click();
    expect(await page.locator('main').textContent()).toContain('No review is held.');
    await page.context().close();
  });

  it('the administrator downloads a subject access ZIP', async () => {
    const page = await signIn('admin@demo.example');
    await page.goto(`${base}/admin/subject-access`);
    await verifyOnPage(page, 'Subject access');
    await expectNoAxeViolations(page);
    await page
      .getByLabel("Or a child or a member of a child's household: their full name, as recorded")
      .fill('Testchild Two Example');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the ZIP' }).click();
    expect((await download).suggestedFilename()).toMatch(/^subject-access-\d{4}-\d{2}-\d{2}\.zip$/);
    await page.context().close();
  });
});
