/**
 * A large upload to an agency's return, run as a job (issue 18), in people's words: its state on
 * its page and in the API, as a monitoring load's are (src/web/presenters/monitoring-import.ts).
 */
import { rowsEstimated } from './monitoring-import.ts';

export interface ReturnUploadView {
  status: string;
  phase: string | null;
  fileName: string;
  bytesTotal: number | null;
  bytesRead: number;
  rowsRead: number;
  entries: number;
  cancelRequestedAt: Date | null;
  cancelledBy: string | null;
}

/** The upload's state for a script: waiting, checking, saving, stopping, finished, failed, cancelled. */
export type ReturnUploadState =
  'waiting' | 'checking' | 'saving' | 'stopping' | 'finished' | 'failed' | 'cancelled';

export function returnUploadState(job: ReturnUploadView): ReturnUploadState {
  switch (job.status) {
    case 'queued':
      return 'waiting';
    case 'loading':
      if (job.cancelRequestedAt) return 'stopping';
      return job.phase === 'Saving the entries' ? 'saving' : 'checking';
    case 'done':
      return 'finished';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'failed';
  }
}

const n = (value: number) => value.toLocaleString('en-GB');
const entries = (count: number) => `${n(count)} ${count === 1 ? 'entry' : 'entries'}`;

/** A short status, for the summary list and the list of uploads. */
export function returnUploadStatusWords(job: ReturnUploadView): string {
  return {
    waiting: 'Waiting to start',
    checking: 'Checking the file',
    saving: 'Saving the entries',
    stopping: 'Stopping',
    finished: `Finished: ${entries(job.entries)} added`,
    failed: 'Failed: nothing was saved',
    cancelled: 'Cancelled: nothing was saved',
  }[returnUploadState(job)];
}

/** The page's sentence: where the upload is, with its figures. */
export function returnUploadProgressWords(job: ReturnUploadView): string {
  const about = rowsEstimated(job);
  switch (returnUploadState(job)) {
    case 'waiting':
      return 'Waiting to start: the upload begins as soon as the service is free.';
    case 'checking':
      return job.rowsRead === 0
        ? 'Checking the file: starting to read it.'
        : `Checking the file: ${n(job.rowsRead)} of about ${n(about ?? job.rowsRead)} rows checked. Nothing is saved until every row has been checked.`;
    case 'saving':
      return `Saving the entries: all ${n(job.rowsRead)} rows are correct and are being added to your return.`;
    case 'stopping':
      return `Stopping: cancelled${job.cancelledBy ? ` by ${job.cancelledBy}` : ''}; nothing will be saved.`;
    case 'finished':
      return `Finished: ${entries(job.entries)} added from ${job.fileName}.`;
    case 'cancelled':
      return `Cancelled${job.cancelledBy ? ` by ${job.cancelledBy}` : ''}: nothing was saved.`;
    default:
      return 'Failed: nothing was saved.';
  }
}

/** Whether the upload can still be cancelled (waiting, or running and not yet asked to stop). */
export const returnUploadCancellable = (job: ReturnUploadView) =>
  job.status === 'queued' || (job.status === 'loading' && !job.cancelRequestedAt);

/** Whether the page changes if opened again (the Refresh link is shown). */
export const returnUploadUnderWay = (job: ReturnUploadView) =>
  job.status === 'queued' || job.status === 'loading';
