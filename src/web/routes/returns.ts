import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { CONCERN_TAGS, EVENT_TYPES } from '../../domain/chronology/entry.ts';
import { agencyUpload, uploadProblems } from '../../files/agency-upload.ts';
import { LIMITS } from '../../limits.ts';
import { ChronologyFileError, readChronologyCsv, readChronologyXlsx } from '../../files/chronology-reader.ts';
import type { EntryRow } from '../../db/repositories/return-repository.ts';
import type { Services } from '../../services/index.ts';
import { ConflictError, ValidationError } from '../../services/errors.ts';
import { formatDateTime } from '../../domain/calendar/format.ts';
import {
  returnUploadCancellable,
  returnUploadProgressWords,
  returnUploadStatusWords,
  returnUploadUnderWay,
} from '../presenters/return-upload.ts';
import { asArray, flashSuccess, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { pageNumber, pagination } from '../presenters/pagination.ts';
import { concernItem, eventTypeLabel } from '../../domain/chronology/words.ts';
import { returnTasks } from '../presenters/return-tasks.ts';
import { statusTag } from './requests.ts';
import { tabHub } from './hub.ts';

type Params = { ref: string };
type Body = Record<string, unknown>;
type PageQuery = { Querystring: { page?: string } };

/** An entry form's fields as the CSV's columns (so the same validation and messages apply). */
export function entryRecord(body: Body): Record<string, string> {
  const s = (k: string) => String(body[k] ?? '').trim();
  const [d, m, y] = [s('date-day'), s('date-month'), s('date-year')];
  const date =
    !d && !m && !y
      ? ''
      : d
        ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
        : `${y}-${m.padStart(2, '0')}`;
  return {
    date,
    time: s('time'),
    event_type: s('event_type'),
    summary: s('summary'),
    children_present: s('children_present'),
    child_seen: s('child_seen'),
    child_voice: s('child_voice'),
    concerns: asArray(body.concerns).join(';'),
    worker: s('worker'),
    practitioner_role: s('practitioner_role'),
    action_taken: s('action_taken'),
    outcome: s('outcome'),
    significance: s('significance'),
    source_ref: s('source_ref'),
  };
}

/** A stored entry as the form's values. */
function entryValues(e: EntryRow): Record<string, unknown> {
  return {
    'date-day': e.date.length === 10 ? String(Number(e.date.slice(8, 10))) : '',
    'date-month': String(Number(e.date.slice(5, 7))),
    'date-year': e.date.slice(0, 4),
    time: e.time ?? '',
    event_type: e.eventType,
    summary: e.summary,
    children_present: e.childrenPresent ?? '',
    child_seen: e.childSeen ?? '',
    child_voice: e.childVoice ?? '',
    concerns: e.concerns,
    worker: e.worker ?? '',
    practitioner_role: e.practitionerRole ?? '',
    action_taken: e.actionTaken ?? '',
    outcome: e.outcome ?? '',
    significance: e.significance ?? '',
    source_ref: e.sourceRef ?? '',
  };
}

const entryOptions = {
  eventTypes: [
    { value: '', text: 'Choose the kind of event' },
    ...EVENT_TYPES.map((t) => ({ value: t, text: eventTypeLabel(t) })),
  ],
  concernTags: CONCERN_TAGS.map((t) => ({ value: t, text: concernItem(t) })),
};

/** The agency lead's workspace: their own agency's return in a review. */
export async function returnRoutes(app: FastifyInstance, { services }: { services: Services }) {
  // One byte over the limit reaches the reader, which refuses the file at that byte (src/limits.ts).
  await app.register(multipart, {
    limits: { fileSize: LIMITS.chronologyBytes + 1, files: 1, fields: 5, parts: 6 },
  });
  const actor = (request: FastifyRequest) => request.actor!;
  const { returns } = services;
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors, { dateFields: ['date'] }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };
  async function hub(request: FastifyRequest, ref: string) {
    return tabHub(services, request, ref, 'requests');
  }

  app.get<{ Params: Params }>('/reviews/:ref/return', async (request, reply) => {
    const ref = request.params.ref;
    const w = await returns.workspace(actor(request), ref);
    return reply.view('pages/returns/task-list.njk', {
      hub: await hub(request, ref),
      ...w,
      tag: statusTag(w.request.request.status),
      tasks: returnTasks(w, ref),
      ...form(request, 'return'),
    });
  });

  app.get<{ Params: Params } & PageQuery>('/reviews/:ref/return/check', async (request, reply) => {
    const ref = request.params.ref;
    const w = await returns.workspace(actor(request), ref, { page: pageNumber(request.query.page) });
    const answers = new Map(w.answers.map((a) => [a.lineOfEnquiryId, a]));
    const base = paths.reviews.returnCheck({ ref });
    return reply.view('pages/returns/check.njk', {
      hub: await hub(request, ref),
      ...w,
      entriesPage: pagination(w.page, w.entryCount, (n) => `${base}${n > 1 ? `?page=${n}` : ''}#entries`),
      entryLinks: w.editable,
      selfAnalysis: w.kloes.map((k) => ({ ...k, answer: answers.get(k.id) ?? null })),
      ...form(request, 'submit'),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/return/submit', async (request, reply) => {
    const ref = request.params.ref;
    return handleForm(request, reply, {
      key: 'submit',
      back: paths.reviews.returnCheck({ ref }),
      values: {},
      run: async () => {
        await returns.submit(actor(request), ref);
        return paths.reviews.return({ ref });
      },
      success: 'Return submitted to the review coordinator',
    });
  });

  // Entries by form -----------------------------------------------------------------------------
  const entryPage = async (request: FastifyRequest, ref: string, id: string | null) => {
    const w = await returns.workspace(actor(request), ref, { form: true });
    const entry = id ? (await returns.entry(actor(request), ref, id)).entry : null;
    const f = form(request, id ? `entry-${id}` : 'entry-new');
    return {
      hub: await hub(request, ref),
      review: w.review,
      ret: w.ret,
      amending: w.amending,
      editable: w.editable,
      entry,
      action: id ? paths.reviews.returnEntry({ ref, id }) : paths.reviews.returnEntryNew({ ref }),
      ...f,
      v: f.values ?? (entry ? entryValues(entry) : {}),
      ...entryOptions,
    };
  };

  app.get<{ Params: Params }>('/reviews/:ref/return/entries/new', async (request, reply) =>
    reply.view('pages/returns/entry.njk', await entryPage(request, request.params.ref, null)),
  );
  app.get<{ Params: Params & { id: string } }>('/reviews/:ref/return/entries/:id', async (request, reply) =>
    reply.view('pages/returns/entry.njk', await entryPage(request, request.params.ref, request.params.id)),
  );

  app.post<{ Params: Params }>('/reviews/:ref/return/entries/new', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'entry-new',
      back: paths.reviews.returnEntryNew({ ref }),
      values: { ...body, concerns: asArray(body.concerns) },
      run: async () => {
        await returns.addEntry(actor(request), ref, entryRecord(body), { reason: body.reason });
        return body.another === 'yes' ? paths.reviews.returnEntryNew({ ref }) : paths.reviews.return({ ref });
      },
      success: 'Entry added',
    });
  });

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/entries/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: `entry-${id}`,
        back: paths.reviews.returnEntry({ ref, id }),
        values: { ...body, concerns: asArray(body.concerns) },
        run: async () => {
          await returns.updateEntry(actor(request), ref, id, entryRecord(body), { reason: body.reason });
          return paths.reviews.returnCheck({ ref });
        },
        success: 'Entry changed',
      });
    },
  );

  app.get<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/entries/:id/remove',
    async (request, reply) => {
      const { ref, id } = request.params;
      const w = await returns.workspace(actor(request), ref, { form: true });
      const { entry } = await returns.entry(actor(request), ref, id);
      return reply.view('pages/returns/entry-remove.njk', {
        hub: await hub(request, ref),
        review: w.review,
        amending: w.amending,
        entry,
        ...form(request, `remove-${id}`),
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/entries/:id/remove',
    async (request, reply) => {
      const { ref, id } = request.params;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: `remove-${id}`,
        back: paths.reviews.returnEntryRemove({ ref, id }),
        values: body,
        run: async () => {
          await returns.removeEntry(actor(request), ref, id, { reason: body.reason });
          return paths.reviews.returnCheck({ ref });
        },
        success: 'Entry removed',
      });
    },
  );

  // Upload --------------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/return/upload', async (request, reply) => {
    const ref = request.params.ref;
    const w = await returns.workspace(actor(request), ref, { form: true });
    const f = form(request, 'upload');
    const problems = (f.values?.problems as string[] | undefined) ?? [];
    const uploads = (await returns.recentUploads(actor(request), ref)).map((job) => ({
      href: paths.reviews.returnUploadJob({ ref, id: job.id }),
      fileName: job.fileName,
      started: formatDateTime(job.startedAt),
      status: returnUploadStatusWords(job),
    }));
    return reply.view('pages/returns/upload.njk', {
      uploads,
      hub: await hub(request, ref),
      review: w.review,
      ret: w.ret,
      editable: w.editable && !w.amending,
      ...f,
      problems,
      more: (f.values?.more as number | undefined) ?? 0,
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/return/upload', async (request, reply) => {
    const ref = request.params.ref;
    return handleForm(request, reply, {
      key: 'upload',
      back: paths.reviews.returnUpload({ ref }),
      values: {},
      run: async () => {
        // Who may upload is decided before a byte of the file is read.
        await returns.checkUpload(actor(request), ref);
        const file = request.isMultipart() ? await request.file() : undefined;
        if (!file) throw new ValidationError({ file: 'Choose a CSV or Excel (.xlsx) file to upload' });
        const name = file.filename || 'the file';
        const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
        if (extension !== 'csv' && extension !== 'xlsx') {
          file.file.resume();
          throw new ValidationError({
            file: `${name} is not a CSV or Excel file. Choose a .csv (CSV UTF-8) or .xlsx file.`,
          });
        }
        // A large file is queued as a job (limits.returnJobBytes) and followed on its page; the
        // request's length stands for the file's (a multipart part says none of its own).
        const length = Number(request.headers['content-length']);
        if (returns.uploadQueues(extension, Number.isFinite(length) ? length : null)) {
          try {
            const job = await returns.queueUpload(actor(request), ref, file.file, {
              fileName: name,
              format: extension,
            });
            return paths.reviews.returnUploadJob({ ref, id: job.id });
          } catch (error) {
            file.file.resume();
            throw error;
          }
        }
        const read = extension === 'csv' ? readChronologyCsv : readChronologyXlsx;
        try {
          const { count } = await returns.upload(actor(request), ref, {
            name,
            entries: ({ agencyCode, maxRows }) =>
              agencyUpload(read(file.file, { file: name, maxRows }), { file: name, agencyCode }),
          });
          request.session.flash = {
            ...request.session.flash,
            success: `${count} ${count === 1 ? 'entry' : 'entries'} added from ${name}`,
          };
        } catch (error) {
          file.file.resume();
          if (!(error instanceof ChronologyFileError)) throw error;
          const { summary, problems, more } = uploadProblems(error, name);
          request.session.flash = {
            ...request.session.flash,
            forms: {
              ...(request.session.flash?.forms ?? {}),
              upload: {
                values: { problems, more },
                errors: { file: summary },
              },
            },
          };
          return paths.reviews.returnUpload({ ref });
        }
        return paths.reviews.return({ ref });
      },
    });
  });

  // A large upload's job: its progress in words (Refresh, never a meta refresh), its cancel ------
  app.get<{ Params: Params & { id: string } }>('/reviews/:ref/return/uploads/:id', async (request, reply) => {
    const { ref, id } = request.params;
    const job = await returns.uploadJob(actor(request), ref, id);
    const percent =
      job.bytesTotal && job.status === 'loading'
        ? Math.min(100, Math.round((job.bytesRead / job.bytesTotal) * 100))
        : null;
    return reply.view('pages/returns/upload-job.njk', {
      hub: await hub(request, ref),
      review: { reference: ref },
      job,
      progress: returnUploadProgressWords(job),
      statusText: returnUploadStatusWords(job),
      underWay: returnUploadUnderWay(job),
      cancellable: returnUploadCancellable(job),
      startedText: formatDateTime(job.startedAt),
      percent,
      // A refused file: the same summary and list of problems as the upload page shows.
      errorList: job.error ? [{ text: job.error }] : [],
      problems: job.problems ?? [],
      more: job.moreProblems,
    });
  });

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/uploads/:id/cancel',
    async (request, reply) => {
      const { ref, id } = request.params;
      try {
        const job = await returns.cancelUpload(actor(request), ref, id);
        flashSuccess(
          request,
          job.status === 'cancelled'
            ? `The upload of ${job.fileName} was cancelled: nothing was saved`
            : `The upload of ${job.fileName} is stopping: nothing will be saved`,
        );
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        flashSuccess(request, error.message);
      }
      return reply.redirect(paths.reviews.returnUploadJob({ ref, id }), 303);
    },
  );

  // Self-analysis -------------------------------------------------------------------------------
  app.get<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/self-analysis/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const w = await returns.workspace(actor(request), ref, { form: true });
      const kloe = w.kloes.find((k) => k.id === id);
      if (!kloe) return reply.callNotFound();
      const answer = w.answers.find((a) => a.lineOfEnquiryId === id);
      const next = w.kloes[w.kloes.indexOf(kloe) + 1];
      const f = form(request, `kloe-${id}`);
      return reply.view('pages/returns/self-analysis.njk', {
        hub: await hub(request, ref),
        review: w.review,
        editable: w.editable,
        kloe,
        count: w.kloes.length,
        next,
        ...f,
        v: f.values ?? answer ?? {},
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/return/self-analysis/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: `kloe-${id}`,
        back: paths.reviews.returnSelfAnalysis({ ref, id }),
        values: body,
        run: async () => {
          const { submittable } = await returns.saveSelfAnalysis(actor(request), ref, id, body);
          // The next key line of enquiry; after the last, check your answers (where the return is
          // submitted) once it holds an entry, else the task list.
          if (typeof body.next === 'string' && /^[0-9a-f-]{36}$/i.test(body.next))
            return paths.reviews.returnSelfAnalysis({ ref, id: body.next });
          return submittable ? paths.reviews.returnCheck({ ref }) : paths.reviews.return({ ref });
        },
        success: 'Self-analysis saved',
      });
    },
  );
}
