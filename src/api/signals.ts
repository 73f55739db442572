import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../services/index.ts';

const thresholdsBody = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .describe(
    'Overrides of the default thresholds, keyed by rule id, and of the day window of possible duplicates in the merged chronology (`{"possible-duplicates": {"daysApart": 0 to 14}}`) (docs/signals.md); {} restores the defaults',
  );

/** Signal thresholds (partnership settings) and the signals of a review. */
export async function signalApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/signal-thresholds',
    {
      schema: {
        tags: ['signals'],
        summary: "The partnership's signal thresholds: the full config and its overrides",
      },
    },
    async (request) => {
      const { config, overrides, updatedAt } = await services.signalSettings.thresholds(request.actor!);
      return { config, overrides, updatedAt: updatedAt?.toISOString() ?? null };
    },
  );

  app.put(
    '/signal-thresholds',
    {
      schema: {
        tags: ['signals'],
        summary:
          "Replace the partnership's threshold overrides (administrators; 400 names the setting at fault)",
        body: thresholdsBody,
      },
    },
    async (request) => services.signalSettings.update(request.actor!, request.body),
  );

  app.get(
    '/reviews/:ref/signals',
    {
      schema: {
        tags: ['signals'],
        summary: 'The practice signals of the accepted merged chronology, with their decisions',
        params: z.object({ ref: z.string().min(1).max(40) }),
      },
    },
    async (request) => {
      const { signals } = await services.reviewSignals.list(request.actor!, request.params.ref);
      return {
        items: signals.map((s) => ({
          child: s.child,
          rule: s.rule,
          severity: s.severity,
          from: s.from,
          to: s.to,
          evidence: s.evidence,
          explanation: s.explanation,
          key: s.key,
          decision: s.decision,
          reason: s.reason,
          lineOfEnquiry: s.lineOfEnquiry,
        })),
        total: signals.length,
      };
    },
  );
}
