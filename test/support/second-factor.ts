import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/partnership.ts';
import { totpCode } from '../../src/services/sign-in/totp.ts';

/** What a test app's harness knows about it: its database and its clock. */
interface Harness {
  db: Database;
  now: () => Date;
  /** Authenticator secrets set up during the tests (the demonstration people's is documented). */
  secrets: Map<string, string>;
}

const harnesses = new WeakMap<FastifyInstance, Harness>();

export function registerHarness(app: FastifyInstance, db: Database, now: () => Date) {
  harnesses.set(app, { db, now, secrets: new Map() });
}

/** Remembers the secret of an authenticator a test set up, so later sign-ins can give its codes. */
export function rememberSecret(app: FastifyInstance, email: string, secret: string) {
  harnesses.get(app)?.secrets.set(email.toLowerCase(), secret);
}

/**
 * The code a person's authenticator shows now, by the app's own clock: the demonstration secret,
 * or one a test set up. Tests sign the same person in many times within one 30-second step,
 * which the replay guard rightly refuses (a code is accepted once); so, as a fixture would, the
 * harness forgets the person's last accepted step first. Tests of the replay guard itself give
 * their codes without this helper.
 */
export async function currentCode(app: FastifyInstance, email: string): Promise<string | null> {
  const harness = harnesses.get(app);
  if (!harness) return totpCode(DEMO_TOTP_SECRET, new Date());
  const secret =
    harness.secrets.get(email.toLowerCase()) ??
    (email.toLowerCase().endsWith('@demo.example') ? DEMO_TOTP_SECRET : null);
  if (!secret) return null;
  await harness.db.execute(
    sql`update totp_enrolments set last_used_step = null
        where user_id = (select id from users where lower(email) = lower(${email}))`,
  );
  return totpCode(secret, harness.now());
}
