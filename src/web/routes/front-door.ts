import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import { concernItem, eventTypeLabel } from '../../domain/chronology/words.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../domain/calendar/format.ts';
import { LIMITS } from '../../limits.ts';
import type { Services } from '../../services/index.ts';
import { MonitoringFileError } from '../../services/monitoring-service.ts';
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
      runs: runs.map((r) => ({ ...r, startedText: formatDateTime(r.startedAt) })),
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
      startedText: formatDateTime(run.startedAt),
      percent: run.bytesTotal ? Math.min(100, Math.round((run.bytesRead / run.bytesTotal) * 100)) : null,
    });
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
    const length = Number(request.headers['content-length'] ?? 0);
    try {
      const result = await monitoring.importCsv(actor(request), file.file, {
        fileName: file.filename,
        bytesTotal: length > 0 ? length : null,
      });
      flashSuccess(
        request,
        `Loaded ${result.rows} rows for ${result.children} children: ${result.signals} signals`,
      );
      return reply.redirect(paths.frontDoor.importRun({ id: result.id }), 303);
    } catch (error) {
      // What is left of the file is read and dropped (at most the limit), so the answer arrives.
      file.file.resume();
      if (error instanceof MonitoringFileError) return refuse(error.message);
      throw error;
    }
  });
}
