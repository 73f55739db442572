/**
 * How long data is kept: each partnership's retention periods (within the register's bounds,
 * src/domain/retention/register.ts), legal holds that stop erasure of a review, and the record of
 * every erasure (what class, which review, when, how many records: never the data itself).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { partnerships, reviews, users } from './core.ts';

/** A partnership's own period for a data class; without a row the register's default applies. */
export const retentionPeriods = pgTable(
  'retention_periods',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** The register's key, e.g. `identifiable-details`. */
    dataClass: text('data_class').notNull(),
    /** In the class's unit (years or days: the register says which). */
    amount: integer('amount').notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.dataClass] }),
    check('retention_periods_amount', sql`${t.amount} >= 0`),
  ],
);

/** A legal hold: nothing of the review is erased while it stands. */
export const legalHolds = pgTable('legal_holds', {
  reviewId: uuid('review_id')
    .primaryKey()
    .references(() => reviews.id, { onDelete: 'cascade' }),
  reason: text('reason').notNull(),
  placedBy: uuid('placed_by').references(() => users.id),
  placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One erasure: the class, the review (when it was a review's), why (the retention period, or a
 * person's request) and how many records were erased or anonymised. Never what they held.
 */
export const erasures = pgTable(
  'erasures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    dataClass: text('data_class').notNull(),
    reviewId: uuid('review_id').references(() => reviews.id, { onDelete: 'set null' }),
    reviewReference: text('review_reference'),
    /** `retention` (the period ran out) or `request` (erasure on a person's request). */
    reason: text('reason').notNull(),
    records: integer('records').notNull(),
    /** Who asked, for an erasure on request; null when the scheduled job or the command ran it. */
    byUserId: uuid('by_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('erasures_partnership_at').on(t.partnershipId, t.at),
    index('erasures_review_class').on(t.reviewId, t.dataClass),
    check('erasures_reason', sql`${t.reason} in ('retention', 'request')`),
  ],
);
