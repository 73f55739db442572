/**
 * Load: 50 signed-in people using the service at once for 60 s, over a realistic mix of pages,
 * an upload and API calls; on the embedded database (one service) and on a PostgreSQL server
 * with two instances of the application behind a round-robin client (docs/benchmarks.md, "Under load").
 *
 *   npx tsx bench/load.ts [--people 50] [--seconds 60] [--think-ms 0] [--only embedded|server]
 *                         [--baseline-seconds 10] [--settle-seconds 10]
 *
 * CI runs it small (test/load/under-load.test.ts: 8 people for 5 s on each database) and requires
 * no error.
 *
 * The server is DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/postgres): a scratch
 * database is created there and dropped at the end; the embedded database is a scratch directory.
 * Each holds the demo and 42 more people (coordinators, agency leads, practitioners, board
 * members). Each person signs in through the sign-in page (with their authenticator's code where
 * their role needs one) from an address of their own on the loopback network (127.0.1.N), as 50
 * people at 50 desks do, so the per-address sign-in throttle sees 50 addresses. Then each works in
 * a loop: an action chosen by weight from those open to their role (found by trying each once),
 * then `--think-ms` of thought (0: as fast as they can, the hardest case). Reports requests a
 * second, the 50th, 95th and 99th centile of the answer time, errors (any status but the one
 * expected), and each service process's resident memory before, during (the most) and after.
 * The baseline, measured in the same run on the same instances just before: one person alone
 * doing the same mix for `--baseline-seconds` (10); the ratios are the centiles under load over
 * the centiles alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle, serviceConnections } from '../src/db/client.ts';
import { identityRepository } from '../src/db/repositories/identity-repository.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/demo/partnership.ts';
import type { Role } from '../src/domain/lifecycle/roles.ts';
import { actorFor } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';
import { secondFactorKeyMaterial } from '../src/services/sign-in/second-factor-service.ts';
import { secretBox } from '../src/services/sign-in/secret-box.ts';
import { totpCode } from '../src/services/sign-in/totp.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1]! : fallback;
};
const PEOPLE = Number(option('--people', '50'));
const SECONDS = Number(option('--seconds', '60'));
const THINK_MS = Number(option('--think-ms', '0'));
const ONLY = option('--only', '');
const BASELINE_SECONDS = Number(option('--baseline-seconds', '10'));
/** How long after the load the memory is read again ("10 s after"). */
const SETTLE_SECONDS = Number(option('--settle-seconds', '10'));
const SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

// Shared by every instance, as production requires; the bench's own, never a real one.
const SESSION_SECRET = randomBytes(32).toString('base64url');
const AUDIT_KEY = randomBytes(32).toString('base64url');
process.env.SESSION_SECRET = SESSION_SECRET; // the demo's authenticator secrets are sealed with it
const PASSWORD = 'Load bench passphrase: lantern river 2026';
const CHILD_2 = 'LOS-2021-002';

interface Person {
  email: string;
  password: string;
  needsCode: boolean;
  token: string;
  address: string;
}

// ---------------------------------------------------------------------------------------------
// The database: the demo, 42 more people, a review taking agency returns, a token each.

async function prepare(
  handle: DatabaseHandle,
): Promise<{ people: Person[]; uploadRef: string; briefingId: string }> {
  await loadDemo(handle.db);
  const services = createServices({ ...serviceConnections(handle), now: () => new Date() });
  const system = systemRepository(handle.db);
  const actor = async (email: string) => actorFor((await system.userByEmail(email))!, 'bench');
  const admin = await actor('admin@demo.example');
  const coordinator = await actor('coordinator@demo.example');

  // A current review in information gathering, its requests with the demo's agency leads.
  const [infant] = (
    (await handle.db.execute(sql`select reference from reviews where pseudonym = 'Infant 8'`)) as unknown as {
      rows: { reference: string }[];
    }
  ).rows;
  const uploadRef = infant!.reference;
  await services.reviews.setTermsOfReference(coordinator, uploadRef, {
    periodFrom: '2018-03-01',
    periodTo: '2021-01-15',
    agenciesInScope: ['police', 'health-visiting', 'csc'],
  });
  await services.reviews.addLineOfEnquiry(coordinator, uploadRef, {
    question: 'Was the child seen and heard?',
  });
  await services.reviews.moveStage(coordinator, uploadRef, { to: 'information_gathering' });
  await services.requests.send(coordinator, uploadRef, {
    agencies: ['police', 'health-visiting', 'csc'],
    workingDays: 15,
  });

  const box = secretBox(await secondFactorKeyMaterial(handle.db)());
  const identity = identityRepository(handle.db);
  const more: { role: Role; agency?: string; count: number }[] = [
    { role: 'review_coordinator', count: 4 },
    { role: 'agency_lead', agency: 'police', count: 2 },
    { role: 'agency_lead', agency: 'health-visiting', count: 2 },
    { role: 'agency_lead', agency: 'csc', count: 1 },
    { role: 'practitioner', agency: 'health-visiting', count: 12 },
    { role: 'practitioner', agency: 'police', count: 11 },
    { role: 'board_member', count: 10 },
  ];
  const emails: { email: string; password: string }[] = [
    'admin',
    'coordinator',
    'chair',
    'police.lead',
    'csc.lead',
    'hv.lead',
    'practitioner',
    'board',
  ].map((who) => ({ email: `${who}@demo.example`, password: DEMO_PASSWORD }));
  let n = 0;
  for (const group of more)
    for (let i = 0; i < group.count; i++) {
      n += 1;
      const email = `load.person.${n}@bench.example`;
      const user = await services.admin.addUser(admin, {
        name: `Loadperson ${n} Example`,
        email,
        roles: [group.role],
        agency: group.agency ?? '',
        jobTitle: 'Synthetic person for the load bench',
        password: PASSWORD,
      });
      // An authenticator for those whose role must use one, as the demo's people have.
      if (['review_coordinator', 'agency_lead'].includes(group.role))
        await identity.saveTotp(user.id, box.seal(DEMO_TOTP_SECRET), new Date(), null);
      emails.push({ email, password: PASSWORD });
    }
  const people: Person[] = [];
  for (const [i, { email, password }] of emails.slice(0, PEOPLE).entries()) {
    const user = (await system.userByEmail(email))!;
    const needsCode =
      (
        (await handle.db.execute(
          sql`select count(*)::int as n from totp_enrolments where user_id = ${user.id}`,
        )) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]!.n > 0;
    const { token } = await services.auth.createApiToken(email, 'load bench');
    people.push({ email, password, needsCode, token, address: `127.0.1.${i + 1}` });
  }
  const [briefing] = (
    (await handle.db.execute(
      sql`select b.id from briefings b join briefing_versions v on v.briefing_id = b.id where v.state = 'published' limit 1`,
    )) as unknown as { rows: { id: string }[] }
  ).rows;
  return { people, uploadRef, briefingId: briefing!.id };
}

// ---------------------------------------------------------------------------------------------
// The services under test.

interface Instance {
  port: number;
  child: ChildProcess;
}

async function startInstances(
  count: number,
  env: NodeJS.ProcessEnv,
  dataArgs: string[],
  log: string,
): Promise<Instance[]> {
  const out = openSync(log, 'a');
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const port = 3900 + Math.floor(Math.random() * 900);
    // As the service is run: the command line's compiled build when it is current (tsx otherwise).
    const child = spawn(
      process.execPath,
      ['bin/line-of-sight.js', ...dataArgs, 'serve', '--port', String(port), '--no-demo'],
      {
        env: { ...process.env, ...env, SESSION_SECRET, AUDIT_KEY, LOG_LEVEL: 'info' },
        stdio: ['ignore', out, out],
      },
    );
    instances.push({ port, child });
  }
  for (const instance of instances) {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) =>
        http
          .get({ host: '127.0.0.1', port: instance.port, path: '/ping' }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          })
          .on('error', () => resolve(false)),
      );
      if (up) break;
      if (Date.now() > deadline || instance.child.exitCode !== null)
        throw new Error(
          `the service on port ${instance.port} did not start; its log ends:\n${readFileSync(log, 'utf8').slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return instances;
}

async function stopInstances(instances: Instance[]) {
  await Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.child.exitCode !== null) return resolve();
          i.child.once('exit', () => resolve());
          i.child.kill('SIGTERM');
        }),
    ),
  );
}

/** Resident memory of a process and its threads, in MB (Linux). */
function residentMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// One person's browser: cookies, an address of its own, and the instances in turn.

interface Answer {
  status: number;
  location: string;
  body: string;
  ms: number;
}

class Browser {
  private cookies = new Map<string, string>();
  private readonly agent: http.Agent;
  private next = 0;

  constructor(
    readonly person: Person,
    private readonly instances: Instance[],
  ) {
    this.agent = new http.Agent({
      keepAlive: true,
      maxSockets: 1,
      localAddress: person.address,
    } as http.AgentOptions);
  }

  request(
    method: string,
    path: string,
    options: { body?: Buffer | string; type?: string; token?: boolean } = {},
  ): Promise<Answer> {
    const instance = this.instances[this.next++ % this.instances.length]!;
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${this.person.token}`;
    else if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.type) headers['content-type'] = options.type;
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body) headers['content-length'] = String(body.length);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: instance.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            for (const cookie of res.headers['set-cookie'] ?? []) {
              const [pair] = cookie.split(';');
              const eq = pair!.indexOf('=');
              const name = pair!.slice(0, eq).trim();
              const value = pair!.slice(eq + 1);
              if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value === '')
                this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            resolve({
              status: res.statusCode ?? 0,
              location: String(res.headers.location ?? ''),
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async csrf(path: string): Promise<string> {
    const page = await this.request('GET', path);
    const token = /name="_csrf"\s+value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`${this.person.email}: no form on ${path} (${page.status})`);
    return token;
  }

  async form(path: string, fields: Record<string, string>, csrfFrom = path): Promise<Answer> {
    const body = new URLSearchParams({ _csrf: await this.csrf(csrfFrom), ...fields }).toString();
    return this.request('POST', path, { body, type: 'application/x-www-form-urlencoded' });
  }

  async signIn() {
    const answer = await this.form('/sign-in', { email: this.person.email, password: this.person.password });
    if (answer.status !== 303) throw new Error(`${this.person.email}: sign-in answered ${answer.status}`);
    if (answer.location !== '/sign-in/code') return;
    const code = await this.form('/sign-in/code', { code: await totpCode(DEMO_TOTP_SECRET, new Date()) });
    if (code.status !== 303 || code.location.startsWith('/sign-in'))
      throw new Error(
        `${this.person.email}: the authenticator code answered ${code.status} ${code.location}`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// What people do.

interface Action {
  name: string;
  weight: number;
  expect: number;
  run: (b: Browser) => Promise<Answer>;
  /** Whether this person may: tried once before the clock starts. */
  open?: (b: Browser) => Promise<boolean>;
}

function actions(uploadRef: string, briefingId: string): Action[] {
  const page = (name: string, path: string, weight: number): Action => ({
    name,
    weight,
    expect: 200,
    run: (b) => b.request('GET', path),
  });
  const api = (name: string, path: string, weight: number): Action => ({
    name,
    weight,
    expect: 200,
    run: (b) => b.request('GET', `/api/v1${path}`, { token: true }),
  });
  const uploads = new Map<Browser, string>();
  let n = 0;
  return [
    page('reviews list', '/reviews', 10),
    page('review hub', `/reviews/${CHILD_2}`, 8),
    page('chronology', `/reviews/${CHILD_2}/chronology`, 6),
    page('review signals', `/reviews/${CHILD_2}/signals`, 4),
    page('front door', '/front-door/re-referrals', 3),
    page('library', '/library', 8),
    page('library briefing', `/library/${briefingId}`, 6),
    page('dashboard', '/dashboard', 2),
    page('agency return', `/reviews/${uploadRef}/return`, 4),
    api('API reviews', '/reviews?limit=20', 4),
    api('API chronology', `/reviews/${CHILD_2}/chronology?limit=100`, 3),
    {
      name: 'upload (20 rows)',
      weight: 2,
      expect: 303,
      open: async (b) => {
        const form = await b.request('GET', `/reviews/${uploadRef}/return/upload`);
        const token = /name="_csrf"\s+value="([^"]+)"/.exec(form.body)?.[1];
        if (form.status !== 200 || !token) return false;
        uploads.set(b, token);
        return true;
      },
      run: (b) => {
        n += 1;
        const code = b.person.email.startsWith('police')
          ? 'police'
          : b.person.email.startsWith('hv')
            ? 'health-visiting'
            : 'csc';
        const rows = ['date,agency,event_type,summary,source_ref'];
        for (let i = 0; i < 20; i++)
          rows.push(
            `2019-06-${String((i % 28) + 1).padStart(2, '0')},${code},contact,Synthetic load upload ${n},LOAD-${n}-${i}`,
          );
        const boundary = `----load${n}`;
        const body = Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="load-${n}.csv"\r\nContent-Type: text/csv\r\n\r\n`,
          ),
          Buffer.from(rows.join('\n') + '\n'),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return b.request(
          'POST',
          `/reviews/${uploadRef}/return/upload?_csrf=${encodeURIComponent(uploads.get(b)!)}`,
          {
            body,
            type: `multipart/form-data; boundary=${boundary}`,
          },
        );
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// A run.

interface Sample {
  action: string;
  ms: number;
  ok: boolean;
  status: number;
}

const centile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(label: string, instances: Instance[], people: Person[], all: Action[]) {
  const browsers = people.map((p) => new Browser(p, instances));
  // Signed in a few at a time (argon2 takes a core each), each from their own address.
  for (let i = 0; i < browsers.length; i += 5)
    await Promise.all(browsers.slice(i, i + 5).map((b) => b.signIn()));
  const mixes = new Map<Browser, Action[]>();
  /** What each action first answered those it was not open to, to tell a refusal from a fault. */
  const closed = new Map<string, Map<string, number>>();
  for (const b of browsers) {
    const mine: Action[] = [];
    for (const action of all) {
      let why = 'refused by its check';
      const open = action.open
        ? await action.open(b)
        : await action.run(b).then((a) => {
            why = `${a.status}${a.location ? ` to ${a.location}` : ''}`;
            return a.status === action.expect;
          });
      if (open) mine.push(action);
      else {
        const counts = closed.get(action.name) ?? new Map<string, number>();
        counts.set(why, (counts.get(why) ?? 0) + 1);
        closed.set(action.name, counts);
      }
    }
    mixes.set(b, mine);
  }
  const memory = instances.map((i) => ({
    pid: i.child.pid!,
    before: residentMb(i.child.pid!),
    most: 0,
    after: 0,
  }));
  const failures = new Map<string, number>();
  /** Everyone in `who` doing their mix until `seconds` have passed. */
  const work = async (who: Browser[], seconds: number, samples: Sample[]) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      who.map(async (b) => {
        const mine = mixes.get(b)!;
        const total = mine.reduce((s, a) => s + a.weight, 0);
        while (performance.now() < until) {
          let pick = Math.random() * total;
          const action = mine.find((a) => (pick -= a.weight) < 0) ?? mine[0]!;
          try {
            const answer = await action.run(b);
            const ok = answer.status === action.expect;
            samples.push({ action: action.name, ms: answer.ms, ok, status: answer.status });
            if (!ok)
              failures.set(
                `${action.name}: ${answer.status}`,
                (failures.get(`${action.name}: ${answer.status}`) ?? 0) + 1,
              );
          } catch (error) {
            samples.push({ action: action.name, ms: 0, ok: false, status: 0 });
            const key = `${action.name}: ${(error as Error).message}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
          }
          if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
        }
      }),
    );
  };
  // The baseline: the person with the widest mix, alone, on the same instances.
  const alone = [...browsers].sort((a, b) => mixes.get(b)!.length - mixes.get(a)!.length)[0]!;
  const baseline: Sample[] = [];
  await work([alone], BASELINE_SECONDS, baseline);
  const samples: Sample[] = [];
  const sampler = setInterval(() => {
    for (const m of memory) m.most = Math.max(m.most, residentMb(m.pid));
  }, 1000);
  const started = performance.now();
  await work(browsers, SECONDS, samples);
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
  for (const m of memory) m.after = residentMb(m.pid);

  const okTimes = (list: Sample[]) =>
    list
      .filter((s) => s.ok)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
  const times = okTimes(samples);
  const base = okTimes(baseline);
  const ratio = (p: number) => (centile(times, p) / Math.max(centile(base, p), 0.001)).toFixed(1);
  const lines = [
    `${label}: ${people.length} people, ${SECONDS} s, think ${THINK_MS} ms, ${instances.length} ${instances.length === 1 ? 'instance' : 'instances'}`,
    `  baseline, one person alone for ${BASELINE_SECONDS} s (${alone.person.email}): requests ${baseline.length}; p50 ${centile(base, 50).toFixed(0)} ms, p95 ${centile(base, 95).toFixed(0)} ms, p99 ${centile(base, 99).toFixed(0)} ms; errors ${baseline.filter((s) => !s.ok).length}`,
    `  under load: requests ${samples.length}, ${(samples.length / elapsed).toFixed(1)}/s; p50 ${centile(times, 50).toFixed(0)} ms, p95 ${centile(times, 95).toFixed(0)} ms, p99 ${centile(times, 99).toFixed(0)} ms; errors ${samples.filter((s) => !s.ok).length}`,
    `  ratio under load / alone: p50 ${ratio(50)}, p95 ${ratio(95)}, p99 ${ratio(99)}`,
  ];
  for (const [key, count] of failures) lines.push(`    error ${key} ×${count}`);
  lines.push('  by action (count, p50 / p95 / p99 ms):');
  for (const action of all) {
    const mine = samples
      .filter((s) => s.action === action.name && s.ok)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    if (!mine.length) continue;
    lines.push(
      `    ${action.name.padEnd(20)} ${String(mine.length).padStart(6)}  ${centile(mine, 50).toFixed(0).padStart(5)} / ${centile(mine, 95).toFixed(0).padStart(5)} / ${centile(mine, 99).toFixed(0).padStart(5)}`,
    );
  }
  lines.push(`  memory (resident MB: before, most during, ${SETTLE_SECONDS} s after):`);
  for (const [i, m] of memory.entries())
    lines.push(
      `    instance ${i + 1} (pid ${m.pid}): ${m.before.toFixed(0)}, ${m.most.toFixed(0)}, ${m.after.toFixed(0)}`,
    );
  const takers = [...mixes.values()].map((m) => m.length);
  lines.push(`  actions open per person: ${Math.min(...takers)} to ${Math.max(...takers)} of ${all.length}`);
  for (const [name, counts] of closed)
    lines.push(
      `    not open to ${[...counts.values()].reduce((a, b) => a + b, 0)}: ${name} (${[...counts].map(([why, n]) => `${why} ×${n}`).join(', ')})`,
    );
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------

const folder = mkdtempSync(join(tmpdir(), 'los-load-'));
try {
  if (ONLY !== 'server') {
    const dir = join(folder, 'data');
    const handle = await openDatabase({ dataDir: dir, migrate: true });
    const prepared = await prepare(handle);
    await handle.close();
    const instances = await startInstances(1, {}, ['--data', dir], join(folder, 'embedded.log'));
    try {
      await run(
        'Embedded database (PGlite)',
        instances,
        prepared.people,
        actions(prepared.uploadRef, prepared.briefingId),
      );
    } finally {
      await stopInstances(instances);
    }
  }
  if (ONLY !== 'embedded') {
    const name = `los_load_${randomBytes(5).toString('hex')}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: SERVER });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    await admin(`create database "${name}"`);
    const url = new URL(SERVER);
    url.pathname = `/${name}`;
    try {
      const handle = await openDatabase({ url: url.toString(), migrate: true });
      const prepared = await prepare(handle);
      await handle.close();
      const instances = await startInstances(
        2,
        { DATABASE_URL: url.toString() },
        [],
        join(folder, 'server.log'),
      );
      try {
        await run(
          'PostgreSQL server',
          instances,
          prepared.people,
          actions(prepared.uploadRef, prepared.briefingId),
        );
      } finally {
        await stopInstances(instances);
      }
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
