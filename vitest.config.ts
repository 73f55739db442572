import { defineConfig } from 'vitest/config';

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
    reporters: ['default'],
  },
});
