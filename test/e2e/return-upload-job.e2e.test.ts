import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { returnUploadJobRepository } from '../../src/db/repositories/return-upload-job-repository.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  answerSecondFactor,
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
} from '../support/browser.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

const HEADER = 'date,agency,event_type,summary,source_ref';
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => `2019-03-02,police,contact,Testchild Example contact ${i},POL-${i}`);

/** A large upload to a return in Chromium: queued, its page in words, Refresh, Cancel, its problems; axe clean. */
describe('a large upload to a return, followed on its page in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ref: string;
  let folder: string;

  beforeAll(async () => {
    // Files over 2,000 bytes are queued (RETURN_JOB_BYTES), so a small test file makes a job.
    t = await buildTestApp('pglite', { config: { RETURN_JOB_BYTES: 2000 } });
    ref = await reviewInInformationGathering(t);
    await t.services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
      agencies: ['police'],
      workingDays: 15,
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    folder = mkdtempSync(join(tmpdir(), 'los-return-job-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill('police.lead@demo.example');
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, 'police.lead@demo.example');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }
  async function uploadThroughForm(page: Page, name: string, content: string) {
    await page.goto(`${base}/reviews/${ref}/return/upload`);
    await verifyOnPage(page, 'Upload a chronology file');
    await page.getByLabel('Chronology file').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(content),
    });
    await page.getByRole('button', { name: 'Upload file' }).click();
    await verifyOnPage(page, `Upload of ${name}`);
  }

  it('shows a waiting upload with Refresh and Cancel, and cancels it', async () => {
    const page = await signedIn();
    const [request] = (
      (await t.database.db.execute(
        sql`select q.id, q.review_id from agency_requests q join reviews r on r.id = q.review_id where r.reference = ${ref}`,
      )) as unknown as { rows: { id: string; review_id: string }[] }
    ).rows;
    const lead = await actorOf(t, 'police.lead@demo.example');
    const uploadPath = join(folder, 'waiting.csv');
    writeFileSync(uploadPath, [HEADER, ...rows(100)].join('\n'));
    const job = await returnUploadJobRepository(t.database.db, request!.id).queue({
      reviewId: request!.review_id,
      fileName: 'waiting.csv',
      format: 'csv',
      bytesTotal: 5000,
      uploadPath,
      startedBy: lead.userId,
      label: 'Police Lead',
    });
    await page.goto(`${base}/reviews/${ref}/return/uploads/${job.id}`);
    await verifyOnPage(page, 'Upload of waiting.csv');
    expect(await page.locator('#upload-progress').textContent()).toBe(
      'Waiting to start: the upload begins as soon as the service is free.',
    );
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Refresh to see progress' }).click();
    await verifyOnPage(page, 'Upload of waiting.csv');
    await page.getByRole('button', { name: 'Cancel this upload' }).click();
    await verifyOnPage(page, 'Upload of waiting.csv');
    expect((await page.locator('.govuk-notification-banner__content').textContent())?.trim()).toBe(
      'The upload of waiting.csv was cancelled: nothing was saved',
    );
    await expectNoAxeViolations(page);
  });

  it('queues a large file from the form, then shows its problems or its entries added', async () => {
    const page = await signedIn();
    const bad = [HEADER, ...rows(40), '2019-13-02,police,contact,Bad date,POL-X', ...rows(20)].join('\n');
    await uploadThroughForm(page, 'bad.csv', bad);
    await expectNoAxeViolations(page);
    await t.services.returns.runQueued();
    await page.reload();
    expect(await page.locator('#upload-progress').textContent()).toBe('Failed: nothing was saved.');
    expect((await page.locator('.govuk-error-summary li').textContent())?.trim()).toBe(
      'bad.csv has 1 problem. Nothing was saved: fix it and upload the file again.',
    );
    expect(await page.locator('.app-upload-problems li').textContent()).toMatch(
      /^bad\.csv: row 42, column "date": /,
    );
    await expectNoAxeViolations(page);

    await uploadThroughForm(page, 'police.csv', [HEADER, ...rows(100)].join('\n'));
    await t.services.returns.runQueued();
    await page.reload();
    expect(await page.locator('#upload-progress').textContent()).toBe(
      'Finished: 100 entries added from police.csv.',
    );
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Back to your return' }).click();
    await verifyOnPage(page, "Your agency's return");
  });
});
