/**
 * How people prove who they are: a second factor (TOTP and recovery codes), password resets,
 * the partnership's sign-in rules and its OpenID Connect identity providers. The rules themselves
 * are in src/domain/sign-in.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { partnerships, users } from './core.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A partnership's sign-in rules, set by its administrator; without a row the defaults apply. */
export const signInSettings = pgTable('sign_in_settings', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnerships.id),
  /** The roles whose holders must use a second factor. */
  secondFactorRoles: text('second_factor_roles').array().notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A person's authenticator app (TOTP, RFC 6238). The secret is encrypted (AES-256-GCM, a key the
 * database does not hold). Unconfirmed until the person has typed a code from it.
 */
export const totpEnrolments = pgTable('totp_enrolments', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The last time step whose code was accepted: a code is accepted once, and never an older one. */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});

/** Ten single-use recovery codes per person, stored as argon2id hashes, shown once. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user').on(t.userId)],
);

/** An e-mailed password reset link: its token stored as SHA-256, used once, expiring. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_resets_user').on(t.userId), index('password_resets_expires').on(t.expiresAt)],
);

/**
 * An OpenID Connect identity provider a partnership's people sign in with. The client secret is
 * never stored: it is read from the environment variable named after `key`.
 */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** Lower-case letters, digits and hyphens: names the secret's variable (OIDC_<KEY>_CLIENT_SECRET). */
    key: text('key').notNull(),
    /** What the sign-in button says: "Sign in with {name}". */
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** The ID token claim that holds the person's e-mail address. */
    emailClaim: text('email_claim').notNull().default('email'),
    /** The claim that holds the person's groups or roles (an array or a string). */
    groupsClaim: text('groups_claim').notNull().default('groups'),
    /** [{ group, role }]: a group in the token gives the person a Line of Sight role. */
    roleMappings: jsonb('role_mappings')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** [{ group, agency }]: a group in the token places the person in an agency (by its code). */
    agencyMappings: jsonb('agency_mappings')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Someone the partnership does not know is refused unless this is on (with a default role). */
    createUnknown: boolean('create_unknown').notNull().default(false),
    defaultRole: text('default_role'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('identity_providers_key').on(t.key),
    index('identity_providers_partnership').on(t.partnershipId),
    check('identity_providers_default_role', sql`not ${t.createUnknown} or ${t.defaultRole} is not null`),
  ],
);

/** A person's account at an identity provider (its `sub`), linked at their first sign-in. */
export const userIdentities = pgTable(
  'user_identities',
  {
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), index('user_identities_user').on(t.userId)],
);

/**
 * The `state` of every single sign-on answer taken (as SHA-256): the same answer presented again
 * is refused, whichever instance sees it. Kept until the sign-in could no longer be completed.
 */
export const ssoStatesUsed = pgTable(
  'sso_states_used',
  {
    stateHash: text('state_hash').primaryKey(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sso_states_used_expires').on(t.expiresAt)],
);

/**
 * A form someone sent after their session had ended (timed out): kept for them, and only them,
 * until they sign in again and send it or discard it, or it expires. What was typed is sealed
 * (AES-256-GCM, a key the database does not hold); no file is ever kept. A kept form is sent again
 * by its owner with a fresh CSRF token, through the route it was meant for.
 */
export const keptForms = pgTable(
  'kept_forms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The path the form was sent to (on this site). */
    path: text('path').notNull(),
    /** The fields as sent, sealed. */
    sealed: text('sealed').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('kept_forms_user').on(t.userId), index('kept_forms_expires').on(t.expiresAt)],
);
