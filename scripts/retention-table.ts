// Writes the retention register (src/domain/retention/register.ts) into docs/data-protection.md,
// between its markers: the document shows the periods the code applies, never a retyped copy.
import { readFileSync, writeFileSync } from 'node:fs';
import { retentionTable } from '../src/domain/retention/register.ts';

const file = new URL('../docs/data-protection.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
if (!doc.includes('<!-- retention:start -->'))
  throw new Error('docs/data-protection.md has no retention markers');
const next = doc.replace(
  /<!-- retention:start -->\n(?:[\s\S]*?\n)?<!-- retention:end -->/,
  `<!-- retention:start -->\n${retentionTable()}\n<!-- retention:end -->`,
);
writeFileSync(file, next);
console.log('docs/data-protection.md: retention register written.');
