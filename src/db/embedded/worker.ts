import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createPGliteServer } from './pglite-server.ts';

/** What the main thread asks of the worker that holds PGlite. */
export interface WorkerOptions {
  entry: string;
  dataDir: string | undefined;
  /** A data-directory dump (gzip tar) to start from. */
  load: ArrayBuffer | undefined;
  socketPath: string;
  migrationsFolder: string;
  migrate: boolean;
  idleInTransactionMs: number;
}

export type WorkerRequest = { id: number; op: 'migrate' | 'dump' | 'close' };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'log'; message: string }
  | { id: number; ok: true; dump?: ArrayBuffer }
  | { id: number; ok: false; message: string };

const options = workerData as WorkerOptions;
const port = parentPort!;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
/**
 * PostgreSQL's page cache inside PGlite's WebAssembly memory. Its default, 128 MB, is set aside and
 * touched when PGlite starts: most of an idle service's memory (docs/benchmarks.md, issue 18).
 * The files under it are in the operating system's own cache as well, so a smaller one costs a read
 * through the file system, not a disk; bulk loads and large scans use small ring buffers whatever
 * its size. 16 MB against 32 MB on 600,000 rows (insert, index, aggregate, 2,000 lookups): no
 * difference beyond the noise of a busy machine.
 */
const SHARED_BUFFERS = '16MB';

async function start() {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.load ? { loadDataDir: new Blob([options.load]) } : {}),
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  const server = createPGliteServer({
    db,
    path: options.socketPath,
    idleInTransactionMs: options.idleInTransactionMs,
    log: (message) => post({ type: 'log', message }),
  });
  const runMigrations = () =>
    server.asOwner(() => migrate(drizzle(db), { migrationsFolder: options.migrationsFolder }));
  // Migrated before anyone can connect: no command ever sees a half-migrated database.
  if (options.migrate) await runMigrations();
  await server.listen();

  port.on('message', (request: WorkerRequest) => {
    const work = async (): Promise<WorkerReply & { transfer?: ArrayBuffer[] }> => {
      switch (request.op) {
        case 'migrate':
          await runMigrations();
          return { id: request.id, ok: true };
        case 'dump': {
          const blob = await server.asOwner(() => db.dumpDataDir('gzip'));
          const dump = await blob.arrayBuffer();
          return { id: request.id, ok: true, dump, transfer: [dump] };
        }
        case 'close':
          await server.close();
          await db.close();
          return { id: request.id, ok: true };
      }
    };
    work().then(
      ({ transfer, ...reply }) => post(reply as WorkerReply, transfer),
      (error: unknown) => post({ id: request.id, ok: false, message: (error as Error).message }),
    );
  });
  post({ type: 'ready' });
}

start().catch((error: unknown) =>
  post({ type: 'failed', message: (error as Error).message ?? String(error) }),
);
