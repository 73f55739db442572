/**
 * What makes a password acceptable, after the NCSC's guidance: long enough (12 characters), not
 * one of the passwords most often found in breaches, and no composition rules (no "one capital,
 * one symbol").
 *
 * The list of common passwords is given (src/services/sign-in/common-passwords.ts reads the top
 * 100,000 of the 10 million passwords leaked in public breaches); this module only decides. Few
 * listed passwords are 12 characters long, so a listed password repeated ("qwertyqwerty") or with
 * only digits and symbols added ("sunshine2024!") is refused too: the ways people stretch one.
 */

export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase; a limit so a megabyte "password" is not hashed. */
export const MAX_PASSWORD_LENGTH = 200;

/** Common passwords in lower case. */
export type PasswordList = ReadonlySet<string>;

/**
 * The first `count` passwords of a list with one a line, most common first, in lower case (so
 * "Password" is as common as "password"). Blank lines are not passwords and are not counted.
 */
export function topPasswords(text: string, count: number): Set<string> {
  const list = new Set<string>();
  let taken = 0;
  let start = 0;
  while (taken < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const password = text.slice(start, end).trim();
    start = end + 1;
    if (!password) continue;
    list.add(password.normalize('NFKC').toLowerCase());
    taken++;
  }
  return list;
}

/** Whether the password is a common one, or one stretched by repeating it or adding digits and symbols. */
export function isCommonPassword(password: string, list: PasswordList): boolean {
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
  context: { common: PasswordList; email?: string | undefined },
): string | null {
  if (!password) return 'Enter a new password';
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Enter a password of ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (isCommonPassword(password, context.common))
    return 'Enter a password that is harder to guess: this one is on a list of passwords people commonly use';
  const email = context.email?.toLowerCase();
  const name = email?.split('@')[0];
  const lower = password.toLowerCase();
  if (email && (lower.includes(email) || (name && name.length >= 4 && lower.includes(name))))
    return 'Enter a password that does not contain your e-mail address';
  return null;
}
