import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.ts';
import { lockDirectory, socketPath, SOCKET_PORT, type Holder } from './embedded/directory-lock.ts';
import { startEmbeddedServer } from './embedded/embedded-server.ts';
import { sendScopeWithBegin } from './transaction-scope.ts';
import { APPLICATION_ROLE } from './actor-scope.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a repository can run SQL on: the database or a transaction inside it. */
export type Executor = Database | Transaction;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** A lock number only this application takes, so instances starting together migrate one at a time. */
export const MIGRATION_LOCK = 4_711_2026;

export interface DatabaseHandle {
  /**
   * The tables' owner: migrations, the scheduled jobs, the commands that work across the
   * partnership, and tests setting up and looking behind the application's back.
   */
  db: Database;
  /**
   * The application's connection (services' `db`, src/services/context.ts): it signs in as the
   * role `line_of_sight_app` (or the login of DATABASE_APP_URL), which owns nothing and is under
   * the database's own policies; a person's use cases run on it, scoped to them. Unscoped, it reads
   * no partnership's rows.
   */
  app: Database;
  kind: 'pglite' | 'postgres';
  /**
   * For the embedded database: 'owner' when this process opened it (and serves it to others),
   * 'through' when another Line of Sight process holds it and this one goes through that process.
   */
  embedded?: 'owner' | 'through';
  migrate(): Promise<void>;
  /** Cheap round trip for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database owned by this process: a gzip tar of its data directory. */
  dump?: () => Promise<Blob>;
  /** How another thread of this process reaches the same database (`openDatabaseAt`). */
  reach: DatabaseReach;
}

/** The two connections services are built from (`ServiceContext`): the application's and the owner's. */
export function serviceConnections(handle: Pick<DatabaseHandle, 'app' | 'db'>): {
  db: Database;
  system: Database;
} {
  return { db: handle.app, system: handle.db };
}

/**
 * Where a database is, as plain data a worker thread can be given: the server's URL, or the
 * folder of the embedded database's socket (the thread goes through it, as a 'through' handle does).
 */
export type DatabaseReach = { url: string; appUrl?: string | undefined } | { socketDir: string };

/** Opens, from another thread, the database another handle holds (`DatabaseHandle.reach`). */
export async function openDatabaseAt(reach: DatabaseReach, poolSize = 3): Promise<DatabaseHandle> {
  if ('url' in reach) return openServer(reach.url, poolSize, reach.appUrl);
  return embeddedHandle(reach.socketDir, poolSize, 'through');
}

export interface DatabaseOptions {
  /** postgres://… to use a server (as the tables' owner); otherwise the embedded database. */
  url?: string | undefined;
  /**
   * The server as the application signs in to it: a role that owns nothing (DATABASE_APP_URL).
   * Not given, `url` with the user `line_of_sight_app` and no password (which migrating lets sign
   * in: enough where the server trusts local connections, as in tests).
   */
  appUrl?: string | undefined;
  /** Embedded database directory; omitted means in memory. */
  dataDir?: string | undefined;
  /** A migrated data directory dump (tests load one instead of migrating each time). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
  /**
   * 'exclusive' (the service): refuse at once when another process holds the directory.
   * 'shared' (a command, the default): go through the process that holds it, if one does.
   */
  access?: 'exclusive' | 'shared';
  /** What this process is, for the message another process shows when it finds the lock taken. */
  command?: string;
  /** Apply migrations on open (the embedded database migrates before anyone can connect). */
  migrate?: boolean;
}

/** The embedded database directory is held by another process and this one may not share it. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
  ) {
    const who = holder
      ? `Line of Sight process ${holder.pid} (${holder.command}, started ${holder.startedAt.slice(0, 16).replace('T', ' ')} UTC)`
      : 'another Line of Sight process';
    super(
      `the embedded database in ${dataDir} is in use by ${who}. ` +
        'Only one service may run on a data directory: use the one that is running, or stop it first. ' +
        'Commands such as `token create` work while it runs.',
    );
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const handle = await openServer(options.url, options.poolSize ?? 10, options.appUrl);
    if (options.migrate) await handle.migrate();
    return handle;
  }
  return openEmbedded(options);
}

/**
 * The embedded database: PGlite in a worker thread behind a Unix socket, reached with `pg` exactly
 * as a server is. A directory is held by one process at a time (an operating-system lock); other
 * processes go through it (`access: 'shared'`) or are refused (`'exclusive'`).
 */
async function openEmbedded(options: DatabaseOptions): Promise<DatabaseHandle> {
  const poolSize = options.poolSize ?? 10;
  if (!options.dataDir) {
    // In memory: private to this process, its socket in a fresh private directory.
    const runtimeDir = mkdtempSync(join(tmpdir(), 'line-of-sight-'));
    const server = await startEmbeddedServer({
      dataDir: undefined,
      load: options.loadDataDir,
      socketPath: socketPath(runtimeDir),
      migrationsFolder: MIGRATIONS_FOLDER,
      migrate: options.migrate ?? false,
    });
    return embeddedHandle(runtimeDir, poolSize, 'owner', server, async () => {
      rmSync(runtimeDir, { recursive: true, force: true });
    });
  }
  const attempt = await lockDirectory(options.dataDir, options.command ?? 'line-of-sight');
  if (!attempt.acquired) {
    if (options.access === 'exclusive' || options.loadDataDir)
      throw new DatabaseInUseError(options.dataDir, attempt.holder);
    await waitForSocket(socketPath(attempt.runtimeDir), options.dataDir);
    return embeddedHandle(attempt.runtimeDir, poolSize, 'through');
  }
  const { lock } = attempt;
  try {
    const server = await startEmbeddedServer({
      dataDir: options.dataDir,
      load: options.loadDataDir,
      socketPath: socketPath(lock.runtimeDir),
      migrationsFolder: MIGRATIONS_FOLDER,
      migrate: options.migrate ?? false,
    });
    return embeddedHandle(lock.runtimeDir, poolSize, 'owner', server, () => lock.release());
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function embeddedHandle(
  runtimeDir: string,
  poolSize: number,
  embedded: 'owner' | 'through',
  server?: Awaited<ReturnType<typeof startEmbeddedServer>>,
  release?: () => Promise<void>,
): DatabaseHandle {
  const connect = (user: string) => {
    const pool = new pg.Pool({
      host: runtimeDir,
      port: SOCKET_PORT,
      user,
      database: 'postgres',
      max: poolSize,
    });
    pool.on('error', (err) => console.error('Embedded database connection error:', err.message));
    const db = drizzlePg(pool, { schema }) as unknown as Database;
    (db as unknown as Record<symbol, boolean>)[ONE_SESSION] = true;
    return { pool, db };
  };
  const { pool, db } = connect('postgres');
  // The socket server gives this pool's connections the application's role in each of their turns.
  const app = connect(APPLICATION_ROLE);
  pool.on('connect', (client) => sendScopeWithBegin(client));
  app.pool.on('connect', (client) => sendScopeWithBegin(client, { inRole: true }));
  return {
    db,
    app: app.db,
    kind: 'pglite',
    embedded,
    reach: { socketDir: runtimeDir },
    // The owner's worker migrates with the session held; a process going through it migrates as a
    // client would (the owner migrated when it opened, so this finds nothing to do).
    migrate: server ? () => server.migrate() : () => migrateThrough(pool),
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await Promise.all([pool.end(), app.pool.end()]);
      await server?.close();
      await release?.();
    },
    ...(server ? { dump: () => server.dump() } : {}),
  };
}

/** The holder may still be starting (migrating before it listens): wait for its socket a while. */
async function waitForSocket(path: string, dataDir: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection(path, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `the embedded database in ${dataDir} is held by another process that does not answer on ${path}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The embedded database has one session, shared by every connection: a session-level advisory
 * lock taken on one connection is held by all of them, so it proves nothing about who is alive.
 */
const ONE_SESSION = Symbol('one database session');

/** Whether a session-level lock held by a connection dies with that connection (a server: yes). */
export function sessionLocksAreOwnedByConnections(db: Executor): boolean {
  return !(db as unknown as Record<symbol, boolean>)[ONE_SESSION];
}

/** The connection pool under a drizzle database (node-postgres), for work that needs one session. */
export function poolOf(db: Database): pg.Pool {
  return (db as unknown as { $client: pg.Pool }).$client;
}

async function migrateThrough(pool: pg.Pool) {
  await migratePg(drizzlePg(pool, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
}

/** The server as the application signs in to it when no DATABASE_APP_URL is given. */
export function applicationUrl(url: string): string {
  const app = new URL(url);
  app.username = APPLICATION_ROLE;
  app.password = '';
  return app.toString();
}

async function openServer(url: string, poolSize: number, appUrl?: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const appPool = new pg.Pool({ connectionString: appUrl ?? applicationUrl(url), max: poolSize });
  // An idle client that loses its server would otherwise crash the process.
  for (const p of [pool, appPool])
    p.on('error', (err) => console.error('PostgreSQL pool error:', err.message));
  pool.on('connect', (client) => sendScopeWithBegin(client));
  // Signed in as the application's role: a person's transaction sets only their settings.
  appPool.on('connect', (client) => sendScopeWithBegin(client, { inRole: true }));
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return {
    db,
    app: drizzlePg(appPool, { schema }) as unknown as Database,
    kind: 'postgres',
    reach: { url, appUrl },
    migrate: async () => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        // The application's own role may sign in, unless the application signs in as another.
        if (!appUrl) await allowApplicationLogin(client);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await Promise.all([pool.end(), appPool.end()]);
    },
  };
}

/**
 * Lets `line_of_sight_app` (drizzle/0020: owns nothing, under the policies) sign in, with no
 * password: where the server asks for one it cannot, and DATABASE_APP_URL names the login to use.
 * Roles belong to the whole server, so this is done once, not in a migration of one database.
 */
async function allowApplicationLogin(client: pg.PoolClient) {
  const { rows } = await client.query<{ login: boolean; bypass: boolean }>(
    'select rolcanlogin as login, rolbypassrls as bypass from pg_roles where rolname = $1',
    [APPLICATION_ROLE],
  );
  if (rows[0] && (!rows[0].login || rows[0].bypass))
    await client.query(`alter role ${APPLICATION_ROLE} login nobypassrls`);
}
