import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  answerSecondFactor,
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
} from '../support/browser.ts';
import { actorOf } from '../chronology/setup.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The overview as people work it, in Chromium: the coordinator's next task is the primary button,
 * a refused move says why before anything is pressed, the agency lead finds their return from
 * "Waiting on me" and from the overview, and the coordinator chases an overdue request. Axe on
 * every page.
 */
describe('the overview says what to do next, in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let clock = new Date();
  let ref: string;
  const visited = new Set<string>();

  beforeAll(async () => {
    t = await buildTestApp('pglite', { now: () => clock });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const result = (await t.database.db.execute(
      sql`select reference from reviews where pseudonym = 'Infant 8'`,
    )) as unknown as { rows: { reference: string }[] };
    ref = result.rows[0]!.reference;
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

  it('leads the coordinator to the next task, and says why the review cannot move yet', async () => {
    const page = await signIn('coordinator@demo.example');
    await page.goto(`${base}/reviews/${ref}`);
    await arrive(page, 'Overview');
    const inset = page.locator('main .govuk-inset-text');
    expect(await inset.locator('li').allTextContents()).toEqual([
      'Set the period under review.',
      'Choose at least one agency in scope.',
      'Add at least one key line of enquiry.',
    ]);
    expect(await page.getByRole('button', { name: 'Move to information gathering' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Set the period under review' }).click();
    await arrive(page, 'Terms of reference');
    await page.context().close();
  });

  it('brings the agency lead to their return from "Waiting on me" and from the overview', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.reviews.setTermsOfReference(coordinator, ref, {
      periodFrom: '2018-03-01',
      periodTo: '2021-01-15',
      agenciesInScope: ['police', 'health-visiting'],
    });
    await t.services.reviews.addLineOfEnquiry(coordinator, ref, {
      question: 'Was the child seen and heard?',
    });
    await t.services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 10,
    });

    // Their agency's return is the one thing waiting on the police lead: signing in lands on it.
    const page = await signIn('police.lead@demo.example');
    await arrive(page, "Your agency's return");
    expect(new URL(page.url()).pathname).toBe(`/reviews/${ref}/return`);
    await page.getByRole('link', { name: /^Waiting on me \(\d+\)$/ }).click();
    await arrive(page, 'Waiting on me');
    await page.getByRole('link', { name: ref }).click();
    await arrive(page, "Your agency's return");
    await page.goto(`${base}/reviews/${ref}`);
    await arrive(page, 'Overview');
    expect(await page.locator('main').textContent()).toContain(
      'The review coordinator moves the review on to its next stage.',
    );
    await page.getByRole('button', { name: "Complete your agency's return" }).click();
    await arrive(page, "Your agency's return");
    await page.context().close();
  });

  it('lets the coordinator chase an overdue request from the overview', async () => {
    clock = new Date(Date.now() + 30 * DAY);
    const page = await signIn('coordinator@demo.example');
    await page.goto(`${base}/reviews/${ref}`);
    await arrive(page, 'Overview');
    await page.getByRole('button', { name: 'Chase Northshire Police now' }).click();
    await arrive(page, 'Overview');
    expect((await page.locator('.govuk-notification-banner').textContent())?.trim()).toContain(
      'Reminder sent to Northshire Police',
    );
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
