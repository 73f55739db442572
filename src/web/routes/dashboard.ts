import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { figureCsv } from '../../files/dashboard-csv.ts';
import { DASHBOARD_FIGURES, type DashboardFigure } from '../../schemas/dashboard.ts';
import type { Services } from '../../services/index.ts';
import { NotFoundError, ValidationError } from '../../services/errors.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import { paths } from '../paths.ts';
import { dashboardFigures } from '../presenters/dashboard.ts';
import { errorSummary } from '../presenters/error-summary.ts';

type Query = Record<string, string | undefined>;

/** The filter as a query string for the print view and CSV links: only what was chosen. */
function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'agency']) if (q[key]) params.set(key, q[key]!);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The board's dashboard: every figure as a chart drawn on the server, its summary and its table. */
export async function dashboardRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  async function render(request: FastifyRequest, reply: FastifyReply, template: string) {
    const query = (request.query ?? {}) as Query;
    let errors: Record<string, string> = {};
    let data;
    try {
      data = await services.dashboard.view(actor(request), query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A filter that does not make sense is named, and the whole dashboard shown instead.
      errors = error.fieldErrors;
      data = await services.dashboard.view(actor(request), {});
    }
    const thisYear = Number(data.today.slice(0, 4));
    const first = Math.min(data.firstYear ?? thisYear, thisYear);
    const years = Array.from({ length: thisYear - first + 1 }, (_, i) => thisYear - i);
    const chosen = { from: data.filter.from, to: data.filter.to, agency: data.filter.agency?.code ?? null };
    const qs = queryString({
      from: chosen.from ? String(chosen.from) : undefined,
      to: chosen.to ? String(chosen.to) : undefined,
      agency: chosen.agency ?? undefined,
    });
    return reply.view(template, {
      figures: dashboardFigures(data, { agencyChosen: Boolean(chosen.agency) }).map((fig) => ({
        ...fig,
        csvHref: `${paths.dashboard.csv({ figure: fig.id })}${qs}`,
      })),
      errorList: errorSummary(errors),
      errors,
      chosen,
      period:
        chosen.from || chosen.to
          ? `${chosen.from ? `from ${chosen.from}` : 'up to'} ${chosen.to ? `${chosen.from ? 'to ' : ''}${chosen.to}` : 'to date'}`.trim()
          : 'all years',
      agencyName: data.filter.agency?.name ?? null,
      today: formatDate(data.today),
      yearItems: (key: 'from' | 'to') => [
        { value: '', text: key === 'from' ? 'Earliest' : 'Latest' },
        ...years.map((y) => ({ value: String(y), text: String(y), selected: chosen[key] === y })),
      ],
      agencyItems: [
        { value: '', text: 'Every agency' },
        ...data.agencies.map((a) => ({ value: a.code, text: a.name, selected: chosen.agency === a.code })),
      ],
      printHref: `${paths.dashboard.print()}${qs}`,
    });
  }

  app.get(paths.dashboard.page(), async (request, reply) =>
    render(request, reply, 'pages/dashboard/dashboard.njk'),
  );
  app.get(paths.dashboard.print(), async (request, reply) =>
    render(request, reply, 'pages/dashboard/print.njk'),
  );

  app.get<{ Params: { figure: string } }>('/dashboard/:figure.csv', async (request, reply) => {
    const figure = request.params.figure as DashboardFigure;
    if (!DASHBOARD_FIGURES.includes(figure)) throw new NotFoundError('There is no such figure.');
    const data = await services.dashboard.export(actor(request), figure, request.query, 'csv');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${figure}-${data.today}.csv"`)
      .send(figureCsv(data, figure));
  });
}
