import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { currentCode } from './second-factor.ts';

/** Debian's Chromium: browsers cannot be downloaded here, and CI installs this one. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * WCAG 2.2 AA as axe checks it: every page a journey visits must report no violations. axe-core
 * runs in the page as it is (our pages have no frames). @axe-core/playwright's analyze() did the
 * same and then opened a second page to put frames' results together: 1.0-1.5 s a page against
 * about 0.3 s here, on every page of 13 journeys (docs/benchmarks.md).
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page), `axe on ${page.url()}`).toEqual([]);
}

/** What axe finds on the page as it is now, one line per rule broken: "rule: help (elements)". */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  const violations = await page.evaluate((tags) => {
    // In the page: axe-core as evaluated above, and the page's own document.
    const inPage = globalThis as unknown as { axe: typeof axe; document: axe.ElementContext };
    return inPage.axe
      .run(inPage.document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      .then((results) =>
        results.violations.map((v) => ({
          id: v.id,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target as unknown[] })),
        })),
      );
  }, WCAG_22_AA);
  return (violations as AxeViolation[]).map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** A page object's check that the browser is on the page it expects: its h1. */
export async function verifyOnPage(page: Page, heading: string | RegExp): Promise<void> {
  const h1 = (await page.locator('h1').first().textContent())?.trim() ?? '';
  if (typeof heading === 'string') expect(h1, `h1 on ${page.url()}`).toBe(heading);
  else expect(h1, `h1 on ${page.url()}`).toMatch(heading);
}

/**
 * After the password, the authenticator step of someone who must use one: the code their app
 * shows now (test/support/second-factor.ts), typed as a person would.
 */
export async function answerSecondFactor(page: Page, app: FastifyInstance, email: string): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in/code') return;
  const code = await currentCode(app, email);
  if (!code) throw new Error(`No authenticator secret known for ${email}`);
  await page.getByLabel('Enter the code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}
