import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../../services/index.ts';
import { flashSuccess } from '../forms.ts';
import { paths } from '../paths.ts';
import { destinationInWords, pageToCheck, typedRows } from '../presenters/kept-form.ts';
import { sessionTimeout } from '../presenters/session-timeout.ts';

/**
 * A form sent after its session ended is kept for its person (plugins/authentication.ts); after
 * signing in again they land here, read what they typed, and send it (a form to the page it was
 * meant for, with a fresh CSRF token: that route's rules, checks and audit apply as ever) or
 * discard it. "Stay signed in" of the time-out warning is here too.
 */
export async function keptFormRoutes(
  app: FastifyInstance,
  opts: { services: Services; now: () => Date; idleMs: number; maxMs: number },
) {
  const { services } = opts;

  app.get(paths.account.keptForms(), async (request, reply) => {
    const kept = await services.keptForms.list(request.actor!);
    return reply.view('pages/account/kept-forms.njk', {
      kept: kept.map((k) => ({ ...k, where: destinationInWords(k.path) })),
    });
  });

  app.get<{ Params: { id: string } }>('/account/kept-forms/:id', async (request, reply) => {
    const kept = await services.keptForms.open(request.actor!, request.params.id);
    const hidden = Object.entries(kept.fields).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v })),
    );
    return reply.view('pages/account/kept-form.njk', {
      kept,
      where: destinationInWords(kept.path),
      check: pageToCheck(kept.path),
      rows: typedRows(kept.fields),
      hidden,
    });
  });

  app.post<{ Params: { id: string } }>('/account/kept-forms/:id/discard', async (request, reply) => {
    await services.keptForms.discard(request.actor!, request.params.id);
    flashSuccess(request, 'What you had typed has been discarded');
    return reply.redirect(paths.account.keptForms(), 303);
  });

  app.post(paths.account.keepAlive(), async (request, reply) => {
    // A change to the session writes it back with a new expiry.
    request.session.keptAliveAt = opts.now().getTime();
    const timeout = sessionTimeout(opts.now(), {
      idleMs: opts.idleMs,
      maxMs: opts.maxMs,
      signedInAt: request.session.signedInAt ?? 0,
    });
    return reply.send({ endsInMs: timeout.endsInMs, endsAtWords: timeout.endsAtWords });
  });
}

/** Answers that take up what was sent: saved, or shown again with what was typed and its errors. */
const TAKEN_UP = (status: number) => status < 400 || status === 400 || status === 422;

/**
 * A kept form sent again by its person carries `_keptForm`: once the page it was meant for has
 * taken it up, it is no longer kept (and that is on record). Anyone else's id changes nothing.
 */
export const keptFormSentPlugin = fp<{ services: Services }>(async (app, { services }) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || !request.actor) return payload;
    const id = (request.body as { _keptForm?: unknown } | undefined)?._keptForm;
    if (typeof id === 'string' && TAKEN_UP(reply.statusCode))
      await services.keptForms.sent(request.actor, id);
    return payload;
  });
});
