import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionInput,
  actionListQuery,
  actionPatchInput,
  auditInput,
  auditRoundInput,
  progressInput,
} from '../schemas/actions.ts';
import type { Services } from '../services/index.ts';
import { actionJson, auditJson, updateJson } from './present-actions.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});
const idParams = z.object({ id: z.uuid() });

/** Actions, their updates, practice audits and the progress/impact statement. */
export async function actionApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { actions, practiceAudits, progress } = services;
  const tags = ['actions'];

  app.get(
    '/reviews/:ref/actions',
    { schema: { tags, summary: "A review's action plan, with RAG", params: refParams } },
    async (request) => {
      const plan = await actions.plan(request.actor!, request.params.ref);
      const items = plan.actions.map((a) => actionJson(a, a.learning));
      return { items, total: items.length };
    },
  );

  app.post(
    '/reviews/:ref/actions',
    { schema: { tags, summary: 'Add an action (review coordinator)', params: refParams, body: actionInput } },
    async (request, reply) => {
      const { id } = await actions.add(request.actor!, request.params.ref, request.body);
      const a = await actions.get(request.actor!, id);
      return reply.code(201).send(actionJson(a.action, a.learning));
    },
  );

  app.get(
    '/actions',
    { schema: { tags, summary: 'Every action you may see, filtered', querystring: actionListQuery } },
    async (request) => {
      const result = await actions.list(request.actor!, request.query);
      return { items: result.items.map((a) => actionJson(a)), total: result.items.length };
    },
  );

  app.get(
    '/actions/:id',
    { schema: { tags, summary: 'An action with its update history', params: idParams } },
    async (request) => {
      const a = await actions.get(request.actor!, request.params.id);
      return { ...actionJson(a.action, a.learning), updates: a.updates.map(updateJson) };
    },
  );

  app.patch(
    '/actions/:id',
    {
      schema: {
        tags,
        summary:
          'Record an update (note, status, evidence) — the owning agency’s lead or the coordinator; change the details — the coordinator',
        params: idParams,
        body: actionPatchInput,
      },
    },
    async (request) => {
      await actions.patch(request.actor!, request.params.id, request.body);
      const a = await actions.get(request.actor!, request.params.id);
      return { ...actionJson(a.action, a.learning), updates: a.updates.map(updateJson) };
    },
  );

  app.get(
    '/audits',
    { schema: { tags, summary: 'Audits of practice, with their rounds' } },
    async (request) => {
      const items = (await practiceAudits.list(request.actor!)).map(auditJson);
      return { items, total: items.length };
    },
  );

  app.post(
    '/audits',
    { schema: { tags, summary: 'Define an audit of practice', body: auditInput } },
    async (request, reply) => {
      const { id } = await practiceAudits.define(request.actor!, request.body);
      return reply.code(201).send(auditJson((await practiceAudits.get(request.actor!, id)).audit));
    },
  );

  app.get(
    '/audits/:id',
    { schema: { tags, summary: 'An audit with its rounds and the actions it evidences', params: idParams } },
    async (request) => auditJson((await practiceAudits.get(request.actor!, request.params.id)).audit),
  );

  app.post(
    '/audits/:id/rounds',
    { schema: { tags, summary: "Record a round's result", params: idParams, body: auditRoundInput } },
    async (request, reply) => {
      await practiceAudits.recordRound(request.actor!, request.params.id, request.body);
      return reply
        .code(201)
        .send(auditJson((await practiceAudits.get(request.actor!, request.params.id)).audit));
    },
  );

  app.get(
    '/reviews/:ref/progress',
    {
      schema: {
        tags,
        summary: 'The progress/impact statement (section 6 of the briefing)',
        params: refParams,
      },
    },
    async (request) => ({ items: await progress.items(request.actor!, request.params.ref) }),
  );

  app.put(
    '/reviews/:ref/progress',
    {
      schema: {
        tags,
        summary: 'Replace the progress/impact statement',
        params: refParams,
        body: progressInput,
      },
    },
    async (request) => {
      await progress.save(request.actor!, request.params.ref, request.body);
      return { items: await progress.items(request.actor!, request.params.ref) };
    },
  );
}
