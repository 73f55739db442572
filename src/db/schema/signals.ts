/**
 * Tables of the signals area (issue 4): the partnership's signal thresholds, decisions on the
 * signals of a review, and the population monitoring dataset with its stored scan.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { linesOfEnquiry, partnerships, reviews, users } from './core.ts';

/** A partnership's overrides of DEFAULT_SIGNAL_CONFIG, as parseSignalConfig accepts them. */
export const signalSettings = pgTable('signal_settings', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnerships.id, { onDelete: 'cascade' }),
  overrides: jsonb('overrides').$type<Record<string, Record<string, unknown>>>().notNull().default({}),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A reviewer's decision on one signal of a review, keyed by the signal's stable key (rule, from,
 * to and sorted evidence): signals are recomputed on every read, decisions stay with the key.
 */
export const signalDecisions = pgTable(
  'signal_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    signalKey: text('signal_key').notNull(),
    /** confirmed | dismissed; null while only a KLOE is linked. */
    decision: text('decision'),
    reason: text('reason'),
    lineOfEnquiryId: uuid('line_of_enquiry_id').references(() => linesOfEnquiry.id, { onDelete: 'set null' }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('signal_decisions_review_key').on(t.reviewId, t.signalKey)],
);

/**
 * One load of the monitoring dataset from CSV. Status: loading → current (the partnership's
 * dataset), or failed; a current run becomes replaced when a later one succeeds.
 */
export const monitoringImports = pgTable(
  'monitoring_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    status: text('status').notNull(),
    /** What is happening now, in words: "Reading rows", "Scanning children". */
    phase: text('phase'),
    bytesTotal: integer('bytes_total'),
    bytesRead: integer('bytes_read').notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    children: integer('children').notNull().default(0),
    childrenScanned: integer('children_scanned').notNull().default(0),
    signals: integer('signals').notNull().default(0),
    error: text('error'),
    startedBy: uuid('started_by').references(() => users.id),
    startedByLabel: text('started_by_label'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set by the database at every batch: a loading import whose heartbeat stopped has died. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /**
     * A load queued from the web or the API (issue 18): the uploaded file, kept in the upload
     * directory until the job ends; null for a command-line import, which reads its own file.
     */
    uploadPath: text('upload_path'),
    /** The instance (scheduler id) running the job; a new claim after a crash replaces it. */
    claimedBy: text('claimed_by'),
    /** How many times a job was started: a job whose process died is run again from its file. */
    attempts: integer('attempts').notNull().default(0),
    /** Asked to stop: the running import sees it at its next batch and rolls back. */
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by'),
  },
  (t) => [
    index('monitoring_imports_partnership').on(t.partnershipId, t.startedAt),
    // One load at a time per dataset: waiting (queued) or running (loading).
    uniqueIndex('monitoring_imports_active')
      .on(t.partnershipId)
      .where(sql`${t.status} in ('queued', 'loading')`),
    // One current dataset per partnership.
    uniqueIndex('monitoring_imports_current')
      .on(t.partnershipId)
      .where(sql`${t.status} = 'current'`),
  ],
);

/** A child of the monitoring dataset, by pseudonymous key, with the profile the scan found. */
export const monitoredChildren = pgTable(
  'monitored_children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    importId: uuid('import_id')
      .notNull()
      .references(() => monitoringImports.id, { onDelete: 'cascade' }),
    childKey: text('child_key').notNull(),
    entries: integer('entries').notNull().default(0),
    firstDate: text('first_date'),
    lastDate: text('last_date'),
    /** Filled by the scan: a concern still open at the end of the chronology, and since when. */
    open: boolean('open').notNull().default(false),
    openSince: text('open_since'),
    referrals: text('referrals')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    high: integer('high').notNull().default(0),
    medium: integer('medium').notNull().default(0),
    low: integer('low').notNull().default(0),
    rules: text('rules')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [uniqueIndex('monitored_children_import_key').on(t.importId, t.childKey)],
);

/** One entry of a monitored child's chronology (the chronology CSV's columns). */
export const monitoringEntries = pgTable(
  'monitoring_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    childId: uuid('child_id')
      .notNull()
      .references(() => monitoredChildren.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    sortKey: text('sort_key').notNull(),
    time: text('time'),
    agency: text('agency').notNull(),
    eventType: text('event_type').notNull(),
    summary: text('summary').notNull(),
    childrenPresent: text('children_present'),
    childSeen: text('child_seen'),
    childVoice: text('child_voice'),
    concerns: text('concerns')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    worker: text('worker'),
    practitionerRole: text('practitioner_role'),
    actionTaken: text('action_taken'),
    outcome: text('outcome'),
    significance: text('significance'),
    sourceRef: text('source_ref'),
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    sourceRow: integer('source_row').notNull(),
  },
  (t) => [index('monitoring_entries_child_sort').on(t.childId, t.sortKey, t.id)],
);

/** The stored population scan: the signals of each monitored child. */
export const monitoringSignals = pgTable(
  'monitoring_signals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    childId: uuid('child_id')
      .notNull()
      .references(() => monitoredChildren.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    from: text('from').notNull(),
    to: text('to').notNull(),
    evidence: text('evidence').array().notNull(),
    explanation: text('explanation').notNull(),
  },
  (t) => [index('monitoring_signals_child').on(t.childId)],
);
