import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The load benchmark at CI size (bench/load.ts; docs/benchmarks.md "Under load" for the full
 * size): eight people signed in at once, each doing the mix of pages, an upload and API calls open
 * to their role as fast as they can for five seconds, against the service run as a process — one
 * on the embedded database, two on the PostgreSQL server. Every answer must be the one expected:
 * no error, no 5xx, nobody refused what they may do. Times are printed, never asserted.
 */
const PEOPLE = 8;
const SECONDS = 5;

function runLoad(only: 'embedded' | 'server'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/load.ts',
        '--people',
        String(PEOPLE),
        '--seconds',
        String(SECONDS),
        '--baseline-seconds',
        '1',
        '--settle-seconds',
        '1',
        '--only',
        only,
      ],
      {
        env: {
          ...process.env,
          ...(only === 'server' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each(DATABASE_KINDS)('under load, at CI size (%s)', (kind) => {
  it(`answers ${PEOPLE} people at once with no error`, { timeout: 300_000 }, async () => {
    const { code, output } = await runLoad(kind === 'pglite' ? 'embedded' : 'server');
    // The figures for whoever reads the run's output (never asserted: the machine is shared).
    console.log(output.split('\n').filter((line) => /baseline|under load|ratio|instance \d/.test(line)).join('\n'));
    expect(code, output).toBe(0);
    const baseline = /baseline, one person alone[^\n]*requests (\d+);[^\n]*errors (\d+)/.exec(output);
    const load = /under load: requests (\d+),[^\n]*errors (\d+)/.exec(output);
    expect(baseline, output).not.toBeNull();
    expect(load, output).not.toBeNull();
    // Errors are listed by action and answer in the output when there are any.
    expect({ baseline: Number(baseline![2]), underLoad: Number(load![2]) }, output).toEqual({
      baseline: 0,
      underLoad: 0,
    });
    expect(Number(load![1])).toBeGreaterThan(PEOPLE);
    const open = /actions open per person: (\d+) to (\d+) of (\d+)/.exec(output);
    expect(Number(open![1]), output).toBeGreaterThan(0);
  });
});
