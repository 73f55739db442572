// The compiled build: the command line (and with it the service) and the embedded database's
// worker, bundled from src/ to JavaScript with esbuild, so a start runs no TypeScript compiler.
//
//   node scripts/build.mjs        builds dist/ if the sources changed since the last build
//
// Plain JavaScript, so it runs before anything is built. dist/<hash>/ is named by a hash of what it
// was made from (every .ts under src/ but the tests, package-lock.json for the bundled packages,
// and this file); dist/current.json names the newest. `bin/line-of-sight.js` and `npm start` run
// the build only when its hash is that hash now, so an edited checkout never runs stale code. Most
// packages are bundled too (EXTERNAL below lists those that are not); views, assets and migrations
// stay where they are and are found from the source file that names them (`sourceUrls` below).
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const CURRENT = join(DIST, 'current.json');
/** Builds kept besides the newest: a service still running an older one may load a chunk late. */
const KEEP = 2;

/**
 * Packages left as imports: those that find files of their own beside their code (PGlite's
 * WebAssembly, PDFKit's fonts, pino's transports run as files in threads), native ones, the big ones
 * loaded on first use anyway (ECharts, ExcelJS, the Word libraries), and the build's own tools. The
 * rest are bundled: finding, reading and linking their many small files one by one was about half a
 * second of CPU of each start (docs/benchmarks.md, issue 18).
 */
const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@node-rs/argon2',
  'pdfkit',
  'exceljs',
  'echarts',
  'docx',
  'mammoth',
  'jszip',
  'pg-native',
  'pino',
  'thread-stream',
  'esbuild',
  'tsx',
  'tsx/*',
];

const posix = (path) => path.split(sep).join('/');

/** The hash of what the bundle is made from: each source's path and bytes, in a fixed order. */
export function sourceHash() {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  // The installed packages' versions: a bundled package upgraded is a new build.
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        hash.update(`\0${posix(relative(SRC, path))}\0`);
        hash.update(readFileSync(path));
      }
    }
  };
  walk(SRC);
  return hash.digest('hex').slice(0, 16);
}

/** The compiled command line's module when dist/ is current with the sources, else undefined. */
export function currentBuild(hash = sourceHash()) {
  try {
    const current = JSON.parse(readFileSync(CURRENT, 'utf8'));
    const cli = join(DIST, hash, 'cli.mjs');
    if (current.hash === hash && existsSync(cli)) return pathToFileURL(cli);
  } catch {
    // no build yet
  }
  return undefined;
}

/**
 * A bundle has one `import.meta.url`, its own; our modules find files beside their source
 * (`new URL('../views', import.meta.url)`). So in each source file it is replaced by the source's
 * own URL, reached from the bundle: the views, assets and migrations are found where they are.
 */
function sourceUrls(outdir) {
  return {
    name: 'source-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!args.path.startsWith(SRC + sep) || !text.includes('import.meta.url')) return undefined;
        const url = `new URL(${JSON.stringify(posix(relative(outdir, args.path)))}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/**
 * The worker threads' modules, bundled as entries of their own: `define` names, to the source
 * file that starts the thread (`from`), where its bundle is. A thread whose source is not in this
 * checkout is left out.
 */
const THREADS = [
  {
    // The embedded database (src/db/embedded/worker-entry.ts).
    name: 'worker',
    source: 'db/embedded/worker.ts',
    from: 'db/embedded',
    define: 'LINE_OF_SIGHT_WORKER',
  },
  {
    // The monitoring loads (src/services/monitoring-import-thread.ts).
    name: 'monitoring-import-worker',
    source: 'services/monitoring-import-worker.ts',
    from: 'services',
    define: 'LINE_OF_SIGHT_IMPORT_WORKER',
  },
].filter((t) => existsSync(join(SRC, t.source)));

/** Builds dist/ if it is not current; answers the compiled command line's module. */
export async function build({ quiet = false } = {}) {
  const hash = sourceHash();
  const existing = currentBuild(hash);
  if (existing) return existing;
  const started = performance.now();
  const { build: esbuild } = await import('esbuild');
  const outdir = join(DIST, hash);
  const partial = join(DIST, `${hash}.${process.pid}.partial`);
  mkdirSync(DIST, { recursive: true });
  rmSync(partial, { recursive: true, force: true });
  await esbuild({
    entryPoints: {
      cli: join(SRC, 'cli', 'index.ts'),
      ...Object.fromEntries(THREADS.map((t) => [t.name, join(SRC, t.source)])),
    },
    outdir: partial,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // What a module imports lazily (the web layer, the file readers) stays a chunk loaded on use.
    splitting: true,
    // Chunks beside the entries: one folder, so one relative path to each source (`sourceUrls`).
    chunkNames: '[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // The bundled CommonJS packages require Node's own modules: each chunk gets a `require`.
    banner: {
      js: "import { createRequire as __losRequire } from 'node:module'; const require = __losRequire(import.meta.url);",
    },
    // Each thread's bundle, named to the file that starts it, from that file's folder.
    define: Object.fromEntries(
      THREADS.map((t) => [
        t.define,
        JSON.stringify(posix(relative(join(SRC, t.from), join(outdir, `${t.name}.mjs`)))),
      ]),
    ),
    plugins: [sourceUrls(outdir)],
    logLevel: 'warning',
  });
  try {
    renameSync(partial, outdir);
  } catch (error) {
    // Another process built the same sources at the same moment: theirs is as good.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(outdir, 'cli.mjs'))) throw error;
  }
  const next = join(DIST, `current.${process.pid}.json`);
  writeFileSync(next, `${JSON.stringify({ hash, builtAt: new Date().toISOString() })}\n`);
  renameSync(next, CURRENT);
  prune(hash);
  if (!quiet)
    console.error(`line-of-sight: built dist/${hash} in ${Math.round(performance.now() - started)} ms`);
  return pathToFileURL(join(outdir, 'cli.mjs'));
}

/** Keeps the newest builds, removes the rest and any partial left by a killed build. */
function prune(hash) {
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== hash)
    .map((e) => ({ name: e.name, at: statSync(join(DIST, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  const stale = Date.now() - 3_600_000;
  for (const [i, b] of builds.entries())
    if (b.name.endsWith('.partial') ? b.at < stale : i >= KEEP)
      rmSync(join(DIST, b.name), { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build();
