/**
 * What makes a password acceptable, after the NCSC's guidance: long enough (12 characters), not
 * one people commonly choose, and no composition rules (no "one capital, one symbol").
 *
 * The common passwords are the 49,233 of @zxcvbn-ts/language-common (from the 10 million
 * passwords leaked in public breaches, most common first): the largest such list kept up in a
 * package. Few are 12 characters long, so a listed password repeated ("qwertyqwerty") or with
 * only digits and symbols added ("sunshine2024!") is refused too: the ways people stretch one.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase; a limit so a megabyte "password" is not hashed. */
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** How many passwords the list holds (for the documentation's figures). */
export const commonPasswordCount = () => commonPasswords().size;

/** Whether the password is a common one, or one stretched by repeating it or adding digits and symbols. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.normalize('NFKC').toLowerCase();
  if (list.has(lower)) return true;
  const repeated = /^(.+?)\1+$/.exec(lower);
  if (repeated && list.has(repeated[1]!)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, '');
  return stem.length >= 4 && stem !== lower && list.has(stem);
}

/** The message to show beside a new password, or null when it will do. */
export function newPasswordProblem(
  password: string,
  context: { email?: string | undefined } = {},
): string | null {
  if (!password) return 'Enter a new password';
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Enter a password of ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (isCommonPassword(password))
    return 'Enter a password that is harder to guess: this one is on a list of passwords people commonly use';
  const email = context.email?.toLowerCase();
  const name = email?.split('@')[0];
  const lower = password.toLowerCase();
  if (email && (lower.includes(email) || (name && name.length >= 4 && lower.includes(name))))
    return 'Enter a password that does not contain your e-mail address';
  return null;
}
