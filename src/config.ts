import { z } from 'zod';

/** Typed configuration from the environment, checked once at start. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** postgres://…; without it the embedded database in DATA_DIR is used. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** At least 32 characters; required in production (all instances must share it). */
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** The public address, used in e-mailed links, e.g. https://los.example.org */
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
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
      !config.DATABASE_URL && 'DATABASE_URL',
      !config.PUBLIC_URL && 'PUBLIC_URL',
    ].filter(Boolean);
    if (missing.length) throw new Error(`In production these must be set: ${missing.join(', ')}.`);
  }
  return config;
}
