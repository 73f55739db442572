import type { z } from 'zod';
import { ValidationError } from '../services/errors.ts';

/** Parses input with a schema, or throws a ValidationError of field → first message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fieldErrors[key] ??= issue.message;
  }
  throw new ValidationError(fieldErrors);
}
