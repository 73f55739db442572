import { Worker } from 'node:worker_threads';
import type { WorkerOptions, WorkerReply, WorkerRequest } from './worker.ts';
import { workerEntry } from './worker-entry.ts';

export interface EmbeddedServer {
  /** Writes a consistent copy of the data directory (gzip tar), with the session held. */
  dump(): Promise<Blob>;
  migrate(): Promise<void>;
  /** Lets the connection holding the session finish, closes PGlite (flushing it) and the thread. */
  close(): Promise<void>;
}

const WORKER_BOOT = new URL('./worker-boot.js', import.meta.url);

/**
 * Starts PGlite in a worker thread of its own, serving the PostgreSQL protocol on `socketPath`:
 * a long statement never stops this thread's event loop, and every other process or connection
 * reaches the database through that socket.
 */
export function startEmbeddedServer(options: {
  dataDir: string | undefined;
  load: Blob | undefined;
  socketPath: string;
  migrationsFolder: string;
  migrate: boolean;
  idleInTransactionMs?: number;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  return (async () => {
    const load = options.load ? await options.load.arrayBuffer() : undefined;
    const data: WorkerOptions = {
      entry: workerEntry().href,
      dataDir: options.dataDir,
      load,
      socketPath: options.socketPath,
      migrationsFolder: options.migrationsFolder,
      migrate: options.migrate,
      idleInTransactionMs: options.idleInTransactionMs ?? 60_000,
    };
    const worker = new Worker(WORKER_BOOT, { workerData: data, transferList: load ? [load] : [] });
    const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
    let nextId = 1;
    let exited = false;

    await new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if ('type' in reply) {
          if (reply.type === 'ready') resolve();
          else if (reply.type === 'failed')
            reject(new Error(`the embedded database did not open: ${reply.message}`));
          else options.log?.(reply.message);
          return;
        }
        const waiter = pending.get(reply.id);
        pending.delete(reply.id);
        waiter?.resolve(reply);
      });
      worker.once('error', (error) =>
        reject(new Error(`the embedded database did not open: ${error.message}`)),
      );
      worker.once('exit', (code) => {
        exited = true;
        const error = new Error(`the embedded database stopped (worker exit ${code})`);
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
        reject(error);
      });
    });

    const ask = (op: WorkerRequest['op']) =>
      new Promise<WorkerReply>((resolve, reject) => {
        if (exited) return reject(new Error('the embedded database has stopped'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, op } satisfies WorkerRequest);
      }).then((reply) => {
        if ('ok' in reply && !reply.ok) throw new Error(reply.message);
        return reply;
      });

    return {
      async dump() {
        const reply = await ask('dump');
        return new Blob(['dump' in reply && reply.dump ? [reply.dump] : []].flat());
      },
      async migrate() {
        await ask('migrate');
      },
      async close() {
        if (exited) return;
        await ask('close');
        await worker.terminate();
      },
    };
  })();
}
