import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/partnership.ts';
import { ValidationError } from '../../src/services/errors.ts';
import {
  secondFactorKeyMaterial,
  secondFactorService,
} from '../../src/services/sign-in/second-factor-service.ts';
import { totpCode } from '../../src/services/sign-in/totp.ts';
import { DATABASE_KINDS, openTestDatabase } from '../support/database.ts';
import { serviceConnections } from '../../src/db/client.ts';

/**
 * Changing MFA_KEY: instances hold the new key and the previous one while `mfa reseal` seals every
 * authenticator secret under the new key; then the new key alone opens them all. The demonstration
 * people's authenticators (the documented demo secret) are the secrets rotated.
 */
describe.each(DATABASE_KINDS)('MFA_KEY rotation (%s)', { timeout: 180_000 }, (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  }, 180_000);
  afterAll(async () => database?.close());

  it('seals every secret under the new key while both keys open them; a second run changes nothing; a wrong key changes nothing', async () => {
    const ctx = { ...serviceConnections(database), now: () => new Date() };
    const rows = async <R>(query: ReturnType<typeof sql>) =>
      ((await database.db.execute(query)) as unknown as { rows: R[] }).rows;
    const enrolled = await rows<{ id: string; secret: string }>(
      sql`select u.id, t.secret from totp_enrolments t join users u on u.id = t.user_id order by u.email`,
    );
    expect(enrolled.length).toBeGreaterThan(3);
    const old = await secondFactorKeyMaterial(database.db, {})();
    const fresh = randomBytes(32).toString('base64url');
    const service = (key: string, previous: string | null) =>
      secondFactorService(ctx, { keyMaterial: async () => key, previousKeyMaterial: previous });
    const during = service(fresh, old);
    const newOnly = service(fresh, null);
    const oldOnly = service(old, null);
    // Each sign-in by another person: a code is accepted once per person and step.
    const signIn = async (s: ReturnType<typeof service>, person: number) =>
      s.verifyCode(
        enrolled[person]!.id,
        await totpCode(DEMO_TOTP_SECRET, new Date()),
        { requestId: `rotation-${person}`, address: '192.0.2.1' },
        { action: 'user.sign-in', first: 'password' },
      );

    // Before: the new key alone opens nothing; the instances holding both keys sign people in.
    await expect(signIn(newOnly, 0)).rejects.toThrow('sealed under a key this instance does not hold');
    expect((await signIn(during, 1)).outcome).toBe('ok');
    await expect(newOnly.reseal()).rejects.toThrow(ValidationError);

    expect(await during.reseal()).toEqual({ resealed: enrolled.length, current: 0, unreadable: 0 });
    const after = await rows<{ id: string; secret: string }>(
      sql`select u.id, t.secret from totp_enrolments t join users u on u.id = t.user_id order by u.email`,
    );
    expect(after.map((r) => r.id)).toEqual(enrolled.map((r) => r.id));
    expect(after.filter((r, i) => r.secret === enrolled[i]!.secret)).toEqual([]);
    const [audited] = await rows<{ detail: unknown; user_id: string | null }>(
      sql`select detail, user_id from audit_events where action = 'user.mfa.reseal'`,
    );
    expect(audited).toEqual({
      detail: { resealed: enrolled.length, current: 0, unreadable: 0 },
      user_id: null,
    });

    // After: the new key alone signs people in; the old one alone no longer can.
    expect((await signIn(newOnly, 2)).outcome).toBe('ok');
    await expect(signIn(oldOnly, 3)).rejects.toThrow('sealed under a key this instance does not hold');
    expect(await during.reseal()).toEqual({ resealed: 0, current: enrolled.length, unreadable: 0 });

    // A previous key that is not the one they were sealed under opens none: each left as it was.
    const wrong = service(randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url'));
    expect(await wrong.reseal()).toEqual({ resealed: 0, current: 0, unreadable: enrolled.length });
    expect(
      await rows<{ id: string; secret: string }>(
        sql`select u.id, t.secret from totp_enrolments t join users u on u.id = t.user_id order by u.email`,
      ),
    ).toEqual(after);
    expect((await signIn(newOnly, 4)).outcome).toBe('ok');
  });
});
