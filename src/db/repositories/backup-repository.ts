import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';

/**
 * The whole database as tables of rows, for a backup and its restore. Privileged and generic: it
 * reads PostgreSQL's catalogue, so a table added by a migration is backed up without anyone
 * remembering to list it. Every value travels as its type's own text form (as pg_dump's COPY
 * does), read and written under fixed settings so the text means the same on both databases.
 */

export interface CatalogueTable {
  name: string;
  columns: { name: string; type: string }[];
  /** Whether the table has triggers of its own (chaining, versions, append-only) to hold off while restoring. */
  hasTriggers: boolean;
}

export interface Catalogue {
  /** Every table of the application's schema, parents before the tables whose foreign keys point at them. */
  tables: CatalogueTable[];
  sequences: string[];
}

type Rows<T> = { rows: T[] };
const rowsOf = async <T>(db: Executor, query: SQL): Promise<T[]> =>
  ((await db.execute(query)) as unknown as Rows<T>).rows;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Text forms that read back the same on any PostgreSQL: dates in ISO and UTC, floats exact,
 * bytea in hex. Only for the current transaction (the embedded database has one shared session).
 */
export async function fixTextForms(tx: Executor) {
  await tx.execute(sql.raw(`set local timezone = 'UTC'`));
  await tx.execute(sql.raw(`set local datestyle = 'ISO, YMD'`));
  await tx.execute(sql.raw(`set local intervalstyle = 'postgres'`));
  await tx.execute(sql.raw(`set local extra_float_digits = 3`));
  await tx.execute(sql.raw(`set local bytea_output = 'hex'`));
}

/** Parents first (Kahn's algorithm, ties by name); a cycle of foreign keys is refused. */
export function parentsFirst(names: string[], edges: { child: string; parent: string }[]): string[] {
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of edges)
    if (child !== parent && parents.has(child) && parents.has(parent)) parents.get(child)!.add(parent);
  const done: string[] = [];
  const placed = new Set<string>();
  while (done.length < names.length) {
    const ready = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)));
    if (!ready.length)
      throw new Error(
        `the tables ${names.filter((n) => !placed.has(n)).join(', ')} refer to each other in a cycle: they cannot be restored in order`,
      );
    for (const n of ready.sort()) {
      done.push(n);
      placed.add(n);
    }
  }
  return done;
}

export function backupRepository(db: Executor) {
  return {
    async catalogue(): Promise<Catalogue> {
      const columns = await rowsOf<{ table: string; name: string; type: string }>(
        db,
        sql`select c.relname as "table", a.attname as name, format_type(a.atttypid, a.atttypmod) as type
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attgenerated = ''
            order by c.relname, a.attnum`,
      );
      const edges = await rowsOf<{ child: string; parent: string }>(
        db,
        sql`select c.relname as child, p.relname as parent
            from pg_constraint k
            join pg_class c on c.oid = k.conrelid
            join pg_class p on p.oid = k.confrelid
            where k.contype = 'f' and k.connamespace = 'public'::regnamespace`,
      );
      const triggered = await rowsOf<{ table: string }>(
        db,
        sql`select distinct c.relname as "table" from pg_trigger t join pg_class c on c.oid = t.tgrelid
            where not t.tgisinternal and c.relnamespace = 'public'::regnamespace`,
      );
      const sequences = await rowsOf<{ name: string }>(
        db,
        sql`select relname as name from pg_class where relkind = 'S' and relnamespace = 'public'::regnamespace order by relname`,
      );
      const byTable = new Map<string, { name: string; type: string }[]>();
      for (const c of columns)
        byTable.set(c.table, [...(byTable.get(c.table) ?? []), { name: c.name, type: c.type }]);
      const withTriggers = new Set(triggered.map((t) => t.table));
      return {
        tables: parentsFirst([...byTable.keys()], edges).map((name) => ({
          name,
          columns: byTable.get(name)!,
          hasTriggers: withTriggers.has(name),
        })),
        sequences: sequences.map((s) => s.name),
      };
    },

    /** The migrations applied, oldest first (none when the database has never been migrated). */
    async appliedMigrations(): Promise<{ hash: string; when: number }[]> {
      const [exists] = await rowsOf<{ present: boolean }>(
        db,
        sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
      );
      if (!exists?.present) return [];
      const rows = await rowsOf<{ hash: string; created_at: string }>(
        db,
        sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at, id`,
      );
      return rows.map((r) => ({ hash: r.hash, when: Number(r.created_at) }));
    },

    /** The snapshot's own time (a transaction's start), as text. */
    async snapshotTime(): Promise<string> {
      const [row] = await rowsOf<{ at: string }>(
        db,
        sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`,
      );
      return row!.at;
    },

    /**
     * A table's rows, each as the JSON array of its columns' text forms, a batch at a time through a
     * cursor (inside the caller's transaction, with `fixTextForms` applied).
     */
    async *rows(table: CatalogueTable, batch = 2_000): AsyncGenerator<string[]> {
      const values = table.columns.map((c) => `${ident(c.name)}::text`).join(', ');
      const cursor = `los_backup_${table.name}`.slice(0, 60);
      await db.execute(
        sql.raw(
          `declare ${ident(cursor)} no scroll cursor for select json_build_array(${values})::text as line from ${ident(table.name)}`,
        ),
      );
      try {
        for (;;) {
          const rows = await rowsOf<{ line: string }>(db, sql.raw(`fetch ${batch} from ${ident(cursor)}`));
          if (!rows.length) break;
          yield rows.map((r) => r.line);
        }
      } finally {
        await db.execute(sql.raw(`close ${ident(cursor)}`));
      }
    },

    async sequenceValues(names: string[]) {
      const out: { name: string; value: string; called: boolean }[] = [];
      for (const name of names) {
        const [row] = await rowsOf<{ value: string; called: boolean }>(
          db,
          sql.raw(`select last_value::text as value, is_called as called from public.${ident(name)}`),
        );
        out.push({ name, value: row!.value, called: row!.called });
      }
      return out;
    },

    async setSequence(name: string, value: string, called: boolean) {
      await db.execute(sql`select setval(${`public.${ident(name)}`}::regclass, ${value}::bigint, ${called})`);
    },

    /** Rows given as JSON arrays of text forms, each read back through its column's type. */
    async insertRows(table: CatalogueTable, lines: string[]) {
      if (!lines.length) return;
      const names = table.columns.map((c) => ident(c.name)).join(', ');
      const values = table.columns.map((c, i) => `(r.v->>${i})::${c.type}`).join(', ');
      await db.execute(
        sql`${sql.raw(`insert into ${ident(table.name)} (${names}) select ${values} from jsonb_array_elements(`)}${`[${lines.join(',')}]`}${sql.raw(`::jsonb) as r(v)`)}`,
      );
    },

    /**
     * Holds off the table's own triggers until `enableTriggers` (within the restoring transaction):
     * rows come back as they were, chained and versioned already. Needs the table's owner.
     */
    async disableTriggers(table: string) {
      await db.execute(sql.raw(`alter table ${ident(table)} disable trigger user`));
    },

    async enableTriggers(table: string) {
      await db.execute(sql.raw(`alter table ${ident(table)} enable trigger user`));
    },

    /** The first table of the application's schema that holds a row, or null when none does. */
    async firstTableWithRows(tables: string[]): Promise<string | null> {
      for (const table of tables) {
        const [row] = await rowsOf<{ any: boolean }>(
          db,
          sql.raw(`select exists (select 1 from ${ident(table)}) as any`),
        );
        if (row?.any) return table;
      }
      return null;
    },

    /** Other connections to this server database (a restore needs it to itself). */
    async otherConnections(): Promise<number> {
      const [row] = await rowsOf<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      return row?.n ?? 0;
    },

    async tryLock(key: number): Promise<boolean> {
      const [row] = await rowsOf<{ ok: boolean }>(db, sql`select pg_try_advisory_lock(${key}) as ok`);
      return row?.ok === true;
    },

    async unlock(key: number) {
      await db.execute(sql`select pg_advisory_unlock(${key})`);
    },
  };
}

export type BackupRepository = ReturnType<typeof backupRepository>;
