import { describe, expect, it } from 'vitest';
import {
  amrIsTwoFactor,
  DEFAULT_SECOND_FACTOR_ROLES,
  isTwoFactor,
  secondFactorAtSignIn,
  stepUpNeeded,
  type SignInRecord,
} from './strength.ts';

const now = new Date('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
const maxAgeMs = 30 * MINUTE;
const signedIn = (method: SignInRecord['method'], minutesAgo: number, amr?: string[]): SignInRecord => ({
  method,
  amr,
  authenticatedAt: now.getTime() - minutesAgo * MINUTE,
});

describe('which roles must use a second factor by default', () => {
  it('is everyone the policy lets open a named view, and administrators (issue 14)', () => {
    expect([...DEFAULT_SECOND_FACTOR_ROLES].sort()).toEqual([
      'agency_lead',
      'independent_reviewer',
      'partnership_admin',
      'review_coordinator',
    ]);
  });
});

describe('what an identity provider’s amr proves (RFC 8176)', () => {
  it('counts mfa, or methods of two kinds, as two factors', () => {
    expect(amrIsTwoFactor(['mfa'])).toBe(true);
    expect(amrIsTwoFactor(['pwd', 'otp'])).toBe(true);
    expect(amrIsTwoFactor(['hwk', 'fpt'])).toBe(true);
  });
  it('counts one kind, however many methods, or none, as one factor', () => {
    expect(amrIsTwoFactor(['pwd'])).toBe(false);
    expect(amrIsTwoFactor(['pwd', 'pin'])).toBe(false);
    expect(amrIsTwoFactor([])).toBe(false);
    expect(amrIsTwoFactor(undefined)).toBe(false);
  });
  it('reads single sign-on by its amr and a password sign-in by what followed it', () => {
    expect(isTwoFactor({ method: 'sso', amr: ['pwd', 'otp'] })).toBe(true);
    expect(isTwoFactor({ method: 'sso', amr: ['pwd'] })).toBe(false);
    expect(isTwoFactor({ method: 'sso+totp', amr: ['pwd'] })).toBe(true);
    expect(isTwoFactor({ method: 'password' })).toBe(false);
    expect(isTwoFactor({ method: 'password+totp' })).toBe(true);
    expect(isTwoFactor({ method: 'password+recovery-code' })).toBe(true);
  });
});

describe('what sign-in asks for after the first factor', () => {
  const must = { roles: ['review_coordinator'], requiredRoles: ['review_coordinator'] };
  const need = { roles: ['board_member'], requiredRoles: ['review_coordinator'] };
  it('asks the code of anyone enrolled, and enrolment of someone who must and has not', () => {
    expect(secondFactorAtSignIn({ ...need, enrolled: true })).toBe('code');
    expect(secondFactorAtSignIn({ ...must, enrolled: false })).toBe('enrol');
    expect(secondFactorAtSignIn({ ...need, enrolled: false })).toBe('none');
  });
  it('asks nothing more when the identity provider used two factors', () => {
    expect(secondFactorAtSignIn({ ...must, enrolled: true, providerTwoFactor: true })).toBe('none');
    expect(secondFactorAtSignIn({ ...must, enrolled: false, providerTwoFactor: true })).toBe('none');
  });
});

describe('a recent strong sign-in for the named view, exports and administration', () => {
  const base = { roles: ['review_coordinator'], requiredRoles: ['review_coordinator'], now, maxAgeMs };
  it('lets a recent sign-in with two factors through', () => {
    for (const action of ['named-view', 'export', 'administer', 'api-token'] as const)
      expect(stepUpNeeded({ ...base, action, enrolled: true, signIn: signedIn('password+totp', 29) })).toBe(
        null,
      );
    expect(
      stepUpNeeded({ ...base, action: 'named-view', enrolled: false, signIn: signedIn('sso', 5, ['mfa']) }),
    ).toBe(null);
  });
  it('asks someone signed in longer ago than the limit to sign in again', () => {
    expect(
      stepUpNeeded({ ...base, action: 'export', enrolled: true, signIn: signedIn('password+totp', 31) }),
    ).toBe('reauthenticate');
  });
  it('asks the second factor of one who holds or must hold one and used one factor', () => {
    expect(
      stepUpNeeded({ ...base, action: 'administer', enrolled: true, signIn: signedIn('password', 1) }),
    ).toBe('second-factor');
    expect(
      stepUpNeeded({ ...base, action: 'named-view', enrolled: false, signIn: signedIn('sso', 1, ['pwd']) }),
    ).toBe('enrol');
  });
  it('asks only a recent sign-in of someone free to use one factor, and of anyone changing their own', () => {
    const free = { ...base, roles: ['board_member'] };
    expect(
      stepUpNeeded({ ...free, action: 'export', enrolled: false, signIn: signedIn('password', 1) }),
    ).toBe(null);
    expect(
      stepUpNeeded({ ...free, action: 'export', enrolled: false, signIn: signedIn('password', 45) }),
    ).toBe('reauthenticate');
    expect(
      stepUpNeeded({ ...base, action: 'account-security', enrolled: true, signIn: signedIn('password', 1) }),
    ).toBe(null);
  });
});
