import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { retentionTable } from '../../src/domain/retention/register.ts';

describe('docs/data-protection.md', () => {
  it('shows the retention register as the code states it, generated and not retyped (npm run docs:retention)', () => {
    const doc = readFileSync(new URL('../../docs/data-protection.md', import.meta.url), 'utf8');
    const block = /<!-- retention:start -->\n([\s\S]*?)\n<!-- retention:end -->/.exec(doc)?.[1];
    expect(block).toBe(retentionTable());
  });
});
