import { AxeBuilder } from '@axe-core/playwright';
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

/** WCAG 2.2 AA as axe checks it: every page a journey visits must report no violations. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe on ${page.url()}`).toEqual([]);
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
