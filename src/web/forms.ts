import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ValidationError } from '../services/errors.ts';
import type { FormState } from './types.ts';

/** Form fields that are GOV.UK date inputs: `name-day`, `name-month`, `name-year`. */
export function dateFromParts(body: Record<string, unknown>, name: string): string {
  const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim();
  const [d, m, y] = [part('day'), part('month'), part('year')];
  if (!d && !m && !y) return '';
  return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
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
      keepForm(request, options.key, { values: options.values, errors: error.fieldErrors });
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
