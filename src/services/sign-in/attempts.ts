import type { Executor } from '../../db/client.ts';
import { auditRepository, type AuditOutcome } from '../../db/repositories/audit-repository.ts';
import { signInThrottleRepository } from '../../db/repositories/sign-in-throttle-repository.ts';
import {
  accountAttempt,
  addressAttempt,
  addressKey,
  addressSucceeded,
} from '../../domain/sign-in/throttle.ts';
import type { ServiceContext } from '../context.ts';
import type { AuditAction } from '../../domain/audit/catalogue.ts';

/** Who is trying, from where, for the audit row and the address limit. */
export interface AttemptRequest {
  requestId: string;
  address: string;
}

/** The person an attempt is about, as far as it is known (for the audit row). */
export interface AttemptSubject {
  partnershipId: string | null;
  userId: string | null;
  email: string;
}

export type AttemptResult<T> =
  { outcome: 'ok'; value: T } | { outcome: 'wait'; waitMs: number } | { outcome: 'refused'; reason: string };

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/**
 * One throttled attempt to prove who someone is: a password, an authenticator code, a recovery
 * code. The sign-in lockout of src/domain/sign-in/throttle.ts, per account and per address, kept
 * in the database: the attempt is counted under the rows' locks before it is checked (so attempts
 * sent at once cannot slip in together), refused without being checked while a lock runs, and
 * forgiven when it succeeds. Every attempt, refusal and lockout is audited as `action`.
 *
 * `check` runs in the transaction that settles the attempt (so it may lock and change rows, as a
 * code's replay guard does); anything slow (a password hash) is done before, in `precheck`.
 */
export async function throttledAttempt<P, T>(
  ctx: ServiceContext,
  options: {
    action: AuditAction;
    /** The account's key: `account:<hash of the e-mail>` for passwords, `second-factor:<user>` for codes. */
    accountKey: string;
    request: AttemptRequest;
    subject: () => Promise<AttemptSubject>;
    precheck: () => Promise<P>;
    check: (
      tx: Executor,
      pre: P,
    ) => Promise<{ ok: true; value: T; detail?: object } | { ok: false; reason: string; detail?: object }>;
  },
): Promise<AttemptResult<T>> {
  const now = ctx.now();
  const addressKeyed = `address:${addressKey(options.request.address)}`;
  const record = async (tx: Executor, outcome: AuditOutcome, detail: object) => {
    const who = await options.subject();
    await auditRepository(tx).write({
      action: options.action,
      outcome,
      partnershipId: who.partnershipId,
      userId: who.userId,
      requestId: options.request.requestId,
      sourceAddress: options.request.address,
      detail: { ...detail },
    });
  };

  const claim = await ctx.system.transaction(async (tx) => {
    const throttles = signInThrottleRepository(tx);
    const byAddress = addressAttempt(await throttles.hold(addressKeyed, now), now);
    if (!byAddress.allowed) return { refused: 'address' as const, retryAt: byAddress.retryAt };
    await throttles.save(addressKeyed, byAddress.state);
    const byAccount = accountAttempt(await throttles.hold(options.accountKey, now), now);
    if (!byAccount.allowed) return { refused: 'account' as const, retryAt: byAccount.retryAt };
    await throttles.save(options.accountKey, byAccount.state);
    return {
      refused: null,
      failures: byAccount.state.failures,
      lockedUntil: latest(byAccount.lockedUntil, byAddress.lockedUntil),
    };
  });
  if (claim.refused) {
    await record(ctx.system, 'denied', {
      reason: claim.refused === 'account' ? 'account-locked' : 'too-many-from-address',
      retryAt: claim.retryAt.toISOString(),
    });
    return { outcome: 'wait', waitMs: claim.retryAt.getTime() - now.getTime() };
  }

  const pre = await options.precheck();
  return ctx.system.transaction(async (tx): Promise<AttemptResult<T>> => {
    const throttles = signInThrottleRepository(tx);
    const checked = await options.check(tx, pre);
    if (checked.ok) {
      // The address first, then the account, as when counting: two transactions never wait on each other.
      await throttles.save(addressKeyed, addressSucceeded(await throttles.hold(addressKeyed, now), now));
      await throttles.clear(options.accountKey);
      await record(tx, 'success', checked.detail ?? {});
      return { outcome: 'ok', value: checked.value };
    }
    await record(tx, 'failure', {
      reason: checked.reason,
      ...checked.detail,
      failures: claim.failures,
      ...(claim.lockedUntil ? { lockedUntil: claim.lockedUntil.toISOString() } : {}),
    });
    return claim.lockedUntil
      ? { outcome: 'wait', waitMs: claim.lockedUntil.getTime() - now.getTime() }
      : { outcome: 'refused', reason: checked.reason };
  });
}
