import { z } from 'zod';
import { CONCERN_TAGS, EVENT_TYPES, TRISTATE } from '../domain/chronology/entry.ts';
import { agencyCode, optionalText, requiredText } from './common.ts';

export const sendRequestsInput = z.object({
  agencies: z
    .array(agencyCode)
    .min(1, 'Select the agencies to send a request to')
    .describe('Agency codes, e.g. ["police", "csc"]'),
  workingDays: z.coerce
    .number({ error: 'Enter the number of working days as a whole number' })
    .int('Enter the number of working days as a whole number')
    .min(1, 'The agencies need at least 1 working day')
    .max(120, 'Give no more than 120 working days')
    .default(15),
  instructions: optionalText(5000),
});
export type SendRequestsInput = z.infer<typeof sendRequestsInput>;

export const returnQueryInput = z.object({
  query: requiredText('Enter your query for the agency', 5000),
});

export const withdrawInput = z.object({
  reason: requiredText('Enter why the request is withdrawn', 2000),
});

export const reissueInput = z.object({
  workingDays: sendRequestsInput.shape.workingDays,
});

export const amendmentReasonInput = z.object({
  reason: requiredText('Enter why the entry is changed after submission', 2000),
});

export const selfAnalysisInput = z.object({
  wentWell: optionalText(10_000),
  couldBeBetter: optionalText(10_000),
  why: optionalText(10_000),
});

/** An entry as JSON (API): the CSV contract's columns in camelCase; checked like a CSV row. */
export const entryJson = z.object({
  date: z.string().describe('YYYY-MM-DD, or YYYY-MM when only the month is known'),
  time: z.string().nullish(),
  eventType: z.enum(EVENT_TYPES),
  summary: z.string(),
  childrenPresent: z.enum(TRISTATE).nullish(),
  childSeen: z.enum(TRISTATE).nullish(),
  childVoice: z.string().nullish(),
  concerns: z.array(z.enum(CONCERN_TAGS)).default([]),
  worker: z.string().nullish(),
  practitionerRole: z.string().nullish(),
  actionTaken: z.string().nullish(),
  outcome: z.string().nullish(),
  significance: z.string().nullish(),
  sourceRef: z.string().nullish(),
});
export const entriesJsonInput = z.object({ entries: z.array(entryJson).min(1).max(5000) });

const optionalFilter = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** Filters and paging of the merged chronology (web query string and API). */
export const chronologyQuery = z.object({
  agency: optionalFilter,
  eventType: optionalFilter,
  concern: optionalFilter,
  from: optionalFilter,
  to: optionalFilter,
  childSeen: z
    .enum(['yes', 'no', 'not_recorded', ''])
    .optional()
    .transform((v) => v || undefined),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ChronologyQuery = z.infer<typeof chronologyQuery>;

export const linkEntriesInput = z.object({
  entries: z.array(z.string()).min(2, 'Select at least two entries to link as one event'),
});
