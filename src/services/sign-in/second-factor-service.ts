import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { identityRepository } from '../../db/repositories/identity-repository.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';
import { mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';
import { mustUseSecondFactor, type SignInMethod } from '../../domain/sign-in/strength.ts';
import { secondFactorRoles, type UserRow } from '../auth-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from '../context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { auditRepository } from '../../db/repositories/audit-repository.ts';
import { throttledAttempt, type AttemptRequest, type AttemptResult } from './attempts.ts';
import { keyRing, type KeyRing } from './key-ring.ts';
import {
  checkTotp,
  enrolmentPicture,
  matchRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
} from './totp.ts';
import type { AuditAction } from '../../domain/audit/catalogue.ts';

/** How the first factor was given: a password, or the partnership's identity provider. */
export type FirstFactor = 'password' | 'sso';

/** Why a code was refused, in the audit log's words. */
const CODE_REASONS = { wrong: 'wrong-code', used: 'code-already-used', expired: 'code-expired' } as const;

/**
 * Where the key that seals authenticator secrets comes from: MFA_KEY, else SESSION_SECRET (both
 * outside the database), else on a laptop the session secret kept in its own database.
 */
export function secondFactorKeyMaterial(
  db: ServiceContext['db'],
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<string> {
  let material: Promise<string> | null = null;
  return () =>
    (material ??=
      env.MFA_KEY || env.SESSION_SECRET
        ? Promise.resolve((env.MFA_KEY || env.SESSION_SECRET)!)
        : systemRepository(db).settingInit('session_secret', randomBytes(48).toString('base64url')));
}

/**
 * The second factor: an authenticator app (TOTP) and ten single-use recovery codes. Checking a
 * code is throttled like a password (its own count per person, and the address's), a code is
 * accepted once (the last step used is kept under the enrolment's row lock), and every
 * enrolment, use, refusal and reset is audited.
 */
export function secondFactorService(
  ctx: ServiceContext,
  options: {
    keyMaterial: () => Promise<string>;
    /** The key before MFA_KEY was changed, while secrets may still be sealed under it. */
    previousKeyMaterial?: string | null;
  },
) {
  let box: KeyRing | null = null;
  const previous =
    options.previousKeyMaterial === undefined ? process.env.MFA_KEY_PREVIOUS : options.previousKeyMaterial;
  const sealer = async () => (box ??= keyRing(await options.keyMaterial(), previous));
  const system = () => systemRepository(ctx.system);

  const activeUser = async (userId: string) => {
    const user = await system().userById(userId);
    return user && !user.disabledAt ? user : null;
  };
  const subjectOf = (user: UserRow) => async () => ({
    partnershipId: user.partnershipId,
    userId: user.id,
    email: user.email,
  });

  return {
    /** Whether the person has an authenticator, how many recovery codes are left, and whether they must. */
    async status(userId: string) {
      const user = await system().userById(userId);
      if (!user) throw new NotFoundError('There is no such person.');
      const identity = identityRepository(ctx.system);
      const enrolment = await identity.totp(userId);
      const requiredRoles = await secondFactorRoles(ctx.system, user.partnershipId);
      return {
        enrolled: Boolean(enrolment?.confirmedAt),
        enrolledAt: enrolment?.confirmedAt ?? null,
        recoveryCodesLeft: await identity.recoveryCodesLeft(userId),
        mustUse: mustUseSecondFactor(user.roles, requiredRoles),
        requiredRoles,
      };
    },

    /**
     * A new secret to enrol, sealed for the session to hold until a code from it is typed (the one
     * in use, if any, keeps working until then), and the QR code that carries it.
     */
    async startEnrolment(userId: string) {
      const user = await system().userById(userId);
      if (!user) throw new NotFoundError('There is no such person.');
      const secret = newTotpSecret();
      return { sealed: (await sealer()).seal(secret), ...(await enrolmentPicture(secret, user.email)) };
    },

    /** The QR code of a secret the session holds, drawn again (a refused code leaves the same secret). */
    async enrolmentPicture(userId: string, sealed: string) {
      const user = await system().userById(userId);
      if (!user) throw new NotFoundError('There is no such person.');
      return enrolmentPicture((await sealer()).open(sealed), user.email);
    },

    /**
     * Confirms an enrolment with a code from the new authenticator: the secret is kept (replacing
     * any other), ten new recovery codes are made, and returned to be shown once.
     */
    async confirmEnrolment(
      userId: string,
      sealed: string,
      code: string,
      request: AttemptRequest,
      via: 'sign-in' | 'account',
    ): Promise<AttemptResult<{ recoveryCodes: string[] }>> {
      const user = await activeUser(userId);
      if (!user) return { outcome: 'refused', reason: 'no-such-person' };
      const box = await sealer();
      const secret = box.open(sealed);
      const made = await newRecoveryCodes();
      return throttledAttempt(ctx, {
        action: 'user.mfa.enrol',
        accountKey: `second-factor:${user.id}`,
        request,
        subject: subjectOf(user),
        precheck: async () => null,
        check: async (tx) => {
          const checked = await checkTotp(secret, code, ctx.now(), null);
          if (!checked.ok) return { ok: false, reason: CODE_REASONS[checked.reason], detail: { via } };
          const identity = identityRepository(tx);
          const before = await identity.totp(user.id, { lock: true });
          await identity.saveTotp(user.id, box.seal(secret), ctx.now(), checked.step);
          await identity.replaceRecoveryCodes(user.id, made.hashes, ctx.now());
          return {
            ok: true,
            value: { recoveryCodes: made.codes },
            detail: { via, replaced: Boolean(before?.confirmedAt), recoveryCodes: made.codes.length },
          };
        },
      });
    },

    /**
     * A code from the person's authenticator, at sign-in or re-authentication. Accepted once: the
     * enrolment's row is locked while it is checked and its step kept.
     */
    async verifyCode(
      userId: string,
      code: string,
      request: AttemptRequest,
      context: { action: 'user.sign-in' | 'user.reauthenticate'; first: FirstFactor },
    ): Promise<AttemptResult<{ user: UserRow; method: SignInMethod }>> {
      const user = await activeUser(userId);
      if (!user) return { outcome: 'refused', reason: 'no-such-person' };
      const method: SignInMethod = `${context.first}+totp`;
      // The key is read before the transaction (on a laptop it is in the database itself).
      const box = await sealer();
      return throttledAttempt(ctx, {
        action: context.action,
        accountKey: `second-factor:${user.id}`,
        request,
        subject: subjectOf(user),
        precheck: async () => null,
        check: async (tx) => {
          const identity = identityRepository(tx);
          const enrolment = await identity.totp(user.id, { lock: true });
          if (!enrolment?.confirmedAt) return { ok: false, reason: 'no-authenticator', detail: { method } };
          const secret = box.open(enrolment.secret);
          const checked = await checkTotp(secret, code, ctx.now(), enrolment.lastUsedStep);
          if (!checked.ok) return { ok: false, reason: CODE_REASONS[checked.reason], detail: { method } };
          await identity.markTotpStep(user.id, checked.step);
          await finish(tx, user, context.action);
          return { ok: true, value: { user, method }, detail: { method } };
        },
      });
    },

    /** One of the person's recovery codes instead of the authenticator: each works once. */
    async useRecoveryCode(
      userId: string,
      code: string,
      request: AttemptRequest,
      context: { action: 'user.sign-in' | 'user.reauthenticate'; first: FirstFactor },
    ): Promise<AttemptResult<{ user: UserRow; method: SignInMethod; left: number }>> {
      const user = await activeUser(userId);
      if (!user) return { outcome: 'refused', reason: 'no-such-person' };
      const method: SignInMethod = `${context.first}+recovery-code`;
      return throttledAttempt(ctx, {
        action: context.action,
        accountKey: `second-factor:${user.id}`,
        request,
        subject: subjectOf(user),
        // Each stored hash is checked (argon2, slow by design): before the transaction, not in it.
        precheck: async () =>
          matchRecoveryCode(code, await identityRepository(ctx.system).recoveryCodes(user.id)),
        check: async (tx, match) => {
          if (!match) return { ok: false, reason: 'wrong-recovery-code', detail: { method } };
          const identity = identityRepository(tx);
          if (match.usedAt || !(await identity.useRecoveryCode(match.id, ctx.now())))
            return { ok: false, reason: 'recovery-code-already-used', detail: { method } };
          await finish(tx, user, context.action);
          const left = await identity.recoveryCodesLeft(user.id);
          return { ok: true, value: { user, method, left }, detail: { method, recoveryCodesLeft: left } };
        },
      });
    },

    /** Ten new recovery codes for the signed-in person; the old ones stop working. */
    async newRecoveryCodes(actor: Actor): Promise<string[]> {
      const made = await newRecoveryCodes();
      return inTransaction(ctx, async (tx) => {
        const identity = identityRepository(tx);
        if (!(await identity.totp(actor.userId, { lock: true }))?.confirmedAt)
          throw new NotFoundError('Set up an authenticator app first.');
        await identity.replaceRecoveryCodes(actor.userId, made.hashes, ctx.now());
        await audit(tx, actor, {
          action: 'user.mfa.recovery-codes',
          outcome: 'success',
          subjectType: 'user',
          subjectId: actor.userId,
          detail: { recoveryCodes: made.codes.length },
        });
        return made.codes;
      });
    },

    /**
     * Every authenticator secret sealed again under the current key (MFA_KEY), after the key was
     * changed: a secret that opens under the previous key (MFA_KEY_PREVIOUS) is sealed anew; one
     * under the current key is left; one neither opens is left as it is and counted (its person
     * sets up their authenticator again). One transaction per partnership, each row locked as a
     * sign-in locks it (so a code checked meanwhile waits and then reads the new seal), on record
     * with the counts. Runs while the service runs; running it again changes nothing.
     */
    async reseal(): Promise<{ resealed: number; current: number; unreadable: number }> {
      const ring = await sealer();
      if (!ring.hasPrevious)
        throw new ValidationError({
          MFA_KEY_PREVIOUS:
            'Set MFA_KEY_PREVIOUS to the key the secrets were sealed under before, and MFA_KEY to the new one.',
        });
      const total = { resealed: 0, current: 0, unreadable: 0 };
      for (const partnershipId of await identityRepository(ctx.system).partnershipsWithTotp()) {
        const counts = await inTransaction(ctx, async (tx) => {
          const identity = identityRepository(tx);
          const counts = { resealed: 0, current: 0, unreadable: 0 };
          for (const row of await identity.totpOfPartnership(partnershipId)) {
            const found = ring.which(row.secret);
            if (!found) counts.unreadable++;
            else if (found.under === 'current') counts.current++;
            else {
              await identity.resealTotp(row.userId, ring.seal(found.plain));
              counts.resealed++;
            }
          }
          await auditRepository(tx).write({
            action: 'user.mfa.reseal',
            outcome: 'success',
            partnershipId,
            subjectType: 'user',
            detail: counts,
          });
          return counts;
        });
        total.resealed += counts.resealed;
        total.current += counts.current;
        total.unreadable += counts.unreadable;
      }
      return total;
    },

    /**
     * The administrator removes someone's authenticator and recovery codes (a lost phone): they set
     * up a new one at their next sign-in if their role must use one. Their sessions end.
     */
    async reset(actor: Actor, userId: string) {
      return inTransaction(ctx, async (tx) => {
        const person = await personOfPartnership(tx, actor, userId, 'user.mfa.reset');
        const identity = identityRepository(tx);
        const removed = await identity.removeTotp(person.id);
        const ended = await identity.endSessions(person.id);
        await audit(tx, actor, {
          action: 'user.mfa.reset',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
          detail: { hadAuthenticator: removed, sessionsEnded: ended },
        });
        return { person, removed };
      });
    },
  };

  /** A sign-in completed by its second factor is recorded as the person's latest. */
  async function finish(tx: Executor, user: UserRow, action: AuditAction) {
    if (action === 'user.sign-in') await systemRepository(tx).markSignedIn(user.id, ctx.now());
  }
}

/** A person of the administrator's partnership, or a refusal on record. */
export async function personOfPartnership(tx: Executor, actor: Actor, userId: string, action: AuditAction) {
  if (!mayAdminister(actor))
    throw new ForbiddenError(
      'Only a partnership administrator can do this.',
      denial(actor, { action, subjectType: 'user', subjectId: userId.slice(0, 100) }),
    );
  const user = /^[0-9a-f-]{36}$/i.test(userId) ? await systemRepository(tx).userById(userId) : null;
  if (!user || user.partnershipId !== actor.partnershipId)
    throw new NotFoundError('There is no such person.');
  return user;
}

export type SecondFactorService = ReturnType<typeof secondFactorService>;
export { normaliseCode };
