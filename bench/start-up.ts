/**
 * Start-up and idle memory of the service (issue 18): `npx tsx bench/start-up.ts [ROUNDS]`.
 *
 * Each way of starting `serve` is spawned ROUNDS times (default 3) on one initialised embedded
 * directory, and timed from the spawn to the first 200 from `/ping` and from `/sign-in` (the first
 * real page: views, session, the database). The memory of the whole process (its main thread and
 * the embedded database's worker thread are one process) is read from /proc/PID/status: VmRSS once
 * the first page has answered, then after signing in and viewing a few pages (the reviews list, a
 * review, the board's dashboard with its charts) and ten seconds idle (a thread started for work at
 * start-up, such as the monitoring loads' first look for queued jobs, has ended by then), and VmHWM
 * (the peak).
 *
 * The baseline, measured in the same run: a bare Fastify answering `/ping`, started by `node -e`
 * (Node and one framework, nothing of ours). Each start is a ratio to it. The ways compared:
 * - tsx: `node --import tsx src/cli/index.ts serve` (how the service ran before the build)
 * - compiled: `node bin/line-of-sight.js serve` once `npm run build` has made dist/
 * - npm start: `npm start` as a person types it (npm itself, the build check, then the service)
 * The first start of the compiled build on a fresh directory (migrations and the demonstration
 * loaded) is shown once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/demo/partnership.ts';
import { totpCode } from '../src/services/sign-in/totp.ts';
import { build } from '../scripts/build.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const ROOT = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'los-start-up-'));
const ENV = { ...process.env, DATA_DIR: join(dataDir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent' };

interface Start {
  ping: number;
  page: number;
  /** CPU seconds of the whole process tree (npm, its shell, the service's threads) to the first page. */
  cpu: number;
  rssStarted?: number;
  rssIdle?: number;
  hwm?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** kB → MB, of VmRSS and VmHWM. */
function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** A process's children (none once it has gone). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** User and system CPU time (s) of a process and everything below it, all threads included. */
function treeCpu(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = (Number(fields[11]) + Number(fields[12])) / 100;
  return children(pid).reduce((sum, child) => sum + treeCpu(child), own);
}

/** The node process doing the work: the child itself, or under npm the deepest node below it. */
function serviceProcess(pid: number): number {
  let current = pid;
  for (;;) {
    const next = children(current).at(-1);
    if (next === undefined) return current;
    current = next;
  }
}

async function waitFor(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited ${child.exitCode}`);
    try {
      const answer = await fetch(url, { redirect: 'manual' });
      await answer.arrayBuffer();
      if (answer.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Signs in as the demonstration's board member (no authenticator code: one code may not be used by
 * two sign-ins) and opens a few pages, as a person would.
 */
async function browse(base: string) {
  const cookies = new Map<string, string>();
  const request = async (path: string, form?: Record<string, string>) => {
    const answer = await fetch(base + path, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const cookie of answer.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { status: answer.status, location: answer.headers.get('location'), body: await answer.text() };
  };
  const post = async (path: string, fields: Record<string, string>) => {
    const page = await request(path);
    const token = /name="_csrf"\s+value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no form on ${path}`);
    return request(path, { _csrf: token, ...fields });
  };
  const signIn = await post('/sign-in', { email: 'board@demo.example', password: DEMO_PASSWORD });
  if (signIn.status !== 303) throw new Error(`sign-in answered ${signIn.status}`);
  if (signIn.location === '/sign-in/code') {
    const code = await post('/sign-in/code', { code: await totpCode(DEMO_TOTP_SECRET, new Date()) });
    if (code.status !== 303) throw new Error(`the code answered ${code.status}`);
  }
  const reviews = await request('/reviews');
  if (reviews.status !== 200) throw new Error(`/reviews answered ${reviews.status}`);
  const review = /href="(\/reviews\/[A-Za-z0-9-]+)"/.exec(reviews.body)?.[1];
  for (const path of ['/', ...(review ? [review] : []), '/dashboard']) {
    let page = await request(path);
    // The first page after signing in may land on the one thing waiting.
    if (page.status === 303 && page.location) page = await request(page.location);
    if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
  }
}

async function start(command: string[], options: { browse: boolean }): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(command[0]!, [...command.slice(1), '--port', String(port)], {
    cwd: ROOT,
    env: { ...ENV, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own: npm's shell and the service below it are stopped together.
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    const ping = await waitFor(`${base}/ping`, child, started);
    const page = await waitFor(`${base}/sign-in`, child, started);
    const cpu = treeCpu(child.pid!);
    const pid = serviceProcess(child.pid!);
    const result: Start = { ping, page, cpu, rssStarted: memory(pid).rss };
    if (options.browse) {
      await browse(base);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const after = memory(pid);
      result.rssIdle = after.rss;
      result.hwm = after.hwm;
    }
    return result;
  } catch (error) {
    throw new Error(`${command.join(' ')}: ${(error as Error).message}\n${output}`);
  } finally {
    const service = serviceProcess(child.pid!);
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // The service closes its database before it exits: the next start finds the directory free.
    while (existsSync(`/proc/${service}`)) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const BARE = [
  process.execPath,
  '--input-type=module',
  '-e',
  `import Fastify from 'fastify';
   const app = Fastify();
   app.get('/ping', async () => 'ok');
   app.get('/sign-in', async () => 'ok');
   const port = Number(process.argv.at(-1));
   await app.listen({ port, host: '127.0.0.1' });
   process.on('SIGTERM', () => process.exit(0));`,
  '--',
];
/** A checkout from before the build (run for the "before" figures) has no `npm run build`. */
const BUILT = Boolean(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts.build,
);
const WAYS: [string, string[]][] = [
  ['tsx', [process.execPath, '--import', 'tsx', 'src/cli/index.ts', 'serve']],
  ...(BUILT ? [['compiled', [process.execPath, 'bin/line-of-sight.js', 'serve']] as [string, string[]]] : []),
  ['npm start', ['npm', 'start', '--silent', '--']],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x)} MB`);

try {
  if (BUILT) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const fresh = await start(WAYS[1]![1], { browse: false });
  console.log(
    `${WAYS[1]![0]}, fresh directory (migrations and the demonstration loaded): /ping ${ms(fresh.ping)}, /sign-in ${ms(fresh.page)}`,
  );
  const BASELINE = 'bare Fastify (baseline)';
  const results = new Map<string, Start[]>([
    [BASELINE, []],
    ...WAYS.map(([n]): [string, Start[]] => [n, []]),
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    results.get(BASELINE)!.push(await start(BARE, { browse: false }));
    for (const [name, command] of WAYS) {
      // In a working tree others edit, the build is made current again before each start, so the
      // compiled start runs it (not tsx) and npm start's figure holds no build.
      if (BUILT) await build({ quiet: true });
      results.get(name)!.push(await start(command, { browse: true }));
    }
  }
  const baseline = median(results.get(BASELINE)!.map((r) => r.page));
  const m = (runs: Start[], key: keyof Start) => {
    const xs = runs.map((r) => r[key]).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  console.log(`\n${ROUNDS} rounds on an initialised directory, medians`);
  const baselineCpu = median(results.get(BASELINE)!.map((r) => r.cpu));
  console.log(
    '| start | first /ping | first /sign-in | × baseline | CPU to first page | × baseline | RSS at first page | RSS idle after pages | peak (VmHWM) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name, runs] of results) {
    const page = m(runs, 'page')!;
    const cpu = m(runs, 'cpu')!;
    console.log(
      `| ${name} | ${ms(m(runs, 'ping')!)} | ${ms(page)} | ${(page / baseline).toFixed(1)}× | ${cpu.toFixed(2)} s | ${(cpu / baselineCpu).toFixed(1)}× | ${mb(m(runs, 'rssStarted'))} | ${mb(m(runs, 'rssIdle'))} | ${mb(m(runs, 'hwm'))} |`,
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
