/**
 * How many failed sign-ins are allowed, per account and per address, and for how long a sign-in
 * is then refused. Pure: the repository keeps the counts, the service passes the time in.
 *
 * Every attempt is counted before its password is checked, and forgiven if it succeeds, so many
 * attempts at once cannot all slip in before the first failure is written.
 */

/** What is kept for one account or one address. */
export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export type Attempt =
  | { allowed: false; retryAt: Date }
  /** `state` is to be stored; `lockedUntil` is when the next attempt may come if this one fails. */
  | { allowed: true; state: ThrottleState; lockedUntil: Date | null };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * An account (the e-mail as typed, whether or not anyone has it): 5 failures in a row are allowed,
 * then each failure locks it for twice as long as the one before, from a minute up to an hour. The
 * count is forgotten a day after the last failure, or at once by a successful sign-in.
 */
export const ACCOUNT_POLICY = {
  freeFailures: 5,
  firstLockMs: MINUTE,
  longestLockMs: HOUR,
  forgetAfterMs: 24 * HOUR,
} as const;

/**
 * An address (an office may sit behind one): a bucket of 30 failures that empties by one every
 * 2 minutes (30 an hour); when full, the address waits for it to empty by one. A success gives back
 * its own count, so people signing in do not use up their colleagues' allowance.
 */
export const ADDRESS_POLICY = {
  capacity: 30,
  leakMs: 2 * MINUTE,
} as const;

const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** The account's next attempt at `now`: refused while locked, otherwise counted. */
export function accountAttempt(
  state: ThrottleState | null,
  now: Date,
  policy: typeof ACCOUNT_POLICY = ACCOUNT_POLICY,
): Attempt {
  if (state?.lockedUntil && state.lockedUntil > now) return { allowed: false, retryAt: state.lockedUntil };
  const remembered =
    state && now.getTime() - state.lastFailureAt.getTime() < policy.forgetAfterMs ? state.failures : 0;
  const failures = remembered + 1;
  const over = failures - policy.freeFailures;
  const lockedUntil =
    over >= 0 ? plus(now, Math.min(policy.firstLockMs * 2 ** over, policy.longestLockMs)) : null;
  return { allowed: true, state: { failures, lastFailureAt: now, lockedUntil }, lockedUntil };
}

/** The address's next attempt at `now`: refused while its bucket is full, otherwise counted. */
export function addressAttempt(
  state: ThrottleState | null,
  now: Date,
  policy: typeof ADDRESS_POLICY = ADDRESS_POLICY,
): Attempt {
  if (state?.lockedUntil && state.lockedUntil > now) return { allowed: false, retryAt: state.lockedUntil };
  const failures = leftIn(state, now, policy) + 1;
  const lockedUntil = failures >= policy.capacity ? plus(now, policy.leakMs) : null;
  return { allowed: true, state: { failures, lastFailureAt: now, lockedUntil }, lockedUntil };
}

/** An address after one of its attempts succeeded: that attempt's count given back. */
export function addressSucceeded(
  state: ThrottleState,
  now: Date,
  policy: typeof ADDRESS_POLICY = ADDRESS_POLICY,
): ThrottleState {
  const failures = Math.max(0, leftIn(state, now, policy) - 1);
  // The bucket has leaked up to now, so the count is as of now.
  return {
    failures,
    lastFailureAt: now,
    lockedUntil: failures >= policy.capacity ? state.lockedUntil : null,
  };
}

function leftIn(state: ThrottleState | null, now: Date, policy: typeof ADDRESS_POLICY): number {
  if (!state) return 0;
  const leaked = Math.floor((now.getTime() - state.lastFailureAt.getTime()) / policy.leakMs);
  return Math.max(0, state.failures - Math.max(0, leaked));
}

/** The e-mail as typed, the same however it was spaced or capitalised. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/**
 * The address a limit is kept for: an IPv4 address as it is, an IPv6 address by its /64 (one
 * household or server is given a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** "a minute", "5 minutes", "an hour": how long to wait, rounded up to the minute. */
export function waitInWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  if (minutes === 1) return 'a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? 'an hour' : `${hours} hours`;
}
