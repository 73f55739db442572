import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { figureCsv, figureRows } from '../files/dashboard-csv.ts';
import { DASHBOARD_FIGURES, dashboardQuery, type DashboardFigure } from '../schemas/dashboard.ts';
import { recurrenceQuery } from '../schemas/recurrence.ts';
import type { Services } from '../services/index.ts';
import type { DashboardFigures } from '../services/dashboard-service.ts';

const figureParams = z.object({
  figure: z.enum(DASHBOARD_FIGURES).describe('Which figure of the dashboard'),
});
const figureQuery = dashboardQuery.and(
  z.object({ format: z.enum(['json', 'csv']).default('json').describe('json (the default) or csv') }),
);

/** How many of the earlier actions a repeat lists (actionsBefore says how many there were). */
const MAX_ACTIONS_LISTED = 10;

/** One figure's rows as objects keyed by the CSV's column names. */
function figureJson(figures: DashboardFigures, figure: DashboardFigure) {
  const { header, rows } = figureRows(figures, figure);
  return rows.map((row) =>
    Object.fromEntries(
      header.map((h, i) => [h.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), row[i]]),
    ),
  );
}

/**
 * Learning across reviews over the API: how often each theme recurs (and whether it came back after
 * earlier actions on it were completed or assured), and the board's dashboard, every figure as JSON
 * or CSV. The same permissions and audit as the pages.
 */
export async function learningAcrossApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/themes/recurrence',
    {
      schema: {
        tags: ['learning'],
        summary:
          'Each learning theme with the reviews (those you may see) and library briefings carrying it, dated on or after `since`; repeatAfterAction when a review was referred after an earlier review’s action on the theme was completed or assured',
        querystring: recurrenceQuery,
      },
    },
    async (request) => {
      const { items } = await services.recurrence.list(request.actor!, request.query);
      return {
        items: items.map((i) => ({
          theme: i.theme.key,
          name: i.theme.name,
          retired: i.theme.retired,
          reviews: i.reviews.map((r) => r.reference),
          briefings: i.briefings.map((b) => ({ id: b.briefingId, title: b.title, date: b.date })),
          count: i.count,
          first: i.first,
          last: i.last,
          repeatAfterAction: i.repeatAfterAction,
          repeats: i.repeats.map((r) => ({
            review: r.reference,
            referredOn: r.date,
            // The ten done last, in the order they were done: a theme can have hundreds, listed for each repeat.
            actionsBefore: r.after.length,
            after: r.after.slice(-MAX_ACTIONS_LISTED).map((a) => ({
              review: a.reference,
              action: `A${a.number}`,
              actionId: a.actionId,
              status: a.status,
              doneOn: a.doneOn,
            })),
          })),
        })),
        total: items.length,
      };
    },
  );

  app.get(
    '/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          "The board's dashboard, every figure (board members, coordinators, administrators): from, to (years) and agency (its code) filter it",
        querystring: dashboardQuery,
      },
    },
    async (request) => {
      const f = await services.dashboard.view(request.actor!, request.query);
      return {
        filter: { from: f.filter.from, to: f.filter.to, agency: f.filter.agency?.code ?? null },
        asAt: f.today,
        figures: Object.fromEntries(DASHBOARD_FIGURES.map((figure) => [figure, figureJson(f, figure)])),
        lateReviews: f.pipeline.late.map((l) => ({
          review: l.reference,
          stage: l.stage,
          what: l.deadline.what,
          due: l.deadline.due,
          daysLate: l.daysLate,
        })),
      };
    },
  );

  app.get(
    '/dashboard/:figure',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'One figure of the dashboard, as {"items": [...], "total": N} or (format=csv) the CSV file the page offers',
        params: figureParams,
        querystring: figureQuery,
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const figure = request.params.figure;
      const f = await services.dashboard.export(request.actor!, figure, filter, format);
      if (format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${figure}-${f.today}.csv"`)
          .send(figureCsv(f, figure));
      const items = figureJson(f, figure);
      return { items, total: items.length };
    },
  );
}
