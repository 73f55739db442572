// Writes the importer's headings vocabulary (src/domain/briefing/heading-vocabulary.ts) into
// docs/briefing-import.md, between its markers: the document shows the words the code knows.
import { readFileSync, writeFileSync } from 'node:fs';
import { vocabularyTable } from '../src/domain/briefing/heading-vocabulary.ts';

const file = new URL('../docs/briefing-import.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
if (!doc.includes('<!-- vocabulary:start -->'))
  throw new Error('docs/briefing-import.md has no vocabulary markers');
writeFileSync(
  file,
  doc.replace(
    /<!-- vocabulary:start -->\n(?:[\s\S]*?\n)?<!-- vocabulary:end -->/,
    `<!-- vocabulary:start -->\n${vocabularyTable()}\n<!-- vocabulary:end -->`,
  ),
);
console.log('docs/briefing-import.md: headings vocabulary written.');
