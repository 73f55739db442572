import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type BuildSync = (options: Record<string, unknown>) => { outputFiles: { text: string }[] };

let built: URL | undefined;

/** Set by the compiled build (scripts/build.mjs): its bundle of the worker, from this file's folder. */
declare const LINE_OF_SIGHT_WORKER: string | undefined;

/**
 * The embedded database's worker thread, as JavaScript. From a checkout the worker is TypeScript:
 * run through tsx, each thread would start tsx's loader first (about a second of CPU each time the
 * database opens: every command, every test file). So its four files are bundled once with esbuild
 * (which tsx itself runs on) into node_modules/.cache, named by a hash of this folder's sources
 * (the worker imports nothing else of ours; the packages stay imports): a changed source makes a
 * new file, an unchanged one is not bundled again (about 130 ms saved at every start), and
 * processes starting together never see half of one. Should esbuild be missing, the worker runs
 * through tsx as before. The compiled build (dist/) brings its own bundle of the worker.
 */
export function workerEntry(): URL {
  if (typeof LINE_OF_SIGHT_WORKER === 'string') return new URL(LINE_OF_SIGHT_WORKER, import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return new URL('./worker.js', import.meta.url);
  if (built) return built;
  try {
    const here = new URL('.', import.meta.url);
    const sources = createHash('sha256');
    for (const name of readdirSync(here).sort())
      if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
        sources.update(readFileSync(new URL(name, here)));
    const hash = sources.digest('hex').slice(0, 16);
    const folder = new URL('../../../node_modules/.cache/line-of-sight/', import.meta.url);
    const file = new URL(`embedded-worker-${hash}.mjs`, folder);
    if (existsSync(file)) return (built = file);
    const { buildSync } = createRequire(import.meta.url)('esbuild') as { buildSync: BuildSync };
    const [output] = buildSync({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    }).outputFiles;
    mkdirSync(folder, { recursive: true });
    const partial = new URL(`embedded-worker-${hash}.${process.pid}.partial`, folder);
    writeFileSync(partial, output!.text);
    renameSync(partial, file);
    return (built = file);
  } catch {
    return (built = new URL('./worker.ts', import.meta.url));
  }
}
