import type { Actor } from '../domain/access/roles.ts';
import { keptFormRepository } from '../db/repositories/kept-form-repository.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { LIMITS } from '../limits.ts';
import { audit, inRead, inTransaction, type ServiceContext } from './context.ts';
import { NotFoundError } from './errors.ts';
import { keyRing, type KeyRing } from './sign-in/key-ring.ts';

/**
 * The bounds of keeping a form sent after its session timed out (README, "A session that times
 * out loses nothing"). A form is kept only if it was sent within ENDED_SESSION_HELD_HOURS of the
 * session ending (the ended session's bare row says whose it was until then), only as text (no
 * file), at most KEPT_FORMS_PER_PERSON at once, and for KEPT_FORM_HOURS.
 */
export const KEPT_FORM_HOURS = 24;
export const ENDED_SESSION_HELD_HOURS = 24;
export const KEPT_FORMS_PER_PERSON = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields of a form as sent: names to one value or several (ticked boxes). */
export type FormFields = Record<string, string | string[]>;

/** Fields that are not what the person typed: the CSRF token is made afresh when it is sent again. */
const NOT_KEPT = new Set(['_csrf', '_keptForm']);

/** The fields of a parsed form body, or null if it holds anything but text. */
export function formFields(body: unknown): FormFields | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (NOT_KEPT.has(name)) continue;
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      fields[name] = value as string[];
    else return null;
  }
  return fields;
}

export type KeepOutcome =
  | { outcome: 'kept'; id: string }
  | { outcome: 'not-kept'; reason: 'no-ended-session' | 'not-text' | 'too-large' | 'too-many' };

/**
 * Keeping a form sent after its session ended, for the person whose session it was, and handing it
 * back to them alone once they have signed in again: to send (with a fresh CSRF token, through the
 * route it was meant for, so every rule and audit of that route applies) or to discard.
 */
export function keptFormService(ctx: ServiceContext, options: { keyMaterial: () => Promise<string> }) {
  let box: KeyRing | null = null;
  // Opened under MFA_KEY_PREVIOUS too while the key is being changed (docs/operations.md, key rotation).
  const sealer = async () =>
    (box ??= keyRing(await options.keyMaterial(), process.env.MFA_KEY_PREVIOUS, 'kept-form'));
  // Keeping a form is for no one signed in (their session has ended), so it runs on the
  // partnership's own connection; the person's own list and actions are theirs.
  const repo = (db = ctx.system) => keptFormRepository(db);
  const end = (actor: Actor, id: string, action: 'kept-form.send' | 'kept-form.discard') =>
    inTransaction(ctx, async (tx) => {
      if (!UUID.test(id) || !(await repo(tx).remove(actor.userId, id))) return false;
      await audit(tx, actor, { action, outcome: 'success', subjectType: 'kept-form', subjectId: id });
      return true;
    });

  return {
    /**
     * Keeps a form sent after the session `sessionIdHash` ended (its CSRF token already checked
     * against that session), for the person whose session it was. Nothing is kept for a session
     * that was signed out or ended by an administrator (its row is gone), or is still live.
     */
    async keep(input: {
      sessionIdHash: string;
      path: string;
      body: unknown;
      requestId: string;
      address: string | null;
    }): Promise<KeepOutcome> {
      const now = ctx.now();
      const userId = await repo().endedSessionOwner(input.sessionIdHash, now);
      if (!userId) return { outcome: 'not-kept', reason: 'no-ended-session' };
      const user = await systemRepository(ctx.system).userById(userId);
      if (!user || user.disabledAt) return { outcome: 'not-kept', reason: 'no-ended-session' };
      const fields = formFields(input.body);
      if (!fields) return { outcome: 'not-kept', reason: 'not-text' };
      const plain = JSON.stringify(fields);
      if (Buffer.byteLength(plain) > LIMITS.requestBodyBytes)
        return { outcome: 'not-kept', reason: 'too-large' };
      // Sealed before the transaction: the key may be read from the database (a laptop install).
      const sealed = (await sealer()).seal(plain);
      return ctx.system.transaction(async (tx) => {
        if ((await repo(tx).countFor(userId, now)) >= KEPT_FORMS_PER_PERSON)
          return { outcome: 'not-kept', reason: 'too-many' } as const;
        const id = await repo(tx).insert({
          userId,
          path: input.path,
          sealed,
          expiresAt: new Date(now.getTime() + KEPT_FORM_HOURS * 3_600_000),
        });
        await auditRepository(tx).write({
          action: 'kept-form.keep',
          outcome: 'success',
          partnershipId: user.partnershipId,
          userId,
          requestId: input.requestId,
          sourceAddress: input.address,
          subjectType: 'kept-form',
          subjectId: id,
        });
        return { outcome: 'kept', id } as const;
      });
    },

    /** The person's kept forms, oldest first (nothing opened, so nothing on record). */
    async list(actor: Actor) {
      return inRead(ctx, (db) => repo(db).listFor(actor.userId, ctx.now()));
    },

    /** One of the person's kept forms with what was typed; another person's is not found. */
    async open(actor: Actor, id: string) {
      const box = await sealer();
      return inTransaction(ctx, async (tx) => {
        const row = UUID.test(id) ? await repo(tx).find(actor.userId, id, ctx.now()) : null;
        if (!row) throw new NotFoundError('There is no such kept form.');
        await audit(tx, actor, {
          action: 'kept-form.view',
          outcome: 'success',
          subjectType: 'kept-form',
          subjectId: id,
        });
        let fields: FormFields;
        try {
          fields = JSON.parse(box.open(row.sealed)) as FormFields;
        } catch {
          // Sealed under a key since changed (MFA_KEY rotated): it cannot be read, so it is not shown.
          throw new NotFoundError('The kept form can no longer be read.');
        }
        return { id: row.id, path: row.path, createdAt: row.createdAt, expiresAt: row.expiresAt, fields };
      });
    },

    /**
     * The kept form was sent again by its owner (the route it was meant for has answered): it is
     * no longer kept. False when it is not theirs or not kept.
     */
    async sent(actor: Actor, id: string): Promise<boolean> {
      return end(actor, id, 'kept-form.send');
    },

    async discard(actor: Actor, id: string): Promise<void> {
      if (!(await end(actor, id, 'kept-form.discard')))
        throw new NotFoundError('There is no such kept form.');
    },

    /** Kept forms past their time, removed (the session-purge job). */
    async purgeExpired() {
      await repo().purgeExpired(ctx.now());
    },
  };
}
