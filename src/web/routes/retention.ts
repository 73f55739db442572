import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../domain/calendar/format.ts';
import { DATA_CLASSES, periodInWords, type DataClassKey } from '../../domain/retention/register.ts';
import type { Services } from '../../services/index.ts';
import { ConflictError, ValidationError } from '../../services/errors.ts';
import { dateFromParts, flashSuccess, handleForm, keepForm, namingDateFormat, takeForm } from '../forms.ts';
import type { FormState } from '../types.ts';
import { personInWords, type PersonQuery } from '../../domain/retention/person-search.ts';
import { REQUEST_BASES, REQUEST_BASIS_LABELS, isRequestBasis } from '../../domain/retention/request-basis.ts';
import {
  KEPT_FOR_A_CHILD_OR_HOUSEHOLD_MEMBER,
  KEPT_FOR_STAFF,
  personErasureLines,
  staffErasureLines,
} from '../../domain/retention/erasure-words.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { adminNavigation } from './admin.ts';

type Body = Record<string, unknown>;

const className = (key: string) => DATA_CLASSES[key as DataClassKey]?.name ?? key;

/**
 * /admin/retention: the register with this partnership's periods, legal holds, what is due now and
 * the erasures done; /admin/retention/erase: erasure on one person's request (find, preview,
 * confirm), through the same service as `retention erase`; /admin/subject-access: everything held
 * about one person as a ZIP. A search finding several children or household members lists them to
 * choose from (the listing on record).
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
    return reply.view('pages/admin/subject-access.njk', formView(paths.admin.subjectAccess(), state));
  });

  app.post(paths.admin.subjectAccess(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const search = searchOf(body);
    try {
      const result = await services.subjectAccess.request(actor(request), search.query());
      if ('choose' in result)
        return reply.view('pages/admin/subject-access.njk', {
          ...formView(paths.admin.subjectAccess(), { values: {}, errors: choiceMissing(search) }),
          people: result.choose.map((p) => ({ key: p.key, ...personInWords(p) })),
          hidden: search.hidden,
        });
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${result.answer.fileName}"`)
        .send(result.answer.zip);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      keepForm(request, 'subject-access', {
        values: search.values,
        errors: namingDateFormat(error.fieldErrors),
      });
      return reply.redirect(paths.admin.subjectAccess(), 303);
    }
  });

  // Erasure on request: find the person, see what would go (the command's dry run), confirm with why.
  app.get(paths.admin.retentionErase(), async (request, reply) => {
    await services.retention.mayManage(actor(request));
    const state = takeForm(request, 'retention-erase');
    return reply.view('pages/admin/retention-erase.njk', formView(paths.admin.retention(), state));
  });

  /** The dry run of an erasure, as the page shows it: the people to choose from, or what would go. */
  const preview = async (request: FastifyRequest, search: Search, errors: Record<string, string> = {}) => {
    const a = actor(request);
    const base = { ...formView(paths.admin.retention(), { values: {}, errors }), hidden: search.hidden };
    const bases = REQUEST_BASES.map((b) => ({
      value: b,
      text: REQUEST_BASIS_LABELS[b],
      checked: search.values.basis === b,
    }));
    const query = search.query();
    if ('email' in query) {
      const staff = await services.retention.eraseStaffOnRequest(a, { email: query.email, dryRun: true });
      return {
        ...base,
        bases,
        preview: {
          heading: staff.found ? 'A member of staff' : 'No one found',
          lines: staffErasureLines(staff),
          possible: staff.found && !staff.held.length,
          kept: KEPT_FOR_STAFF,
        },
      };
    }
    const result = await services.retention.eraseOnRequest(a, { ...query, dryRun: true });
    if (result.choose)
      return {
        ...base,
        ...formView(paths.admin.retention(), { values: {}, errors: choiceMissing(search) }),
        people: result.choose.map((p) => ({ key: p.key, ...personInWords(p) })),
      };
    return {
      ...base,
      bases,
      preview: {
        heading: result.results.length ? 'A child or household member' : 'No one found',
        lines: personErasureLines(result, true),
        possible: result.results.some((r) => !r.held),
        kept: KEPT_FOR_A_CHILD_OR_HOUSEHOLD_MEMBER,
      },
    };
  };

  app.post(paths.admin.retentionErase(), async (request, reply) => {
    const search = searchOf((request.body ?? {}) as Body);
    try {
      return reply.view('pages/admin/retention-erase.njk', await preview(request, search));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      keepForm(request, 'retention-erase', {
        values: search.values,
        errors: namingDateFormat(error.fieldErrors),
      });
      return reply.redirect(paths.admin.retentionErase(), 303);
    }
  });

  app.post(paths.admin.retentionEraseConfirm(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const search = searchOf(body);
    const a = actor(request);
    try {
      if (!isRequestBasis(body.basis))
        return reply.view(
          'pages/admin/retention-erase.njk',
          await preview(request, search, { basis: 'Select why the data is erased.' }),
        );
      const basis = body.basis;
      let lines: string[];
      let held = false;
      let erased = true;
      const query = search.query();
      if ('email' in query) {
        const staff = await services.retention.eraseStaffOnRequest(a, { email: query.email, basis });
        lines = staffErasureLines(staff);
        erased = staff.found && !staff.held.length;
      } else {
        const result = await services.retention.eraseOnRequest(a, { ...query, basis });
        // The person was chosen on the preview: several again means the records changed meanwhile.
        if (result.choose)
          return reply.view('pages/admin/retention-erase.njk', await preview(request, search));
        lines = personErasureLines(result, false);
        held = result.results.some((r) => r.held);
        erased = result.results.some((r) => r.erased.length > 0);
      }
      if (!erased) {
        // Nothing went (a legal hold placed since the preview, or no one found): said as a problem.
        keepForm(request, 'retention-erase', { values: search.values, errors: { _: lines.join(' ') } });
        return reply.redirect(paths.admin.retentionErase(), 303);
      }
      if (held) lines.push('Reviews under a legal hold were not touched.');
      flashSuccess(request, lines.join(' '));
      return reply.redirect(paths.admin.retention(), 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        keepForm(request, 'retention-erase', {
          values: search.values,
          errors: namingDateFormat(error.fieldErrors),
        });
        return reply.redirect(paths.admin.retentionErase(), 303);
      }
      if (error instanceof ConflictError) {
        keepForm(request, 'retention-erase', { values: search.values, errors: { _: error.message } });
        return reply.redirect(paths.admin.retentionErase(), 303);
      }
      throw error;
    }
  });
}

/** One search form's fields: what the service is asked, what the form shows again, the hidden fields a next step carries. */
interface Search {
  /** What the service is asked; a ValidationError when the form says nothing, or both kinds of person. */
  query: () => { email: string } | (PersonQuery & { person?: string; all?: boolean });
  values: Record<string, string>;
  hidden: { name: string; value: string }[];
}

const SEARCH_FIELDS = [
  'email',
  'name',
  'dateOfBirth-day',
  'dateOfBirth-month',
  'dateOfBirth-year',
  'nhsNumber',
  'postcode',
] as const;

function searchOf(body: Body): Search {
  const values: Record<string, string> = Object.fromEntries(
    [...SEARCH_FIELDS, 'person', 'basis', 'choosing'].map((k) => [
      k,
      typeof body[k] === 'string' ? String(body[k]).trim() : '',
    ]),
  );
  const person = values.person ?? '';
  const hidden: { name: string; value: string }[] = SEARCH_FIELDS.filter((k) => values[k]).map((k) => ({
    name: k,
    value: values[k]!,
  }));
  if (person) hidden.push({ name: 'person', value: person });
  const personQuery: PersonQuery = {
    name: values.name,
    dateOfBirth: dateFromParts(values, 'dateOfBirth'),
    nhsNumber: values.nhsNumber,
    postcode: values.postcode,
  };
  const anyPerson = Object.values(personQuery).some(Boolean);
  const query = () => {
    if (values.email && anyPerson)
      throw new ValidationError({
        email: "Enter an e-mail address or a child's or household member's details, not both.",
      });
    if (values.email) return { email: values.email };
    if (!anyPerson)
      throw new ValidationError({
        email: "Enter a member of staff's e-mail address, or a child's or household member's full name.",
      });
    return { ...personQuery, ...(person === 'all' ? { all: true } : person ? { person } : {}) };
  };
  return { query, values, hidden };
}

/** A list of people sent back with none of them chosen: the question's error. */
function choiceMissing(search: Search): Record<string, string> {
  return search.values.choosing === 'yes'
    ? { person: 'Choose one of the people found, or all of them.' }
    : {};
}

function formView(nav: string, state: FormState | null) {
  const errors = state?.errors ?? {};
  return {
    adminNav: adminNavigation(nav),
    v: state?.values ?? {},
    errors,
    errorList: errorSummary(errors, { dateFields: ['dateOfBirth'] }),
    fieldError: (k: string) => fieldError(errors, k),
  };
}
