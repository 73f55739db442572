import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RouteOptions } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle, serviceConnections } from './db/client.ts';
import { limitsFrom } from './limits.ts';
import { directoryRepository } from './db/repositories/directory-repository.ts';
import { systemRepository } from './db/repositories/system-repository.ts';
import { createServices, type Services } from './services/index.ts';
import { createMailer, type Mailer } from './services/mail/mailer.ts';
import { dispatchEmails } from './services/mail/dispatch.ts';
import type { Job } from './services/scheduler.ts';
import { ENDED_SESSION_HELD_HOURS } from './services/kept-form-service.ts';
import type { Actor } from './domain/lifecycle/roles.ts';

/** The composition root: the database, the services and the app, built once. */
export interface Runtime {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  mailer: Mailer;
}

export async function openRuntime(
  config: Config,
  options: {
    migrate?: boolean;
    loadDataDir?: Blob;
    /** The service holds the embedded database alone; commands go through it when it runs. */
    access?: 'exclusive' | 'shared';
    command?: string;
  } = {},
): Promise<Runtime> {
  const database = await openDatabase({
    url: config.DATABASE_URL,
    appUrl: config.DATABASE_APP_URL,
    dataDir: config.DATABASE_URL ? undefined : config.DATA_DIR === ':memory:' ? undefined : config.DATA_DIR,
    loadDataDir: options.loadDataDir,
    poolSize: config.DATABASE_POOL_SIZE,
    access: options.access,
    command: options.command,
    migrate: options.migrate !== false,
  });
  const services = createServices({
    ...serviceConnections(database),
    now: () => new Date(),
    limits: limitsFrom(config),
    uploadDir: uploadDirectory(config),
    // The service runs each monitoring load in a thread of its own; a command runs it in itself.
    ...(options.access === 'exclusive' ? { jobThread: database.reach } : {}),
  });
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  return { config, database, services, mailer };
}

/** Where uploaded monitoring files wait for their job (UPLOAD_DIR in src/config.ts). */
export function uploadDirectory(config: Config): string {
  if (config.UPLOAD_DIR) return resolve(config.UPLOAD_DIR);
  if (config.DATABASE_URL || config.DATA_DIR === ':memory:') return join(tmpdir(), 'line-of-sight-uploads');
  return `${resolve(config.DATA_DIR)}-uploads`;
}

/**
 * The background jobs every instance runs; each job runs on one instance at a time. Areas add
 * their jobs (reminders, overdue notices) here.
 */
export function scheduledJobs(runtime: Runtime): Job[] {
  const now = () => new Date();
  return [
    {
      name: 'email-dispatch',
      everyMs: 15_000,
      run: () => dispatchEmails(runtime.database.db, runtime.mailer, now),
    },
    {
      // Reminders before an agency return is due and overdue notices after; each is queued once.
      name: 'agency-request-reminders',
      everyMs: 3_600_000,
      run: () => runtime.services.requests.queueReminders(),
    },
    {
      // Action reminders before the due date and overdue notices after; each is queued once.
      name: 'action-reminders',
      everyMs: 3_600_000,
      run: () => runtime.services.actions.queueReminders(),
    },
    {
      // Monitoring loads queued from the web or the API, one after another (each upload also
      // starts the runner at once); a load whose process died is queued again by the sweep.
      name: 'monitoring-import-jobs',
      everyMs: 30_000,
      // Not awaited: a load may take minutes and a shutdown must not wait for it (the load is
      // queued again at the next start, and run again from its file).
      run: async () => void runtime.services.monitoring.runQueued(),
    },
    {
      // Large uploads to agency returns queued from the web or the API, run the same way.
      name: 'return-upload-jobs',
      everyMs: 30_000,
      run: async () => void runtime.services.returns.runQueued(),
    },
    {
      // Uploads to returns whose process died part-way: queued again from their file, or failed.
      name: 'stopped-upload-sweep',
      everyMs: 3_600_000,
      run: async () => void (await runtime.services.returns.clearStoppedUploads()),
    },
    {
      // Imports whose process died part-way (on any instance) leave staged rows: cleared here.
      name: 'stopped-import-sweep',
      everyMs: 3_600_000,
      run: () => runtime.services.monitoring.clearStopped(),
    },
    {
      // The audit log's chains signed where they stand, so a rewrite behind our back shows.
      name: 'audit-checkpoint',
      everyMs: 3_600_000,
      run: async () => runtime.services.auditChain.checkpoint(await auditKey(runtime)),
    },
    {
      // The whole log checked daily; a break is recorded and told to the administrators.
      name: 'audit-verify',
      everyMs: 86_400_000,
      run: async () => runtime.services.auditChain.verifyAndAlert(await auditKey(runtime)),
    },
    {
      // Sessions past their idle time or their absolute lifetime are refused already; this empties
      // them, and removes their bare rows and the kept forms past their time.
      name: 'session-purge',
      everyMs: 3_600_000,
      run: async () => {
        await systemRepository(runtime.database.db).sessionsPurgeExpired(
          now(),
          new Date(now().getTime() - runtime.config.SESSION_MAX_HOURS * 3_600_000),
          ENDED_SESSION_HELD_HOURS * 3_600_000,
        );
        await runtime.services.keptForms.purgeExpired();
      },
    },
    {
      // What is past its retention period erased (src/domain/retention/register.ts), daily.
      name: 'retention',
      everyMs: 86_400_000,
      run: () => runtime.services.retention.run(),
    },
    {
      // Failed sign-ins that no longer count towards a lockout.
      name: 'sign-in-throttle-purge',
      everyMs: 3_600_000,
      run: () => runtime.services.auth.purgeSignInThrottles(),
    },
  ];
}

/**
 * The key of the audit log's signed checkpoints: AUDIT_KEY, or on a laptop one generated and kept in
 * its own database (which protects less: production must set it).
 */
export async function auditKey(runtime: Pick<Runtime, 'config' | 'database'>): Promise<string> {
  if (runtime.config.AUDIT_KEY) return runtime.config.AUDIT_KEY;
  return systemRepository(runtime.database.db).settingInit(
    'audit_key',
    randomBytes(48).toString('base64url'),
  );
}

/** A laptop install keeps a generated session secret in its own database; production sets one. */
async function sessionSecret(runtime: Pick<Runtime, 'config' | 'database'>): Promise<string> {
  if (runtime.config.SESSION_SECRET) return runtime.config.SESSION_SECRET;
  return systemRepository(runtime.database.db).settingInit(
    'session_secret',
    randomBytes(48).toString('base64url'),
  );
}

export async function buildApp(
  runtime: Pick<Runtime, 'config' | 'database' | 'services'>,
  options: {
    onRoute?: (route: RouteOptions) => void;
    now?: () => Date;
    logStream?: NodeJS.WritableStream;
  } = {},
) {
  const names = new Map<string, string>();
  // The web layer is loaded only by what serves pages: a command run while the service runs never
  // needs it, and starts faster without it.
  const { createApp } = await import('./web/app.ts');
  return createApp({
    onRoute: options.onRoute,
    now: options.now,
    logStream: options.logStream,
    config: runtime.config,
    database: runtime.database,
    services: runtime.services,
    sessionSecret: await sessionSecret(runtime),
    partnershipName: async (partnershipId) => {
      if (!names.has(partnershipId)) {
        const partnership = await directoryRepository(runtime.database.db, {
          partnershipId,
        } as Actor).partnership();
        names.set(partnershipId, partnership.name);
      }
      return names.get(partnershipId) ?? null;
    },
  });
}
