import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyTable } from '../../src/domain/access/policy.ts';

describe('docs/security.md', () => {
  it('shows the access policy as the code states it, generated and not retyped (npm run docs:policy)', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    const block = /<!-- policy:start -->\n([\s\S]*?)\n<!-- policy:end -->/.exec(doc)?.[1];
    expect(block).toBe(policyTable());
  });
});
