import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_REAUTHENTICATE_AFTER_MINUTES } from './domain/sign-in/strength.ts';

/** An IPv4 or IPv6 address, or a CIDR range of either (`10.1.0.0/16`, `fd00::/8`). */
function isProxyAddress(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/** Typed configuration from the environment, checked once at start. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /**
   * postgres://…, as the tables' owner (migrations, the scheduled jobs, the commands for the whole
   * partnership); without it the embedded database in DATA_DIR is used.
   */
  DATABASE_URL: z.string().optional(),
  /**
   * postgres://…, as the application signs in for the people it serves: a role that owns nothing,
   * `line_of_sight_app` or a login that is a member of it (docs/operations.md). Not set: the
   * DATABASE_URL with the user `line_of_sight_app` and no password (a server trusting local
   * connections).
   */
  DATABASE_APP_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /**
   * Where an uploaded monitoring file waits for its job: by default `<DATA_DIR>-uploads` beside the
   * embedded database, or the system's temporary folder with a server (several instances: a
   * folder they share, or the load runs only on the instance that received it).
   */
  UPLOAD_DIR: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** At least 32 characters; required in production (all instances must share it). */
  SESSION_SECRET: z.string().min(32).optional(),
  /**
   * The key that signs the audit log's checkpoints (at least 32 characters). Kept outside the
   * database, so a database rewritten behind the application's back cannot forge them. Required
   * in production; a laptop install generates one and keeps it in its own database (weaker).
   */
  AUDIT_KEY: z.string().min(32).optional(),
  /**
   * Seals the authenticator secrets kept in the database (at least 32 characters); SESSION_SECRET
   * when unset. Read where the secrets are sealed (sign-in/second-factor-service.ts), checked here.
   */
  MFA_KEY: z.string().min(32).optional(),
  /**
   * While MFA_KEY is being changed: the key the secrets were sealed under before. Secrets open
   * under either key; `line-of-sight mfa reseal` seals them all under MFA_KEY (docs/operations.md).
   */
  MFA_KEY_PREVIOUS: z.string().min(32).optional(),
  /**
   * A signed-in session ends after this many minutes without a page or form (1 to 1,440; 1 is for
   * trying the time-out warning and kept forms). Pages warn two minutes before (a quarter of the
   * time when it is shorter).
   */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** The public address, used in e-mailed links, e.g. https://los.example.org */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * The proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, comma separated
   * (`10.0.0.1,10.1.0.0/16`). Anyone else's header is ignored, so no one can choose their address.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const trimmed = value.trim();
      if (trimmed === '' || trimmed === 'false') return false as const;
      if (trimmed === 'true') {
        ctx.addIssue({
          code: 'custom',
          message:
            '"true" would believe X-Forwarded-For from anyone, so anyone could choose their own address. ' +
            'Set it to the addresses of your proxies or load balancers instead, e.g. TRUST_PROXY=10.0.0.1,10.1.0.0/16',
        });
        return z.NEVER;
      }
      const entries = trimmed.split(',').map((e) => e.trim());
      const wrong = entries.filter((e) => !isProxyAddress(e));
      if (wrong.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${wrong.map((w) => `"${w}"`).join(', ')} ${wrong.length === 1 ? 'is not an IP address or CIDR range' : 'are not IP addresses or CIDR ranges'}: list your proxies' addresses, e.g. TRUST_PROXY=10.0.0.1,10.1.0.0/16`,
        });
        return z.NEVER;
      }
      return entries;
    }),
  /** A signed-in session ends this many hours after sign-in, however active. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  /**
   * A sign-in counts as recent for this long: the named view, exports and administration ask
   * for the password (and second factor) again after it.
   */
  REAUTHENTICATE_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(DEFAULT_REAUTHENTICATE_AFTER_MINUTES),
  /** The most entries one agency's return may hold, however they come in (default 50,000: src/limits.ts). */
  RETURN_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /**
   * A return's upload larger than this (a CSV; an .xlsx above a quarter of it, being compressed) is
   * queued as a job rather than read in the request (default 1 MB, about 7,000 entries: src/limits.ts).
   */
  RETURN_JOB_BYTES: z.coerce.number().int().min(0).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Line of Sight <no-reply@line-of-sight.invalid>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Configuration is not valid: ${problems}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production') {
    const missing = [
      !config.SESSION_SECRET && 'SESSION_SECRET',
      !config.AUDIT_KEY && 'AUDIT_KEY',
      !config.DATABASE_URL && 'DATABASE_URL',
      !config.PUBLIC_URL && 'PUBLIC_URL',
    ].filter(Boolean);
    if (missing.length) throw new Error(`In production these must be set: ${missing.join(', ')}.`);
  }
  return config;
}
