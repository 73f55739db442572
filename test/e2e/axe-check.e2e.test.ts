import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, expectNoAxeViolations, launchBrowser } from '../support/browser.ts';

/** Every journey's accessibility check rests on this one: it must find what is wrong, and only that. */
describe('the axe check the journeys run on every page', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => browser?.close());

  it('names each rule a page breaks, with the elements', async () => {
    await page.setContent('<html><body><img src="x.png"><a href="/x"></a></body></html>');
    expect(await axeViolations(page)).toEqual([
      'document-title: Documents must have <title> element to aid in navigation (html)',
      'html-has-lang: <html> element must have a lang attribute (html)',
      'image-alt: Images must have alternative text (img)',
      'link-name: Links must have discernible text (a)',
    ]);
    await expect(expectNoAxeViolations(page)).rejects.toThrow('axe on about:blank');
  });

  it('passes a page that breaks no rule, and checks again after the page changes', async () => {
    await page.setContent(
      '<html lang="en"><head><title>A page</title></head><body><main><h1>A page</h1><p>Text.</p></main></body></html>',
    );
    await expectNoAxeViolations(page);
    // axe is already in the page: a second check runs it again on what is there now.
    await page.locator('main').evaluate((main) => main.insertAdjacentHTML('beforeend', '<img src="y.png">'));
    expect(await axeViolations(page)).toEqual(['image-alt: Images must have alternative text (img)']);
  });
});
