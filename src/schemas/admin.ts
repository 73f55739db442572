import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../db/repositories/audit-repository.ts';
import { ROLES } from '../domain/lifecycle/roles.ts';
import { TARGET_WEEKS } from '../domain/lifecycle/deadlines.ts';
import { AUDIT_EVENT_KIND_LABELS, type AuditEventKind } from '../domain/audit/catalogue.ts';
import { optionalText, requiredText } from './common.ts';

export const AGENCY_TYPES = {
  police: 'Police',
  childrens_social_care: "Children's social care",
  health_visiting: 'Health visiting',
  gp: 'GP',
  school: 'School or nursery',
  hospital: 'Hospital',
  drug_alcohol_service: 'Drug and alcohol service',
  probation: 'Probation',
  housing: 'Housing',
  partnership: 'Partnership business unit',
  other: 'Other',
} as const;
export type AgencyType = keyof typeof AGENCY_TYPES;

export const auditQuery = z.object({
  action: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  type: z
    .enum(Object.keys(AUDIT_EVENT_KIND_LABELS) as [AuditEventKind, ...AuditEventKind[]])
    .optional()
    .catch(undefined),
  outcome: z.enum(AUDIT_OUTCOMES).optional().catch(undefined),
  user: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  review: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditQuery = z.infer<typeof auditQuery>;

/** "Who has seen this child's identifiable details?": the review, by its reference. */
export const identifiableViewsQuery = z.object({
  review: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
});

export const agencyInput = z.object({
  name: requiredText('Enter the name of the agency', 200),
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z][a-z0-9-]{1,40}$/,
      'Enter a code of lower-case letters, numbers and hyphens, like health-visiting',
    ),
  type: z.enum(Object.keys(AGENCY_TYPES) as [AgencyType, ...AgencyType[]], {
    error: 'Select the type of agency',
  }),
});

export const userInput = z.object({
  name: requiredText('Enter the full name', 200),
  email: z
    .email({ error: 'Enter an e-mail address in the correct format, like name@example.org' })
    .trim()
    .toLowerCase(),
  roles: z.array(z.enum(ROLES)).min(1, 'Select at least one role'),
  agency: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || null),
  jobTitle: optionalText(200),
  password: z.string().min(12, 'Enter a password of at least 12 characters').max(200),
});

/**
 * One of the partnership's review targets: a whole number of weeks within TARGET_WEEKS, or blank
 * (a form's empty field, or null over the API) for no target.
 */
const targetWeeks = (reviews: string) => {
  const message = `Enter the target for ${reviews} as a whole number of weeks from ${TARGET_WEEKS.min} to ${TARGET_WEEKS.max}, or leave it blank for no target`;
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') return v;
      const typed = v.trim();
      if (typed === '') return null;
      return /^\d{1,3}$/.test(typed) ? Number(typed) : Number.NaN;
    },
    z
      .number({ error: message })
      .int(message)
      .min(TARGET_WEEKS.min, message)
      .max(TARGET_WEEKS.max, message)
      .nullable(),
  );
};

/** The partnership's own targets, in weeks from the screening decision to the published briefing. */
export const reviewTargetsInput = z.object({
  lineOfSightWeeks: targetWeeks('Line of Sight reviews'),
  singleAgencyWeeks: targetWeeks('single-agency reviews'),
});
export type ReviewTargets = z.infer<typeof reviewTargetsInput>;
