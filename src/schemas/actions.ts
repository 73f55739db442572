import { z } from 'zod';
import { ACTION_STATUSES } from '../domain/actions/status.ts';
import { agencyCode, isoDate, optionalIsoDate, optionalText, requiredText } from './common.ts';

const httpUrl = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v ? v : null))
  .refine(
    (v) => v === null || (/^https?:\/\//i.test(v) && URL.canParse(v)),
    'Enter a link that starts with https://',
  )
  .refine((v) => v === null || v.length <= 2000, 'Shorten the link to 2000 characters or fewer');

export const actionInput = z.object({
  what: requiredText('Enter what will be done', 2000),
  owningAgency: z
    .string({ error: 'Select the owning agency' })
    .trim()
    .min(1, 'Select the owning agency')
    .max(60)
    .describe('Code of the owning agency, e.g. "police"'),
  leadUserId: z
    .uuid({ error: 'Select the named lead' })
    .describe('The named lead: one of the owning agency’s people'),
  dueDate: isoDate('Enter the due date as a real date'),
  successMeasure: requiredText('Enter the success measure: how you will know the action worked', 2000),
  learning: z
    .array(z.uuid())
    .max(50)
    .default([])
    .describe('Ids of the learning statements the action answers'),
});
export type ActionInput = z.infer<typeof actionInput>;

export const actionUpdateInput = z.object({
  status: z.enum(ACTION_STATUSES, { error: 'Select the status' }).optional(),
  note: requiredText('Enter what has been done', 5000),
  evidenceText: optionalText(5000),
  evidenceUrl: httpUrl,
});
export type ActionUpdateInput = z.infer<typeof actionUpdateInput>;

/** PATCH /actions/{id}: an update (note, status, evidence) and, for the coordinator, the action's details. */
export const actionPatchInput = z.object({
  what: requiredText('Enter what will be done', 2000).optional(),
  owningAgency: agencyCode.optional(),
  leadUserId: z.uuid().optional(),
  dueDate: isoDate('Enter the due date as a real date').optional(),
  successMeasure: requiredText('Enter the success measure', 2000).optional(),
  learning: z.array(z.uuid()).max(50).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  note: requiredText('Enter what has been done', 5000).optional(),
  evidenceText: optionalText(5000),
  evidenceUrl: httpUrl,
});

export const actionListQuery = z.object({
  agency: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || undefined),
  status: z
    .enum(ACTION_STATUSES)
    .or(z.literal(''))
    .optional()
    .transform((v) => v || undefined),
  review: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  dueFrom: optionalIsoDate('Enter the "due from" date as a real date').transform((v) => v ?? undefined),
  dueTo: optionalIsoDate('Enter the "due to" date as a real date').transform((v) => v ?? undefined),
});
export type ActionListQuery = z.infer<typeof actionListQuery>;

export const auditInput = z.object({
  agency: agencyCode.describe('Code of the agency whose practice is audited'),
  question: requiredText('Enter the question the audit answers', 1000),
  sampleDescription: requiredText('Enter what is sampled, for example police crime reports', 1000),
  compliantMeans: optionalText(500),
});

export const auditRoundInput = z
  .object({
    roundDate: isoDate('Enter the date of the round as a real date'),
    sampled: z.coerce
      .number({ error: 'Enter how many were sampled, as a whole number' })
      .int('Enter how many were sampled, as a whole number')
      .min(1, 'The number sampled must be 1 or more')
      .max(1_000_000, 'The number sampled must be 1,000,000 or fewer'),
    compliant: z.coerce
      .number({ error: 'Enter how many were compliant, as a whole number' })
      .int('Enter how many were compliant, as a whole number')
      .min(0, 'The number compliant must be 0 or more'),
    note: optionalText(2000),
  })
  .refine((v) => v.compliant <= v.sampled, {
    path: ['compliant'],
    error: 'The number compliant cannot be more than the number sampled',
  });

export const auditLinkInput = z.object({ actionId: z.uuid({ error: 'Select an action' }) });

export const progressInput = z.object({
  items: z
    .array(z.string().trim().max(1000, 'Shorten each item to 1000 characters or fewer'))
    .transform((items) => items.filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'Enter at least one progress or impact item').max(30)),
});
