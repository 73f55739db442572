import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ValidationError } from '../services/errors.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';
import { dateParts } from './presenters/date-parts.ts';
import type { FormState } from './types.ts';

/** Form fields that are GOV.UK date inputs: `name-day`, `name-month`, `name-year`. */
export function dateFromParts(body: Record<string, unknown>, name: string): string {
  const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim();
  const [d, m, y] = [part('day'), part('month'), part('year')];
  if (!d && !m && !y) return '';
  return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** How every date error on a page names the GOV.UK date input's format. */
export const DATE_FORMAT_WORDS = 'with the day, month and year in numbers, for example 27 3 2026';

/**
 * A date error on a form whose date is a GOV.UK date input: the message names the format people
 * type, whatever the service said (its words are for the API's YYYY-MM-DD too).
 */
export function dateInputMessage(message: string): string {
  if (/YYYY-MM/.test(message))
    return `Enter a real date, ${DATE_FORMAT_WORDS}, or only the month and year when the day is not known`;
  return `${message.replace(/\.$/, '')}, ${DATE_FORMAT_WORDS}`;
}

/**
 * The errors of a form, each saying a date is not one ("… as a real date", "… must be a real date",
 * a chronology entry's "Use YYYY-MM-DD") naming the date input's format. Every date on a web form
 * is a date input; other date errors ("cannot be before …") are left as they are.
 */
export function namingDateFormat(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([key, message]) => [
      key,
      /\breal date$|YYYY-MM/.test(message) ? dateInputMessage(message) : message,
    ]),
  );
}

/**
 * A date filter in a query string: the GOV.UK date input's parts (`from-day`, `from-month`,
 * `from-year`) as typed, or the ISO date a link carries (`from=2021-02-03`). Parts that are not a
 * real date come back as an error naming the format, and no filter.
 */
export function dateFilter(
  query: Record<string, unknown>,
  name: string,
  words: string,
): { iso: string | undefined; parts: Record<string, string>; error: string | null } {
  const part = (p: string) =>
    typeof query[`${name}-${p}`] === 'string' ? String(query[`${name}-${p}`]).trim() : '';
  const parts = {
    [`${name}-day`]: part('day'),
    [`${name}-month`]: part('month'),
    [`${name}-year`]: part('year'),
  };
  const typed = Object.values(parts).some(Boolean);
  if (!typed) {
    const iso = typeof query[name] === 'string' ? String(query[name]) : '';
    if (!iso) return { iso: undefined, parts, error: null };
    if (!isIsoDate(iso))
      return { iso: undefined, parts, error: `Enter ${words} as a real date, ${DATE_FORMAT_WORDS}` };
    return { iso, parts: dateParts(name, iso), error: null };
  }
  const iso = dateFromParts(parts, name);
  if (!/^\d{4}$/.test(parts[`${name}-year`]!) || !isIsoDate(iso))
    return { iso: undefined, parts, error: `Enter ${words} as a real date, ${DATE_FORMAT_WORDS}` };
  return { iso, parts, error: null };
}

/**
 * The date filters of a list page: the query with each as an ISO date (or none), the parts to
 * fill the date inputs with, and an error per filter that is not a real date.
 */
export function dateFilters(query: unknown, filters: Record<string, string>) {
  const q = { ...((query ?? {}) as Record<string, unknown>) };
  const parts: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [name, words] of Object.entries(filters)) {
    const found = dateFilter(q, name, words);
    for (const p of ['day', 'month', 'year']) delete q[`${name}-${p}`];
    if (found.iso) q[name] = found.iso;
    else delete q[name];
    Object.assign(parts, found.parts);
    if (found.error) errors[name] = found.error;
  }
  return { query: q, parts, errors };
}

/** A checkbox group as an array, whether none, one or several were ticked. */
export function asArray(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function takeForm(request: FastifyRequest, key: string): FormState | null {
  const forms = request.session.flash?.forms;
  const stored = forms?.[key] as StoredFormState | undefined;
  if (!stored || !forms) return null;
  delete forms[key];
  request.session.flash = { ...request.session.flash, forms };
  // The session is jsonb, which does not keep key order: the errors come back in the order given.
  const errors = stored.errorList ? Object.fromEntries(stored.errorList) : stored.errors;
  return { values: stored.values, errors };
}

/** A FormState as kept in the session: its errors as ordered pairs. */
interface StoredFormState extends FormState {
  errorList?: [string, string][];
}

export function keepForm(request: FastifyRequest, key: string, state: FormState) {
  const flash = request.session.flash ?? {};
  const stored: StoredFormState = { ...state, errorList: Object.entries(state.errors) };
  request.session.flash = { ...flash, forms: { ...(flash.forms ?? {}), [key]: stored } };
}

export function flashSuccess(request: FastifyRequest, message: string) {
  request.session.flash = { ...(request.session.flash ?? {}), success: message };
}

/**
 * Post/Redirect/Get: runs the change; on success redirects (303) onward; on invalid input or a
 * refused move, keeps what was typed and the errors in the session and redirects back.
 */
export async function handleForm(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    key: string;
    back: string;
    values: Record<string, unknown>;
    run: () => Promise<string>;
    success?: string;
  },
) {
  try {
    const next = await options.run();
    if (options.success) flashSuccess(request, options.success);
    return reply.redirect(next, 303);
  } catch (error) {
    if (error instanceof ValidationError) {
      keepForm(request, options.key, {
        values: options.values,
        errors: namingDateFormat(error.fieldErrors),
      });
      return reply.redirect(options.back, 303);
    }
    if (error instanceof ConflictError) {
      const errors = Object.fromEntries(error.reasons.map((r, i) => [i === 0 ? '_' : `_${i}`, r]));
      keepForm(request, options.key, { values: options.values, errors });
      return reply.redirect(options.back, 303);
    }
    throw error;
  }
}
