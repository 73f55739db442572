import type { FastifyInstance, FastifyRequest } from 'fastify';
import { percentage } from '../../domain/actions/audit-results.ts';
import type { Services } from '../../services/index.ts';
import { dateFromParts, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { auditChart } from '../presenters/audit-chart.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { inFieldOrder } from '../presenters/field-order.ts';
import { formatDate } from '../../domain/calendar/format.ts';

type Body = Record<string, unknown>;

/** Audits of practice: the list, one audit with its chart, rounds and linked actions. */
export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const { practiceAudits } = services;
  const form = (request: FastifyRequest, key: string, dateFields: string[] = [], order: string[] = []) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(inFieldOrder(state?.errors, order), { dateFields }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  app.get('/audits', async (request, reply) => {
    const audits = await practiceAudits.list(actor(request));
    const f = form(request, 'audit-new', [], ['agency', 'question', 'sampleDescription', 'compliantMeans']);
    const v = f.values ?? {};
    const a = actor(request);
    const options = await practiceAudits.defineOptions(a);
    return reply.view('pages/audits/list.njk', {
      audits: audits.map((x) => {
        const last = x.rounds.at(-1);
        return {
          ...x,
          href: paths.audits.audit({ id: x.id }),
          latest: last
            ? `${last.compliant} of ${last.sampled} (${percentage(last)}%) on ${formatDate(last.roundDate)}`
            : 'No rounds yet',
        };
      }),
      ...f,
      v,
      mayDefine: options.length > 0,
      agencyItems: [
        { value: '', text: 'Choose the agency' },
        ...options.map((o) => ({ value: o.code, text: o.name, selected: v.agency === o.code })),
      ],
    });
  });

  app.post('/audits', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'audit-new',
      back: paths.audits.list(),
      values: body,
      run: async () => {
        const { id } = await practiceAudits.define(actor(request), body);
        return paths.audits.audit({ id });
      },
      success: 'Audit defined',
    });
  });

  app.get<{ Params: { id: string } }>('/audits/:id', async (request, reply) => {
    const a = await practiceAudits.get(actor(request), request.params.id);
    const rounds = form(request, 'round', ['roundDate'], ['roundDate', 'sampled', 'compliant', 'note']);
    const link = form(request, 'link');
    return reply.view('pages/audits/audit.njk', {
      ...a,
      chart: auditChart(a.audit.rounds, a.audit.question),
      roundRows: a.audit.rounds.map((r) => ({
        ...r,
        date: formatDate(r.roundDate),
        percentage: percentage(r),
      })),
      rounds,
      link,
      errorList: [...rounds.errorList, ...link.errorList],
      v: rounds.values ?? {},
      actionItems: [
        { value: '', text: 'Choose an action' },
        ...a.linkable.map((x) => ({ value: x.id, text: `${x.reviewReference} A${x.number}: ${x.what}` })),
      ],
    });
  });

  app.post<{ Params: { id: string } }>('/audits/:id/rounds', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'round',
      back: `${paths.audits.audit({ id })}#round`,
      values: body,
      run: async () => {
        await practiceAudits.recordRound(actor(request), id, {
          roundDate: dateFromParts(body, 'roundDate'),
          sampled: body.sampled === '' ? undefined : body.sampled,
          compliant: body.compliant === '' ? undefined : body.compliant,
          note: body.note,
        });
        return paths.audits.audit({ id });
      },
      success: 'Round recorded',
    });
  });

  app.post<{ Params: { id: string } }>('/audits/:id/actions', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'link',
      back: `${paths.audits.audit({ id })}#link`,
      values: body,
      run: async () => {
        await practiceAudits.linkAction(actor(request), id, { actionId: body.actionId || undefined });
        return paths.audits.audit({ id });
      },
      success: 'Audit linked to the action',
    });
  });

  app.post<{ Params: { id: string } }>('/audits/:id/actions/unlink', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'link',
      back: `${paths.audits.audit({ id })}#linked`,
      values: {},
      run: async () => {
        await practiceAudits.unlinkAction(actor(request), id, { actionId: body.actionId || undefined });
        return `${paths.audits.audit({ id })}#linked`;
      },
      success: 'Audit unlinked from the action',
    });
  });
}
