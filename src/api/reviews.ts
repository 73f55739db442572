import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  lineOfEnquiryInput,
  referralInput,
  reviewListQuery,
  reviewSummaryInput,
  screeningInput,
  stageMoveInput,
  statusChangeInput,
  termsOfReferenceInput,
} from '../schemas/review.ts';
import type { Services } from '../services/index.ts';
import { reviewJson, reviewSummaryJson } from './present.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});
const kloeParams = refParams.extend({ id: z.uuid() });

export async function reviewApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { reviews } = services;
  const tags = ['reviews'];

  app.get(
    '/reviews',
    { schema: { tags, summary: 'List reviews you may see', querystring: reviewListQuery } },
    async (request) => {
      const result = await reviews.list(request.actor!, request.query);
      return { items: result.items.map(reviewSummaryJson), total: result.total };
    },
  );

  app.post(
    '/reviews',
    { schema: { tags, summary: 'Refer a case', body: referralInput } },
    async (request, reply) => {
      const { reference } = await reviews.refer(request.actor!, request.body);
      return reply.code(201).send(reviewJson(await reviews.overview(request.actor!, reference)));
    },
  );

  app.get(
    '/reviews/:ref',
    { schema: { tags, summary: 'A review (no identifiable details)', params: refParams } },
    async (request) => reviewJson(await reviews.overview(request.actor!, request.params.ref)),
  );

  app.get(
    '/reviews/:ref/identifiable-details',
    {
      schema: {
        tags,
        summary: "The child's identifiable details (audited; permitted roles only)",
        params: refParams,
      },
    },
    async (request) => reviews.identifiableDetails(request.actor!, request.params.ref),
  );

  app.post(
    '/reviews/:ref/stage',
    {
      schema: {
        tags,
        summary: 'Move the review to its next stage (409 with reasons when it cannot)',
        params: refParams,
        body: stageMoveInput,
      },
    },
    async (request) => {
      await reviews.moveStage(request.actor!, request.params.ref, request.body);
      return reviewJson(await reviews.overview(request.actor!, request.params.ref));
    },
  );

  for (const change of ['pause', 'resume', 'stop'] as const) {
    app.post(
      `/reviews/:ref/${change}`,
      {
        schema: {
          tags,
          summary: `${change[0]!.toUpperCase()}${change.slice(1)} the review, with a reason`,
          params: refParams,
          body: statusChangeInput,
        },
      },
      async (request) => {
        await reviews.changeStatus(request.actor!, request.params.ref, change, request.body);
        return reviewJson(await reviews.overview(request.actor!, request.params.ref));
      },
    );
  }

  app.get(
    '/reviews/:ref/screening',
    { schema: { tags, summary: 'The screening decision', params: refParams } },
    async (request) => {
      const { decision } = await reviews.screening(request.actor!, request.params.ref);
      return decision
        ? {
            outcome: decision.outcome,
            rationale: decision.rationale,
            decisionMaker: decision.decisionMaker,
            decidedOn: decision.decidedOn,
          }
        : null;
    },
  );

  app.post(
    '/reviews/:ref/screening',
    { schema: { tags, summary: 'Record the screening decision', params: refParams, body: screeningInput } },
    async (request) => {
      await reviews.recordScreening(request.actor!, request.params.ref, request.body);
      return reviewJson(await reviews.overview(request.actor!, request.params.ref));
    },
  );

  app.put(
    '/reviews/:ref/terms-of-reference',
    {
      schema: {
        tags,
        summary: 'Set the period under review and the agencies in scope',
        params: refParams,
        body: termsOfReferenceInput,
      },
    },
    async (request) => {
      await reviews.setTermsOfReference(request.actor!, request.params.ref, request.body);
      return reviewJson(await reviews.overview(request.actor!, request.params.ref));
    },
  );

  app.put(
    '/reviews/:ref/summary',
    {
      schema: {
        tags,
        summary:
          "Write the review's background and purpose (the briefing's first two sections); an empty or missing one is cleared",
        params: refParams,
        body: reviewSummaryInput,
      },
    },
    async (request) => {
      await reviews.setSummary(request.actor!, request.params.ref, request.body);
      return reviewJson(await reviews.overview(request.actor!, request.params.ref));
    },
  );

  app.get(
    '/reviews/:ref/lines-of-enquiry',
    { schema: { tags, summary: 'Key lines of enquiry, in order', params: refParams } },
    async (request) => {
      const items = await reviews.linesOfEnquiry(request.actor!, request.params.ref);
      return { items, total: items.length };
    },
  );

  app.post(
    '/reviews/:ref/lines-of-enquiry',
    { schema: { tags, summary: 'Add a key line of enquiry', params: refParams, body: lineOfEnquiryInput } },
    async (request, reply) =>
      reply.code(201).send(await reviews.addLineOfEnquiry(request.actor!, request.params.ref, request.body)),
  );

  app.patch(
    '/reviews/:ref/lines-of-enquiry/:id',
    {
      schema: { tags, summary: 'Change a key line of enquiry', params: kloeParams, body: lineOfEnquiryInput },
    },
    async (request, reply) => {
      await reviews.updateLineOfEnquiry(request.actor!, request.params.ref, request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/reviews/:ref/lines-of-enquiry/:id',
    { schema: { tags, summary: 'Remove a key line of enquiry', params: kloeParams } },
    async (request, reply) => {
      await reviews.removeLineOfEnquiry(request.actor!, request.params.ref, request.params.id);
      return reply.code(204).send();
    },
  );
}
