/**
 * The one PostgreSQL schema, one file per area, for PGlite and a server alike. Migrations in
 * drizzle/ are generated from these files with `npm run db:generate` (which takes a lock: see
 * scripts/db-generate.sh) and applied on start. Nothing here is newer than PostgreSQL 15.
 */
export * from './schema/core.ts';
export * from './schema/chronology.ts';
export * from './schema/signals.ts';
export * from './schema/learning.ts';
export * from './schema/briefings.ts';
export * from './schema/identity.ts';
export * from './schema/retention.ts';
