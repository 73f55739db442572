import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { MIGRATIONS_FOLDER } from './client.ts';

/** A migration this version of Line of Sight knows: drizzle's journal entry and its SQL's hash. */
export interface KnownMigration {
  tag: string;
  /** drizzle's timestamp: what the database's migrations table records of it. */
  when: number;
  hash: string;
}

interface Journal {
  entries: { idx: number; when: number; tag: string; breakpoints: boolean }[];
}

const readJournal = (folder: string) =>
  JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal &
    Record<string, unknown>;

/** Every migration of this version, oldest first, hashed as drizzle records them. */
export function knownMigrations(folder = MIGRATIONS_FOLDER): KnownMigration[] {
  const journal = readJournal(folder);
  const files = readMigrationFiles({ migrationsFolder: folder });
  return journal.entries.map((entry, i) => ({ tag: entry.tag, when: entry.when, hash: files[i]!.hash }));
}

/**
 * Applies this version's migrations up to and including the first `count` (a restore builds the
 * schema a backup was taken at, loads it, then migrates the rest). drizzle applies what a folder's
 * journal lists, so it is given a folder listing only those.
 */
export async function migrateFirst(db: NodePgDatabase<Record<string, unknown>>, count: number) {
  const journal = readJournal(MIGRATIONS_FOLDER);
  const folder = mkdtempSync(join(tmpdir(), 'line-of-sight-migrations-'));
  try {
    mkdirSync(join(folder, 'meta'));
    const entries = journal.entries.slice(0, count);
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const entry of entries)
      copyFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
    await migrate(db, { migrationsFolder: folder });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
