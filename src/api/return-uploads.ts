import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReturnUploadJob } from '../db/repositories/return-upload-job-repository.ts';
import type { Services } from '../services/index.ts';
import { rowsEstimated } from '../web/presenters/monitoring-import.ts';
import { returnUploadState } from '../web/presenters/return-upload.ts';

const jobParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
  id: z.string().min(1).max(40).describe('The upload (job) id'),
});

export const returnUploadUrl = (ref: string, id: string) => `/api/v1/reviews/${ref}/return/uploads/${id}`;

/** A large upload to the agency's return (a job) as JSON: its state, figures and problems. */
export function returnUploadJson(ref: string, job: ReturnUploadJob) {
  return {
    id: job.id,
    url: returnUploadUrl(ref, job.id),
    file: job.fileName,
    state: returnUploadState(job),
    rowsChecked: job.rowsRead,
    rowsEstimated: job.status === 'loading' ? rowsEstimated(job) : job.rowsRead,
    bytesRead: job.bytesRead,
    bytesTotal: job.bytesTotal,
    added: job.entries,
    error: job.error,
    // Each names the file, row and column, as the upload page lists them; `moreProblems` not listed.
    problems: job.problems ?? [],
    moreProblems: job.moreProblems,
    attempts: job.attempts,
    startedBy: job.startedByLabel,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    cancelRequested: job.cancelRequestedAt !== null,
  };
}

/**
 * A large upload to an agency's return over the API (issue 18): POST /reviews/:ref/chronology
 * answers 202 with this resource's URL when it queues the file; here, its progress and its cancel.
 */
export async function returnUploadApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['chronology'];

  app.get(
    '/reviews/:ref/return/uploads/:id',
    {
      schema: {
        tags,
        summary: "A large upload to your agency's return: its state and progress",
        params: jobParams,
      },
    },
    async (request) => {
      const { ref, id } = request.params;
      return returnUploadJson(ref, await services.returns.uploadJob(request.actor!, ref, id));
    },
  );

  app.post(
    '/reviews/:ref/return/uploads/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a waiting or running upload: it stops at its next batch and nothing is saved',
        params: jobParams,
      },
    },
    async (request, reply) => {
      const { ref, id } = request.params;
      await services.returns.cancelUpload(request.actor!, ref, id);
      return reply
        .code(202)
        .send(returnUploadJson(ref, await services.returns.uploadJob(request.actor!, ref, id)));
    },
  );
}
