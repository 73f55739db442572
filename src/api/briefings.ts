import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { briefingFormatQuery } from '../schemas/briefing.ts';
import type { Services } from '../services/index.ts';
import { NotFoundError } from '../services/errors.ts';
import { findingJson, findingsJson, sectionBody, sectionForm, sectionJson } from './briefing-json.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});

const sectionParams = refParams.extend({
  index: z.coerce.number().int().min(1).max(100).describe('The section number, from 1'),
});
const findingParams = refParams.extend({
  id: z.string().min(1).max(64).describe("The finding's id, from the check"),
});

/**
 * A review's 7-minute briefing over the API, with the same permissions, audit and stage rules as
 * the Briefing tab: GET the briefing (json|md|html|pdf|docx: the latest published version, or the
 * latest draft when none is); start a new version; read and change sections; run the
 * identifying-details check; accept a finding with a reason.
 */
export async function briefingApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['briefings'];
  app.get(
    '/reviews/:ref/briefing',
    {
      schema: {
        tags: ['briefings'],
        summary: "A review's 7-minute briefing as JSON (interfaces.md) or a file",
        description:
          'The latest published version, else the latest draft (with a warning). Headers X-Briefing-Version and X-Briefing-State say which.',
        params: refParams,
        querystring: briefingFormatQuery,
      },
    },
    async (request, reply) => {
      const out = await services.briefings.export(request.actor!, request.params.ref, request.query.format);
      // The body is exactly the interfaces.md Briefing JSON; which version it is travels in headers.
      reply
        .header('x-briefing-version', String(out.version.version))
        .header('x-briefing-state', out.version.state);
      if ('json' in out && out.json) return out.json;
      if (!('file' in out) || !out.file) throw new Error('No file rendered');
      return reply
        .header('content-type', out.file.contentType)
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .send(out.file.body);
    },
  );

  app.post(
    '/reviews/:ref/briefing/versions',
    {
      schema: {
        tags,
        summary: 'Start a new draft version from the published one (coordinator; briefing or impact stage)',
        params: refParams,
        body: z.object({ note: z.string().max(500).describe('Why the briefing is reissued') }),
      },
    },
    async (request, reply) => {
      const { version } = await services.briefings.reissue(request.actor!, request.params.ref, request.body);
      return reply.code(201).send({ version, state: 'draft' });
    },
  );

  app.get(
    '/reviews/:ref/briefing/sections',
    {
      schema: {
        tags,
        summary: "The sections of the briefing's current version, in order",
        params: refParams,
      },
    },
    async (request) => {
      const view = await services.briefings.view(request.actor!, request.params.ref);
      if (!view.current) throw new NotFoundError('This review has no briefing yet.');
      const items = view.current.content.sections.map(sectionJson);
      return { version: view.current.version, state: view.current.state, items, total: items.length };
    },
  );

  app.put(
    '/reviews/:ref/briefing/sections/:index',
    {
      schema: {
        tags,
        summary:
          'Change a section of a draft or a version waiting for approval (coordinator). Replaces the section: omitted lists become empty. The check must run again before approval.',
        params: sectionParams,
        body: sectionBody,
      },
    },
    async (request) => {
      const { ref, index } = request.params;
      await services.briefings.updateSection(request.actor!, ref, index - 1, sectionForm(request.body));
      const view = await services.briefings.view(request.actor!, ref);
      const section = view.current?.content.sections[index - 1];
      if (!section) throw new NotFoundError('There is no such section in this briefing.');
      return sectionJson(section, index - 1);
    },
  );

  app.post(
    '/reviews/:ref/briefing/check',
    {
      schema: {
        tags,
        summary:
          "Run the identifying-details check on the current version (coordinator or the review's chair; reads and audits the identifiable data)",
        params: refParams,
      },
    },
    async (request) => {
      const { version, findings } = await services.briefings.check(request.actor!, request.params.ref);
      return { version, ...findingsJson(findings) };
    },
  );

  app.post(
    '/reviews/:ref/briefing/findings/:id/accept',
    {
      schema: {
        tags,
        summary:
          "Accept a finding of the last check with a reason (the review's chair or the coordinator, once sent for approval); audited",
        params: findingParams,
        body: z.object({ reason: z.string().max(2_000).describe('Why the detail can stay in the briefing') }),
      },
    },
    async (request) => {
      const { ref, id } = request.params;
      const accepted = await services.briefings.acceptFinding(request.actor!, ref, {
        finding: id,
        reason: request.body.reason,
      });
      return findingJson(accepted);
    },
  );

  // The moves of the Briefing tab's buttons, for tooling that runs the whole lifecycle.
  const MOVES = {
    submit: 'Send the current draft for approval (coordinator)',
    approve:
      "Approve the version waiting for approval (the review's chair or the coordinator): the check runs again and every finding must be fixed or accepted (409 otherwise)",
    publish: 'Publish the approved version to the library (coordinator)',
    return: 'Return a version waiting for approval, or approved, to draft (coordinator)',
  } as const;
  for (const move of Object.keys(MOVES) as (keyof typeof MOVES)[]) {
    app.post(
      `/reviews/:ref/briefing/${move}`,
      { schema: { tags, summary: MOVES[move], params: refParams } },
      async (request) => {
        const b = services.briefings;
        const actor = request.actor!;
        const ref = request.params.ref;
        const moved =
          move === 'submit'
            ? await b.submit(actor, ref)
            : move === 'approve'
              ? await b.approve(actor, ref)
              : move === 'publish'
                ? await b.publish(actor, ref)
                : await b.returnToDraft(actor, ref);
        return moved;
      },
    );
  }
}
