// Entry of the embedded database's worker thread. From a checkout the worker is TypeScript, run
// through tsx as the command line is; a compiled build points at JavaScript and needs nothing.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
