import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
  answerSecondFactor,
} from '../support/browser.ts';
import { actorOf } from '../chronology/setup.ts';
import { readPdf } from '../briefing/read-pdf.ts';
import { LOGO_PNG } from '../briefing/logos.ts';

const REF = 'LOS-2021-002';

/**
 * The 7-minute briefing in Chromium: the coordinator generates the draft, a planted name is
 * flagged and fixed, it is approved, published and downloaded; a practitioner finds it in the
 * library, records a read and a team delivery. Every page visited is checked with axe.
 */
describe('7-minute briefing journey in Chromium', { timeout: 300_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited = new Set<string>();

  beforeAll(async () => {
    t = await buildTestApp('pglite');
    // The demo published version 2; a new version starts as a draft, as when new evidence arrives.
    await t.services.briefings.reissue(await actorOf(t, 'coordinator@demo.example'), REF, {
      note: 'Impact evidence from the health visiting supervision audit',
    });
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

  async function signIn(page: Page, email: string) {
    await page.goto(`${base}/sign-in`);
    await arrive(page, 'Sign in to Line of Sight');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('demo-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await answerSecondFactor(page, t.app, email);
  }

  const banner = (page: Page) => page.locator('.govuk-notification-banner').textContent();

  it('generates, flags a planted name, fixes, approves, publishes, downloads, reads and delivers', async () => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signIn(page, 'coordinator@demo.example');
    await page.goto(`${base}/reviews/${REF}/briefing`);
    await arrive(page, '7-minute briefing');
    await expect.poll(() => page.locator('body').textContent()).toContain('Version 3');

    await page.getByRole('button', { name: 'Generate again from the review' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('Briefing generated');
    await expect
      .poll(() => page.locator('#sections').textContent())
      .toContain('Professional curiosity is needed and to think the unthinkable');

    // Plant the mother's recorded name in section 1.
    await page.getByRole('link', { name: 'Change Background and Concerns' }).click();
    await arrive(page, 'Background and Concerns');
    const original = await page.getByLabel('Text').inputValue();
    await page.getByLabel('Text').fill(`${original}\n\nTestmother Example missed two appointments.`);
    await page.getByRole('button', { name: 'Save section' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('Section saved');

    await page.getByRole('button', { name: 'Check for identifying details' }).click();
    await arrive(page, '7-minute briefing');
    const findings = page.locator('#identifying-details');
    await expect.poll(() => findings.textContent()).toContain('Testmother Example');
    await expect
      .poll(() => findings.textContent())
      .toContain('Section 1 (Background and Concerns), paragraph 2');
    await expectNoAxeViolations(page);

    // Fix it from the finding's own link, and check again.
    await findings
      .getByRole('link', { name: /Change/ })
      .first()
      .click();
    await arrive(page, 'Background and Concerns');
    await page.getByLabel('Text').fill(original);
    await page.getByRole('button', { name: 'Save section' }).click();
    await arrive(page, '7-minute briefing');
    await page.getByRole('button', { name: 'Check for identifying details' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => findings.textContent()).toContain('No identifying details left to fix');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Send for approval' }).click();
    await arrive(page, '7-minute briefing');
    await page.getByRole('button', { name: 'Approve' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('Briefing approved');
    await page.getByRole('button', { name: 'Publish to the library' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('Briefing published');
    await expectNoAxeViolations(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'PDF', exact: true }).click(),
    ]);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = (await readPdf(pdf)).pages.join(' ');
    expect(pdfText).toContain('Whether the child');
    expect(pdfText).toContain('Professional curiosity is needed');
    expect(pdfText).not.toContain('Testmother');

    // A practitioner, not a member of the review, finds it in the library.
    const reader = await (await browser.newContext()).newPage();
    await signIn(reader, 'practitioner@demo.example');
    await reader.getByRole('link', { name: 'Library' }).first().click();
    await arrive(reader, 'Library');
    await reader.getByLabel('Search the briefings').fill('professional curiosity');
    await reader.getByRole('button', { name: 'Search' }).click();
    await arrive(reader, 'Library');
    await reader.getByRole('link', { name: 'Child 2', exact: true }).click();
    await arrive(reader, 'Child 2: 7-minute briefing');
    expect(await reader.locator('body').textContent()).not.toContain('Testmother');
    // The demo recorded this practitioner's read of version 1; version 3 is new to them.
    await expect.poll(() => reader.locator('body').textContent()).toContain('You read version 1');
    await reader.getByRole('button', { name: 'I have read this' }).click();
    await arrive(reader, 'Child 2: 7-minute briefing');
    await expect.poll(() => reader.locator('#read-status').textContent()).toContain('version 3');

    // A delivery sent empty is refused with an error summary; then recorded.
    await reader.getByRole('button', { name: 'Record the delivery' }).click();
    await arrive(reader, 'Child 2: 7-minute briefing');
    await expect
      .poll(() => reader.locator('.govuk-error-summary').textContent())
      .toContain('Enter the name of the team');
    await expectNoAxeViolations(reader);
    await reader.getByLabel('Team', { exact: true }).fill('Health visiting team north');
    await reader.getByLabel('Day').fill('3');
    await reader.getByLabel('Month').fill('1');
    await reader.getByLabel('Year').fill('2022');
    await reader.getByLabel('Number of people present').fill('8');
    await reader.getByLabel('What are your key thoughts and reflections?').fill('Delay needs following up.');
    await reader
      .getByLabel('How will we embed the learning and know that we have?')
      .fill('Supervision audit.');
    await reader.getByLabel('How will we fit it into team or service plans?').fill('Added to the team plan.');
    await reader.getByRole('button', { name: 'Record the delivery' }).click();
    await arrive(reader, 'Child 2: 7-minute briefing');
    await expect.poll(() => banner(reader)).toContain('Team delivery recorded');

    // The coordinator sees the read and the delivery by agency.
    await page.goto(`${base}${new URL(reader.url()).pathname}`);
    await arrive(page, 'Child 2: 7-minute briefing');
    await expect.poll(() => page.locator('body').textContent()).toContain('Health visiting team north');
    await expectNoAxeViolations(page);
  });
  it('uploads the partnership logo, shows it on the briefing, and adds, moves and removes a custom section', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, 'admin@demo.example');
    await admin.goto(`${base}/admin/audit`);
    await admin.getByRole('link', { name: 'Partnership logo' }).click();
    await arrive(admin, 'Partnership logo');

    // A file that is not a picture is refused with an error summary, and nothing is saved.
    await admin.getByLabel('Logo file').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture'),
    });
    await admin.getByRole('button', { name: 'Upload the logo' }).click();
    await arrive(admin, 'Partnership logo');
    await expect
      .poll(() => admin.locator('.govuk-error-summary').textContent())
      .toContain('The selected file must be a PNG or JPEG');
    await expectNoAxeViolations(admin);

    await admin
      .getByLabel('Logo file')
      .setInputFiles({ name: 'northshire.png', mimeType: 'image/png', buffer: LOGO_PNG });
    await admin.getByRole('button', { name: 'Upload the logo' }).click();
    await arrive(admin, 'Partnership logo');
    await expect.poll(() => banner(admin)).toContain('Logo saved');
    const preview = admin.getByRole('img', { name: 'Northshire Safeguarding Children Partnership logo' });
    // The picture really loads under the page's Content Security Policy.
    await expect
      .poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(60);
    await expectNoAxeViolations(admin);

    // The coordinator starts a new version and adds a section of their own.
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'coordinator@demo.example');
    await page.goto(`${base}/reviews/${REF}/briefing`);
    await arrive(page, '7-minute briefing');
    await page.getByLabel('Reissue as a new version').fill('A message from the chair');
    await page.getByRole('button', { name: 'Start a new version' }).click();
    await arrive(page, '7-minute briefing');
    await page.getByRole('button', { name: 'Add a section' }).click();
    await arrive(page, 'Add a section');
    await page.getByRole('button', { name: 'Add section' }).click();
    await arrive(page, 'Add a section');
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Enter the heading of the section');
    await expectNoAxeViolations(page);
    await page.getByLabel('Heading').fill('Message from the chair');
    await page
      .getByLabel('Text')
      .fill('Thank you to every practitioner who took part in the learning event.');
    await page.getByLabel('Points').fill('Share this briefing with your team\nTell us what has changed');
    await page.getByLabel('Where it goes').selectOption({ label: 'After 1 Background and Concerns' });
    await page.getByRole('button', { name: 'Add section' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('Section 2 “Message from the chair” added');
    const sections = page.locator('#sections .govuk-summary-list__key');
    await expect.poll(() => sections.nth(1).textContent()).toContain('2 Message from the chair');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Move down Message from the chair' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => sections.nth(2).textContent()).toContain('3 Message from the chair');

    // The preview carries the partnership's logo and the new section.
    await page.getByRole('link', { name: 'Preview as it will print' }).click();
    await arrive(page, 'Preview of the 7-minute briefing');
    const logo = page.getByRole('img', { name: 'Northshire Safeguarding Children Partnership logo' });
    await expect
      .poll(() => logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(60);
    await expect.poll(() => page.locator('.app-briefing').textContent()).toContain('Message from the chair');
    await page.goBack();

    await page.goto(`${base}/reviews/${REF}/briefing`);
    await arrive(page, '7-minute briefing');
    await page.getByRole('button', { name: 'Remove Message from the chair' }).click();
    await arrive(page, '7-minute briefing');
    await expect.poll(() => banner(page)).toContain('“Message from the chair” removed');
    await expect.poll(() => sections.count()).toBe(7);
  });
});
