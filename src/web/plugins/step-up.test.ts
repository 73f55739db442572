import { describe, expect, it } from 'vitest';
import { POLICY, type Capability } from '../../domain/access/policy.ts';
import { ROUTE_CAPABILITIES } from '../route-capabilities.ts';
import { stepUpActionOf } from './step-up.ts';

/** The web's routes (the API answers to tokens, which a recent strong sign-in made). */
const webRoutes = Object.entries(ROUTE_CAPABILITIES)
  .map(([key, access]) => {
    const [method = '', url = ''] = key.split(' ');
    return { method, url, access };
  })
  .filter((r) => !r.url.startsWith('/api/'));
const kindOf = (access: string) => (access in POLICY ? POLICY[access as Capability].kind : null);
const EXPECTED: Record<string, string> = {
  'named view': 'named-view',
  export: 'export',
  administer: 'administer',
};

describe('which pages ask for a recent strong sign-in', () => {
  it('asks it of every page the policy calls a named view, an export or administration', () => {
    const strong = webRoutes.filter((r) =>
      ['named view', 'export', 'administer'].includes(kindOf(r.access)!),
    );
    expect(strong.length).toBeGreaterThan(30);
    for (const r of strong)
      expect(stepUpActionOf(r.method, r.url), `${r.method} ${r.url}`).toBe(EXPECTED[kindOf(r.access)!]);
  });

  it('asks it of every administration page and every export by its address too', () => {
    expect(stepUpActionOf('GET', '/admin/signal-thresholds')).toBe('administer');
    expect(stepUpActionOf('GET', '/actions/export.csv')).toBe('export');
    expect(stepUpActionOf('GET', '/front-door/check-and-challenge/export.csv')).toBe('export');
    expect(stepUpActionOf('POST', '/account/api-tokens')).toBe('api-token');
    expect(stepUpActionOf('GET', '/account/authenticator')).toBe('account-security');
    expect(stepUpActionOf('POST', '/account/recovery-codes')).toBe('account-security');
  });

  it('lets a review, a list or a published briefing be read without one', () => {
    expect(stepUpActionOf('GET', '/reviews')).toBe(null);
    expect(stepUpActionOf('GET', '/reviews/:ref')).toBe(null);
    expect(stepUpActionOf('GET', '/reviews/:ref/referral')).toBe(null);
    expect(stepUpActionOf('GET', '/library/:id/download.:format')).toBe(null);
    expect(stepUpActionOf('GET', '/account')).toBe(null);
  });
});
