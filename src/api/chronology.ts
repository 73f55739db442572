import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyUpload } from '../files/agency-upload.ts';
import { ChronologyFileError, readChronologyCsv } from '../files/chronology-reader.ts';
import type { RequestListItem } from '../db/repositories/request-repository.ts';
import { chronologyQuery, sendRequestsInput } from '../schemas/chronology.ts';
import type { Services } from '../services/index.ts';
import type { MergedItem } from '../services/chronology-service.ts';
import { TooLargeError, ValidationError } from '../services/errors.ts';
import { LIMITS, sizeInWords } from '../limits.ts';
import { returnUploadJson, returnUploadUrl } from './return-uploads.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});

export function requestJson(r: RequestListItem) {
  return {
    id: r.request.id,
    agency: r.agencyCode,
    status: r.request.status,
    lead: r.leadEmail,
    dueDate: r.request.dueDate,
    sentAt: r.request.sentAt.toISOString(),
    submittedAt: r.request.submittedAt?.toISOString() ?? null,
    acceptedAt: r.request.acceptedAt?.toISOString() ?? null,
    withdrawnAt: r.request.withdrawnAt?.toISOString() ?? null,
    entries: r.entries,
  };
}

export function mergedEntryJson(e: MergedItem) {
  return {
    id: e.id,
    date: e.date,
    time: e.time,
    agency: e.agency,
    eventType: e.eventType,
    summary: e.summary,
    childrenPresent: e.childrenPresent,
    childSeen: e.childSeen,
    childVoice: e.childVoice,
    concerns: e.concerns,
    worker: e.worker,
    practitionerRole: e.practitionerRole,
    actionTaken: e.actionTaken,
    outcome: e.outcome,
    significance: e.significance,
    sourceRef: e.sourceRef,
    submittedBy: e.submittedByName,
    childAge: e.age,
    daysSincePreviousContact: e.daysSincePreviousContact,
    possibleDuplicate: e.possibleDuplicateOf !== null,
    sameEvent: e.sameEventKey,
  };
}

/** Agency requests and the merged chronology over the API; POST chronology fills the caller's own draft. */
export async function chronologyApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  // A CSV body is read as a stream, row by row, like an uploaded file.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  const tags = ['chronology'];

  app.get(
    '/reviews/:ref/requests',
    { schema: { tags, summary: 'Agency requests of a review', params: refParams } },
    async (request) => {
      const items = await services.requests.list(request.actor!, request.params.ref);
      return { items: items.map(requestJson), total: items.length };
    },
  );

  app.post(
    '/reviews/:ref/requests',
    {
      schema: {
        tags,
        summary: 'Send requests to agencies in scope (coordinator; information gathering)',
        params: refParams,
        body: sendRequestsInput,
      },
    },
    async (request, reply) => {
      const { sent } = await services.requests.send(request.actor!, request.params.ref, request.body);
      const items = (await services.requests.list(request.actor!, request.params.ref)).filter((r) =>
        sent.includes(r.request.id),
      );
      return reply.code(201).send({ items: items.map(requestJson), total: items.length });
    },
  );

  app.get(
    '/reviews/:ref/chronology',
    {
      schema: {
        tags,
        summary: 'The merged chronology: accepted entries in date order (anonymised)',
        params: refParams,
        querystring: chronologyQuery,
      },
    },
    async (request) => {
      const merged = await services.chronology.merged(request.actor!, request.params.ref, request.query);
      return { items: merged.items.map(mergedEntryJson), total: merged.total };
    },
  );

  app.post(
    '/reviews/:ref/chronology',
    {
      schema: {
        tags,
        summary:
          "Add entries to your agency's draft return: a text/csv body (the chronology CSV) or JSON { entries: [...] }. All or nothing. A large CSV (over RETURN_JOB_BYTES, or of no stated length) is queued: 202 with the upload's URL (Location) to follow and cancel it.",
        params: refParams,
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const ref = request.params.ref;
      if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) {
        const { count } = await services.returns.addEntries(actor, ref, request.body);
        return reply.code(201).send({ added: count });
      }
      const body = request.body as NodeJS.ReadableStream;
      const file = 'request body';
      try {
        await services.returns.checkUpload(actor, ref);
        // A body that says it is too large is refused before a byte of it is read; one that does
        // not say is counted as it is read and refused the moment it passes the limit.
        if (Number(request.headers['content-length'] ?? 0) > LIMITS.chronologyBytes)
          throw new TooLargeError(
            {},
            `${file}: the file is larger than ${sizeInWords(LIMITS.chronologyBytes)}, the limit for one chronology upload. Split it into smaller files and upload each one. Nothing was saved.`,
          );
        // A large body is queued as a job and followed at its own URL (limits.returnJobBytes).
        const length = Number(request.headers['content-length']);
        if (services.returns.uploadQueues('csv', Number.isFinite(length) ? length : null)) {
          try {
            const job = await services.returns.queueUpload(actor, ref, body, {
              fileName: file,
              format: 'csv',
            });
            return reply
              .code(202)
              .header('location', returnUploadUrl(ref, job.id))
              .send(returnUploadJson(ref, job));
          } catch (error) {
            body.resume();
            throw error;
          }
        }
        // The reader lets go of (destroys) what it reads when it stops early: give it a stream of
        // its own, so the request itself is left to the server and the answer still reaches the client.
        const own = body.pipe(new PassThrough());
        // ...but a request cut off part-way still ends the reading (and so the transaction).
        body.once('close', () => {
          if (!(body as NodeJS.ReadableStream & { readableEnded?: boolean }).readableEnded)
            own.destroy(new Error('the request body was cut off'));
        });
        const { count } = await services.returns.upload(actor, ref, {
          name: file,
          entries: ({ agencyCode, maxRows }) =>
            agencyUpload(readChronologyCsv(own, { file, maxRows }), { file, agencyCode }),
        });
        return reply.code(201).send({ added: count });
      } catch (error) {
        if (!(error instanceof ChronologyFileError)) throw error;
        const Refusal = error.overLimit ? TooLargeError : ValidationError;
        throw new Refusal(
          Object.fromEntries(
            error.problems.map((p, i) => [
              `row ${p.row ?? '-'}${p.column ? `, ${p.column}` : ''} #${i + 1}`,
              p.message,
            ]),
          ),
          `${error.message.replace(/\.?$/, '.')} Nothing was saved.`,
        );
      }
    },
  );
}
