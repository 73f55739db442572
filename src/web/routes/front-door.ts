import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import { concernItem, eventTypeLabel } from '../../domain/chronology/words.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../domain/calendar/format.ts';
import { LIMITS } from '../../limits.ts';
import { mayLoadMonitoringData } from '../../domain/lifecycle/roles.ts';
import type { Services } from '../../services/index.ts';
import { ImportUnderWay } from '../../services/monitoring-service.ts';
import { ConflictError, ValidationError } from '../../services/errors.ts';
import { dateFilters, flashSuccess, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import {
  frontDoorCsv,
  frontDoorFilters,
  frontDoorRows,
  profileText,
  ruleTitle,
} from '../presenters/front-door.ts';
import { signalDate, signalPeriod } from '../presenters/review-signals.ts';
import {
  importCancellable,
  importProgressWords,
  importStatusWords,
  importUnderWay,
} from '../presenters/monitoring-import.ts';

const LISTS = {
  're-referrals': {
    title: 'Re-referral clinic',
    path: paths.frontDoor.reReferrals(),
    intro:
      'Children referred to children’s social care again within 12 months of an earlier referral, most recent referral first, with their signal profile.',
  },
  'check-and-challenge': {
    title: 'Check and challenge',
    path: paths.frontDoor.checkAndChallenge(),
    intro:
      'Open cases with at least one high-severity signal, the most high-severity signals first and then the longest open.',
  },
} as const;
type ListKind = keyof typeof LISTS;

const frontDoorNav = (active: string) =>
  [
    { text: LISTS['re-referrals'].title, href: paths.frontDoor.reReferrals() },
    { text: LISTS['check-and-challenge'].title, href: paths.frontDoor.checkAndChallenge() },
    { text: 'Monitoring data', href: paths.frontDoor.imports() },
  ].map((i) => ({ ...i, active: i.href === active }));

/** The front door's working lists over the monitoring dataset, its upload, and one child's history. */
export async function frontDoorRoutes(app: FastifyInstance, { services }: { services: Services }) {
  await app.register(multipart, {
    // One byte over the limit reaches the import, which refuses the file there (src/limits.ts).
    limits: { fileSize: LIMITS.monitoringBytes + 1, files: 1, fields: 2, parts: 3 },
  });
  const actor = (request: FastifyRequest) => request.actor!;
  const { monitoring } = services;

  for (const kind of Object.keys(LISTS) as ListKind[]) {
    const list = LISTS[kind];
    // The last referral's date is typed as day, month and year (or comes as an ISO date in a link).
    const dates = (request: FastifyRequest) =>
      dateFilters(request.query, { referredFrom: 'the date of the last referral' });
    const load = (request: FastifyRequest, exported: boolean) =>
      kind === 're-referrals'
        ? monitoring.reReferrals(actor(request), dates(request).query, { exported })
        : monitoring.checkAndChallenge(actor(request), dates(request).query, { exported });

    app.get(list.path, async (request, reply) => {
      const result = await load(request, false);
      const typed = dates(request);
      const filters = frontDoorFilters(result.query);
      const q = result.query;
      const pageLink = (offset: number) =>
        `${list.path}?${new URLSearchParams([...new URLSearchParams(filters.query), ['offset', String(offset)]]).toString()}`;
      return reply.view('pages/front-door/list.njk', {
        kind,
        dateParts: typed.parts,
        dateErrors: typed.errors,
        errorList: errorSummary(typed.errors, { dateFields: Object.keys(typed.errors) }),
        title: list.title,
        intro: list.intro,
        nav: frontDoorNav(list.path),
        rows: frontDoorRows(result.items),
        total: result.total,
        query: q,
        filters,
        dataset: result.dataset
          ? {
              file: result.dataset.fileName,
              at: formatDateTime(result.dataset.finishedAt ?? result.dataset.startedAt),
              children: result.dataset.children,
            }
          : null,
        exportHref: `${list.path}/export.csv${filters.query ? `?${filters.query}` : ''}`,
        previous: q.offset > 0 ? pageLink(Math.max(0, q.offset - q.limit)) : null,
        next: q.offset + q.limit < result.total ? pageLink(q.offset + q.limit) : null,
      });
    });

    app.get(`${list.path}/export.csv`, async (request, reply) => {
      const result = await load(request, true);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${kind}.csv"`)
        .send(frontDoorCsv(result.items));
    });
  }

  app.get<{ Params: { key: string } }>('/front-door/children/:key', async (request, reply) => {
    const { child, entries, signals, agencyNames } = await monitoring.child(
      actor(request),
      request.params.key,
    );
    return reply.view('pages/front-door/child.njk', {
      nav: frontDoorNav(''),
      child,
      profile: profileText(child),
      referrals: child.referrals.map(signalDate).join(', ') || 'None',
      signals: signals.map((s) => ({
        title: ruleTitle(s.rule),
        severity: s.severity,
        period: signalPeriod(s.from, s.to),
        explanation: s.explanation,
        evidence: s.evidence.join(', '),
      })),
      entries: entries.map((e) => ({
        date: signalDate(e.date),
        agency: agencyNames.get(e.agency) ?? e.agency,
        eventType: eventTypeLabel(e.eventType),
        summary: e.summary,
        concerns: e.concerns.map(concernItem).join(', '),
        sourceRef: e.sourceRef ?? `row ${e.row}`,
      })),
    });
  });

  app.get(paths.frontDoor.imports(), async (request, reply) => {
    const { runs, mayLoad } = await monitoring.imports(actor(request));
    const state = takeForm(request, 'monitoring-upload');
    return reply.view('pages/front-door/imports.njk', {
      nav: frontDoorNav(paths.frontDoor.imports()),
      runs: runs.map((r) => ({
        ...r,
        startedText: formatDateTime(r.startedAt),
        statusText: importStatusWords(r),
      })),
      mayLoad,
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.get<{ Params: { id: string } }>('/front-door/imports/:id', async (request, reply) => {
    const run = await monitoring.importRun(actor(request), request.params.id);
    return reply.view('pages/front-door/import-run.njk', {
      nav: frontDoorNav(paths.frontDoor.imports()),
      run,
      progress: importProgressWords(run),
      statusText: importStatusWords(run),
      underWay: importUnderWay(run),
      // The button only for those who may load; the service refuses anyone else anyway.
      cancellable: importCancellable(run) && mayLoadMonitoringData(actor(request)),
      startedText: formatDateTime(run.startedAt),
      percent: run.bytesTotal ? Math.min(100, Math.round((run.bytesRead / run.bytesTotal) * 100)) : null,
    });
  });

  /** Cancel a waiting or running load: it stops at its next batch and nothing changes. */
  app.post<{ Params: { id: string } }>('/front-door/imports/:id/cancel', async (request, reply) => {
    const to = paths.frontDoor.importRun({ id: request.params.id });
    try {
      const run = await monitoring.cancel(actor(request), request.params.id);
      flashSuccess(
        request,
        run.status === 'cancelled'
          ? `The load of ${run.fileName} was cancelled: nothing was changed`
          : `The load of ${run.fileName} is stopping: nothing will be changed`,
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      flashSuccess(request, error.message);
    }
    return reply.redirect(to, 303);
  });

  /** Multipart: the CSRF token comes in the query string (see plugins/csrf-check.ts). */
  app.post(paths.frontDoor.imports(), async (request, reply) => {
    const back = paths.frontDoor.imports();
    const refuse = (message: string) => {
      keepForm(request, 'monitoring-upload', { values: {}, errors: { file: message } });
      return reply.redirect(back, 303);
    };
    const file = request.isMultipart() ? await request.file() : undefined;
    if (!file || !file.filename) return refuse('Select a CSV file of the children’s chronologies');
    refuseControlCharacters({ file: file.filename });
    if (!/\.csv$/i.test(file.filename)) {
      file.file.resume();
      return refuse(`${file.filename} is not a CSV file. Save it as "CSV UTF-8" and upload it again.`);
    }
    try {
      // The file is kept for the load's job, which runs off this request; the person follows it
      // on the load's page.
      const run = await monitoring.queueUpload(actor(request), file.file, { fileName: file.filename });
      return reply.redirect(paths.frontDoor.importRun({ id: run.id }), 303);
    } catch (error) {
      // What is left of the file is read and dropped (at most the limit), so the answer arrives.
      file.file.resume();
      if (error instanceof ImportUnderWay || error instanceof ValidationError) return refuse(error.message);
      throw error;
    }
  });
}
