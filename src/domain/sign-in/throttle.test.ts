import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  accountAttempt,
  addressAttempt,
  addressKey,
  addressSucceeded,
  normaliseEmail,
  waitInWords,
  type Attempt,
  type ThrottleState,
} from './throttle.ts';

const start = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const MINUTE = 60_000;

/** Fails `n` attempts at `when`, returning the state and what the last attempt said. */
function fail(
  attempt: (state: ThrottleState | null, now: Date) => Attempt,
  state: ThrottleState | null,
  when: Date,
  n: number,
) {
  let last: Attempt | undefined;
  for (let i = 0; i < n; i++) {
    last = attempt(state, when);
    if (!last.allowed) break;
    state = last.state;
  }
  return { state, last: last! };
}

describe('the account throttle', () => {
  it('allows five failures, then locks for a minute, doubling each time up to an hour', () => {
    let { state, last } = fail(accountAttempt, null, start, 4);
    expect(last).toMatchObject({ allowed: true, lockedUntil: null });
    ({ state, last } = fail(accountAttempt, state, start, 1));
    expect(last).toMatchObject({ allowed: true, lockedUntil: at(MINUTE) });
    // Locked: refused, and the refusal does not lengthen the lock.
    expect(accountAttempt(state, at(59_999))).toEqual({ allowed: false, retryAt: at(MINUTE) });
    const locks: number[] = [];
    let now = at(MINUTE);
    for (let i = 0; i < 8; i++) {
      const next = accountAttempt(state, now);
      if (!next.allowed) throw new Error('refused after the lock ended');
      state = next.state;
      locks.push((next.lockedUntil!.getTime() - now.getTime()) / MINUTE);
      now = next.lockedUntil!;
    }
    expect(locks).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('forgets the failures a day after the last one', () => {
    const { state } = fail(accountAttempt, null, start, 4);
    const later = accountAttempt(state, at(ACCOUNT_POLICY.forgetAfterMs));
    expect(later).toMatchObject({ allowed: true, lockedUntil: null, state: { failures: 1 } });
  });
});

describe('the address throttle', () => {
  it('allows a burst of thirty, then one every two minutes', () => {
    let { state, last } = fail(addressAttempt, null, start, ADDRESS_POLICY.capacity - 1);
    expect(last).toMatchObject({ allowed: true, lockedUntil: null });
    ({ state, last } = fail(addressAttempt, state, start, 1));
    expect(last).toMatchObject({ allowed: true, lockedUntil: at(2 * MINUTE) });
    expect(addressAttempt(state, at(MINUTE))).toEqual({ allowed: false, retryAt: at(2 * MINUTE) });
    const again = addressAttempt(state, at(2 * MINUTE));
    expect(again).toMatchObject({ allowed: true, lockedUntil: at(4 * MINUTE) });
    // An hour later the bucket is empty again.
    expect(addressAttempt(state, at(60 * MINUTE))).toMatchObject({ state: { failures: 1 } });
  });

  it('gives back the count of an attempt that succeeded', () => {
    const { state } = fail(addressAttempt, null, start, ADDRESS_POLICY.capacity);
    expect(state?.lockedUntil).toEqual(at(2 * MINUTE));
    const after = addressSucceeded(state!, start);
    expect(after).toEqual({ failures: ADDRESS_POLICY.capacity - 1, lastFailureAt: start, lockedUntil: null });
  });
});

describe('keys and words', () => {
  it('keys an account by the e-mail however it was typed', () => {
    expect(normaliseEmail('  Admin@Demo.Example ')).toBe('admin@demo.example');
    expect(normaliseEmail('ａｄｍｉｎ@demo.example')).toBe('admin@demo.example');
  });

  it('keys IPv4 by the address and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('says how long to wait in words', () => {
    expect(waitInWords(1_000)).toBe('a minute');
    expect(waitInWords(MINUTE)).toBe('a minute');
    expect(waitInWords(MINUTE + 1)).toBe('2 minutes');
    expect(waitInWords(32 * MINUTE)).toBe('32 minutes');
    expect(waitInWords(60 * MINUTE)).toBe('an hour');
  });
});
