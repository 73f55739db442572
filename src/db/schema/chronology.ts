/**
 * Information gathering: agency requests, agency returns (chronology entries and self-analysis)
 * and the merged chronology. Owned by the chronology area (issue 3); the signals, event and
 * learning areas read accepted entries.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agencies, linesOfEnquiry, reviews, users } from './core.ts';

/**
 * A request to one agency for its return: a chronology for the period under review and a
 * self-analysis against each key line of enquiry. Status: sent → in_progress → submitted →
 * accepted, or returned (with a query) → in_progress; withdrawn when the coordinator withdraws it.
 */
export const agencyRequests = pgTable(
  'agency_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The named agency safeguarding lead who answers it. */
    leadUserId: uuid('lead_user_id').references(() => users.id),
    status: text('status').notNull(),
    /** What is asked, in the coordinator's words. */
    instructions: text('instructions'),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    sentBy: uuid('sent_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    /** The coordinator's query when the return was sent back. */
    query: text('query'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agency_requests_review').on(t.reviewId),
    // One live request per agency and review; a withdrawn one may be reissued.
    uniqueIndex('agency_requests_live').on(t.reviewId, t.agencyId).where(sql`${t.withdrawnAt} is null`),
  ],
);

/**
 * One entry of an agency's chronology for a review, as in the chronology CSV of
 * docs/interfaces.md. Draft and submitted entries are the agency's own; accepted entries make the
 * merged chronology. Never overwritten after submission: see chronology_amendments.
 */
export const chronologyEntries = pgTable(
  'chronology_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    requestId: uuid('request_id')
      .notNull()
      .references(() => agencyRequests.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** `YYYY-MM-DD`, or `YYYY-MM` when only the month is known. */
    date: text('date').notNull(),
    /** Sort key: a month-only date sorts as the month's first day, before dated entries. */
    sortKey: text('sort_key').notNull(),
    time: text('time'),
    eventType: text('event_type').notNull(),
    summary: text('summary').notNull(),
    childrenPresent: text('children_present'),
    childSeen: text('child_seen'),
    childVoice: text('child_voice'),
    concerns: text('concerns').array().notNull().default(sql`'{}'::text[]`),
    worker: text('worker'),
    practitionerRole: text('practitioner_role'),
    actionTaken: text('action_taken'),
    outcome: text('outcome'),
    significance: text('significance'),
    sourceRef: text('source_ref'),
    /** Unknown columns of an upload, kept as they came. */
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    /** Row of the uploaded file it came from (header = 1), or null when entered by form. */
    sourceRow: integer('source_row'),
    /** Entries the coordinator linked as one event across agencies share a key. */
    sameEventKey: text('same_event_key'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Removed from the return (kept for the amendment history). */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    index('chronology_entries_review_sort').on(t.reviewId, t.sortKey),
    index('chronology_entries_request').on(t.requestId),
  ],
);

/** Gives every change of an accepted chronology a new version, never reused (not even after a rollback). */
export const chronologyVersionSequence = pgSequence('chronology_version_seq');

/**
 * The version of each review's accepted chronology: set from chronology_version_seq by triggers on
 * every change that can alter the merged chronology (accepted entries, a request's acceptance, the
 * child's date of birth, agency and submitter names; drizzle/0009). Readers reuse what they worked
 * out while it is unchanged (src/services/versioned-cache.ts). No row yet: version 0.
 */
export const chronologyVersions = pgTable('chronology_versions', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
});

/**
 * The merged chronology as data: each accepted entry of a review in the merged order (`position`),
 * with what the merge works out for it over the whole chronology (days since the previous
 * professional contact, an event's later records repeating its first's, possible duplicates) and
 * the columns the page filters on. Worked out in SQL from the accepted entries by the first reader
 * of each version of the accepted chronology, and kept until the next change
 * (src/db/repositories/merged-chronology-repository.ts); the rest of an entry is read from
 * chronology_entries for the rows of a page only.
 */
export const mergedChronology = pgTable(
  'merged_chronology',
  {
    // No foreign keys: a check per row would cost more than working out the merge. Rows go with
    // their review and entries all the same: deleting either deletes the review's merged rows
    // and its merged_chronology_versions row (statement triggers, drizzle/0026).
    reviewId: uuid('review_id').notNull(),
    position: integer('position').notNull(),
    entryId: uuid('entry_id').notNull(),
    agency: text('agency').notNull(),
    agencyName: text('agency_name').notNull(),
    date: text('date').notNull(),
    eventType: text('event_type').notNull(),
    concerns: text('concerns').array().notNull(),
    childSeen: text('child_seen'),
    sameEventKey: text('same_event_key'),
    daysSince: integer('days_since'),
    daysApproximate: boolean('days_approximate').notNull(),
    duplicateOf: text('duplicate_of'),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.position] })],
);

/** Which version of a review's accepted chronology (and of the merge's settings) merged_chronology holds. */
export const mergedChronologyVersions = pgTable('merged_chronology_versions', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
});

/** A change to an entry after its return was submitted: the reason and both versions. */
export const chronologyAmendments = pgTable(
  'chronology_amendments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => chronologyEntries.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('chronology_amendments_entry').on(t.entryId)],
);

/** The agency's self-analysis against one key line of enquiry. */
export const selfAnalysisAnswers = pgTable(
  'self_analysis_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => agencyRequests.id, { onDelete: 'cascade' }),
    lineOfEnquiryId: uuid('line_of_enquiry_id')
      .notNull()
      .references(() => linesOfEnquiry.id, { onDelete: 'cascade' }),
    wentWell: text('went_well'),
    couldBeBetter: text('could_be_better'),
    why: text('why'),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('self_analysis_answers_request_kloe').on(t.requestId, t.lineOfEnquiryId)],
);

/**
 * A large upload to an agency's return, queued as a job (issue 18): the file waits in the upload
 * directory, a runner checks it and then adds its entries in one transaction, all or nothing.
 * The same job columns as a monitoring load (`monitoring_imports`), claimed and swept by the same
 * queue (src/db/repositories/upload-job-queue.ts). Status: queued → loading → done, failed or
 * cancelled.
 */
export const returnUploadJobs = pgTable(
  'return_upload_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    /** The agency's return (its request) the entries go to. */
    requestId: uuid('request_id')
      .notNull()
      .references(() => agencyRequests.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    /** How the file is read: 'csv' or 'xlsx'. */
    format: text('format').notNull(),
    status: text('status').notNull(),
    /** What is happening now, in words: "Checking the file", "Saving the entries". */
    phase: text('phase'),
    bytesTotal: integer('bytes_total'),
    bytesRead: integer('bytes_read').notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    /** Entries added, once done. */
    entries: integer('entries').notNull().default(0),
    /** Why it failed, in the words the upload page uses for the same problem. */
    error: text('error'),
    /** The file's problems (file, row and column), as the upload page lists them; and how many more. */
    problems: jsonb('problems').$type<string[]>(),
    moreProblems: integer('more_problems').notNull().default(0),
    startedBy: uuid('started_by').references(() => users.id),
    startedByLabel: text('started_by_label'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    uploadPath: text('upload_path'),
    claimedBy: text('claimed_by'),
    attempts: integer('attempts').notNull().default(0),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by'),
  },
  (t) => [
    index('return_upload_jobs_request').on(t.requestId, t.startedAt),
    // One upload at a time per agency return: waiting (queued) or running (loading).
    uniqueIndex('return_upload_jobs_active')
      .on(t.requestId)
      .where(sql`${t.status} in ('queued', 'loading')`),
  ],
);
