/**
 * Re-measures the sign-in attacks of issue 11 against the real app on loopback HTTP (docs/security.md):
 * guesses at one account from 200 addresses (each request really comes from its own address,
 * 127.0.1.1 to 127.0.1.200), and a rotating X-Forwarded-For from one address, with and without a
 * configured proxy. Each scenario starts from a fresh embedded database holding one partnership
 * and its administrator; the audit log says how many guesses had their password checked.
 *
 *   npx tsx bench/sign-in-attack.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { systemRepository } from '../src/db/repositories/system-repository.ts';
import { ACCOUNT_POLICY, accountAttempt, type ThrottleState } from '../src/domain/sign-in/throttle.ts';
import { buildApp } from '../src/runtime.ts';
import { hashPassword } from '../src/services/auth-service.ts';
import { createServices } from '../src/services/index.ts';

const PASSWORD = 'demo-password-1';
const TARGET = 'admin@demo.example';

interface Scenario {
  base: string;
  close: () => Promise<void>;
  count: (outcome: string) => Promise<number>;
}

async function scenario(trustProxy: string): Promise<Scenario> {
  const database = await openDatabase({});
  await database.migrate();
  const system = systemRepository(database.db);
  const partnership = await system.insertPartnership('Benchmark Safeguarding Children Partnership');
  await system.insertUser({
    partnershipId: partnership.id,
    email: TARGET,
    name: 'Benchmark Admin',
    roles: ['partnership_admin'],
    passwordHash: await hashPassword(PASSWORD),
  });
  const config = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TRUST_PROXY: trustProxy }),
    DATA_DIR: ':memory:',
  };
  const services = createServices({ ...serviceConnections(database), now: () => new Date() });
  const app = await buildApp({ config, database, services });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await database.close();
    },
    count: async (outcome) => {
      const result = (await database.db.execute(
        sql`select count(*)::int as n from audit_events where action = 'user.sign-in' and outcome = ${outcome}`,
      )) as unknown as { rows: { n: number }[] };
      return result.rows[0]!.n;
    },
  };
}

function request(
  base: string,
  options: {
    method: 'GET' | 'POST';
    path: string;
    from: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(options.path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method,
        localAddress: options.from,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A browser's CSRF cookie and token from the sign-in page (not tied to an address). */
async function csrf(base: string) {
  const page = await request(base, { method: 'GET', path: '/sign-in', from: '127.0.0.1' });
  const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return { cookie, token };
}

async function guess(
  s: Scenario,
  browser: { cookie: string; token: string },
  email: string,
  password: string,
  from: string,
  forwardedFor?: string,
) {
  return request(s.base, {
    method: 'POST',
    path: '/sign-in',
    from,
    body: new URLSearchParams({ _csrf: browser.token, email, password }).toString(),
    headers: {
      cookie: browser.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
  });
}

/** Runs `n` tasks, `width` at a time. */
async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const report: string[] = [];

// 1. One account, 200 addresses, 10 guesses at a time; then the right password from a new address.
{
  const s = await scenario('false');
  const browser = await csrf(s.base);
  const started = performance.now();
  const answers = await pool(200, 10, (i) =>
    guess(s, browser, TARGET, `wrong-guess-${i}`, `127.0.1.${i + 1}`),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const [checked, refused] = [await s.count('failure'), await s.count('denied')];
  const right = await guess(s, browser, TARGET, PASSWORD, '127.0.2.1');
  report.push(
    `200 addresses at ${TARGET}: ${checked} of 200 guesses had their password checked, ` +
      `${refused} refused unchecked (${seconds} s; answers ${summarise(answers.map((a) => a.status))}); ` +
      `then the right password: ${right.status} (${right.status === 429 ? 'refused: locked' : 'accepted'})`,
  );
  await s.close();
}

// 2. The same account over a day, guessing whenever the lock has ended (the policy itself).
{
  let state: ThrottleState | null = null;
  let now = new Date('2026-01-05T00:00:00Z');
  const end = now.getTime() + 24 * 3_600_000;
  let guesses = 0;
  while (now.getTime() < end) {
    const attempt = accountAttempt(state, now, ACCOUNT_POLICY);
    if (!attempt.allowed) {
      now = attempt.retryAt;
      continue;
    }
    guesses++;
    state = attempt.state;
    now = attempt.lockedUntil ?? new Date(now.getTime() + 1);
  }
  report.push(
    `Any number of addresses at one account for 24 hours, guessing the moment each lock ends: ${guesses} guesses`,
  );
}

// 3. A rotating X-Forwarded-For from one address that is not a configured proxy.
{
  const s = await scenario('false');
  const browser = await csrf(s.base);
  const started = performance.now();
  const answers = await pool(60, 10, (i) =>
    guess(s, browser, `person-${i}@demo.example`, 'wrong', '127.0.3.1', `10.9.${i}.${i + 1}`),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  report.push(
    `Rotating X-Forwarded-For from one address (TRUST_PROXY unset), 60 accounts: ${await s.count('failure')} of 60 ` +
      `had their password checked, ${await s.count('denied')} refused (${seconds} s; answers ${summarise(answers.map((a) => a.status))})`,
  );
  await s.close();
}

// 4. The same through a configured proxy that appends the real client address, as proxies do.
{
  const s = await scenario('127.0.0.1');
  const browser = await csrf(s.base);
  const answers = await pool(60, 10, (i) =>
    guess(s, browser, `person-${i}@demo.example`, 'wrong', '127.0.0.1', `10.9.${i}.${i + 1}, 203.0.113.7`),
  );
  report.push(
    `Forged X-Forwarded-For through a configured proxy (TRUST_PROXY=127.0.0.1, the proxy appending the client's ` +
      `address), 60 accounts: ${await s.count('failure')} of 60 checked, ${await s.count('denied')} refused ` +
      `(answers ${summarise(answers.map((a) => a.status))})`,
  );
  await s.close();
}

function summarise(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}×${status}`).join(', ');
}

console.log(report.map((line) => `- ${line}`).join('\n'));
