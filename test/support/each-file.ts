import { afterAll } from 'vitest';

/**
 * Test files share their worker's modules (vitest.config.ts: isolate false), so what a file sets in
 * the environment (PUBLIC_URL, an identity provider's secret) is put back when the file ends: the
 * next file starts from the same environment as it would alone.
 */
const saved = { ...process.env };
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
