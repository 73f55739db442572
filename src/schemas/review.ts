import { z } from 'zod';
import {
  OUTCOME_DECIDERS,
  RAPID_REVIEW_OUTCOMES,
  REVIEW_STATUSES,
  REVIEW_TYPES,
  SCREENING_OUTCOMES,
  STAGES,
} from '../domain/lifecycle/stages.ts';
import { agencyCode, isoDate, optionalIsoDate, optionalText, requiredText } from './common.ts';

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

export const householdMemberInput = z.object({
  relationship: requiredText('Enter how this person is related to the child, for example Mother', 100),
  fullName: requiredText("Enter the household member's full name", 200),
  dateOfBirth: optionalIsoDate('Date of birth must be a real date'),
});

export const referralInput = z.object({
  referringAgency: agencyCode.describe('Code of the referring agency, e.g. "police"'),
  referrerName: requiredText('Enter the name of the person referring', 200),
  referrerRole: optionalText(200),
  referredOn: isoDate('Enter the date of the referral as a real date'),
  pseudonym: requiredText('Enter the name the review will use for the child, for example Child 2', 60),
  child: z.object({
    fullName: requiredText("Enter the child's full name", 200),
    dateOfBirth: optionalIsoDate("The child's date of birth must be a real date"),
    address: optionalText(500),
    postcode: optionalText(10).refine(
      (v) => v === null || UK_POSTCODE.test(v),
      'Enter a real postcode, like AA1 1AA',
    ),
    nhsNumber: optionalText(12).refine(
      (v) => v === null || /^\d{10}$/.test(v.replace(/\s/g, '')),
      'NHS number must be 10 digits',
    ),
    school: optionalText(200),
  }),
  household: z.array(householdMemberInput).max(20).default([]),
  agenciesInvolved: z.array(agencyCode).min(1, 'Select the agencies involved with the child and family'),
  whatHappened: requiredText('Enter what happened', 10_000),
  whyLearning: requiredText('Enter why you think the case holds learning', 10_000),
});
export type ReferralInput = z.infer<typeof referralInput>;

export const screeningInput = z.object({
  outcome: z.enum(SCREENING_OUTCOMES, { error: 'Select the screening decision' }),
  rationale: requiredText('Enter the rationale for the decision', 10_000),
  decisionMaker: requiredText('Enter who made the decision', 200),
  decidedOn: isoDate('Enter the date of the decision as a real date'),
});
export type ScreeningInput = z.infer<typeof screeningInput>;

export const termsOfReferenceInput = z
  .object({
    periodFrom: isoDate('Enter the start of the period under review as a real date'),
    periodTo: isoDate('Enter the end of the period under review as a real date'),
    agenciesInScope: z.array(agencyCode).min(1, 'Select the agencies in scope'),
    /** The chair (independent reviewer) appointed as a step of the terms of reference: given access. */
    chair: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined)),
  })
  .refine((v) => v.periodFrom <= v.periodTo, {
    path: ['periodTo'],
    error: 'The end of the period under review must be the same as or after its start',
  });
export type TermsOfReferenceInput = z.infer<typeof termsOfReferenceInput>;

export const lineOfEnquiryInput = z.object({
  question: requiredText('Enter the key line of enquiry', 500),
});

export const stageMoveInput = z.object({
  to: z.enum(STAGES, { error: 'Choose the stage to move to' }),
  reason: optionalText(2_000),
});

export const statusChangeInput = z.object({
  reason: requiredText('Enter the reason', 2_000),
});

export const reviewListQuery = z.object({
  stage: z.enum(STAGES).optional().catch(undefined),
  type: z.enum(REVIEW_TYPES).optional().catch(undefined),
  status: z.enum(REVIEW_STATUSES).optional().catch(undefined),
  agency: z.string().trim().max(60).optional(),
  /** Only reviews whose next deadline has passed. */
  overdue: z.enum(['yes']).optional().catch(undefined),
  /** Only the reviews the person is a member of. */
  mine: z.enum(['yes']).optional().catch(undefined),
  /** Newest first (the default) or soonest deadline first. */
  sort: z.enum(['newest', 'deadline']).default('newest').catch('newest'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const reviewSummaryInput = z.object({
  background: optionalText(20_000),
  purpose: optionalText(20_000),
});

export const rapidReviewOutcomeInput = z.object({
  outcome: z.enum(RAPID_REVIEW_OUTCOMES, { error: "Select the rapid review's outcome" }),
  decidedBy: z.enum(OUTCOME_DECIDERS, { error: 'Select who made the decision' }),
  decidedOn: isoDate('Enter the date of the decision as a real date'),
  rationale: requiredText('Enter the reason for the decision', 5_000),
});
