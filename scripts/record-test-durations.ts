/**
 * Writes test/durations.json from a run's JSON report (.ci/run writes .cache/vitest-results.json):
 * each test file's seconds, so the next run starts the longest first (test/support/longest-first.ts).
 * Usage: npm run test:durations [-- REPORT]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const report = process.argv[2] ?? resolve(root, '.cache/vitest-results.json');
const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as {
  testResults: { name: string; startTime: number; endTime: number }[];
};
// Named from the checkout the report was written in (its .cache folder's parent).
const checkout = resolve(dirname(report), '..');
const seconds = Object.fromEntries(
  testResults
    .map(
      (file) =>
        [relative(checkout, file.name), Math.round((file.endTime - file.startTime) / 100) / 10] as const,
    )
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync(resolve(root, 'test/durations.json'), `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`Recorded ${Object.keys(seconds).length} test files' times in test/durations.json.`);
