/**
 * A load of the monitoring dataset in people's words: its state on its progress page and in the
 * list of loads (issue 18: loads are jobs, run off the request, followed on their page).
 */

export interface ImportRunView {
  status: string;
  phase: string | null;
  fileName: string;
  bytesTotal: number | null;
  bytesRead: number;
  rowsRead: number;
  children: number;
  childrenScanned: number;
  signals: number;
  error: string | null;
  cancelRequestedAt: Date | null;
  cancelledBy: string | null;
}

/** The load's state for a script: waiting, importing, scanning, stopping, finished, failed, cancelled. */
export type ImportState =
  'waiting' | 'importing' | 'scanning' | 'stopping' | 'finished' | 'failed' | 'cancelled';

export function importState(run: ImportRunView): ImportState {
  switch (run.status) {
    case 'queued':
      return 'waiting';
    case 'loading':
      if (run.cancelRequestedAt) return 'stopping';
      return run.phase === 'Scanning children' ? 'scanning' : 'importing';
    case 'current':
    case 'replaced':
      return 'finished';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'failed';
  }
}

const n = (value: number) => value.toLocaleString('en-GB');

/**
 * The rows a file holds, estimated while it is read from the bytes read so far (rounded, never
 * fewer than the rows already read); null before the first batch.
 */
export function rowsEstimated(run: Pick<ImportRunView, 'bytesTotal' | 'bytesRead' | 'rowsRead'>) {
  if (!run.bytesTotal || run.bytesRead <= 0 || run.rowsRead <= 0) return null;
  const estimate = Math.round((run.rowsRead * run.bytesTotal) / run.bytesRead);
  return Math.max(run.rowsRead, estimate);
}

/** A short status for the list of loads. */
export function importStatusWords(run: ImportRunView): string {
  return {
    waiting: 'Waiting to start',
    importing: 'Importing',
    scanning: 'Scanning',
    stopping: 'Stopping',
    finished: run.status === 'current' ? 'Finished: in use' : 'Finished: replaced by a later load',
    failed: 'Failed: nothing was changed',
    cancelled: 'Cancelled: nothing was changed',
  }[importState(run)];
}

/** The progress page's sentence: where the load is, with its figures. */
export function importProgressWords(run: ImportRunView): string {
  const state = importState(run);
  const about = rowsEstimated(run);
  const figures = `${n(run.rowsRead)} rows for ${n(run.children)} children, ${n(run.signals)} signals`;
  switch (state) {
    case 'waiting':
      return 'Waiting to start: the load begins as soon as the service is free.';
    case 'importing':
      return run.rowsRead === 0
        ? 'Importing: starting to read the file.'
        : `Importing: ${n(run.rowsRead)} of about ${n(about ?? run.rowsRead)} rows read, ${n(run.children)} children so far.`;
    case 'scanning':
      return `Scanning: ${n(run.childrenScanned)} of ${n(run.children)} children scanned, ${n(run.signals)} signals so far.`;
    case 'stopping':
      return `Stopping: cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ''}; what was read is being removed and nothing will change.`;
    case 'finished':
      return run.status === 'current'
        ? `Finished: loaded ${figures}. This is the dataset the lists read.`
        : `Finished: loaded ${figures}. A later load has replaced it.`;
    case 'cancelled':
      return `Cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ''}: nothing was changed.`;
    default:
      return 'Failed: nothing was changed.';
  }
}

/** Whether the load can still be cancelled (waiting, or running and not yet asked to stop). */
export const importCancellable = (run: ImportRunView) =>
  run.status === 'queued' || (run.status === 'loading' && !run.cancelRequestedAt);

/** Whether the page changes if opened again (the Refresh link is shown). */
export const importUnderWay = (run: ImportRunView) => run.status === 'queued' || run.status === 'loading';
