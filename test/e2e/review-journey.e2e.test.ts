import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { londonDate } from '../../src/domain/calendar/iso-date.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';

/** A coordinator's first morning: sign in, refer a case, screen it, set its terms, see it on the hub. */
describe('review journey in Chromium', { timeout: 240_000 }, () => {
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

  /** Every page the journey lands on is checked with axe once. */
  async function arrive(page: Page, heading: string | RegExp) {
    await verifyOnPage(page, heading);
    const path = new URL(page.url()).pathname;
    if (!visited.has(path)) {
      visited.add(path);
      await expectNoAxeViolations(page);
    }
  }

  /** A tab of the review's sections (the overview may link to the same page in its own words). */
  const tab = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Review sections' }).getByRole('link', { name, exact: true });

  async function signIn(page: Page, email: string) {
    await page.goto(`${base}/sign-in`);
    await arrive(page, 'Sign in to Line of Sight');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
  }

  it('refers, screens and scopes a review, every page accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'coordinator@demo.example');
    await arrive(page, 'Reviews');
    // The coordinator sees every review of the partnership.
    const [all] = (
      (await t.database.db.execute(sql`select count(*)::int as n from reviews`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows;
    expect(await page.locator('tbody tr').count()).toBe(all!.n);

    await page.getByRole('button', { name: 'Refer a case' }).click();
    await arrive(page, 'Refer a case for a learning review');
    // Sent empty first: the error summary names each problem and links to its field.
    await page.getByRole('button', { name: 'Send referral' }).click();
    await arrive(page, 'Refer a case for a learning review');
    await expect.poll(() => page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await expectNoAxeViolations(page);

    const [y, m, d] = londonDate(new Date()).split('-');
    await page.getByLabel('Referring agency').selectOption('school');
    await page.locator('#referredOn-day').fill(d!);
    await page.locator('#referredOn-month').fill(m!);
    await page.locator('#referredOn-year').fill(y!);
    await page.getByLabel('Name the review will use for the child').fill('Child 21');
    await page.getByLabel("Child's full name").fill('Testchild Twentyone Example');
    await page.getByLabel('Northshire Police').check();
    await page.getByLabel('Northshire schools and nurseries').check();
    await page
      .getByLabel('What happened')
      .fill('Attendance fell to 60% over a term; two police call-outs to the home.');
    await page
      .getByLabel('Why you think the case holds learning')
      .fill('Operation Encompass notifications were late.');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await arrive(page, 'Overview');
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain('Referral received');
    const ref = new URL(page.url()).pathname.split('/').pop()!;

    await page.getByRole('button', { name: 'Move to screening' }).click();
    await tab(page, 'Screening').click();
    await arrive(page, 'Screening decision');
    await page.getByLabel('Line of Sight review').check();
    await page.getByLabel('Rationale').fill('Missed opportunities across education and police.');
    await page.getByLabel('Decision maker').fill('Chair of the Safeguarding Review Group');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, 'Overview');
    await page.getByRole('button', { name: 'Move to terms of reference' }).click();

    await tab(page, 'Terms of reference').click();
    await arrive(page, 'Terms of reference');
    await page.locator('#periodFrom-day').fill('1');
    await page.locator('#periodFrom-month').fill('9');
    await page.locator('#periodFrom-year').fill('2024');
    await page.locator('#periodTo-day').fill('31');
    await page.locator('#periodTo-month').fill('7');
    await page.locator('#periodTo-year').fill('2025');
    await page.getByLabel('Northshire Police').check();
    await page.getByLabel('Northshire schools and nurseries').check();
    await page.getByRole('button', { name: 'Save terms of reference' }).click();
    for (const question of [
      'Were Operation Encompass notifications timely?',
      "Was the child's voice heard at school?",
    ]) {
      await page.getByLabel('Add a key line of enquiry').fill(question);
      await page.getByRole('button', { name: 'Add key line of enquiry' }).click();
      await arrive(page, 'Terms of reference');
    }
    await expect.poll(() => page.locator('#lines-of-enquiry + ol > li').count()).toBe(2);
    await page.getByRole('link', { name: 'Change key line of enquiry 2' }).click();
    await arrive(page, 'Change a key line of enquiry');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await tab(page, 'Overview').click();
    await page.getByRole('button', { name: 'Move to information gathering' }).click();
    await arrive(page, 'Overview');
    expect(await page.locator('.moj-identity-bar').textContent()).toContain('Information gathering');

    for (const name of ['Referral', 'Agencies and people', 'History']) {
      await tab(page, name).click();
      await arrive(page, name);
    }
    await page.goto(`${base}/reviews/${ref}/referral`);
    await page.getByRole('button', { name: 'Show identifiable details' }).click();
    await arrive(page, 'Referral');
    expect(await page.locator('.app-restricted').textContent()).toContain('Testchild Twentyone Example');
    await page.close();
  });

  it('shows an agency lead who is not a member the "you do not have access" page', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'hv.lead@demo.example');
    await arrive(page, 'Reviews');
    const res = await page.goto(`${base}/reviews/LOS-2021-002`);
    expect(res?.status()).toBe(200);
    const child7 = await otherReference();
    expect(child7).toBeDefined();
    const refused = await page.goto(`${base}/reviews/${child7}`);
    expect(refused?.status()).toBe(403);
    await arrive(page, 'You do not have access');
    await page.close();
  });

  it('lets an administrator read the audit log, and every page works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('admin@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'admin@demo.example');
    await verifyOnPage(page, 'Reviews');
    await page.getByRole('link', { name: 'Admin' }).click();
    await verifyOnPage(page, 'Audit log');
    await page.getByLabel('Person', { exact: true }).fill('coordinator@demo.example');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const whos = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(whos.length).toBeGreaterThan(0);
    // The log names people as they are now known, by name.
    const [coordinator] = (
      (await t.database.db.execute(
        sql`select name from users where email = 'coordinator@demo.example'`,
      )) as unknown as { rows: { name: string }[] }
    ).rows;
    expect(new Set(whos)).toEqual(new Set([coordinator!.name]));
    await page.getByRole('link', { name: 'People and roles' }).click();
    await verifyOnPage(page, 'People and roles');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await verifyOnPage(page, 'Sign in to Line of Sight');
    await context.close();

    // And the admin pages pass axe with scripts on.
    const checked = await (await browser.newContext()).newPage();
    await signIn(checked, 'admin@demo.example');
    for (const [path, heading] of [
      ['/admin/audit', 'Audit log'],
      ['/admin/audit/identifiable-views?review=LOS-2021-002', "Who has seen a child's identifiable details"],
      ['/admin/users', 'People and roles'],
      ['/admin/users/new', 'Add a person'],
      ['/admin/agencies', 'Agencies'],
    ]) {
      await checked.goto(`${base}${path}`);
      await arrive(checked, heading!);
    }
    await checked.goto(`${base}/reviews/nothing-here`);
    await arrive(checked, 'Page not found');
    await checked.close();
  });

  async function otherReference(): Promise<string | undefined> {
    const result = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Child 7'`,
    )) as unknown as {
      rows: { reference: string }[];
    };
    return result.rows[0]?.reference;
  }
});
