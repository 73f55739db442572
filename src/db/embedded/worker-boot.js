// Entry of the embedded database's worker thread. Its code comes as JavaScript (worker-entry.ts
// bundles it from a checkout); only if that could not be done is the TypeScript run through tsx.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
