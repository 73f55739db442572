import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

/** A large draft return in Chromium: a page of entries at a time, pagination that works and is accessible. */
describe("a large return's check your answers in Chromium", { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ref: string;

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    ref = await reviewInInformationGathering(t);
    await t.services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
      agencies: ['police'],
      workingDays: 15,
    });
    await t.database.db.execute(sql`
      insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, source_row)
      select q.review_id, q.id, q.agency_id, d, d, 'contact', 'Testchild Example entry ' || g, g + 1
      from agency_requests q
      join reviews r on r.id = q.review_id
      join agencies a on a.id = q.agency_id
      cross join generate_series(1, 250) g
      cross join lateral (select to_char(date '2018-03-01' + g, 'YYYY-MM-DD') as d) day
      where r.reference = ${ref} and a.code = 'police'`);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows 100 entries a page and moves through the pages, every page accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('police.lead@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'police.lead@demo.example');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

    await page.goto(`${base}/reviews/${ref}/return`);
    await verifyOnPage(page, "Your agency's return");
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Check your answers' }).click();
    await verifyOnPage(page, 'Check your answers');
    await expect
      .poll(() => page.locator('#entries-showing').textContent())
      .toBe('Showing 1 to 100 of 250 entries');
    expect(await page.locator('.app-chronology-table tbody tr').count()).toBe(100);
    await expectNoAxeViolations(page);

    await page
      .getByRole('navigation', { name: 'Pages of chronology entries' })
      .getByRole('link', { name: 'Next' })
      .click();
    await expect
      .poll(() => page.locator('#entries-showing').textContent())
      .toBe('Showing 101 to 200 of 250 entries');
    expect(await page.locator('.app-chronology-table tbody tr').first().textContent()).toContain(
      'Testchild Example entry 101',
    );
    await page.getByRole('link', { name: 'Page 3' }).click();
    await expect
      .poll(() => page.locator('#entries-showing').textContent())
      .toBe('Showing 201 to 250 of 250 entries');
    expect(await page.locator('.app-chronology-table tbody tr').count()).toBe(50);
    await expectNoAxeViolations(page);
  });
});
