import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Signal } from '../../src/domain/signals/index.ts';

const CLI = ['node_modules/.bin/tsx', 'src/cli/index.ts'];
const dir = mkdtempSync(join(tmpdir(), 'los-scan-'));
const file = join(dir, 'live.csv');
// A developmental delay noted ten days before the latest entry: by the file alone it is too soon
// to say it was not followed up (90 days); as of a day long after, nothing followed it.
writeFileSync(
  file,
  [
    'child,date,agency,event_type,summary,concerns,source_ref',
    'C-000201,2024-01-10,health-visiting,home_visit,Visit; speech delay noted,developmental_delay,HV-1',
    'C-000201,2024-01-20,gp,contact,Telephone contact about a rash,,GP-1',
    '',
  ].join('\n'),
);

function scan(...args: string[]) {
  const result = spawnSync(CLI[0]!, [CLI[1]!, 'scan', file, '--json', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `line-of-sight scan --as-of DATE`, as a person runs it. */
describe('line-of-sight scan --as-of', { timeout: 300_000 }, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('judges the waiting rules up to the given day instead of the latest entry', () => {
    const byFile = scan();
    expect(byFile).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(byFile.stdout)).toEqual([]);

    const live = scan('--as-of', '2024-06-30');
    expect(live).toMatchObject({ code: 0, stderr: '' });
    const signals = JSON.parse(live.stdout) as Signal[];
    expect(signals.map((s) => [s.child, s.rule, s.from, s.to, s.evidence])).toEqual([
      ['C-000201', 'concern-not-followed-up', '2024-01-10', '2024-04-09', ['HV-1']],
    ]);
  });

  it('refuses a day that is not a date with one line and exit code 2', () => {
    const bad = scan('--as-of', '2024-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('line-of-sight scan: --as-of 2024-02-30: give a calendar date as YYYY-MM-DD.\n');
  });
});
