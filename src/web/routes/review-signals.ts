import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { NotFoundError } from '../../services/errors.ts';
import { handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { signalDetail, signalFilters, signalList } from '../presenters/review-signals.ts';
import { tabHub } from './hub.ts';

type Params = { ref: string; key: string };

/**
 * The signals tab of a review: a list filtered by rule, severity and decision, and each signal on
 * its own page with its evidence, its decision (the saved one selected) and its KLOE link.
 */
export async function reviewSignalRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  app.get<{ Params: { ref: string } }>('/reviews/:ref/signals', async (request, reply) => {
    const ref = request.params.ref;
    const result = await services.reviewSignals.list(actor(request), ref);
    const filters = signalFilters(request.query);
    return reply.view('pages/signals/review-signals.njk', {
      hub: await tabHub(services, request, ref, 'signals'),
      review: result.review,
      entryCount: result.entryCount,
      list: signalList(ref, result.signals, filters),
      filters,
      clearHref: paths.reviews.signals({ ref }),
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/signals/:key', async (request, reply) => {
    const { ref, key } = request.params;
    const result = await services.reviewSignals.list(actor(request), ref);
    const found = result.signals.find((s) => s.key === key);
    if (!found) throw new NotFoundError('This signal is no longer raised by the merged chronology.');
    const state = takeForm(request, 'signal');
    const typed = (state?.values ?? null) as Record<string, unknown> | null;
    const signal = signalDetail(ref, found, result.cited);
    return reply.view('pages/signals/signal.njk', {
      hub: await tabHub(services, request, ref, 'signals'),
      review: result.review,
      signal,
      permissions: result.permissions,
      // What was typed comes back after an error; otherwise the saved decision and reason.
      chosen: typed ? String(typed.decision ?? '') : signal.savedDecision,
      reason: typed ? String(typed.reason ?? '') : (signal.reason ?? ''),
      kloeItems: [
        { value: '', text: 'Not linked' },
        ...result.kloes.map((k) => ({ value: k.id, text: `KLOE ${k.position}: ${k.question}` })),
      ],
      back: paths.reviews.signals({ ref }),
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/signals/:key/decision', async (request, reply) => {
    const { ref, key } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'signal',
      back: paths.reviews.signal({ ref, key }),
      values: { decision: body.decision, reason: body.reason },
      run: async () => {
        await services.reviewSignals.decide(actor(request), ref, key, body);
        return paths.reviews.signal({ ref, key });
      },
      success: body.decision === 'dismissed' ? 'Signal dismissed' : 'Signal confirmed',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/signals/:key/line-of-enquiry', async (request, reply) => {
    const { ref, key } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'signal',
      back: paths.reviews.signal({ ref, key }),
      values: {},
      run: async () => {
        await services.reviewSignals.linkLineOfEnquiry(actor(request), ref, key, body);
        return paths.reviews.signal({ ref, key });
      },
      success: 'Key line of enquiry linked',
    });
  });
}
