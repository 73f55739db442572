import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toBriefingJson } from '../domain/briefing/model.ts';
import { BriefingImportError, MAX_DOCX_BYTES } from '../files/briefing-import.ts';
import { libraryQuery } from '../schemas/briefing.ts';
import { ValidationError } from '../services/errors.ts';
import type { Services } from '../services/index.ts';
import { findingJson, findingsJson } from './briefing-json.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** The file types an import takes, by content type, and the extension each is read as. */
const TYPES: Record<string, string> = { 'text/plain': '.txt', 'text/markdown': '.md', [DOCX]: '.docx' };

const idParams = z.object({ id: z.uuid().describe('The briefing id') });
const draftFindingParams = idParams.extend({
  findingId: z.string().min(1).max(64).describe("The finding's id, from the check"),
});

const importQuery = z.object({
  fileName: z
    .string()
    .max(200)
    // Control characters are refused before any route (src/web/plugins/control-characters.ts).
    .regex(/^[^/\\]+$/, 'A file name, without folders')
    .optional()
    .describe('The original file name: gives the title when the document has none'),
  publish: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: publish at once when the check finds nothing (else it stays a draft)'),
  themes: z
    .string()
    .max(2000)
    .optional()
    .describe('Learning theme keys, comma separated; absent: the themes suggested from its words'),
  partnership: z
    .string()
    .max(200)
    .optional()
    .describe('The partnership it comes from; absent: the one named at its head'),
  year: z
    .string()
    .max(4)
    .optional()
    .describe('The year it was written; absent: the date the document gives itself'),
  reviewType: z
    .string()
    .max(40)
    .optional()
    .describe('line_of_sight (the default), rapid_review, lcspr or single_agency'),
});

const detailsBody = z.object({
  title: z.string().max(500).optional().describe('As the library shows it; checked for identifying details'),
  partnership: z.string().max(200).nullable().optional(),
  year: z.number().int().nullable().optional(),
  reviewType: z.string().max(40).optional(),
  themes: z.array(z.string().max(60)).max(30).optional().describe('Theme keys; absent: unchanged'),
});

/**
 * The library over the API: published briefings with the page's filters, and loading an existing
 * briefing, which is saved as a draft checked for identifying details and published only when the
 * check is clean, or once every finding is accepted with a reason (review coordinators).
 */
export async function libraryApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['library'];
  // A briefing file is the body as it is; its content type says how to read it.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    Object.keys(TYPES),
    { parseAs: 'buffer', bodyLimit: MAX_DOCX_BYTES },
    (_r, body, done) => done(null, body),
  );

  app.get(
    '/library',
    {
      schema: {
        tags,
        summary:
          'Published briefings: full-text search (q) and filters by theme, agency, year and review type',
        querystring: libraryQuery,
      },
    },
    async (request) => {
      const result = await services.library.search(request.actor!, request.query);
      return {
        items: result.items.map((i) => ({
          id: i.id,
          version: i.version,
          title: i.title,
          publishedAt: i.publishedAt,
          year: i.year,
          partnership: i.sourcePartnership,
          themes: i.themes,
          agencies: i.agencyCodes,
          reviewType: i.reviewType,
          source: i.source,
        })),
        facets: result.facets,
        total: result.total,
      };
    },
  );

  app.post(
    '/library/import',
    {
      bodyLimit: MAX_DOCX_BYTES,
      schema: {
        tags,
        summary:
          'Load an existing briefing (coordinator): the body is the file (text/plain, text/markdown or a .docx). Saved as a draft and checked for identifying details; published at once only with publish=true and no findings.',
        querystring: importQuery,
      },
    },
    async (request, reply) => {
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const extension = TYPES[type];
      const body = request.body;
      if (!extension || !Buffer.isBuffer(body))
        throw new ValidationError(
          { file: `Send the briefing file as the body, with Content-Type ${Object.keys(TYPES).join(', ')}` },
          'The request is not a briefing file.',
        );
      const name = request.query.fileName ?? `briefing${extension}`;
      const fileName = name.toLowerCase().endsWith(extension) ? name : `${name}${extension}`;
      const actor = request.actor!;
      let parsed;
      try {
        parsed = await services.library.previewImport(actor, body, fileName);
      } catch (error) {
        if (error instanceof BriefingImportError)
          throw new ValidationError({ file: error.reason }, error.message);
        throw error;
      }
      const q = request.query;
      const saved = await services.library.saveImport(
        actor,
        parsed.briefing,
        q.publish === 'true' ? 'if-clean' : 'draft',
        {
          metadata: {
            partnership: q.partnership ?? parsed.report.partnership ?? undefined,
            year: q.year,
            reviewType: q.reviewType,
            ...(q.themes !== undefined ? { themes: q.themes } : {}),
          },
          documentDate: parsed.report.documentDate?.iso ?? null,
        },
      );
      return reply.code(201).send({
        id: saved.id,
        state: saved.state,
        briefing: toBriefingJson(parsed.briefing, parsed.warnings),
        findings: findingsJson(saved.findings),
        themes: saved.themes,
        suggestedThemes: parsed.suggestions.map((t) => ({ key: t.key, name: t.name, found: t.found })),
        documentDate: parsed.report.documentDate?.iso ?? null,
        recognised: parsed.report.sections.map((r) => ({
          heading: r.heading,
          kind: r.kind,
          how: r.how,
          ...(r.synonym ? { synonym: r.synonym } : {}),
        })),
      });
    },
  );

  app.put(
    '/library/:id/details',
    {
      schema: {
        tags,
        summary:
          "An imported briefing's details (coordinator): title, partnership, year, review type and themes. Absent themes stay as they are; the other fields are replaced",
        params: idParams,
        body: detailsBody,
      },
    },
    async (request) => {
      const actor = request.actor!;
      await services.library.updateImportedDetails(actor, request.params.id, {
        ...request.body,
        partnership: request.body.partnership ?? undefined,
        year: request.body.year ?? undefined,
      });
      const details = await services.library.importedDetails(actor, request.params.id);
      return {
        id: details.briefing.id,
        title: details.briefing.title ?? details.documentTitle,
        partnership: details.briefing.sourcePartnership,
        year: details.year,
        reviewType: details.briefing.reviewType,
        themes: details.chosen.map((t) => t.key),
        taxonomyVersion: details.briefing.taxonomyVersion,
      };
    },
  );

  app.get(
    '/library/drafts/:id',
    {
      schema: {
        tags,
        summary: 'An imported briefing not published yet, with its findings (coordinator)',
        params: idParams,
      },
    },
    async (request) => {
      const draft = await services.library.importedDraft(request.actor!, request.params.id);
      return {
        id: draft.briefing.id,
        state: 'draft',
        briefing: toBriefingJson(draft.version.content, []),
        findings: findingsJson(draft.findings),
      };
    },
  );

  app.post(
    '/library/drafts/:id/findings/:findingId/accept',
    {
      schema: {
        tags,
        summary: 'Accept a finding of an imported draft with a reason (coordinator); audited',
        params: draftFindingParams,
        body: z.object({ reason: z.string().max(2_000).describe('Why the detail can stay in the briefing') }),
      },
    },
    async (request) => {
      const { id, findingId } = request.params;
      return findingJson(
        await services.library.acceptImportFinding(request.actor!, id, {
          finding: findingId,
          reason: request.body.reason,
        }),
      );
    },
  );

  app.post(
    '/library/drafts/:id/publish',
    {
      schema: {
        tags,
        summary:
          'Publish an imported draft (coordinator): the check runs again and every finding must be accepted first (409 otherwise)',
        params: idParams,
      },
    },
    async (request) => {
      const { id } = await services.library.publishImport(request.actor!, request.params.id);
      return { id, state: 'published' };
    },
  );
}
