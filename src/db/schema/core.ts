/**
 * Core tables: partnerships, agencies, people, sessions, tokens, reviews with their referral,
 * screening and terms of reference, stage history, and the audit log.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Small pictures (a partnership's logo, at most 512 KB) are kept in the database. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const partnerships = pgTable(
  'partnerships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Prefix of review references, e.g. LOS in LOS-2026-004. */
    referencePrefix: text('reference_prefix').notNull().default('LOS'),
    /** The logo printed on the partnership's briefings (PNG or JPEG, checked by its content); none when null. */
    logo: bytea('logo'),
    logoMediaType: text('logo_media_type'),
    logoUpdatedAt: timestamp('logo_updated_at', { withTimezone: true }),
    /** The partnership's own target, in weeks from screening to the published briefing (none when null). */
    lineOfSightTargetWeeks: integer('line_of_sight_target_weeks'),
    singleAgencyTargetWeeks: integer('single_agency_target_weeks'),
    createdAt: createdAt(),
  },
  (t) => [
    // A logo always comes with its type, and only the two types every renderer takes.
    check(
      'partnerships_logo_type',
      sql`(${t.logo} is null and ${t.logoMediaType} is null) or (${t.logo} is not null and ${t.logoMediaType} is not null and ${t.logoMediaType} in ('image/png', 'image/jpeg'))`,
    ),
  ],
);

export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** Stable code scripts use, e.g. `police`, `csc`, `health-visiting`. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agencies_partnership_code').on(t.partnershipId, t.code)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    agencyId: uuid('agency_id').references(() => agencies.id),
    roles: text('roles').array().notNull(),
    /** Job title, e.g. "Named nurse for safeguarding". */
    jobTitle: text('job_title'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session id: a stolen database copy yields no usable cookie. */
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    data: jsonb('data').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_expires').on(t.expiresAt), index('sessions_user').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /**
     * Refused from this moment. Every token is given one when made; the default fills the column for
     * tokens made before tokens had one (they last the default period from the upgrade).
     */
    expiresAt: timestamp('expires_at', { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '90 days'`),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Who revoked it: the owner, or the partnership's administrator. */
    revokedBy: uuid('revoked_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

/**
 * Failed sign-ins counted per account (the e-mail as typed, hashed, whether or not anyone has it)
 * and per address, so a lockout holds on every instance. The policy is in src/domain/sign-in.
 */
export const signInThrottles = pgTable(
  'sign_in_throttles',
  {
    /** `account:` + SHA-256 of the normalised e-mail, or `address:` + the client's address. */
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [index('sign_in_throttles_last_failure').on(t.lastFailureAt)],
);

/** Values kept by the application itself, e.g. the generated session secret of a laptop install. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    reference: text('reference').notNull(),
    type: text('type').notNull(),
    stage: text('stage').notNull(),
    /** active, paused or stopped: orthogonal to the stage. */
    status: text('status').notNull().default('active'),
    /** The anonymised name used everywhere but the named view, e.g. "Child 2". */
    pseudonym: text('pseudonym').notNull(),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    background: text('background'),
    purpose: text('purpose'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reviews_partnership_reference').on(t.partnershipId, t.reference),
    index('reviews_stage').on(t.partnershipId, t.stage),
  ],
);

/** The referral that opened a review. */
export const referrals = pgTable('referrals', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  referringAgencyId: uuid('referring_agency_id')
    .notNull()
    .references(() => agencies.id),
  referrerUserId: uuid('referrer_user_id').references(() => users.id),
  referrerName: text('referrer_name').notNull(),
  referrerRole: text('referrer_role'),
  referredOn: date('referred_on', { mode: 'string' }).notNull(),
  whatHappened: text('what_happened').notNull(),
  whyLearning: text('why_learning').notNull(),
});

/** Restricted: the identifiable details of the child. Every read is audited. */
export const reviewSubjects = pgTable('review_subjects', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  fullName: text('full_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  address: text('address'),
  postcode: text('postcode'),
  nhsNumber: text('nhs_number'),
  school: text('school'),
});

/** Restricted: people in the child's household, with their relationship label. */
export const householdMembers = pgTable('household_members', {
  id: uuid('id').primaryKey().defaultRandom(),
  reviewId: uuid('review_id')
    .notNull()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  relationship: text('relationship').notNull(),
  fullName: text('full_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  position: integer('position').notNull().default(0),
});

export const reviewAgencies = pgTable(
  'review_agencies',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** Named in the referral as involved with the child. */
    involved: boolean('involved').notNull().default(false),
    /** In the terms of reference's scope: asked for a chronology and self-analysis. */
    inScope: boolean('in_scope').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.agencyId] })],
);

/** Who may see a review beyond the partnership-wide roles. */
export const reviewMembers = pgTable(
  'review_members',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    addedBy: uuid('added_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] }), index('review_members_user').on(t.userId)],
);

export const screeningDecisions = pgTable('screening_decisions', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  outcome: text('outcome').notNull(),
  rationale: text('rationale').notNull(),
  decisionMaker: text('decision_maker').notNull(),
  decidedOn: date('decided_on', { mode: 'string' }).notNull(),
  recordedBy: uuid('recorded_by').references(() => users.id),
  createdAt: createdAt(),
  /**
   * A rapid review's outcome: lcspr (a local child safeguarding practice review follows) or none;
   * who decided it (national_panel or partnership), when, and why. Its date starts the LCSPR's clock.
   */
  rapidReviewOutcome: text('rapid_review_outcome'),
  outcomeDecidedBy: text('outcome_decided_by'),
  outcomeDecidedOn: date('outcome_decided_on', { mode: 'string' }),
  outcomeRationale: text('outcome_rationale'),
});

export const linesOfEnquiry = pgTable(
  'lines_of_enquiry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    question: text('question').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('lines_of_enquiry_review').on(t.reviewId, t.position)],
);

export const stageHistory = pgTable(
  'stage_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    /** move, pause, resume or stop. */
    kind: text('kind').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    reason: text('reason'),
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stage_history_review').on(t.reviewId, t.at)],
);

/**
 * Every change and every view of identifiable data, written in the same transaction as what it
 * records. Append-only: the application never updates or deletes a row.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    partnershipId: uuid('partnership_id'),
    userId: uuid('user_id'),
    userEmail: text('user_email'),
    requestId: text('request_id'),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    reviewId: uuid('review_id'),
    reviewReference: text('review_reference'),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    detail: jsonb('detail'),
    /** Where the request came from (the client's address as the configured proxies report it). */
    sourceAddress: text('source_address'),
    /**
     * Tamper evidence, set by the database as the row is written (drizzle/0015): the row's place in
     * its chain (one per partnership, 'global' for rows of none), the hash of the row before it and
     * the hash of this row's content with that. `line-of-sight audit verify` walks the chains.
     */
    chain: text('chain'),
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    rowHash: text('row_hash'),
  },
  (t) => [
    uniqueIndex('audit_events_chain_seq').on(t.chain, t.chainSeq),
    index('audit_events_partnership_at').on(t.partnershipId, t.at),
    index('audit_events_review').on(t.reviewId),
    index('audit_events_user').on(t.userId),
  ],
);

/** The last row of each audit chain: appends take its lock, so a chain has one order. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/**
 * Signed checkpoints of the audit chains: an HMAC, with a key the database never holds, of a chain's
 * position and hash. Rewriting the chain behind the application's back cannot forge them.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    /** Which key signed it (the first characters of its SHA-256), so keys can be rotated. */
    keyId: text('key_id').notNull(),
    signature: text('signature').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_checkpoints_chain_seq').on(t.chain, t.seq)],
);

/**
 * E-mail waiting to go: written in the same transaction as the change it tells of, sent after
 * commit by the dispatcher. A rolled-back change sends nothing. Messages carry links, never case detail.
 */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id').references(() => partnerships.id),
    /** What the message is about, e.g. `request.sent`, `action.overdue`. */
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    reviewId: uuid('review_id'),
    /** Stops the same reminder going twice, e.g. `request-reminder:<id>:<due>`. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbound_emails_unsent').on(t.sentAt, t.createdAt)],
);

/** One row per scheduled job: an instance runs a job only after claiming it here. */
export const scheduledJobs = pgTable('scheduled_jobs', {
  name: text('name').primaryKey(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lockedBy: text('locked_by'),
  lastStartedAt: timestamp('last_started_at', { withTimezone: true }),
  lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  lastError: text('last_error'),
});
