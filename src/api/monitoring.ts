import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../services/index.ts';
import { ConflictError, TooLargeError } from '../services/errors.ts';
import { LIMITS, sizeInWords } from '../limits.ts';
import { importState, rowsEstimated, type ImportRunView } from '../web/presenters/monitoring-import.ts';

const idParams = z.object({ id: z.string().min(1).max(40).describe('The load (job) id') });
const fileQuery = z.object({
  file: z
    .string()
    .max(200)
    .refine(
      (name) =>
        ![...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || c === '/' || c === '\\'),
      'a file name without control characters or slashes',
    )
    .optional()
    .describe('The file name to show on the load (default: monitoring.csv)'),
});

const jobUrl = (id: string) => `/api/v1/monitoring/imports/${id}`;

type Run = ImportRunView & {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  startedByLabel: string | null;
  attempts: number;
};

/** A load of the monitoring dataset (a job) as JSON: its state and figures. */
export function importJson(run: Run) {
  return {
    id: run.id,
    url: jobUrl(run.id),
    file: run.fileName,
    state: importState(run),
    current: run.status === 'current',
    rowsRead: run.rowsRead,
    rowsEstimated: run.status === 'loading' ? rowsEstimated(run) : run.rowsRead,
    bytesRead: run.bytesRead,
    bytesTotal: run.bytesTotal,
    children: run.children,
    childrenScanned: run.childrenScanned,
    signals: run.signals,
    error: run.error,
    attempts: run.attempts,
    startedBy: run.startedByLabel,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    cancelRequested: run.cancelRequestedAt !== null,
  };
}

/**
 * The monitoring dataset over the API (issue 18): a CSV body queued as a load (202 with the job's
 * URL, one load at a time per dataset: 409 naming the one under way), its progress, its cancel.
 */
export async function monitoringApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  // The body is streamed to the upload folder as it arrives, whatever its size up to the limit.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  const tags = ['monitoring'];

  app.post(
    '/monitoring/imports',
    {
      schema: {
        tags,
        summary:
          'Queue a load of the monitoring dataset: a text/csv body (the chronology CSV with a child column). 202 with the job URL; all or nothing.',
        querystring: fileQuery,
      },
    },
    async (request, reply) => {
      if (!String(request.headers['content-type'] ?? '').startsWith('text/csv'))
        return reply.code(415).send({
          error: { code: 'unsupported_media_type', message: 'Send the monitoring file as a text/csv body.' },
        });
      const fileName = request.query.file ?? 'monitoring.csv';
      const body = request.body as NodeJS.ReadableStream;
      if (Number(request.headers['content-length'] ?? 0) > LIMITS.monitoringBytes) {
        body.resume();
        throw new TooLargeError(
          {},
          `${fileName}: the file is larger than ${sizeInWords(LIMITS.monitoringBytes)}, the limit for the monitoring dataset. Nothing was loaded.`,
        );
      }
      try {
        const run = await services.monitoring.queueUpload(request.actor!, body, { fileName });
        return reply.code(202).header('location', jobUrl(run.id)).send(importJson(run));
      } catch (error) {
        if (error instanceof ConflictError) body.resume();
        throw error;
      }
    },
  );

  app.get(
    '/monitoring/imports/:id',
    {
      schema: { tags, summary: 'A load of the monitoring dataset: its state and progress', params: idParams },
    },
    async (request) => importJson(await services.monitoring.importRun(request.actor!, request.params.id)),
  );

  app.post(
    '/monitoring/imports/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a waiting or running load: it stops at its next batch and nothing changes',
        params: idParams,
      },
    },
    async (request, reply) => {
      await services.monitoring.cancel(request.actor!, request.params.id);
      return reply
        .code(202)
        .send(importJson(await services.monitoring.importRun(request.actor!, request.params.id)));
    },
  );
}
