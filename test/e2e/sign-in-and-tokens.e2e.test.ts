import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';

/**
 * In Chromium: a refused and a throttled sign-in, then a person makes, sees and revokes an API
 * token, and the administrator finds someone's tokens from People and roles; axe on every page,
 * and the token pages work without JavaScript. The time-out warning with its clock run on, and a
 * form sent after the session ended kept and sent after signing in again (issue 17).
 */
describe('sign-in limits and API tokens in Chromium', { timeout: 120_000 }, () => {
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

  async function signIn(page: Page, email: string, password = 'demo-password-1') {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
  }
  const errors = (page: Page) => page.locator('.govuk-error-summary li').allTextContents();

  it('says a wrong password is not right, then to wait once the account is locked', async () => {
    const page = await (await browser.newContext()).newPage();
    for (let i = 0; i < 4; i++) {
      await signIn(page, 'board@demo.example', `not-the-password-${i}`);
      await verifyOnPage(page, 'Sign in to Line of Sight');
      expect((await errors(page)).map((e) => e.trim())).toEqual([
        'The e-mail address or password is not right',
      ]);
    }
    await expectNoAxeViolations(page);
    await signIn(page, 'board@demo.example', 'not-the-password-4');
    expect((await errors(page)).map((e) => e.trim())).toEqual([
      'There have been too many attempts to sign in. Wait a minute, then try again.',
    ]);
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('board@demo.example');
    await expectNoAxeViolations(page);
    await signIn(page, 'board@demo.example');
    await verifyOnPage(page, 'Sign in to Line of Sight');
    await page.close();
  });

  it('makes, shows once and revokes a token, without JavaScript, every page accessible', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'hv.lead@demo.example');
    await page.getByRole('link', { name: 'Your API tokens' }).click();
    await verifyOnPage(page, 'Your API tokens');
    await page.getByRole('button', { name: 'Create a token' }).click();
    await verifyOnPage(page, 'Create an API token');
    await page.getByRole('button', { name: 'Create token' }).click();
    await verifyOnPage(page, 'Create an API token');
    expect((await errors(page)).map((e) => e.trim())).toEqual([
      'Enter a name for the token, such as the script that will use it',
    ]);
    await page.getByLabel('Name').fill('Weekly upload');
    await page.getByLabel('In 30 days').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await verifyOnPage(page, 'Your new API token');
    const token = (await page.locator('#token').textContent())!.trim();
    expect(token).toMatch(/^los_/);
    const used = await fetch(`${base}/api/v1/reviews`, { headers: { authorization: `Bearer ${token}` } });
    expect(used.status).toBe(200);

    await page.getByRole('link', { name: 'Go to your API tokens' }).click();
    await verifyOnPage(page, 'Your API tokens');
    expect(await page.locator('main').textContent()).not.toContain(token);
    await page.getByRole('button', { name: 'Revoke Weekly upload' }).click();
    await verifyOnPage(page, 'Your API tokens');
    expect(await page.locator('.govuk-notification-banner__content').textContent()).toContain(
      'Token “Weekly upload” revoked',
    );
    const refused = await fetch(`${base}/api/v1/reviews`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    await context.close();

    // The same pages with scripts on, through axe.
    const checked = await (await browser.newContext()).newPage();
    await signIn(checked, 'hv.lead@demo.example');
    for (const [path, heading] of [
      ['/account/api-tokens', 'Your API tokens'],
      ['/account/api-tokens/new', 'Create an API token'],
    ] as const) {
      await checked.goto(`${base}${path}`);
      await verifyOnPage(checked, heading);
      await expectNoAxeViolations(checked);
    }
    await checked.getByLabel('Name').fill('Checked script');
    await checked.getByRole('button', { name: 'Create token' }).click();
    await verifyOnPage(checked, 'Your new API token');
    await expectNoAxeViolations(checked);
    await checked.close();
  });

  it('warns before the time-out, and keeps a form sent after it for its person to send', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.clock.install();
    await signIn(page, 'coordinator@demo.example');
    const { rows } = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Infant 8'`,
    )) as unknown as { rows: { reference: string }[] };
    const ref = rows[0]!.reference;
    await page.goto(`${base}/reviews/${ref}/terms-of-reference`);
    await verifyOnPage(page, 'Terms of reference');
    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
    expect(await dialog.isVisible()).toBe(false);
    // Fifty-eight minutes on: the warning, over the page.
    await page.clock.fastForward('58:00');
    await dialog.waitFor();
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('Background').fill('Typed before lunch: the health visitor saw the baby twice.');
    // The session ends in the database while the page is open (as an hour without a page would).
    await t.database.db.execute(
      sql`update sessions set expires_at = now() - interval '1 second'
           where user_id = (select id from users where email = 'coordinator@demo.example')`,
    );
    await page.getByRole('button', { name: 'Save background and purpose' }).click();
    await verifyOnPage(page, 'Sign in to Line of Sight');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'What you had typed is kept for you.',
    );
    await expectNoAxeViolations(page);
    await page.getByLabel('E-mail address').fill('coordinator@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'coordinator@demo.example');
    await verifyOnPage(page, 'Send what you had typed?');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send it now' }).click();
    await verifyOnPage(page, 'Terms of reference');
    expect(await page.getByLabel('Background').inputValue()).toBe(
      'Typed before lunch: the health visitor saw the baby twice.',
    );
    await expectNoAxeViolations(page);
    await page.goto(`${base}/account/kept-forms`);
    await verifyOnPage(page, 'Forms kept when you were signed out');
    await expectNoAxeViolations(page);

    // A referral of a child who already has a review: warned, with a link, on an accessible page.
    const [child2] = (
      (await t.database.db.execute(
        sql`select r.reference, s.nhs_number as nhs from reviews r join review_subjects s on s.review_id = r.id
             where r.pseudonym = 'Child 2'`,
      )) as unknown as { rows: { reference: string; nhs: string }[] }
    ).rows;
    await page.goto(`${base}/reviews/new`);
    await verifyOnPage(page, 'Refer a case for a learning review');
    await page.getByLabel('Referring agency').selectOption('police');
    const referredOn = page.getByRole('group', { name: 'Date of the referral' });
    await referredOn.getByLabel('Day').fill('3');
    await referredOn.getByLabel('Month').fill('2');
    await referredOn.getByLabel('Year').fill('2025');
    await page.getByLabel('Name the review will use for the child').fill('Child 12');
    await page.getByLabel("Child's full name").fill('Testchild Twelve Example');
    await page.getByLabel('NHS number (optional)').fill(child2!.nhs);
    await page
      .getByRole('group', { name: 'Agencies involved with the child and family' })
      .getByLabel('Northshire Police')
      .check();
    await page.getByLabel('What happened').fill('Police attended the home twice.');
    await page
      .getByLabel('Why you think the case holds learning for the partnership')
      .fill('A second concern.');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await verifyOnPage(page, 'Refer a case for a learning review');
    expect(await page.locator('#same-child a').getAttribute('href')).toBe(`/reviews/${child2!.reference}`);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('lets the administrator reach a person’s tokens from People and roles', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'admin@demo.example');
    await page.goto(`${base}/admin/users`);
    await verifyOnPage(page, 'People and roles');
    await expectNoAxeViolations(page);
    const row = page.locator('tbody tr', { hasText: 'hv.lead@demo.example' });
    await row.getByRole('link', { name: /^API tokens/ }).click();
    await verifyOnPage(page, /’s API tokens$/);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: /Checked script$/ }).click();
    await verifyOnPage(page, /’s API tokens$/);
    const tag = await page
      .locator('tbody tr', { hasText: 'Checked script' })
      .locator('.govuk-tag')
      .textContent();
    expect(tag?.trim()).toBe('Revoked');
    await page.getByRole('link', { name: 'API tokens', exact: true }).click();
    await verifyOnPage(page, 'API tokens');
    await expectNoAxeViolations(page);
    await page.close();
  });
});
