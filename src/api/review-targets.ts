import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TARGET_WEEKS } from '../domain/lifecycle/deadlines.ts';
import type { Services } from '../services/index.ts';

const weeks = z
  .number()
  .int()
  .min(TARGET_WEEKS.min)
  .max(TARGET_WEEKS.max)
  .nullable()
  .describe(
    `Whole weeks from the screening decision to the published briefing (${TARGET_WEEKS.min} to ${TARGET_WEEKS.max}); null for no target`,
  );

const targetsBody = z.object({ lineOfSightWeeks: weeks, singleAgencyWeeks: weeks });

/** The partnership's own review targets (partnership settings, beside the signal thresholds). */
export async function reviewTargetApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['partnership settings'];

  app.get(
    '/review-targets',
    {
      schema: {
        tags,
        summary:
          "The partnership's own targets for Line of Sight and single-agency reviews, in weeks (null: none)",
      },
    },
    async (request) => services.admin.reviewTargets(request.actor!),
  );

  app.put(
    '/review-targets',
    {
      schema: {
        tags,
        summary: "Set the partnership's review targets (administrators; 400 names the target at fault)",
        body: targetsBody,
      },
    },
    async (request) => services.admin.setReviewTargets(request.actor!, request.body),
  );
}
