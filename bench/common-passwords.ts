/**
 * What the breached-password list costs (issue 14): the time to read the top 100,000 from the
 * installed package and build the set the first time a password is checked, the memory the set
 * keeps, and the time of one check. Each is put beside a baseline measured in the same run:
 * reading the same bytes alone (the floor for loading), the heap of a process that has loaded the
 * app's code (what every instance holds before its first request), and hashing one password with argon2,
 * which every change of password pays anyway.
 *
 * Each measure of memory runs in a fresh process of its own, so one measure's garbage is not
 * counted in the next.
 *
 *   npx tsx bench/common-passwords.ts [ROUNDS]
 */
import { execFileSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hashPassword } from '../src/services/auth-service.ts';
import { isCommonPassword, topPasswords } from '../src/domain/sign-in/password-rules.ts';
import {
  COMMON_PASSWORD_COUNT,
  COMMON_PASSWORDS_FILE,
  readFirstLines,
} from '../src/services/sign-in/common-passwords.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * In a child process: the heap kept by the list, after collection; or, as the baseline, the heap of
 * a process that has loaded the app's code (what every instance holds before its first request).
 */
async function heapOf(kind: 'list' | 'app-code') {
  gc();
  const before = process.memoryUsage().heapUsed;
  if (kind === 'app-code') {
    await import('../src/runtime.ts');
    await import('../src/services/index.ts');
    gc();
    process.stdout.write(JSON.stringify({ bytes: process.memoryUsage().heapUsed }));
    return;
  }
  const kept = topPasswords(
    readFirstLines(COMMON_PASSWORDS_FILE, COMMON_PASSWORD_COUNT),
    COMMON_PASSWORD_COUNT,
  );
  gc();
  process.stdout.write(JSON.stringify({ bytes: process.memoryUsage().heapUsed - before, size: kept.size }));
}

if (process.argv[2] === '--heap') {
  await heapOf(process.argv[3] as 'list' | 'app-code');
  process.exit(0);
}

const rounds = Number(process.argv[2] ?? 7);
const load: number[] = [];
const read: number[] = [];
for (let i = 0; i < rounds; i++) {
  gc();
  let start = process.hrtime.bigint();
  const text = readFirstLines(COMMON_PASSWORDS_FILE, COMMON_PASSWORD_COUNT);
  read.push(ms(start));
  gc();
  start = process.hrtime.bigint();
  topPasswords(readFirstLines(COMMON_PASSWORDS_FILE, COMMON_PASSWORD_COUNT), COMMON_PASSWORD_COUNT);
  load.push(ms(start));
  if (!text) throw new Error('nothing read');
}

const list = topPasswords(
  readFirstLines(COMMON_PASSWORDS_FILE, COMMON_PASSWORD_COUNT),
  COMMON_PASSWORD_COUNT,
);
const candidates = ['a testperson passphrase for the bench', 'Sunshine2024!', 'handkerchief', 'qwertyqwerty'];
const checks = 200_000;
let start = process.hrtime.bigint();
let refused = 0;
for (let i = 0; i < checks; i++) if (isCommonPassword(candidates[i % candidates.length]!, list)) refused++;
const checkMicros = (ms(start) * 1000) / checks;
const hashes: number[] = [];
for (let i = 0; i < 5; i++) {
  start = process.hrtime.bigint();
  await hashPassword(candidates[0]!);
  hashes.push(ms(start));
}

const heap = (kind: string) =>
  JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--heap', kind], {
      encoding: 'utf8',
    }),
  ) as { bytes: number; size?: number };
const listHeap = median([1, 2, 3].map(() => heap('list').bytes));
const appHeap = median([1, 2, 3].map(() => heap('app-code').bytes));

console.log(
  `list: the first ${COMMON_PASSWORD_COUNT.toLocaleString()} lines, ${list.size.toLocaleString()} passwords without case (${refused} of ${checks} checks refused)`,
);
console.log(
  `load: median ${median(load).toFixed(1)} ms; baseline read alone ${median(read).toFixed(1)} ms; ratio ${(median(load) / median(read)).toFixed(1)}`,
);
console.log(
  `heap kept: list ${mb(listHeap)} MB; baseline the app's code loaded ${mb(appHeap)} MB; ratio ${(listHeap / appHeap).toFixed(2)}`,
);
console.log(
  `one check: ${checkMicros.toFixed(2)} µs; baseline one argon2 hash ${median(hashes).toFixed(0)} ms; ratio ${(checkMicros / 1000 / median(hashes)).toExponential(1)}`,
);
