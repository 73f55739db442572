/**
 * Tables of the briefings area (see docs/architecture.md, "Database"): 7-minute briefings with
 * their versions, accepted identifying-details findings, the partnership's resource library, and
 * who read a briefing or delivered it to a team.
 */
import { sql } from 'drizzle-orm';
import {
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
import type { Briefing } from '../../domain/briefing/model.ts';
import type { Finding } from '../../domain/anonymise/types.ts';
import { agencies, partnerships, reviews, users } from './core.ts';
import { learningThemes } from './learning.ts';

/**
 * One briefing per review, or a library-only briefing imported from an existing document
 * (review_id null, source `imported`). Library facets are copied here when a version is published.
 */
export const briefings = pgTable(
  'briefings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    reviewId: uuid('review_id').references(() => reviews.id, { onDelete: 'cascade' }),
    /** generated (from a review) or imported (from a document). */
    source: text('source').notNull(),
    /** The review's type, for the library's filter (imported: line_of_sight). */
    reviewType: text('review_type').notNull(),
    /**
     * Learning theme names as they were at publication (kept for older readers); the library and
     * recurrence read briefing_themes, which follows a theme through renames.
     */
    themes: text('themes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    agencyCodes: text('agency_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** An imported briefing's title as the coordinator corrected it (else its content's title). */
    title: text('title'),
    /** The partnership an imported briefing comes from (a neighbour's, say); null: this partnership. */
    sourcePartnership: text('source_partnership'),
    /** The date the document gives itself (first of the month or year when that is all it says). */
    documentDate: date('document_date', { mode: 'string' }),
    /** The year the library files it under: the document's own, else the year it was published here. */
    year: integer('year'),
    /** The taxonomy version its themes were suggested and confirmed against (imported briefings). */
    taxonomyVersion: integer('taxonomy_version'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('briefings_review').on(t.reviewId), index('briefings_partnership').on(t.partnershipId)],
);

/** A briefing's learning themes, by the theme's id (a rename keeps the link). */
export const briefingThemes = pgTable(
  'briefing_themes',
  {
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id, { onDelete: 'cascade' }),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => learningThemes.id),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.themeId] }), index('briefing_themes_theme').on(t.themeId)],
);

/**
 * A version of a briefing: its sections (the model as JSON) and its state, draft → in_review →
 * approved → published, with who moved it when. A published version never changes; a reissue is
 * a new version.
 */
export const briefingVersions = pgTable(
  'briefing_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    content: jsonb('content').$type<Briefing>().notNull(),
    state: text('state').notNull(),
    /** Why this version was issued (a reissue: "impact evidence from the police audit"). */
    note: text('note'),
    /**
     * The last identifying-details check of this content; cleared by any change of content (a
     * trigger, drizzle/0013). An approved or published version must have one (a check constraint).
     */
    findings: jsonb('findings').$type<Finding[]>(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    checkedBy: uuid('checked_by').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: uuid('submitted_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** All the text of a published version, for the library's full-text search. */
    searchText: text('search_text'),
  },
  (t) => [
    uniqueIndex('briefing_versions_number').on(t.briefingId, t.version),
    index('briefing_versions_search').using(
      'gin',
      sql`to_tsvector('english', coalesce(${t.searchText}, ''))`,
    ),
  ],
);

/** A finding of the check that the approver accepted, with the reason (identified by where and what). */
export const briefingFindingAcceptances = pgTable(
  'briefing_finding_acceptances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => briefingVersions.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    reason: text('reason').notNull(),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('briefing_finding_acceptances_unique').on(t.versionId, t.fingerprint)],
);

/** The partnership's further-information links, offered when building section 7. */
export const resourceLinks = pgTable(
  'resource_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    title: text('title').notNull(),
    url: text('url').notNull(),
    category: text('category').notNull(),
    position: integer('position').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('resource_links_partnership').on(t.partnershipId, t.position)],
);

/** "I have read this": one row per person and version read. */
export const briefingReads = pgTable(
  'briefing_reads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => briefingVersions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    agencyId: uuid('agency_id').references(() => agencies.id),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('briefing_reads_unique').on(t.versionId, t.userId),
    index('briefing_reads_briefing').on(t.briefingId),
  ],
);

/** A team delivery of a briefing, with the three reflective questions' answers. */
export const briefingDeliveries = pgTable(
  'briefing_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => briefingVersions.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id').references(() => agencies.id),
    team: text('team').notNull(),
    deliveredOn: date('delivered_on', { mode: 'string' }).notNull(),
    numberPresent: integer('number_present').notNull(),
    keyThoughts: text('key_thoughts').notNull(),
    embedding: text('embedding').notNull(),
    teamPlans: text('team_plans').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('briefing_deliveries_briefing').on(t.briefingId)],
);
