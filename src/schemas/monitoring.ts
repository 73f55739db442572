import { z } from 'zod';
import { RULE_IDS } from '../domain/signals/index.ts';
import { optionalIsoDate } from './common.ts';

const optionalFilter = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => (v ? v : undefined));

/** Filters and paging of the front door lists (web query string, export and API). */
export const frontDoorQuery = z.object({
  rule: z
    .enum(RULE_IDS, { error: 'Select a signal from the list' })
    .or(z.literal(''))
    .optional()
    .transform((v) => v || undefined),
  child: optionalFilter,
  open: z
    .enum(['yes', 'no', ''])
    .optional()
    .transform((v) => (v === 'yes' ? true : v === 'no' ? false : undefined)),
  referredFrom: optionalIsoDate('Enter the "referred from" date as YYYY-MM-DD').transform(
    (v) => v ?? undefined,
  ),
  referredTo: optionalIsoDate('Enter the "referred to" date as YYYY-MM-DD').transform((v) => v ?? undefined),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type FrontDoorQuery = z.infer<typeof frontDoorQuery>;
