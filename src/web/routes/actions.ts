import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import { MAX_EVIDENCE_BYTES } from '../../domain/actions/evidence.ts';
import { ACTION_STATUSES, ACTION_STATUS_LABELS } from '../../domain/actions/status.ts';
import { actionsToCsv, actionsToXlsx } from '../../files/actions-export.ts';
import { ConflictError, ValidationError } from '../../services/errors.ts';
import { whyNotEditable } from '../../domain/lifecycle/guards.ts';
import type { EvidenceUpload } from '../../services/action-service.ts';
import type { Services } from '../../services/index.ts';
import { asArray, dateFilters, dateFromParts, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import {
  actionFormItems,
  actionRows,
  dueText,
  ragTag,
  statusTag,
  timelineItems,
} from '../presenters/actions.ts';
import { dateParts } from '../presenters/date-parts.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { inFieldOrder } from '../presenters/field-order.ts';
import { tabHub } from './hub.ts';

type Params = { ref: string };
type Body = Record<string, unknown>;

const ACTION_FIELDS = ['what', 'owningAgency', 'leadUserId', 'dueDate', 'successMeasure', 'learning'];
const UPDATE_FIELDS = ['note', 'status', 'evidenceText', 'evidenceUrl', 'evidenceFile'];

/** The action plan of a review, each action's page and updates, and the partnership's list. */
export async function actionRoutes(app: FastifyInstance, { services }: { services: Services }) {
  // Evidence files: one per update, checked again by type and content in the service.
  await app.register(multipart, { limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 8, parts: 9 } });
  const actor = (request: FastifyRequest) => request.actor!;
  const { actions } = services;

  async function hub(request: FastifyRequest, ref: string, options = {}) {
    return tabHub(services, request, ref, 'actions', options);
  }

  const form = (request: FastifyRequest, key: string, dateFields: string[] = [], order: string[] = []) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(inFieldOrder(state?.errors, order), { dateFields }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  // A review's action plan ----------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/actions', async (request, reply) => {
    const ref = request.params.ref;
    // Where learning and actions' last task is done: the move to the briefing offered.
    const h = await hub(request, ref, { offerMove: true });
    const plan = await actions.plan(actor(request), ref);
    return reply.view('pages/actions/plan.njk', {
      hub: h,
      ...plan,
      rows: actionRows(plan.actions, plan.today, { withReview: false }),
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/actions/new', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref);
    const plan = await actions.plan(actor(request), ref);
    // Outside the stages actions are planned in, the page says why (as adding one would), not a silent redirect.
    if (!plan.editable)
      throw new ConflictError(whyNotEditable(plan.review as Parameters<typeof whyNotEditable>[0], 'actions') ?? 'Actions cannot be added to this review now.');
    const f = form(request, 'action-new', ['dueDate'], ACTION_FIELDS);
    const v = f.values ?? {};
    return reply.view('pages/actions/new.njk', {
      hub: h,
      review: plan.review,
      ...f,
      v,
      ...actionFormItems(plan, v),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/actions', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'action-new',
      back: paths.reviews.actionNew({ ref }),
      values: { ...body, learning: asArray(body.learning) },
      run: async () => {
        const added = await actions.add(actor(request), ref, {
          what: body.what,
          owningAgency: body.owningAgency,
          leadUserId: body.leadUserId || undefined,
          dueDate: dateFromParts(body, 'dueDate'),
          successMeasure: body.successMeasure,
          learning: asArray(body.learning),
        });
        return paths.actions.action({ id: added.id });
      },
      success: 'Action added to the plan',
    });
  });

  // The progress/impact statement ----------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/progress', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref);
    const statement = await services.progress.statement(actor(request), ref);
    const f = form(request, 'progress');
    const text = f.values
      ? String(f.values.items ?? '')
      : (statement.items.length ? statement.items : statement.suggestions).join('\n');
    return reply.view('pages/actions/progress.njk', { hub: h, ...statement, ...f, text });
  });

  app.post<{ Params: Params }>('/reviews/:ref/progress', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'progress',
      back: paths.reviews.progress({ ref }),
      values: body,
      run: async () => {
        await services.progress.save(actor(request), ref, { items: String(body.items ?? '').split(/\r?\n/) });
        return paths.reviews.progress({ ref });
      },
      success: 'Progress and impact statement saved',
    });
  });

  // One action -----------------------------------------------------------------------------------
  app.get<{ Params: { id: string } }>('/actions/:id', async (request, reply) => {
    const a = await actions.get(actor(request), request.params.id);
    const h = await hub(request, a.review.reference, { offerMove: true });
    const f = form(request, `update-${a.action.id}`, [], UPDATE_FIELDS);
    const v = f.values ?? { status: a.action.status };
    return reply.view('pages/actions/action.njk', {
      hub: h,
      ...a,
      ...f,
      v,
      statusTag: statusTag(a.action.status),
      ragTag: ragTag(a.action),
      due: dueText(a.action, a.today),
      timeline: timelineItems(a.action.id, a.updates),
      statusItems: a.nextStatuses.map((s) => ({
        value: s,
        text: s === a.action.status ? `${ACTION_STATUS_LABELS[s]} (no change)` : ACTION_STATUS_LABELS[s],
        checked: v.status === s,
      })),
    });
  });

  // Changing an action's details (the coordinator; the same fields as adding one) ----------------
  app.get<{ Params: { id: string } }>('/actions/:id/edit', async (request, reply) => {
    const c = await actions.changeForm(actor(request), request.params.id);
    const h = await hub(request, c.review.reference);
    const f = form(request, `action-change-${c.action.id}`, ['dueDate'], ACTION_FIELDS);
    const v = f.values ?? {
      what: c.action.what,
      owningAgency: c.action.agencyCode,
      leadUserId: c.action.leadUserId,
      ...dateParts('dueDate', c.action.dueDate),
      successMeasure: c.action.successMeasure,
      learning: c.learning,
    };
    return reply.view('pages/actions/edit.njk', {
      hub: h,
      review: c.review,
      action: c.action,
      ...f,
      v,
      ...actionFormItems(c, v),
    });
  });

  app.post<{ Params: { id: string } }>('/actions/:id/edit', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: `action-change-${id}`,
      back: paths.actions.edit({ id }),
      values: { ...body, learning: asArray(body.learning) },
      run: async () => {
        await actions.change(actor(request), id, {
          what: body.what,
          owningAgency: body.owningAgency,
          leadUserId: body.leadUserId || undefined,
          dueDate: dateFromParts(body, 'dueDate'),
          successMeasure: body.successMeasure,
          // No box ticked sends no field: the action then answers no learning.
          learning: asArray(body.learning),
        });
        return paths.actions.action({ id });
      },
      success: 'Action details changed',
    });
  });

  app.post<{ Params: { id: string } }>('/actions/:id/updates', async (request, reply) => {
    const id = request.params.id;
    let fields: Body = {};
    let file: EvidenceUpload | null = null;
    let tooLarge = false;
    if (request.isMultipart()) {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          try {
            const bytes = await part.toBuffer();
            if (part.filename) file = { fileName: part.filename, bytes };
          } catch (error) {
            if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
            tooLarge = true;
            file = { fileName: part.filename, bytes: Buffer.alloc(0) };
          }
        } else if (part.fieldname !== '_csrf') fields[part.fieldname] = part.value;
      }
    } else fields = (request.body ?? {}) as Body;
    refuseControlCharacters({ ...fields, ...(file ? { evidenceFile: file.fileName } : {}) });
    return handleForm(request, reply, {
      key: `update-${id}`,
      back: `${paths.actions.action({ id })}#update`,
      values: fields,
      run: async () => {
        if (tooLarge)
          throw new ValidationError({ evidenceFile: `${file!.fileName} must be smaller than 10MB` });
        await actions.update(
          actor(request),
          id,
          {
            status: fields.status || undefined,
            note: fields.note,
            evidenceText: fields.evidenceText,
            evidenceUrl: fields.evidenceUrl,
          },
          file,
        );
        return paths.actions.action({ id });
      },
      success: 'Update recorded',
    });
  });

  app.get<{ Params: { id: string; updateId: string } }>(
    '/actions/:id/updates/:updateId/file',
    async (request, reply) => {
      const file = await actions.evidenceFile(actor(request), request.params.id, request.params.updateId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]+/g, '_')}"`)
        .send(file.content);
    },
  );

  // The partnership's actions --------------------------------------------------------------------
  app.get('/actions', async (request, reply) => {
    const dates = dateFilters(request.query, { dueFrom: 'the "due from" date', dueTo: 'the "due to" date' });
    const result = await actions.list(actor(request), dates.query);
    const q = result.query;
    const exportQuery = new URLSearchParams(
      Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ).toString();
    return reply.view('pages/actions/list.njk', {
      ...result,
      dateParts: dates.parts,
      dateErrors: dates.errors,
      errorList: errorSummary(dates.errors, { dateFields: Object.keys(dates.errors) }),
      rows: actionRows(result.items, result.today, { withReview: true }),
      counts: {
        red: result.items.filter((a) => a.rag === 'red').length,
        amber: result.items.filter((a) => a.rag === 'amber').length,
      },
      agencyItems: [
        { value: '', text: 'All agencies' },
        ...result.agencies.map((a) => ({ value: a.code, text: a.name, selected: q.agency === a.code })),
      ],
      statusItems: [
        { value: '', text: 'Any status' },
        ...ACTION_STATUSES.map((s) => ({
          value: s,
          text: ACTION_STATUS_LABELS[s],
          selected: q.status === s,
        })),
      ],
      reviewItems: [
        { value: '', text: 'All reviews' },
        ...result.reviews.map((r) => ({
          value: r.reference,
          text: r.reference,
          selected: q.review === r.reference,
        })),
      ],
      csvHref: `${paths.actions.export({ format: 'csv' })}${exportQuery ? `?${exportQuery}` : ''}`,
      xlsxHref: `${paths.actions.export({ format: 'xlsx' })}${exportQuery ? `?${exportQuery}` : ''}`,
    });
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/actions/export.${format}`, async (request, reply) => {
      const dates = dateFilters(request.query, {
        dueFrom: 'the "due from" date',
        dueTo: 'the "due to" date',
      });
      const result = await actions.list(actor(request), dates.query, 'export');
      const rows = result.items.map((a) => ({ ...a, reviewReference: a.reviewReference }));
      reply.header('content-disposition', `attachment; filename="actions-${result.today}.${format}"`);
      if (format === 'csv')
        return reply.header('content-type', 'text/csv; charset=utf-8').send(actionsToCsv(rows));
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await actionsToXlsx(rows));
    });
  }
}
