import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import {
  answerSecondFactor,
  expectNoAxeViolations,
  launchBrowser,
  verifyOnPage,
} from '../support/browser.ts';
import { startSmtpServer } from '../support/smtp.ts';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { totpCode } from '../../src/services/sign-in/totp.ts';
import { dispatchEmails } from '../../src/services/mail/dispatch.ts';
import { createMailer } from '../../src/services/mail/mailer.ts';

/**
 * In Chromium, with axe on every page of ours: setting up an authenticator at sign-in (without
 * JavaScript) with a code computed here, signing in with a code, with a recovery code and not
 * with the same one again; a password reset through the link the SMTP server received; a lockout
 * and its release; single sign-on and sign-out at a real OpenID Connect provider.
 */
const NEW_PERSON = 'testperson.newchair@demo.example';
const PASSWORD = 'a testperson passphrase for chromium';

describe('sign-in and its security in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let idp: TestIdentityProvider;
  let clock = new Date();
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp('pglite', { now: () => clock });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    process.env.PUBLIC_URL = base;
    process.env.OIDC_NORTHSHIRE_COUNCIL_CLIENT_SECRET = 'chromium-client-secret-0000000';
    smtp = await startSmtpServer();
    idp = await startTestIdentityProvider({
      accounts: { 'idp-coordinator': { email: 'coordinator@demo.example' } },
      clients: [
        {
          clientId: 'line-of-sight',
          secret: 'chromium-client-secret-0000000',
          redirectUri: `${base}/sign-in/sso/callback`,
          postLogoutRedirectUri: `${base}/sign-in`,
        },
      ],
    });
    const admin = actorFor(
      (await systemRepository(t.database.db).userByEmail('admin@demo.example'))!,
      'test',
    );
    await t.services.admin.addUser(admin, {
      name: 'Testperson Newchair',
      email: NEW_PERSON,
      roles: ['independent_reviewer'],
      password: PASSWORD,
    });
    await t.services.sso.save(admin, null, {
      name: 'Northshire County Council',
      key: 'northshire-council',
      issuer: idp.issuer,
      clientId: 'line-of-sight',
      enabled: 'yes',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    await idp?.close();
  });

  const errors = async (page: Page) =>
    (await page.locator('.govuk-error-summary li').allTextContents()).map((e) => e.trim());
  async function password(page: Page, email: string, pass = PASSWORD) {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(pass);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  it('sets up an authenticator at sign-in without JavaScript, then signs in with its codes and recovery codes', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await password(page, NEW_PERSON);
    await verifyOnPage(page, 'Set up an authenticator app');
    expect(await page.locator('img.app-qr-code').getAttribute('alt')).toBe(
      'QR code to scan with your authenticator app',
    );
    await page.getByText('I cannot scan the QR code').click();
    secret = (await page.locator('#secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('Enter the 6-digit code the app shows').fill('111111');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await errors(page)).toEqual([
      'The code is not right: enter the 6-digit code your authenticator app shows now',
    ]);
    await page.getByLabel('Enter the 6-digit code the app shows').fill(await totpCode(secret, clock));
    await page.getByRole('button', { name: 'Continue' }).click();
    await verifyOnPage(page, 'Save your recovery codes');
    recoveryCodes = (await page.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await verifyOnPage(page, 'Reviews');
    await context.close();

    // The same pages with scripts on, through axe: sign-in with a code, then with a recovery code.
    clock = new Date(clock.getTime() + 60_000);
    const checked = await (await browser.newContext()).newPage();
    await password(checked, NEW_PERSON);
    await verifyOnPage(checked, 'Enter the code from your authenticator app');
    await expectNoAxeViolations(checked);
    await checked.getByLabel('Enter the code from your authenticator app').fill('000000');
    await checked.getByRole('button', { name: 'Continue' }).click();
    expect(await errors(checked)).toEqual([
      'The code is not right: enter the 6-digit code your authenticator app shows now',
    ]);
    await expectNoAxeViolations(checked);
    await checked
      .getByLabel('Enter the code from your authenticator app')
      .fill(await totpCode(secret, clock));
    await checked.getByRole('button', { name: 'Continue' }).click();
    await verifyOnPage(checked, 'Reviews');
    await checked.getByRole('link', { name: 'Sign-in and security' }).click();
    await verifyOnPage(checked, 'Sign-in and security');
    await expectNoAxeViolations(checked);
    await checked.goto(`${base}/account/sessions`);
    await verifyOnPage(checked, 'Where you are signed in');
    await expectNoAxeViolations(checked);
    await checked.goto(`${base}/account/password`);
    await verifyOnPage(checked, 'Change your password');
    await expectNoAxeViolations(checked);
    await checked.goto(`${base}/account/authenticator`);
    await verifyOnPage(checked, 'Replace your authenticator app');
    await expectNoAxeViolations(checked);

    const recovering = await (await browser.newContext()).newPage();
    await password(recovering, NEW_PERSON);
    await recovering.getByRole('link', { name: /use a recovery code/ }).click();
    await verifyOnPage(recovering, 'Enter a recovery code');
    await expectNoAxeViolations(recovering);
    await recovering.getByLabel('Enter a recovery code').fill(recoveryCodes[3]!);
    await recovering.getByRole('button', { name: 'Continue' }).click();
    await verifyOnPage(recovering, 'You are signed in with a recovery code');
    expect(await recovering.locator('main p').first().textContent()).toBe(
      'That code will not work again. You have 9 recovery codes left.',
    );
    await expectNoAxeViolations(recovering);

    const again = await (await browser.newContext()).newPage();
    await password(again, NEW_PERSON);
    await again.goto(`${base}/sign-in/recovery-code`);
    await again.getByLabel('Enter a recovery code').fill(recoveryCodes[3]!);
    await again.getByRole('button', { name: 'Continue' }).click();
    expect(await errors(again)).toEqual([
      'That recovery code has been used already: each one works once. Enter another',
    ]);
    await expectNoAxeViolations(again);
  });

  it('resets a forgotten password through the link the e-mail carried', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('link', { name: 'I have forgotten my password' }).click();
    await verifyOnPage(page, 'Reset your password');
    await expectNoAxeViolations(page);
    await page.getByLabel('E-mail address').fill('board@demo.example');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await verifyOnPage(page, 'Check your e-mail');
    await expectNoAxeViolations(page);
    await dispatchEmails(
      t.database.db,
      createMailer({ smtpUrl: smtp.url, from: 'Line of Sight <no-reply@demo.example>' }),
      () => clock,
    );
    const message = smtp.received.find((m) => m.subject === 'Reset your Line of Sight password')!;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\/reset-password\?token=[A-Za-z0-9_-]{43})/.exec(
      message.body.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
    )![1]!;
    await page.goto(link);
    await verifyOnPage(page, 'Choose a new password');
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Enter the new password again').fill('password1234');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    expect(await errors(page)).toEqual([
      'Enter a password that is harder to guess: this one is on a list of passwords people commonly use',
    ]);
    await expectNoAxeViolations(page);
    await page.getByLabel('New password', { exact: true }).fill('testperson copper meadow lantern');
    await page.getByLabel('Enter the new password again').fill('testperson copper meadow lantern');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await verifyOnPage(page, 'Your password has been changed');
    await expectNoAxeViolations(page);
    await page.goto(link);
    await verifyOnPage(page, 'This link has been used already');
    await expectNoAxeViolations(page);
    await password(page, 'board@demo.example', 'testperson copper meadow lantern');
    await verifyOnPage(page, 'Reviews');
  });

  it('locks an account after five wrong passwords and lets it in once the lock has run out', async () => {
    const page = await (await browser.newContext()).newPage();
    for (let i = 0; i < 5; i++) await password(page, 'police.lead@demo.example', `not-the-password-${i}`);
    expect(await errors(page)).toEqual([
      'There have been too many attempts to sign in. Wait a minute, then try again.',
    ]);
    await password(page, 'police.lead@demo.example', 'demo-password-1');
    expect(await errors(page)).toEqual([
      'There have been too many attempts to sign in. Wait a minute, then try again.',
    ]);
    await expectNoAxeViolations(page);
    clock = new Date(clock.getTime() + 61_000);
    await password(page, 'police.lead@demo.example', 'demo-password-1');
    await answerSecondFactor(page, t.app, 'police.lead@demo.example');
    await verifyOnPage(page, 'Reviews');
  });

  it('signs in with the partnership’s identity provider and out of both', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign in with Northshire County Council' }).click();
    await page.getByLabel('Account').fill('idp-coordinator');
    await page.getByRole('button', { name: 'Sign in at the provider' }).click();
    // One factor at the provider: the coordinator's own authenticator code follows.
    await verifyOnPage(page, 'Enter the code from your authenticator app');
    await answerSecondFactor(page, t.app, 'coordinator@demo.example');
    await verifyOnPage(page, 'Reviews');
    await page.getByRole('link', { name: 'Sign-in and security' }).click();
    expect(await page.locator('main').textContent()).toContain(
      'Single sign-on and authenticator app with Northshire County Council',
    );
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await verifyOnPage(page, 'You are signed out of Line of Sight');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign out of Northshire County Council too' }).click();
    await verifyOnPage(page, 'Sign out of the test identity provider?');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await verifyOnPage(page, 'Sign in to Line of Sight');
    await page.goto(`${base}/reviews`);
    await verifyOnPage(page, 'Sign in to Line of Sight');
  });
});
