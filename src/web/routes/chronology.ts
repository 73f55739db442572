import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { writeChronologyCsv, writeChronologyXlsx } from '../../files/chronology-writer.ts';
import type { Services } from '../../services/index.ts';
import { asArray, dateFilters, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary } from '../presenters/error-summary.ts';
import { chronologyFilters, mergedRows } from '../presenters/merged-chronology.ts';
import { reviewHub } from '../presenters/review-hub.ts';
import { signalMarkers } from '../presenters/review-signals.ts';
import { timelineFigure } from '../presenters/timeline-figure.ts';

type Params = { ref: string };

/** The merged chronology tab: table, timeline, named view and exports. */
export async function chronologyRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  async function page(request: FastifyRequest, ref: string, named: boolean) {
    // One read: the hub, the chronology and its practice signals after one access check.
    const dates = dateFilters(request.query, { from: 'the "from" date', to: 'the "to" date' });
    const merged = await services.chronology.page(actor(request), ref, dates.query, { named });
    const base = named ? paths.reviews.chronologyNamed({ ref }) : paths.reviews.chronology({ ref });
    const state = takeForm(request, 'link');
    return {
      ...merged,
      hub: reviewHub(merged.hub.review, 'chronology', {
        deadline: merged.hub.deadlines[0],
        today: merged.hub.today,
      }),
      rows: mergedRows(merged.items),
      filters: chronologyFilters(merged.query, merged.agencies, merged.total, base),
      base,
      named,
      timelineFigure: await timelineFigure((template, data) => app.view(template, data), merged.timeline, {
        gaps: merged.gaps,
        markers: signalMarkers(ref, merged.signals),
        linkBase: named ? `${base}?confirmed=yes` : base,
        signalsHref: paths.reviews.signals({ ref }),
      }),
      dateParts: dates.parts,
      dateErrors: dates.errors,
      errorList: [
        ...errorSummary(dates.errors, { dateFields: Object.keys(dates.errors) }),
        ...errorSummary(state?.errors),
      ],
      linkable:
        merged.permissions.link &&
        ['information_gathering', 'analysis', 'event'].includes(merged.review.stage),
    };
  }

  app.get<{ Params: Params }>('/reviews/:ref/chronology', async (request, reply) =>
    reply.view('pages/chronology/merged.njk', await page(request, request.params.ref, false)),
  );

  /** The named view: a warning first; the view itself only once confirmed, and audited. */
  app.get<{ Params: Params; Querystring: { confirmed?: string } }>(
    '/reviews/:ref/chronology/named',
    async (request, reply) => {
      const ref = request.params.ref;
      if (request.query.confirmed !== 'yes') {
        const overview = await services.reviews.overview(actor(request), ref);
        if (!overview.permissions.viewIdentifiable)
          // The service refuses and audits it.
          await services.chronology.merged(actor(request), ref, {}, { named: true });
        return reply.view('pages/chronology/named-warning.njk', {
          hub: reviewHub(overview.review, 'chronology', {
            deadline: overview.deadlines[0],
            today: overview.today,
          }),
          review: overview.review,
        });
      }
      return reply.view('pages/chronology/merged.njk', await page(request, ref, true));
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get<{ Params: Params; Querystring: { view?: string } }>(
      `/reviews/:ref/chronology/export.${format}`,
      async (request, reply) => {
        const ref = request.params.ref;
        const named = request.query.view === 'named';
        const entries = await services.chronology.exportEntries(actor(request), ref, { named, format });
        const out = new PassThrough();
        const name = `${ref}-chronology${named ? '-named' : ''}.${format}`;
        reply
          .header('content-disposition', `attachment; filename="${name}"`)
          .type(
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          );
        const extraColumns = [...new Set(entries.flatMap((e) => Object.keys(e.extra)))];
        void (
          format === 'csv'
            ? writeChronologyCsv(entries, out, { extraColumns })
            : writeChronologyXlsx(entries, out, { extraColumns })
        ).catch((error: Error) => out.destroy(error));
        return reply.send(out);
      },
    );
  }

  for (const unlink of [false, true]) {
    app.post<{ Params: Params }>(
      `/reviews/:ref/chronology/${unlink ? 'unlink' : 'link'}`,
      async (request, reply) => {
        const ref = request.params.ref;
        const body = (request.body ?? {}) as Record<string, unknown>;
        return handleForm(request, reply, {
          key: 'link',
          back: paths.reviews.chronology({ ref }),
          values: {},
          run: async () => {
            const { changed } = await services.chronology.link(
              actor(request),
              ref,
              { entries: asArray(body.entries) },
              unlink,
            );
            request.session.flash = {
              ...request.session.flash,
              success: unlink ? `${changed} entries unlinked` : `${changed} entries linked as one event`,
            };
            return paths.reviews.chronology({ ref });
          },
        });
      },
    );
  }
}
