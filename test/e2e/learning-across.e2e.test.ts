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
 * A board member in Chromium: the dashboard (each figure a chart drawn on the server, its summary
 * and its table), filtered by period and agency, its print view, the same page with scripts off;
 * then a review's learning, where a theme learned before links to the earlier review, and the
 * repeat-learning warning lists the earlier actions. Every page visited is checked with axe.
 */
describe('learning across reviews in Chromium', { timeout: 300_000 }, () => {
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

  it('reads the dashboard, filters it, prints it, and follows a theme back to the review that learned it before', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'board@demo.example');
    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    await arrive(page, 'Dashboard');
    const figures = page.locator('section.app-dashboard-figure');
    expect(await figures.count()).toBe(6);
    expect(await page.locator('section.app-dashboard-figure svg').count()).toBe(6);
    const themes = page.locator('#themes-table');
    expect(await themes.locator('tbody tr').first().locator('th').textContent()).toBe(
      'Professional curiosity and healthy scepticism',
    );
    expect(await page.locator('#themes-summary').textContent()).toContain('a theme came back');

    await page.getByLabel('From the year').selectOption('2022');
    await page.getByLabel('To the year').selectOption('2023');
    await page.getByLabel('Agency', { exact: true }).selectOption({ label: 'Northshire Police' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await arrive(page, 'Dashboard');
    expect(new URL(page.url()).search).toBe('?from=2022&to=2023&agency=police');
    expect(await page.locator('h1 + p').textContent()).toContain('from 2022 to 2023, for Northshire Police');
    expect(await page.locator('#themes-table thead th').allTextContents()).toEqual([
      'Theme',
      '2022',
      '2023',
      'Total',
    ]);

    await page.getByRole('link', { name: 'Print view for the board paper' }).click();
    await arrive(page, /^Learning reviews: dashboard for the board/);
    expect(await page.locator('a[download]').count()).toBe(0);

    // The themes figure's reviews lead to their learning; a theme learned before links back.
    await page.goto(`${base}/reviews/LOS-2024-001/learning`);
    await arrive(page, 'Learning');
    const card = page.locator('.govuk-summary-card', { hasText: 'Find out what a day is like' });
    await expect
      .poll(() => card.locator('.govuk-summary-list__row', { hasText: 'Learned before' }).textContent())
      .toContain('This learning appeared in');
    const warning = page.locator('.app-repeat-warning').first();
    expect(await warning.textContent()).toContain('why they did not work');
    expect(await warning.textContent()).toContain('LOS-2021-002 action A1');
    await card.getByRole('link', { name: 'LOS-2022-001' }).first().click();
    await arrive(page, 'Learning');
    expect(new URL(page.url()).pathname).toBe('/reviews/LOS-2022-001/learning');
    await context.close();
  });

  it('shows every chart and table with scripts off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'board@demo.example');
    await page.goto(`${base}/dashboard`);
    await verifyOnPage(page, 'Dashboard');
    expect(await page.locator('section.app-dashboard-figure svg').count()).toBe(6);
    expect(await page.locator('table.app-dashboard-table').count()).toBeGreaterThanOrEqual(6);
    await context.close();
  });
});
