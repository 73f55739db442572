import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { ValidationError } from '../../services/errors.ts';
import { handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { signalGroups } from '../presenters/review-signals.ts';
import { tabHub } from './hub.ts';

type Params = { ref: string; key: string };

/** Errors of one card's fields carry the signal key, so each card's fields have their own ids. */
async function perCard(key: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(
        Object.fromEntries(
          Object.entries(error.fieldErrors).map(([k, v]) => [
            k === 'lineOfEnquiryId' ? `kloe-${key}` : `${k}-${key}`,
            v,
          ]),
        ),
      );
    throw error;
  }
}

/** The signals tab of a review: cards by rule, decisions and KLOE links. */
export async function reviewSignalRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  app.get<{ Params: { ref: string } }>('/reviews/:ref/signals', async (request, reply) => {
    const ref = request.params.ref;
    const result = await services.reviewSignals.list(actor(request), ref);
    const state = takeForm(request, 'signal');
    return reply.view('pages/signals/review-signals.njk', {
      hub: await tabHub(services, request, ref, 'signals'),
      review: result.review,
      entryCount: result.entryCount,
      groups: signalGroups(ref, result.signals, result.cited),
      permissions: result.permissions,
      kloeItems: [
        { value: '', text: 'Not linked' },
        ...result.kloes.map((k) => ({ value: k.id, text: `KLOE ${k.position}: ${k.question}` })),
      ],
      formKey: (state?.values as { key?: string } | undefined)?.key ?? null,
      v: state?.values ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/signals/:key/decision', async (request, reply) => {
    const { ref, key } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'signal',
      back: `${paths.reviews.signals({ ref })}#signal-${key}`,
      values: { ...body, key },
      run: async () => {
        await perCard(key, () => services.reviewSignals.decide(actor(request), ref, key, body));
        return `${paths.reviews.signals({ ref })}#signal-${key}`;
      },
      success: body.decision === 'dismissed' ? 'Signal dismissed' : 'Signal confirmed',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/signals/:key/line-of-enquiry', async (request, reply) => {
    const { ref, key } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'signal',
      back: `${paths.reviews.signals({ ref })}#signal-${key}`,
      values: { ...body, key },
      run: async () => {
        await perCard(key, () => services.reviewSignals.linkLineOfEnquiry(actor(request), ref, key, body));
        return `${paths.reviews.signals({ ref })}#signal-${key}`;
      },
      success: 'Key line of enquiry linked',
    });
  });
}
