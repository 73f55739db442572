import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { briefingFormatQuery } from '../schemas/briefing.ts';
import type { Services } from '../services/index.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});

/**
 * GET /api/v1/reviews/{ref}/briefing?format=json|md|html|pdf|docx: the latest published version,
 * or the latest draft (with a warning in the JSON, "DRAFT" on every page of a file) when none is.
 */
export async function briefingApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
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
}
