import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vocabularyTable } from '../../src/domain/briefing/heading-vocabulary.ts';

describe('docs/briefing-import.md', () => {
  it('shows the headings vocabulary as the importer holds it, generated and not retyped (npm run docs:import)', () => {
    const doc = readFileSync(new URL('../../docs/briefing-import.md', import.meta.url), 'utf8');
    const block = /<!-- vocabulary:start -->\n([\s\S]*?)\n<!-- vocabulary:end -->/.exec(doc)?.[1];
    expect(block).toBe(vocabularyTable());
  });
});
