import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';
import { IDENTIFYING_DETAILS, identifyingBriefing } from '../briefing/identifying-briefing.ts';

/**
 * Loading an existing briefing in Chromium: the identifying-details check's findings on the
 * preview before anything is saved, the draft kept out of the library, each finding accepted with
 * a reason, then published. Every page visited is checked with axe.
 */
describe('library import gate in Chromium', { timeout: 300_000 }, () => {
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

  it('shows the findings before saving, keeps a draft out of the library, and publishes once each is accepted', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('coordinator@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'coordinator@demo.example');
    await page.goto(`${base}/library/import`);
    await arrive(page, 'Load an existing briefing');

    await page.getByLabel('Briefing file').setInputFiles({
      name: 'child-2.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(identifyingBriefing()),
    });
    await page.getByRole('button', { name: 'Read the briefing' }).click();
    await arrive(page, 'Check the imported briefing');
    const findings = page.locator('#identifying-details');
    await expect
      .poll(() => findings.textContent())
      .toContain(`${IDENTIFYING_DETAILS.length} identifying details found`);
    for (const d of IDENTIFYING_DETAILS) expect(await findings.textContent()).toContain(`"${d.text}"`);
    expect(await page.getByRole('button', { name: 'Publish to the library' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await arrive(page, 'Child 2');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('saved as a draft');
    await page.getByRole('button', { name: 'Publish to the library' }).click();
    await arrive(page, 'Child 2');
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('must be fixed or accepted with a reason');

    for (let left = IDENTIFYING_DETAILS.length; left > 0; left--) {
      const first = page.locator('#findings-list details').first();
      await first.locator('summary').click();
      await first
        .getByLabel('Why this can stay in the published briefing')
        .fill('A training copy with invented details');
      await first.getByRole('button', { name: 'Accept this finding' }).click();
      await verifyOnPage(page, 'Child 2');
    }
    await expect.poll(() => findings.textContent()).toContain('No identifying details left');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Publish to the library' }).click();
    await arrive(page, 'Child 2: 7-minute briefing');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('Briefing published to the library');
  });
});
