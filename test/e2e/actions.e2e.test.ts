import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';

const REF = 'LOS-2021-002';

/**
 * The action plan as three people use it: the coordinator adds a police action with a success
 * measure and changes its details, the police lead records progress with a file of evidence, the
 * coordinator assures it, an audit round shows on the chart, and the audit is unlinked from an
 * action and linked again. Every page is checked with axe.
 */
describe('actions journey in Chromium', { timeout: 300_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited = new Set<string>();

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
    const path = new URL(page.url()).pathname;
    if (!visited.has(path)) {
      visited.add(path);
      await expectNoAxeViolations(page);
    }
  }

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
    return page;
  }

  it('adds, changes, updates with evidence, assures, charts an audit and unlinks it, every page accessible', async () => {
    const result = (await t.database.db.execute(
      sql`select id from users where email = 'police.lead@demo.example'`,
    )) as unknown as { rows: { id: string }[] };
    const policeLeadId = result.rows[0]!.id;

    // The coordinator adds an action for police with a success measure.
    const coordinator = await signIn('coordinator@demo.example');
    await coordinator.getByRole('link', { name: 'Actions', exact: true }).first().click();
    await arrive(coordinator, 'Actions');
    await coordinator.goto(`${base}/reviews/${REF}/actions`);
    await arrive(coordinator, 'Action plan');
    await coordinator.getByRole('button', { name: 'Add an action' }).click();
    await arrive(coordinator, 'Add an action');
    await coordinator.getByRole('button', { name: 'Add action' }).click();
    await arrive(coordinator, 'Add an action');
    await expect.poll(() => coordinator.locator('.govuk-error-summary').isVisible()).toBe(true);
    await expectNoAxeViolations(coordinator);
    await coordinator
      .getByLabel('What will be done')
      .fill('Check every domestic abuse report for children at the address');
    await coordinator.getByLabel('Owning agency').selectOption('police');
    await coordinator.getByLabel('Named lead').selectOption(policeLeadId);
    await coordinator.locator('#dueDate-day').fill('31');
    await coordinator.locator('#dueDate-month').fill('3');
    await coordinator.locator('#dueDate-year').fill('2030');
    await coordinator
      .getByLabel('Success measure')
      .fill('95% of domestic abuse reports in a dip-sample audit record the children at the address');
    await coordinator.getByRole('button', { name: 'Add action' }).click();
    await arrive(coordinator, 'Check every domestic abuse report for children at the address');
    const actionUrl = coordinator.url();

    // The coordinator changes its details: an error first, then a new due date and measure.
    await coordinator.getByRole('link', { name: 'Change details' }).click();
    await arrive(coordinator, "Change the action's details");
    expect(await coordinator.getByLabel('Owning agency').inputValue()).toBe('police');
    await coordinator.getByLabel('Success measure').fill('');
    await coordinator.getByRole('button', { name: 'Save changes' }).click();
    await verifyOnPage(coordinator, "Change the action's details");
    await expect
      .poll(() => coordinator.locator('.govuk-error-summary').textContent())
      .toContain('Enter the success measure: how you will know the action worked');
    await expectNoAxeViolations(coordinator);
    await coordinator
      .getByLabel('Success measure')
      .fill('95% of domestic abuse reports in two dip-sample audits record the children at the address');
    await coordinator.locator('#dueDate-month').fill('6');
    await coordinator.locator('#dueDate-day').fill('30');
    await coordinator.getByRole('button', { name: 'Save changes' }).click();
    await verifyOnPage(coordinator, 'Check every domestic abuse report for children at the address');
    await expect
      .poll(() => coordinator.locator('.govuk-notification-banner').textContent())
      .toContain('Action details changed');
    expect(await coordinator.locator('.govuk-summary-list').textContent()).toContain('30 June 2030');
    expect(coordinator.url()).toBe(actionUrl);

    // The police lead records progress with a file of evidence.
    const police = await signIn('police.lead@demo.example');
    await police.goto(actionUrl);
    await arrive(police, 'Check every domestic abuse report for children at the address');
    await police.getByLabel('What has been done').fill('Checklist added to the domestic abuse report');
    await police.getByLabel('Completed').check();
    await police.getByLabel('Evidence', { exact: true }).fill('Checklist in use from 1 March');
    await police.getByLabel('Evidence file').setInputFiles({
      name: 'checklist.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Children at the address: names, ages, seen or not seen.'),
    });
    await police.getByRole('button', { name: 'Save update' }).click();
    await verifyOnPage(police, 'Check every domestic abuse report for children at the address');
    await expect
      .poll(() => police.locator('.govuk-notification-banner').textContent())
      .toContain('Update recorded');
    await expect
      .poll(() => police.locator('.moj-timeline__title').first().textContent())
      .toBe('Not started to Completed');
    await expect.poll(() => police.getByRole('link', { name: 'checklist.txt' }).count()).toBe(1);
    await expectNoAxeViolations(police);

    // The coordinator assures it.
    await coordinator.goto(actionUrl);
    await coordinator.getByLabel('What has been done').fill('Measure met: audit of 40 reports, 39 compliant');
    await coordinator.getByLabel('Assured').check();
    await coordinator.getByRole('button', { name: 'Save update' }).click();
    await expect
      .poll(() => coordinator.locator('.moj-timeline__title').first().textContent())
      .toBe('Completed to Assured');
    await expect.poll(() => coordinator.locator('h1 + p .govuk-tag').first().textContent()).toBe('Assured');
    await expectNoAxeViolations(coordinator);

    // An audit round, and the chart with its table.
    await coordinator.goto(`${base}/audits`);
    await arrive(coordinator, 'Audits of practice');
    await coordinator
      .getByRole('link', { name: 'Were the children in the household recorded on the crime report?' })
      .click();
    await arrive(coordinator, 'Were the children in the household recorded on the crime report?');
    await coordinator.locator('#roundDate-day').fill('31');
    await coordinator.locator('#roundDate-month').fill('3');
    await coordinator.locator('#roundDate-year').fill('2022');
    await coordinator.getByLabel('Number sampled').fill('50');
    await coordinator.getByLabel('Number compliant').fill('49');
    await coordinator.getByRole('button', { name: 'Record round' }).click();
    await expect
      .poll(() => coordinator.locator('.govuk-notification-banner').textContent())
      .toContain('Round recorded');
    const chart = coordinator.getByRole('img', { name: 'Percentage compliant by round' });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await coordinator.locator('svg circle').count()).toBe(3);
    expect(await coordinator.locator('#chart-desc').textContent()).toContain('31 March 2022 98% (49 of 50)');
    expect(await coordinator.locator('table tbody tr').count()).toBe(3);
    await expectNoAxeViolations(coordinator);

    // Unlink the audit from Child 2's first action, then link it again.
    await coordinator.getByRole('button', { name: `Unlink ${REF} A1` }).click();
    await expect
      .poll(() => coordinator.locator('.govuk-notification-banner').textContent())
      .toContain('Audit unlinked from the action');
    expect(await coordinator.getByRole('button', { name: `Unlink ${REF} A1` }).count()).toBe(0);
    await expectNoAxeViolations(coordinator);
    const first = await coordinator
      .locator('#actionId option', { hasText: `${REF} A1:` })
      .getAttribute('value');
    await coordinator.getByLabel('Action', { exact: true }).selectOption(first!);
    await coordinator.getByRole('button', { name: 'Link action' }).click();
    await expect
      .poll(() => coordinator.locator('.govuk-notification-banner').textContent())
      .toContain('Audit linked to the action');
    expect(await coordinator.getByRole('button', { name: `Unlink ${REF} A1` }).count()).toBe(1);

    await coordinator.goto(`${base}/reviews/${REF}/progress`);
    await arrive(coordinator, 'Progress and impact');
    expect(await coordinator.locator('ul.govuk-list--bullet').first().textContent()).toContain(
      'An action plan has been developed and implemented',
    );
  });
});
