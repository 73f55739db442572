import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/each-file.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the reference machine: PGlite and Chromium each want one.
    pool: 'forks',
    maxWorkers: 2,
    // A worker keeps the modules it has loaded from one test file to the next: loading the
    // application again for each file is work repeated 143 times (the briefing tests took 2 min 23 s
    // of CPU with it, 2 min 1 s without). Each file still opens its own database and app, and
    // test/support/each-file.ts puts the environment back after each file.
    isolate: false,
    // The longest files first (times kept in test/durations.json), so neither worker waits at the end.
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
  },
});
