import { z } from 'zod';
import { isIsoDate } from '../domain/calendar/iso-date.ts';

/** Required free text, trimmed, with the GOV.UK "Enter …" message. */
export const requiredText = (message: string, max = 10_000) =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(max, `${message.replace(/^Enter /, 'Shorten ')} to ${max} characters or fewer`);

export const optionalText = (max = 10_000) =>
  z
    .string()
    .trim()
    .max(max, `Enter ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v ? v : null));

/** A real calendar date as YYYY-MM-DD. */
export const isoDate = (message: string) => z.string({ error: message }).trim().refine(isIsoDate, message);

export const optionalIsoDate = (message: string) =>
  z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isIsoDate(v), message);

/** Agency codes as they appear in the API (`"agency": "police"`). */
export const agencyCode = z.string().trim().min(1).max(60);
