import { createServer, type Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import {
  FrontendReader,
  ReadyForQueryScanner,
  SYNC,
  errorResponse,
  startupUser,
  type FrontendMessage,
} from './protocol.ts';
import { SessionGate } from './session-gate.ts';
import { APPLICATION_ROLE } from '../actor-scope.ts';

/** Holder numbers below 1 are the worker's own work, never a connection. */
const WORKER = -1;

export interface PGliteServerOptions {
  db: PGlite;
  /** The Unix socket to listen on (its directory is private to this user). */
  path: string;
  /** A connection idle inside a transaction this long is ended and its transaction rolled back. */
  idleInTransactionMs?: number;
  log?: (message: string) => void;
}

/**
 * PGlite served over the PostgreSQL protocol on a Unix socket, so the service and every command
 * reach the embedded database the same way they reach a server (`pg`), from one process or several.
 * Connections take turns on PGlite's one session through the SessionGate.
 *
 * PGlite's session is its superuser's, whoever connects. A connection that starts as the
 * application's role (`line_of_sight_app`, the application's pool) has its turns in that role, as
 * on a server it would have logged in as it: each time the session passes to another connection,
 * the role of the one that takes it is set. Every other connection, and the worker's own work, has
 * the owner's. What this does not give: a statement run in a turn can `reset role` for the rest of
 * that turn (docs/security.md, "What holds where").
 */
export function createPGliteServer(options: PGliteServerOptions) {
  const { db } = options;
  const gate = new SessionGate();
  const idleLimit = options.idleInTransactionMs ?? 60_000;
  const sockets = new Map<number, Socket>();
  /** The role the session was last given (null: not known). */
  let role: 'application' | 'owner' | null = null;
  /**
   * A turn's start: an application connection's turn is given its role every time (what a turn
   * before did with it does not last); the owner's is given back when it was taken.
   */
  async function startTurn(application: boolean) {
    if (application) await db.exec(`set role ${APPLICATION_ROLE}`);
    else if (role !== 'owner') await db.exec('reset role');
    role = application ? 'application' : 'owner';
  }
  /** Connections whose batch is running in PGlite now (never ended for idleness). */
  const busy = new Set<number>();
  let nextId = 1;
  let closing = false;

  /** Leaves PGlite's session as a new connection expects it: no half sequence, no open transaction. */
  async function resetSession() {
    await db.execProtocolRaw(new Uint8Array(SYNC));
    if (db.isInTransaction()) await db.exec('rollback');
  }

  function serve(socket: Socket) {
    const id = nextId++;
    sockets.set(id, socket);
    socket.setNoDelay(true);
    const reader = new FrontendReader();
    const scanner = new ReadyForQueryScanner();
    let queue: Promise<void> = Promise.resolve();
    let gone = false;
    /** Whether this connection started as the application's role. */
    let application = false;
    /** Whether this connection holds the session (from its turn's first message to idle). */
    let inTurn = false;

    async function run(bytes: Buffer) {
      await gate.acquire(id);
      if (gone) return;
      busy.add(id);
      if (!inTurn) {
        inTurn = true;
        await startTurn(application).catch((error: unknown) => {
          busy.delete(id);
          throw error;
        });
      }
      scanner.reset();
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
            onRawData: (data) => {
              scanner.push(data);
              if (!socket.destroyed) socket.write(Buffer.from(data));
            },
          }),
        );
      } finally {
        busy.delete(id);
        gate.lastActivity = Date.now();
      }
      if (scanner.status === 'I') {
        inTurn = false;
        gate.release(id);
      }
    }

    async function handle(messages: FrontendMessage[]) {
      let batch: Buffer[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
        batch = [];
        await run(bytes);
      };
      for (const message of messages) {
        switch (message.kind) {
          case 'ssl-request':
          case 'gssenc-request':
            socket.write('N');
            break;
          case 'cancel-request':
            socket.end();
            return;
          case 'startup':
            if (closing) {
              socket.end(errorResponse('57P03', 'the embedded database is shutting down'));
              return;
            }
            application = startupUser(message.bytes) === APPLICATION_ROLE;
            batch.push(message.bytes);
            break;
          case 'message':
            batch.push(message.bytes);
            break;
          case 'terminate':
            await flush();
            socket.end();
            return;
        }
      }
      await flush();
    }

    socket.on('data', (chunk: Buffer) => {
      let messages: FrontendMessage[];
      try {
        messages = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      if (messages.length === 0) return;
      queue = queue
        .then(() => handle(messages))
        .catch((error: unknown) => {
          options.log?.(`embedded database connection ${id} failed: ${(error as Error).message}`);
          socket.destroy();
        });
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      gone = true;
      sockets.delete(id);
      gate.forget(id);
      queue = queue.then(async () => {
        if (gate.current !== id) return;
        try {
          await resetSession();
        } finally {
          gate.release(id);
        }
      });
    });
  }

  const server = createServer(serve);
  const watchdog = setInterval(() => {
    const holder = gate.current;
    if (holder === null || busy.has(holder)) return;
    if (Date.now() - gate.lastActivity > idleLimit) {
      options.log?.(`embedded database connection ${holder} was idle in a transaction too long: ended`);
      sockets.get(holder)?.destroy();
    }
  }, 1_000);
  watchdog.unref();

  return {
    gate,
    /** Runs the worker's own work (migrations, a dump) with the session held, as the owner. */
    asOwner<T>(fn: () => Promise<T>): Promise<T> {
      return gate.exclusive(WORKER, async () => {
        role = null;
        await startTurn(false);
        return fn();
      });
    },
    listen(): Promise<void> {
      rmSync(options.path, { force: true });
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.path, () => {
          server.off('error', reject);
          chmodSync(options.path, 0o600);
          resolve();
        });
      });
    },
    /** Open connections (for the readiness check and shutdown). */
    get connections() {
      return sockets.size;
    },
    /**
     * Stops taking connections, lets the one holding the session finish (up to `graceMs`), ends the
     * rest; PGlite itself is closed by the caller.
     */
    async close(graceMs = 5_000) {
      closing = true;
      clearInterval(watchdog);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (gate.current !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const socket of sockets.values()) socket.destroy();
      await stopped;
      await gate.exclusive(0, async () => {
        if (db.isInTransaction()) await db.exec('rollback');
      });
      rmSync(options.path, { force: true });
    },
  };
}

export type PGliteServer = ReturnType<typeof createPGliteServer>;
