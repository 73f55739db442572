// Writes the access policy table (src/domain/access/policy.ts) into docs/security.md, between its
// markers: the document shows the policy the code enforces, never a retyped copy.
import { readFileSync, writeFileSync } from 'node:fs';
import { policyTable } from '../src/domain/access/policy.ts';

const file = new URL('../docs/security.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const next = doc.replace(
  /<!-- policy:start -->\n(?:[\s\S]*?\n)?<!-- policy:end -->/,
  `<!-- policy:start -->\n${policyTable()}\n<!-- policy:end -->`,
);
if (next === doc && !doc.includes('<!-- policy:start -->'))
  throw new Error('docs/security.md has no policy markers');
writeFileSync(file, next);
console.log('docs/security.md: policy table written.');
