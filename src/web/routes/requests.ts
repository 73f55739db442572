import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  REQUEST_STATUS_LABELS,
  REQUEST_STATUS_TAGS,
  isWaitingOnAgency,
  type RequestStatus,
} from '../../domain/chronology/requests.ts';
import { describeDeadline } from '../../domain/calendar/format.ts';
import type { Services } from '../../services/index.ts';
import { DEFAULT_WORKING_DAYS } from '../../services/request-service.ts';
import { asArray, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { pageNumber, pagination } from '../presenters/pagination.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { tabHub } from './hub.ts';
import { granted, writesReturns } from '../../domain/lifecycle/roles.ts';

type Params = { ref: string };
type Body = Record<string, unknown>;
const ACTIONS = ['accept', 'query', 'withdraw', 'reissue'] as const;

export const statusTag = (status: string) => ({
  text: REQUEST_STATUS_LABELS[status as RequestStatus] ?? status,
  classes: REQUEST_STATUS_TAGS[status as RequestStatus] ?? '',
});

/** The coordinator's agency requests, and the agency lead's "waiting on me" list. */
export async function requestRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };
  async function hub(request: FastifyRequest, ref: string, tab: 'requests', options = {}) {
    return tabHub(services, request, ref, tab, options);
  }

  app.get('/returns', async (request, reply) => {
    const waiting = await services.requests.waitingOnMe(actor(request));
    const { items, today } = waiting;
    return reply.view('pages/returns/waiting.njk', {
      waiting: items.filter((i) => i.waitingOnMe),
      others: items.filter((i) => !i.waitingOnMe),
      rows: (list: typeof items) =>
        list.map((i) => ({
          reference: i.reference,
          href: paths.reviews.return({ ref: i.reference }),
          due: i.request.dueDate,
          dueText: isWaitingOnAgency(i.request.status) ? describeDeadline(today, i.request.dueDate) : '',
          tag: statusTag(i.request.status),
        })),
      toAccept: waiting.toAccept.map((r) => ({
        reference: r.reference,
        agencyName: r.agencyName,
        href: paths.reviews.request({ ref: r.reference, id: r.id }),
      })),
      briefings: waiting.briefings.map((b) => ({
        reference: b.reference,
        what: b.state === 'in_review' ? 'Approve the briefing' : 'Publish the briefing',
        href: paths.reviews.briefing({ ref: b.reference }),
      })),
      actions: waiting.actions.map((a) => ({
        reference: a.reference,
        text: `Action ${a.number}: ${a.what}`,
        href: paths.actions.action({ id: a.id }),
        due: a.dueDate,
        dueText: describeDeadline(today, a.dueDate),
        tag: {
          text: a.rag === 'red' ? 'Overdue' : 'Due soon',
          classes: a.rag === 'red' ? 'govuk-tag--red' : 'govuk-tag--yellow',
        },
      })),
      count: waiting.count,
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/requests', async (request, reply) => {
    // The last return accepted: the move to analysis is offered here.
    const h = await hub(request, request.params.ref, 'requests', { offerMove: true });
    const overview = await services.requests.overview(actor(request), request.params.ref);
    const f = form(request, 'requests');
    const me = actor(request);
    return reply.view('pages/requests/list.njk', {
      hub: h,
      ...overview,
      ...f,
      // The send form as sent (the accept-all form keeps no values of its own).
      v:
        f.values && Object.keys(f.values).length
          ? f.values
          : {
              workingDays: String(DEFAULT_WORKING_DAYS),
              agencies: overview.unrequested.filter((a) => a.lead).map((a) => a.code),
            },
      statusTag,
      waitingOn: overview.requests
        .filter((r) => isWaitingOnAgency(r.request.status))
        .map((r) => r.agencyName),
      ownRequest:
        overview.requests.find(
          (r) => !r.request.withdrawnAt && r.request.agencyId === me.agencyId && writesReturns(me),
        ) ?? null,
      dueText: (due: string) => describeDeadline(overview.today, due),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/requests', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'requests',
      back: paths.reviews.requests({ ref }),
      values: { ...body, agencies: asArray(body.agencies) },
      run: async () => {
        const { sent } = await services.requests.send(actor(request), ref, {
          agencies: asArray(body.agencies),
          workingDays:
            body.workingDays === '' || body.workingDays === undefined ? undefined : body.workingDays,
          instructions: body.instructions,
        });
        request.session.flash = {
          ...request.session.flash,
          success: `${sent.length} ${sent.length === 1 ? 'request' : 'requests'} sent`,
        };
        return paths.reviews.requests({ ref });
      },
    });
  });

  // Every submitted return accepted at once (as the requests are sent at once).
  app.post<{ Params: Params }>('/reviews/:ref/requests/accept', async (request, reply) => {
    const ref = request.params.ref;
    return handleForm(request, reply, {
      // Refused (nothing submitted any more): the error shown at the top of the requests page.
      key: 'requests',
      back: paths.reviews.requests({ ref }),
      values: {},
      run: async () => {
        const { accepted } = await services.requests.acceptAll(actor(request), ref);
        request.session.flash = {
          ...request.session.flash,
          success:
            accepted.length === 1
              ? 'Return accepted into the merged chronology'
              : `${accepted.length} returns accepted into the merged chronology`,
        };
        return paths.reviews.requests({ ref });
      },
    });
  });

  app.get<{ Params: Params & { id: string }; Querystring: { page?: string } }>(
    '/reviews/:ref/requests/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const h = await hub(request, ref, 'requests');
      const view = await services.returns.view(actor(request), ref, id, {
        page: pageNumber(request.query.page),
      });
      const base = paths.reviews.request({ ref, id });
      const f = form(request, `request-${id}`);
      const answers = new Map(view.answers.map((a) => [a.lineOfEnquiryId, a]));
      return reply.view('pages/requests/show.njk', {
        hub: h,
        ...view,
        ...f,
        v: f.values ?? {},
        tag: statusTag(view.request.request.status),
        manage: granted(actor(request), 'request.manage'),
        inGathering: view.review.stage === 'information_gathering' && view.review.status === 'active',
        selfAnalysis: view.kloes.map((k) => ({ ...k, answer: answers.get(k.id) ?? null })),
        entriesPage: pagination(
          view.page,
          view.entryCount,
          (n) => `${base}${n > 1 ? `?page=${n}` : ''}#entries`,
        ),
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/requests/:id/chase',
    async (request, reply) => {
      const { ref, id } = request.params;
      return handleForm(request, reply, {
        key: 'stage',
        back: paths.reviews.overview({ ref }),
        values: {},
        run: async () => {
          const { agencyName, queued } = await services.requests.chase(actor(request), ref, id);
          request.session.flash = {
            ...request.session.flash,
            success: queued
              ? `Reminder sent to ${agencyName}`
              : `${agencyName} has already been chased today: the reminder was not sent again`,
          };
          return paths.reviews.overview({ ref });
        },
      });
    },
  );

  for (const action of ACTIONS) {
    app.post<{ Params: Params & { id: string } }>(
      `/reviews/:ref/requests/:id/${action}`,
      async (request, reply) => {
        const { ref, id } = request.params;
        const body = (request.body ?? {}) as Body;
        return handleForm(request, reply, {
          key: `request-${id}`,
          back: paths.reviews.request({ ref, id }),
          values: body,
          run: async () => {
            const me = actor(request);
            if (action === 'accept') await services.requests.accept(me, ref, id);
            else if (action === 'query')
              await services.requests.returnWithQuery(me, ref, id, { query: body.query });
            else if (action === 'withdraw')
              await services.requests.withdraw(me, ref, id, { reason: body.reason });
            else await services.requests.reissue(me, ref, id, { workingDays: body.workingDays || undefined });
            return paths.reviews.requests({ ref });
          },
          success: {
            accept: 'Return accepted into the merged chronology',
            query: 'Return sent back with your query',
            withdraw: 'Request withdrawn',
            reissue: 'Request sent again',
          }[action],
        });
      },
    );
  }
}
