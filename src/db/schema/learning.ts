/**
 * Tables of the learning area (see docs/architecture.md, "Database"). Two owners share this file:
 * the event, attendees, key practice episodes, themes and learning statements (issue 5, event and
 * learning half); the actions, action updates, audits and the progress/impact statement (the other half).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
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
import { agencies, linesOfEnquiry, partnerships, reviews, users } from './core.ts';
import { chronologyEntries } from './chronology.ts';

// Event, episodes, themes and learning ----------------------------------------------------------

/** The Line of Sight event of a review: one per review. */
export const reviewEvents = pgTable('review_events', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  heldOn: date('held_on', { mode: 'string' }),
  /** in_person, online or hybrid. */
  format: text('format'),
  venue: text('venue'),
  /** The meeting link of an online or hybrid event. */
  link: text('link'),
  reflectiveNotes: text('reflective_notes'),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A person invited to the event, by agency and tier, with their attendance. */
export const eventAttendees = pgTable(
  'event_attendees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    name: text('name').notNull(),
    /** practitioner, supervisor or senior_manager. */
    tier: text('tier').notNull(),
    jobTitle: text('job_title'),
    email: text('email'),
    /** The person's account when the e-mail is one of the partnership's people. */
    userId: uuid('user_id').references(() => users.id),
    /** invited, attended, apologies or did_not_attend. */
    attendance: text('attendance').notNull().default('invited'),
    invitationQueuedAt: timestamp('invitation_queued_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('event_attendees_review').on(t.reviewId)],
);

/** A key practice episode: practice and systems, never individuals to blame. */
export const practiceEpisodes = pgTable(
  'practice_episodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** good_practice or area_for_improvement. */
    kind: text('kind').notNull(),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    whatHappened: text('what_happened'),
    whyItMattered: text('why_it_mattered'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('practice_episodes_review').on(t.reviewId, t.position)],
);

export const episodeAgencies = pgTable(
  'episode_agencies',
  {
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => practiceEpisodes.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
  },
  (t) => [primaryKey({ columns: [t.episodeId, t.agencyId] })],
);

export const episodeEntries = pgTable(
  'episode_entries',
  {
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => practiceEpisodes.id, { onDelete: 'cascade' }),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => chronologyEntries.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.episodeId, t.entryId] }), index('episode_entries_entry').on(t.entryId)],
);

/** Signals are computed, not stored: an episode keeps the signal's key (rule, period, evidence). */
export const episodeSignals = pgTable(
  'episode_signals',
  {
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => practiceEpisodes.id, { onDelete: 'cascade' }),
    signalKey: text('signal_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.episodeId, t.signalKey] })],
);

export const episodeLinesOfEnquiry = pgTable(
  'episode_lines_of_enquiry',
  {
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => practiceEpisodes.id, { onDelete: 'cascade' }),
    lineOfEnquiryId: uuid('line_of_enquiry_id')
      .notNull()
      .references(() => linesOfEnquiry.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.episodeId, t.lineOfEnquiryId] })],
);

/**
 * The partnership's controlled vocabulary of learning themes. A theme keeps its id for life: a
 * rename changes its name (the old one stays in learning_theme_changes), a retired theme still
 * shows on old learning but cannot be chosen for new.
 */
export const learningThemes = pgTable(
  'learning_themes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** Stable key for scripts and reports, e.g. `professional-curiosity`. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /**
     * Words and phrases that suggest the theme in a briefing's text (lower case); changed with the
     * taxonomy and versioned with it (learning_theme_changes kind `keywords`).
     */
    keywords: text('keywords')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('learning_themes_partnership_key').on(t.partnershipId, t.key)],
);

/** Every change to the taxonomy; the taxonomy's version is the number of changes. */
export const learningThemeChanges = pgTable(
  'learning_theme_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => learningThemes.id),
    /** seeded, added, renamed, keywords, retired or restored. */
    kind: text('kind').notNull(),
    oldName: text('old_name'),
    newName: text('new_name'),
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('learning_theme_changes_partnership').on(t.partnershipId, t.id)],
);

export const learningStatements = pgTable(
  'learning_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    statement: text('statement').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('learning_statements_review').on(t.reviewId, t.position)],
);

export const learningStatementThemes = pgTable(
  'learning_statement_themes',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => learningStatements.id, { onDelete: 'cascade' }),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => learningThemes.id),
  },
  (t) => [
    primaryKey({ columns: [t.statementId, t.themeId] }),
    index('learning_statement_themes_theme').on(t.themeId),
  ],
);

export const learningStatementEpisodes = pgTable(
  'learning_statement_episodes',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => learningStatements.id, { onDelete: 'cascade' }),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => practiceEpisodes.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.episodeId] })],
);

export const learningStatementLinesOfEnquiry = pgTable(
  'learning_statement_lines_of_enquiry',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => learningStatements.id, { onDelete: 'cascade' }),
    lineOfEnquiryId: uuid('line_of_enquiry_id')
      .notNull()
      .references(() => linesOfEnquiry.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.lineOfEnquiryId] })],
);

// Actions, action updates, audits and the progress/impact statement -----------------------------

/** Evidence files are small (≤ 10 MB) and kept with the update they prove, in the database. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * A SMART action of a review's action plan, owned by one agency with a named lead. Status:
 * not_started → in_progress → completed → assured (coordinator's sign-off with evidence), or
 * cancelled with a reason (src/domain/actions/status.ts). RAG is derived, never stored.
 */
export const reviewActions = pgTable(
  'review_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    /** A1, A2… within the review, in the order agreed. */
    number: integer('number').notNull(),
    what: text('what').notNull(),
    owningAgencyId: uuid('owning_agency_id')
      .notNull()
      .references(() => agencies.id),
    /** The named lead: one of the owning agency's people (reminders go to them). */
    leadUserId: uuid('lead_user_id')
      .notNull()
      .references(() => users.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    successMeasure: text('success_measure').notNull(),
    status: text('status').notNull().default('not_started'),
    cancelledReason: text('cancelled_reason'),
    assuredAt: timestamp('assured_at', { withTimezone: true }),
    assuredBy: uuid('assured_by').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('review_actions_review_number').on(t.reviewId, t.number),
    index('review_actions_agency').on(t.owningAgencyId),
    index('review_actions_due').on(t.dueDate),
  ],
);

/** The learning statements an action answers (the traceability page reads learning → actions). */
export const actionLearningStatements = pgTable(
  'action_learning_statements',
  {
    actionId: uuid('action_id')
      .notNull()
      .references(() => reviewActions.id, { onDelete: 'cascade' }),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => learningStatements.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.actionId, t.statementId] }),
    index('action_learning_statement').on(t.statementId),
  ],
);

/** An update of an action: a note, an optional status change, and evidence (text, link, file). */
export const actionUpdates = pgTable(
  'action_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => reviewActions.id, { onDelete: 'cascade' }),
    note: text('note').notNull(),
    statusFrom: text('status_from').notNull(),
    statusTo: text('status_to').notNull(),
    evidenceText: text('evidence_text'),
    evidenceUrl: text('evidence_url'),
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: integer('file_size'),
    fileContent: bytea('file_content'),
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('action_updates_action').on(t.actionId, t.at)],
);

/** An audit of practice, repeated in rounds, as evidence that actions changed practice. */
export const practiceAudits = pgTable(
  'practice_audits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** E.g. "Were the children in the household recorded?" */
    question: text('question').notNull(),
    /** E.g. "police crime reports involving a household with children". */
    sampleDescription: text('sample_description').notNull(),
    /** What a compliant case did, to finish "found 48 of 50 …": "recorded the children in the household". */
    compliantMeans: text('compliant_means'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('practice_audits_partnership').on(t.partnershipId)],
);

export const practiceAuditRounds = pgTable(
  'practice_audit_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => practiceAudits.id, { onDelete: 'cascade' }),
    roundDate: date('round_date', { mode: 'string' }).notNull(),
    sampled: integer('sampled').notNull(),
    compliant: integer('compliant').notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('practice_audit_rounds_audit').on(t.auditId, t.roundDate),
    check(
      'practice_audit_rounds_counts',
      sql`${t.sampled} > 0 and ${t.compliant} >= 0 and ${t.compliant} <= ${t.sampled}`,
    ),
  ],
);

/** Which actions an audit evidences. */
export const actionAudits = pgTable(
  'action_audits',
  {
    actionId: uuid('action_id')
      .notNull()
      .references(() => reviewActions.id, { onDelete: 'cascade' }),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => practiceAudits.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.auditId] }), index('action_audits_audit').on(t.auditId)],
);

/** The review's progress/impact statement: section 6 of the briefing, one item per line. */
export const reviewProgressStatements = pgTable('review_progress_statements', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  items: jsonb('items').$type<string[]>().notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Gives every change to what learning across reviews is worked out from a new version, never reused. */
export const learningFiguresVersionSequence = pgSequence('learning_figures_version_seq');

/**
 * The version of each partnership's learning across reviews: what recurrence of themes and the
 * board's dashboard are worked out from (reviews, referrals, screening, members, agencies, returns,
 * actions and their updates, learning and its themes, audits and their rounds, the front door's
 * monitoring data, the library's briefings and their themes). Set from learning_figures_version_seq
 * by statement triggers on each of those tables (drizzle/0022), from any process; readers reuse
 * what they worked out while it is unchanged (src/services/versioned-cache.ts). No row yet: 0.
 */
export const learningFiguresVersions = pgTable('learning_figures_versions', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnerships.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
});
