import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/db/client.ts';
import type { DatabaseKind } from '../support/database.ts';
import { serverUrl } from '../support/paths.ts';

export interface Contents {
  /** Each table's row count and the MD5 of its rows as PostgreSQL prints them, sorted. */
  tables: Record<string, { rows: number; md5: string }>;
  sequences: Record<string, string>;
  /** The migrations the database records as applied (drizzle's hashes, in order). */
  migrations: string[];
}

type Rows<T> = { rows: T[] };

/**
 * Every table's content, read with SQL of its own (not the backup's code): the rows as PostgreSQL
 * prints a whole row, sorted byte by byte, under the same time zone, so two databases holding the
 * same rows give the same answer. `auditWhere` narrows the audit log's rows.
 */
export async function tableContents(db: Database, auditWhere = ''): Promise<Contents> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql.raw(`set local timezone = 'UTC'`));
      await tx.execute(sql.raw(`set local extra_float_digits = 3`));
      const names = (
        (await tx.execute(
          sql`select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by relname`,
        )) as unknown as Rows<{ name: string }>
      ).rows.map((r) => r.name);
      const tables: Contents['tables'] = {};
      for (const name of names) {
        const where = name === 'audit_events' ? auditWhere : '';
        const [row] = (
          (await tx.execute(
            sql.raw(
              `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text collate "C"), '')) as md5 from "${name}" t ${where}`,
            ),
          )) as unknown as Rows<{ rows: number; md5: string }>
        ).rows;
        tables[name] = row!;
      }
      const sequences: Contents['sequences'] = {};
      const seqNames = (
        (await tx.execute(
          sql`select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'S' order by relname`,
        )) as unknown as Rows<{ name: string }>
      ).rows.map((r) => r.name);
      for (const name of seqNames) {
        const [row] = (
          (await tx.execute(sql.raw(`select last_value::text as v from "${name}"`))) as unknown as Rows<{
            v: string;
          }>
        ).rows;
        sequences[name] = row!.v;
      }
      const present = (
        (await tx.execute(
          sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
        )) as unknown as Rows<{ present: boolean }>
      ).rows[0]!.present;
      const migrations = present
        ? (
            (await tx.execute(
              sql`select hash from drizzle.__drizzle_migrations order by created_at`,
            )) as unknown as Rows<{ hash: string }>
          ).rows.map((r) => r.hash)
        : [];
      return { tables, sequences, migrations };
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** A freshly created embedded database (initdb takes PGlite seconds: done once per file, then copied). */
let emptyEmbedded: Promise<Blob> | null = null;

/** A new, empty database of the kind (never migrated), and its removal. */
export async function emptyDatabase(
  kind: DatabaseKind,
): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    emptyEmbedded ??= (async () => {
      const fresh = await openDatabase({});
      try {
        return await fresh.dump!();
      } finally {
        await fresh.close();
      }
    })();
    const handle = await openDatabase({ loadDataDir: await emptyEmbedded });
    return { handle, drop: () => handle.close() };
  }
  const server = process.env.TEST_DATABASE_URL!;
  const name = `los_test_restore_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `create database "${name}"`);
  const handle = await openDatabase({ url: serverUrl(server, name), poolSize: 2 });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await adminQuery(server, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function adminQuery(url: string, statement: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
