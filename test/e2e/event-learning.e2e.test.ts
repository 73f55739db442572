import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';
import { reviewAtStage } from '../support/learning.ts';

const REF = 'LOS-2021-002';

/** The chair after the event: attendance, an episode on its evidence, learning with two themes, traceability. */
describe('event and learning journey in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let entryId: string;
  const visited = new Set<string>();

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    // The demo review has moved on to impact; this journey happens at the event stage.
    ({ entryId } = await reviewAtStage(t, REF, 'event'));
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
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

  it('records attendance, an episode linked to the chronology, learning with two themes, and traces them', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('coordinator@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'coordinator@demo.example');

    await page.goto(`${base}/reviews/${REF}/event`);
    await arrive(page, 'Line of Sight event');
    await page.getByLabel('Agency').selectOption('police');
    await page.getByLabel('Name', { exact: true }).fill('PC Journey Officer');
    await page.getByLabel('Practitioner', { exact: true }).check();
    await page.getByRole('button', { name: 'Add invitee' }).click();
    await arrive(page, 'Line of Sight event');
    await page.getByLabel('Attendance of PC Journey Officer').selectOption('attended');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await arrive(page, 'Line of Sight event');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('Attendance recorded');
    expect(await page.locator('caption', { hasText: 'Northshire Police' }).textContent()).toContain(
      '4 of 4 attended',
    );
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Pre-reading pack for invitees' }).click();
    await arrive(page, 'Pre-reading pack');

    await page.goto(`${base}/reviews/${REF}/episodes`);
    await arrive(page, 'Key practice episodes');
    await page.getByRole('button', { name: 'Add a key practice episode' }).click();
    await arrive(page, 'Add a key practice episode');
    expect(await page.locator('.govuk-inset-text').textContent()).toContain('not individuals to blame');
    await page.getByRole('button', { name: 'Save episode' }).click();
    await arrive(page, 'Add a key practice episode');
    await expect.poll(() => page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByLabel('Title').fill('Police call-outs did not record the child in the household');
    await page.getByLabel('Area for improvement').check();
    await page
      .getByLabel('What happened')
      .fill('Officers attended several times; the incident form did not ask about children.');
    await page.locator(`input[name="entryIds"][value="${entryId}"]`).check();
    await page
      .getByLabel('5. Recording by the police whether the child was present during reported incidents')
      .check();
    await page.getByRole('button', { name: 'Save episode' }).click();
    await arrive(page, 'Key practice episodes');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('Key practice episode added');

    await page.goto(`${base}/reviews/${REF}/learning`);
    await arrive(page, 'Learning');
    await page.getByRole('button', { name: 'Add learning' }).click();
    await arrive(page, 'Add learning');
    await page
      .getByLabel('Learning', { exact: true })
      .fill('Every incident form asks who lives in the household, including children');
    await page.getByLabel('Recording and chronologies').check();
    await page.getByLabel('Voice and lived experience of the child').check();
    await page.getByLabel('Police call-outs did not record the child in the household').check();
    await page.getByRole('button', { name: 'Save learning' }).click();
    await arrive(page, 'Learning');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('Learning added');
    const card = page.locator('.govuk-summary-card', {
      hasText: 'Every incident form asks who lives in the household',
    });
    expect(await card.locator('.app-theme-tag').allTextContents()).toEqual([
      'Recording and chronologies',
      'Voice and lived experience of the child',
    ]);

    await page.getByRole('link', { name: /^Traceability/ }).click();
    await arrive(page, 'Traceability');
    const row = page.locator('tr', { hasText: 'Recording by the police whether the child was present' });
    expect(await row.textContent()).toContain('Police call-outs did not record the child in the household');
    expect(await row.textContent()).toContain('Every incident form asks who lives in the household');
    await page.getByRole('link', { name: 'Print view' }).click();
    await arrive(page, `${REF} Child 2: traceability`);
  });

  it('lets the administrator manage the themes, accessibly', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('admin@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'admin@demo.example');
    await page.goto(`${base}/admin/themes`);
    await arrive(page, 'Learning themes');
    await page.getByLabel('Name').fill('Young carers');
    await page.getByRole('button', { name: 'Add theme' }).click();
    await arrive(page, 'Learning themes');
    await page.getByRole('link', { name: 'Change Young carers' }).click();
    await arrive(page, 'Change a learning theme');
    await page.getByRole('button', { name: 'Retire theme' }).click();
    await arrive(page, 'Learning themes');
    expect(await page.locator('tr', { hasText: 'Young carers' }).textContent()).toContain('Retired');
  });
});
