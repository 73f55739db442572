import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../domain/calendar/format.ts';
import { DATA_CLASSES, periodInWords, type DataClassKey } from '../../domain/retention/register.ts';
import type { Services } from '../../services/index.ts';
import { ValidationError } from '../../services/errors.ts';
import { handleForm, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { adminNavigation } from './admin.ts';

type Body = Record<string, unknown>;

const className = (key: string) => DATA_CLASSES[key as DataClassKey]?.name ?? key;

/**
 * /admin/retention: the register with this partnership's periods, legal holds, what is due now and
 * the erasures done; /admin/subject-access: everything held about one person as a ZIP.
 */
export async function retentionRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  app.get(paths.admin.retention(), async (request, reply) => {
    const a = actor(request);
    const [register, holds, due, recent] = [
      await services.retention.register(a),
      await services.retention.holds(a),
      await services.retention.due(a),
      await services.retention.recent(a),
    ];
    const periods = takeForm(request, 'retention-period');
    const hold = takeForm(request, 'retention-hold');
    return reply.view('pages/admin/retention.njk', {
      adminNav: adminNavigation(paths.admin.retention()),
      register: register.map((c) => ({
        key: c.key,
        name: c.name,
        covers: c.covers,
        erasure: c.erasure,
        period:
          c.amount === null
            ? 'Kept'
            : c.bounds
              ? `${periodInWords(c.amount, c.unit)}${c.clock === 'review-ended' ? ' after the review closes or stops' : c.clock === 'sent' ? ' after it is sent' : ' after it is replaced'}`
              : 'Until the session ends',
        configurable: c.bounds !== null,
        own: c.own,
        bounds: c.bounds ? `${c.bounds.min} to ${c.bounds.max} ${c.unit}` : '',
        unit: c.unit,
        amount: c.amount,
      })),
      holds: holds.map((h) => ({ ...h, placedAt: formatDateTime(new Date(h.placedAt)) })),
      due: due.erased.map((d) => ({ ...d, className: className(d.dataClass) })),
      dueHeld: due.held.map((h) => ({ ...h, classes: h.dataClasses.map(className).join('; ') })),
      recent: recent.map((r) => ({
        ...r,
        className: className(r.dataClass),
        at: formatDateTime(new Date(r.at)),
      })),
      v: hold?.values ?? {},
      errorList: [...errorSummary(periods?.errors), ...errorSummary(hold?.errors)],
      periodError: (k: string) => fieldError(periods?.errors, k),
      fieldError: (k: string) => fieldError(hold?.errors, k),
    });
  });

  app.post(paths.admin.retentionPeriod(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'retention-period',
      back: paths.admin.retention(),
      values: body,
      run: async () => {
        const text = String(body.amount ?? '').trim();
        const amount = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
        await services.retention.setPeriod(actor(request), String(body.dataClass ?? ''), amount);
        return paths.admin.retention();
      },
      success: `Retention period changed: ${className(String(body.dataClass ?? ''))}`,
    });
  });

  app.post(paths.admin.retentionHolds(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const reference = String(body.reference ?? '').trim();
    return handleForm(request, reply, {
      key: 'retention-hold',
      back: paths.admin.retention(),
      values: body,
      run: async () => {
        if (!reference)
          throw new ValidationError({ reference: 'Enter the review reference, like LOS-2021-001.' });
        await services.retention.placeHold(actor(request), reference, String(body.reason ?? ''));
        return paths.admin.retention();
      },
      success: `Legal hold placed on ${reference}`,
    });
  });

  app.post<{ Params: { ref: string } }>('/admin/retention/holds/:ref/release', async (request, reply) =>
    handleForm(request, reply, {
      key: 'retention-hold',
      back: paths.admin.retention(),
      values: {},
      run: async () => {
        await services.retention.releaseHold(actor(request), request.params.ref);
        return paths.admin.retention();
      },
      success: `Legal hold released on ${request.params.ref}`,
    }),
  );

  app.get(paths.admin.subjectAccess(), async (request, reply) => {
    await services.subjectAccess.mayGather(actor(request));
    const state = takeForm(request, 'subject-access');
    return reply.view('pages/admin/subject-access.njk', {
      adminNav: adminNavigation(paths.admin.subjectAccess()),
      v: state?.values ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.post(paths.admin.subjectAccess(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const values = { email: String(body.email ?? '').trim(), name: String(body.name ?? '').trim() };
    const by = values.email && !values.name ? 'email' : values.name && !values.email ? 'name' : null;
    try {
      if (!by)
        throw new ValidationError({
          email: values.email
            ? 'Enter an e-mail address or a name, not both.'
            : "Enter a member of staff's e-mail address, or a child's or household member's full name.",
        });
      const answer = await services.subjectAccess.gather(
        actor(request),
        by === 'email' ? { email: values.email } : { name: values.name },
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${answer.fileName}"`)
        .send(answer.zip);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      keepForm(request, 'subject-access', { values, errors: error.fieldErrors });
      return reply.redirect(paths.admin.subjectAccess(), 303);
    }
  });
}
