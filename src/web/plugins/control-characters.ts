import { Stream } from 'node:stream';
import fp from 'fastify-plugin';
import { ValidationError } from '../../services/errors.ts';

/**
 * Text comes in from people and scripts; control characters do not belong in it. A NUL byte cannot
 * be stored by PostgreSQL at all (it answered 500), and the others (bell, escape, backspace…) only
 * hide or garble text when it is shown or exported. Tab, line feed and carriage return are text.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The first field (as a dotted path) whose text holds a control character, if any. */
export function fieldWithControlCharacter(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path || 'value' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = fieldWithControlCharacter(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  // A body passed on as a stream (the API's text/csv) is read, and checked, by its route: walking
  // a socket's objects would never end.
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Stream)) {
    for (const [key, inner] of Object.entries(value)) {
      if (CONTROL.test(key)) return path || key.replace(CONTROL, '');
      const found = fieldWithControlCharacter(inner, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** "child-fullName" → "child full name": the field's name in words, for the page. */
const inWords = (field: string) =>
  field
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .toLowerCase()
    .trim();

/** A ValidationError with its status, for routes outside the web and the API (health, assets). */
class ControlCharacterError extends ValidationError {
  readonly statusCode = 400;
}

/** Refuses text holding a control character, naming the field (a 400 on the page and in the API). */
export function refuseControlCharacters(fields: unknown, where = ''): void {
  const field = fieldWithControlCharacter(fields, where);
  if (field)
    throw new ControlCharacterError(
      {
        [field]: `The ${inWords(field)} field contains a character that cannot be kept (a control character such as a null byte). Remove it and try again.`,
      },
      'The request contains a control character (such as a null byte) in a text field.',
    );
}

/**
 * Every request's path parameters, query and parsed body are checked before validation, on every
 * route of the web and the API. Multipart fields are read by their routes, which call
 * `refuseControlCharacters` on them.
 */
export const controlCharactersPlugin = fp(async (app) => {
  app.addHook('preValidation', async (request) => {
    refuseControlCharacters(request.params);
    refuseControlCharacters(request.query);
    refuseControlCharacters(request.body);
  });
});
