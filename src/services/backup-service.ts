import { basename } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import {
  MIGRATIONS_FOLDER,
  MIGRATION_LOCK,
  poolOf,
  type Database,
  type DatabaseHandle,
} from '../db/client.ts';
import * as schema from '../db/schema.ts';
import { knownMigrations, migrateFirst } from '../db/migration-journal.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { backupRepository, fixTextForms, type CatalogueTable } from '../db/repositories/backup-repository.ts';
import {
  BACKUP_FORMAT,
  BackupWriter,
  TableDigest,
  checkBackup,
  readBackup,
  type BackupHeader,
  type BackupManifest,
} from '../files/backup-file.ts';

/**
 * `line-of-sight backup` and `restore`, on either database, written by the application itself:
 * every table read inside one REPEATABLE READ transaction (one snapshot: each upload, import or
 * publication is in it whole or not at all), over the same connection everything else uses, so a
 * backup works while the service runs (on the embedded database, through it) and a backup of one
 * database restores into the other. docs/architecture.md ("Backup and restore") says why.
 */

/** A restore that must not go ahead: the file, or the database it would go into, is not fit. */
export class RestoreRefusedError extends Error {
  override readonly name = 'RestoreRefusedError';
}

export interface BackupReport {
  file: string;
  createdAt: string;
  tables: number;
  rows: number;
  bytes: number;
  sha256: string;
  schema: string | null;
}

export interface RestoreReport {
  file: string;
  createdAt: string;
  tables: number;
  rows: number;
  /** The backup's schema (its last migration) and this version's, when it was migrated on. */
  schema: string | null;
  migratedTo: string | null;
}

/** Rows sent to the database in one statement while restoring (and at most about this many bytes). */
const RESTORE_BATCH_ROWS = 1_000;
const RESTORE_BATCH_BYTES = 4 * 1024 * 1024;

type Handle = Pick<DatabaseHandle, 'db' | 'kind'>;

export async function backupDatabase(handle: Handle, path: string): Promise<BackupReport> {
  const known = knownMigrations();
  let writer: BackupWriter | null = null;
  let header: BackupHeader | null = null;
  try {
    await handle.db.transaction(
      async (tx) => {
        await fixTextForms(tx);
        const repo = backupRepository(tx);
        const applied = await repo.appliedMigrations();
        const catalogue = await repo.catalogue();
        header = {
          lineOfSightBackup: BACKUP_FORMAT,
          createdAt: await repo.snapshotTime(),
          database: handle.kind,
          schema: applied.map((m) => ({
            tag: known.find((k) => k.when === m.when)?.tag ?? null,
            when: m.when,
            hash: m.hash,
          })),
        };
        writer = await BackupWriter.create(path, header);
        for (const table of catalogue.tables) {
          await writer.beginTable(table.name, table.columns);
          for await (const lines of repo.rows(table)) for (const line of lines) await writer.row(line);
          await writer.endTable();
        }
        await writer.sequences(await repo.sequenceValues(catalogue.sequences));
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  } catch (error) {
    await (writer as BackupWriter | null)?.abandon();
    throw error;
  }
  const done = await writer!.finish();
  const taken = header! as BackupHeader;
  const report: BackupReport = {
    file: path,
    createdAt: taken.createdAt,
    tables: done.tables.length,
    rows: done.rows,
    bytes: done.bytes,
    sha256: done.sha256,
    schema: taken.schema.at(-1)?.tag ?? null,
  };
  // A copy of everything is itself worth recording (who holds what, and when it was taken).
  await auditRepository(handle.db).write({
    action: 'database.backup',
    outcome: 'success',
    subjectType: 'backup',
    subjectId: done.sha256,
    detail: { file: basename(path), takenAt: report.createdAt, tables: report.tables, rows: report.rows },
  });
  return report;
}

/**
 * Restores a backup into an empty database: checks the whole file first (its checksums, and that
 * this version knows its schema), builds the schema the backup was taken at, loads every row as it
 * was in one transaction with the tables' own triggers held off (the audit rows keep their chain,
 * versions stay as they were), reads every table back against the manifest, then migrates to this
 * version. Anything wrong rolls the rows back and leaves the database as it was found.
 */
export async function restoreDatabase(handle: DatabaseHandle, path: string): Promise<RestoreReport> {
  const name = basename(path);
  if (handle.kind === 'pglite' && handle.embedded !== 'owner')
    throw new RestoreRefusedError(
      'the embedded database is in use by a running service: stop it before restoring, or restore into a new directory (--data DIR).',
    );
  const { header, manifest, tables } = await checkBackup(path);
  const known = knownMigrations();
  const level = header.schema.length;
  for (const [i, taken] of header.schema.entries()) {
    const ours = known[i];
    if (!known.some((k) => k.when === taken.when))
      throw new RestoreRefusedError(
        `${name} was taken from a database at a newer schema (migration ${taken.tag ?? taken.when}) than this version of Line of Sight knows (its latest is ${known.at(-1)?.tag}). Upgrade Line of Sight, then restore.`,
      );
    if (!ours || ours.when !== taken.when || ours.hash !== taken.hash)
      throw new RestoreRefusedError(
        `${name} was taken at a schema this version of Line of Sight does not have: its migration ${taken.tag ?? taken.when} differs from this version's. Restore it with the version that made it.`,
      );
  }

  const client = await poolOf(handle.db).connect();
  const db = drizzle(client, { schema }) as unknown as Database;
  const repo = backupRepository(db);
  let locked = false;
  try {
    if (handle.kind === 'postgres') {
      const others = await repo.otherConnections();
      if (others > 0)
        throw new RestoreRefusedError(
          `the database is in use (${others} other ${others === 1 ? 'connection' : 'connections'}): stop every instance of Line of Sight, and anything else connected to it, before restoring.`,
        );
      // Instances starting now wait for this (they migrate under the same lock).
      locked = await repo.tryLock(MIGRATION_LOCK);
      if (!locked)
        throw new RestoreRefusedError(
          'the database is being migrated by an instance starting now: stop it first.',
        );
    }
    const applied = await repo.appliedMigrations();
    const past = applied.length > level || applied.some((m, i) => m.when !== header.schema[i]?.when);
    if (past)
      throw new RestoreRefusedError(
        `the database has been migrated past the backup's schema (${header.schema.at(-1)?.tag ?? 'none'}): restore into a new, empty database.`,
      );
    if (applied.length) {
      const holding = await repo.firstTableWithRows((await repo.catalogue()).tables.map((t) => t.name));
      if (holding)
        throw new RestoreRefusedError(
          `the database is not empty (${holding} holds rows): restore into a new, empty database (a new --data directory, or a newly created server database), then switch to it.`,
        );
    }
    await migrateFirst(drizzle(client), level);
    const catalogue = await repo.catalogue();
    const target = matchTables(name, catalogue.tables, tables);

    let rows = 0;
    await db.transaction(async (tx) => {
      await fixTextForms(tx);
      const r = backupRepository(tx);
      for (const table of catalogue.tables) if (table.hasTriggers) await r.disableTriggers(table.name);
      let table: CatalogueTable | null = null;
      let batch: string[] = [];
      let bytes = 0;
      const flush = async () => {
        await r.insertRows(table!, batch);
        rows += batch.length;
        batch = [];
        bytes = 0;
      };
      for await (const item of readBackup(path)) {
        if (item.kind === 'table') table = target.get(item.name)!;
        else if (item.kind === 'row') {
          batch.push(item.line);
          bytes += item.line.length;
          if (batch.length >= RESTORE_BATCH_ROWS || bytes >= RESTORE_BATCH_BYTES) await flush();
        } else if (item.kind === 'end') await flush();
        else if (item.kind === 'sequences')
          for (const s of item.sequences) await r.setSequence(s.name, s.value, s.called);
      }
      await checkRestored(name, r, catalogue.tables, manifest);
      for (const t of catalogue.tables) if (t.hasTriggers) await r.enableTriggers(t.name);
    });

    // An older backup is brought up to this version's schema as any database is.
    if (level < known.length) await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const report: RestoreReport = {
      file: path,
      createdAt: header.createdAt,
      tables: manifest.tables.length,
      rows,
      schema: header.schema.at(-1)?.tag ?? null,
      migratedTo: level < known.length ? (known.at(-1)?.tag ?? null) : null,
    };
    await auditRepository(db).write({
      action: 'database.restore',
      outcome: 'success',
      subjectType: 'backup',
      subjectId: manifest.sha256,
      detail: { file: name, takenAt: header.createdAt, tables: report.tables, rows, schema: report.schema },
    });
    return report;
  } finally {
    if (locked) await repo.unlock(MIGRATION_LOCK).catch(() => undefined);
    client.release();
  }
}

/** The backup's tables against the database's at the same schema: the same tables, columns and types. */
function matchTables(
  file: string,
  ours: CatalogueTable[],
  theirs: { name: string; columns: { name: string; type: string }[] }[],
): Map<string, CatalogueTable> {
  const byName = new Map(ours.map((t) => [t.name, t]));
  const order = new Map(ours.map((t, i) => [t.name, i]));
  const seen = new Set<string>();
  let last = -1;
  for (const table of theirs) {
    const mine = byName.get(table.name);
    const same =
      mine &&
      mine.columns.length === table.columns.length &&
      mine.columns.every((c, i) => c.name === table.columns[i]!.name && c.type === table.columns[i]!.type);
    if (!same)
      throw new RestoreRefusedError(
        `${file} does not match its own schema: table ${table.name} ${mine ? 'has other columns' : 'does not exist'} at that schema here.`,
      );
    // Parents come first in a backup, so every foreign key finds its row.
    if (order.get(table.name)! < last)
      throw new RestoreRefusedError(`${file} holds its tables in an order that foreign keys do not allow.`);
    last = order.get(table.name)!;
    seen.add(table.name);
  }
  const missing = ours.filter((t) => !seen.has(t.name));
  if (missing.length)
    throw new RestoreRefusedError(`${file} has no table ${missing[0]!.name}, which its schema has.`);
  return byName;
}

/** Every restored table read back: its rows must give the digest the backup recorded. */
async function checkRestored(
  file: string,
  repo: ReturnType<typeof backupRepository>,
  tables: CatalogueTable[],
  manifest: BackupManifest,
) {
  const expected = new Map(manifest.tables.map((t) => [t.name, t]));
  for (const table of tables) {
    const digest = new TableDigest();
    for await (const lines of repo.rows(table)) for (const line of lines) digest.add(line);
    const want = expected.get(table.name)!;
    if (digest.rows !== want.rows || digest.value !== want.digest)
      throw new RestoreRefusedError(
        `table ${table.name} did not come back from ${file} as it was backed up (${digest.rows} rows read, ${want.rows} expected): nothing was restored.`,
      );
  }
}
