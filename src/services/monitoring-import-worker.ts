// The upload jobs' worker thread (src/services/monitoring-import-thread.ts): the job runner of
// src/services/monitoring-service.ts (or, kind 'returns', of src/services/return-service.ts), on its
// own connections to the service's database.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabaseAt, serviceConnections } from '../db/client.ts';
import {
  IMPORT_THREAD_LINGER_MS,
  type ImportThreadData,
  type ImportThreadReply,
  type ImportThreadRequest,
} from './monitoring-import-thread.ts';
import { monitoringService } from './monitoring-service.ts';
import { returnService } from './return-service.ts';

/**
 * The job gives way to the service's thread for the CPU: this thread's scheduling priority is
 * lowered (Linux: a thread has its own nice value, found by its id under /proc/thread-self).
 * Elsewhere, or if refused, it runs as it is.
 */
function giveWay() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10));
  } catch {
    // not Linux, or not allowed: no matter
  }
}
giveWay();

const data = workerData as ImportThreadData;
const port = parentPort!;
let seen = data.seen;
let wake: (() => void) | null = null;

const database = await openDatabaseAt(data.reach);
const context = {
  ...serviceConnections(database),
  now: () => new Date(),
  ...(data.limits ? { limits: data.limits } : {}),
  ...(data.uploadDir ? { uploadDir: data.uploadDir } : {}),
};
const jobs = data.kind === 'returns' ? returnService(context) : monitoringService(context);
const onRequest = (request: ImportThreadRequest) => {
  seen = request.seq;
  // Joins the pass under way, or starts one; the loop below waits for it (and sees a failure).
  jobs.runQueued().catch(() => undefined);
  wake?.();
};
port.on('message', onRequest);
try {
  for (;;) {
    // A request that came while a load ran was seen by that pass, or starts another.
    let before: number;
    do {
      before = seen;
      await jobs.runQueued();
    } while (seen !== before);
    port.postMessage({ type: 'idle', seen } satisfies ImportThreadReply);
    const more = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), IMPORT_THREAD_LINGER_MS);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    wake = null;
    if (!more) break;
  }
} finally {
  port.off('message', onRequest);
  port.postMessage({ type: 'done', seen } satisfies ImportThreadReply);
  await database.close();
}
