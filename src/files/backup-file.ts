import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';

/**
 * The backup file: gzip'd lines of JSON, written as the database is read so a large database is
 * never held in memory.
 *
 *   {"lineOfSightBackup":1, "createdAt":…, "database":…, "schema":[migrations applied]}   header
 *   {"table":"agencies","columns":[{"name":"id","type":"uuid"},…]}                        a table
 *   ["…","…",null]                                     one row: each column's text form, or null
 *   {"end":"agencies","rows":10,"digest":"…"}
 *   {"sequences":[{"name":"audit_events_id_seq","value":"125","called":true}]}
 *   {"manifest":{"tables":[…],"rows":N,"sha256":"…"}}                                    last line
 *
 * A table's digest is the sum (mod 2^256) of its rows' SHA-256, so it names the table's content
 * whatever order the rows come in; a restore reads the restored table again and compares. The
 * manifest's sha256 covers every byte before it: a damaged or cut-short file is refused before
 * anything is written. The file is written beside its final name and renamed when complete, so a
 * backup that is stopped part-way never leaves a file under the name asked for (and the next
 * backup to that name removes what it left).
 */

export const BACKUP_FORMAT = 1;

export interface BackupColumn {
  name: string;
  /** PostgreSQL's name for the column's type (`format_type`), used to read its text back. */
  type: string;
}

export interface BackupMigration {
  /** The migration's file name without .sql, e.g. 0016_identity. */
  tag: string | null;
  /** drizzle's timestamp of the migration (its identity in the migrations journal). */
  when: number;
  hash: string;
}

export interface BackupHeader {
  lineOfSightBackup: number;
  /** When the snapshot was taken (the database's clock). */
  createdAt: string;
  database: 'pglite' | 'postgres';
  /** The migrations applied to the database backed up, oldest first. */
  schema: BackupMigration[];
}

export interface BackupSequence {
  name: string;
  /** bigint as text. */
  value: string;
  called: boolean;
}

export interface BackupTableSummary {
  name: string;
  rows: number;
  digest: string;
}

export interface BackupManifest {
  tables: BackupTableSummary[];
  sequences: BackupSequence[];
  rows: number;
  /** SHA-256 of every byte of the (uncompressed) file before the manifest's line. */
  sha256: string;
}

/** A backup file that cannot be used: damaged, incomplete, or not a backup at all. */
export class BackupFileError extends Error {
  override readonly name = 'BackupFileError';
}

const TWO_256 = 1n << 256n;

/** The order-free digest of a table's rows (each row's line, as written). */
export class TableDigest {
  private sum = 0n;
  rows = 0;

  add(line: string) {
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(line, 'utf8').digest('hex')}`)) % TWO_256;
    this.rows += 1;
  }

  get value(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

/** One row as its line: each column's text form (or null), as a JSON array. */
export const rowLine = (values: (string | null)[]) => JSON.stringify(values);

/** Writes a backup file line by line; `finish` makes it appear under its name, `abandon` removes it. */
export class BackupWriter {
  private readonly partial: string;
  private readonly out: WriteStream;
  private readonly gzip: Gzip;
  private readonly hash = createHash('sha256');
  private readonly tables: BackupTableSummary[] = [];
  private current: { name: string; digest: TableDigest } | null = null;
  private sequenceList: BackupSequence[] = [];
  private failure: Error | null = null;
  bytesIn = 0;

  private constructor(readonly path: string) {
    this.partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
    this.out = createWriteStream(this.partial, { flags: 'wx', mode: 0o600 });
    this.gzip = createGzip({ level: 6 });
    this.gzip.pipe(this.out);
    const fail = (error: Error) => (this.failure ??= error);
    this.out.on('error', fail);
    this.gzip.on('error', fail);
  }

  /** Starts a backup to `path`; it is created readable by its owner only (it holds children's data). */
  static async create(path: string, header: BackupHeader): Promise<BackupWriter> {
    await removeAbandoned(path);
    const writer = new BackupWriter(path);
    await new Promise<void>((resolve, reject) => {
      writer.out.once('open', () => resolve());
      writer.out.once('error', reject);
    });
    await writer.line(JSON.stringify(header));
    return writer;
  }

  private async line(text: string) {
    if (this.failure) throw this.failure;
    const bytes = `${text}\n`;
    this.hash.update(bytes, 'utf8');
    this.bytesIn += Buffer.byteLength(bytes);
    if (!this.gzip.write(bytes))
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          this.gzip.off('drain', done);
          this.gzip.off('error', done);
          if (this.failure) reject(this.failure);
          else resolve();
        };
        this.gzip.on('drain', done);
        this.gzip.on('error', done);
      });
  }

  async beginTable(name: string, columns: BackupColumn[]) {
    this.current = { name, digest: new TableDigest() };
    await this.line(JSON.stringify({ table: name, columns }));
  }

  async row(line: string) {
    this.current!.digest.add(line);
    await this.line(line);
  }

  async endTable() {
    const { name, digest } = this.current!;
    const summary = { name, rows: digest.rows, digest: digest.value };
    this.tables.push(summary);
    this.current = null;
    await this.line(JSON.stringify({ end: name, rows: summary.rows, digest: summary.digest }));
  }

  async sequences(list: BackupSequence[]) {
    this.sequenceList = list;
    await this.line(JSON.stringify({ sequences: list }));
  }

  /** Writes the manifest, flushes the file to disk and gives it its name. */
  async finish(): Promise<BackupManifest & { bytes: number }> {
    const manifest: BackupManifest = {
      tables: this.tables,
      sequences: this.sequenceList,
      rows: this.tables.reduce((n, t) => n + t.rows, 0),
      sha256: this.hash.copy().digest('hex'),
    };
    await this.line(JSON.stringify({ manifest }));
    await new Promise<void>((resolve, reject) => {
      this.out.once('finish', resolve);
      this.out.once('error', reject);
      this.gzip.end();
    });
    if (this.failure) throw this.failure;
    const handle = await open(this.partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.partial, this.path);
    const { size } = await stat(this.path);
    return { ...manifest, bytes: size };
  }

  /** Removes what was written (the backup failed). */
  async abandon() {
    this.gzip.destroy();
    this.out.destroy();
    await rm(this.partial, { force: true });
  }
}

/** What a backup to the same file left when its process was killed part-way (its pid is gone). */
async function removeAbandoned(path: string) {
  const prefix = `.${basename(path)}.partial-`;
  for (const entry of await readdir(dirname(path)).catch(() => [] as string[])) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await rm(join(dirname(path), entry), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type BackupItem =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; name: string; columns: BackupColumn[] }
  | { kind: 'row'; table: string; line: string; values: (string | null)[] }
  | { kind: 'end'; summary: BackupTableSummary }
  | { kind: 'sequences'; sequences: BackupSequence[] }
  | { kind: 'manifest'; manifest: BackupManifest };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a backup file item by item, checking as it goes: its shape, each table's row count and
 * digest against its own summary, and at the end every byte against the manifest. Any fault is a
 * BackupFileError naming the file and what is wrong.
 */
export async function* readBackup(path: string): AsyncGenerator<BackupItem> {
  const name = basename(path);
  const damaged = (what: string) =>
    new BackupFileError(`${name} is damaged: ${what}. Nothing was restored from it.`);
  const first = await firstBytes(path);
  if (first.length < 2 || first[0] !== 0x1f || first[1] !== 0x8b)
    throw new BackupFileError(`${name} is not a Line of Sight backup (it is not a gzip file).`);

  const hash = createHash('sha256');
  let lineNo = 0;
  let header: BackupHeader | null = null;
  let table: { name: string; columns: BackupColumn[]; digest: TableDigest } | null = null;
  const summaries: BackupTableSummary[] = [];
  let sequences: BackupSequence[] | null = null;
  let manifest: BackupManifest | null = null;

  const item = (text: string): BackupItem => {
    lineNo += 1;
    if (manifest) throw damaged(`there is more after its manifest (line ${lineNo})`);
    if (!header) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (!isObject(parsed) || typeof parsed.lineOfSightBackup !== 'number')
        throw new BackupFileError(
          `${name} is not a Line of Sight backup (its first line is not a backup header).`,
        );
      if (parsed.lineOfSightBackup > BACKUP_FORMAT)
        throw new BackupFileError(
          `${name} was written in backup format ${parsed.lineOfSightBackup} by a newer version of Line of Sight; this version reads format ${BACKUP_FORMAT}. Restore it with the newer version.`,
        );
      if (!Array.isArray(parsed.schema) || typeof parsed.createdAt !== 'string')
        throw damaged('its header is incomplete');
      header = parsed as unknown as BackupHeader;
      hash.update(`${text}\n`, 'utf8');
      return { kind: 'header', header };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw damaged(`line ${lineNo} is not readable`);
    }
    if (Array.isArray(parsed)) {
      if (!table) throw damaged(`line ${lineNo} is a row outside any table`);
      if (parsed.length !== table.columns.length || !parsed.every((v) => v === null || typeof v === 'string'))
        throw damaged(`line ${lineNo} (a row of ${table.name}) does not have the table's columns`);
      table.digest.add(text);
      hash.update(`${text}\n`, 'utf8');
      return { kind: 'row', table: table.name, line: text, values: parsed as (string | null)[] };
    }
    if (!isObject(parsed)) throw damaged(`line ${lineNo} is not readable`);
    if ('manifest' in parsed) {
      if (table) throw damaged(`table ${table.name} is not finished before the manifest`);
      const m = parsed.manifest as BackupManifest;
      if (!isObject(m) || typeof m.sha256 !== 'string' || !Array.isArray(m.tables))
        throw damaged('its manifest is incomplete');
      if (hash.digest('hex') !== m.sha256)
        throw damaged('its content does not match the checksum in its manifest');
      const mismatch =
        summaries.length !== m.tables.length ||
        summaries.some(
          (s, i) =>
            s.name !== m.tables[i]?.name || s.digest !== m.tables[i]?.digest || s.rows !== m.tables[i]?.rows,
        );
      if (mismatch) throw damaged('its tables do not match its manifest');
      manifest = m;
      return { kind: 'manifest', manifest: m };
    }
    hash.update(`${text}\n`, 'utf8');
    if (typeof parsed.table === 'string') {
      if (table) throw damaged(`table ${table.name} is not finished before table ${parsed.table}`);
      const columns = parsed.columns as BackupColumn[];
      if (
        !Array.isArray(columns) ||
        !columns.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.type === 'string')
      )
        throw damaged(`the columns of table ${parsed.table} are not readable`);
      table = { name: parsed.table, columns, digest: new TableDigest() };
      return { kind: 'table', name: parsed.table, columns };
    }
    if (typeof parsed.end === 'string') {
      if (!table || table.name !== parsed.end)
        throw damaged(`line ${lineNo} ends a table that was not begun`);
      if (parsed.rows !== table.digest.rows || parsed.digest !== table.digest.value)
        throw damaged(`the rows of table ${table.name} do not match its checksum`);
      const summary = { name: table.name, rows: table.digest.rows, digest: table.digest.value };
      summaries.push(summary);
      table = null;
      return { kind: 'end', summary };
    }
    if (Array.isArray(parsed.sequences)) {
      sequences = parsed.sequences as BackupSequence[];
      return { kind: 'sequences', sequences };
    }
    throw damaged(`line ${lineNo} is not readable`);
  };

  const decoder = new StringDecoder('utf8');
  let rest = '';
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield item(line);
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end/i.test((error as Error).message))
      throw damaged(
        code === 'Z_DATA_ERROR'
          ? 'its compressed data is corrupt'
          : 'it ends part-way (the file is incomplete)',
      );
    throw error;
  } finally {
    stream.destroy();
  }
  rest += decoder.end();
  if (rest !== '') yield item(rest);
  if (!header) throw new BackupFileError(`${name} is empty: it is not a Line of Sight backup.`);
  if (!manifest) throw damaged('it ends before its manifest (the file is incomplete)');
  if (!sequences) throw damaged('it has no sequences');
}

/** Reads a whole backup to check it, keeping only its header and manifest. */
export async function checkBackup(path: string): Promise<{
  header: BackupHeader;
  manifest: BackupManifest;
  tables: { name: string; columns: BackupColumn[] }[];
}> {
  let header: BackupHeader | null = null;
  let manifest: BackupManifest | null = null;
  const tables: { name: string; columns: BackupColumn[] }[] = [];
  for await (const item of readBackup(path)) {
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'table') tables.push({ name: item.name, columns: item.columns });
    else if (item.kind === 'manifest') manifest = item.manifest;
  }
  return { header: header!, manifest: manifest!, tables };
}

async function firstBytes(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BackupFileError(`${path} does not exist.`);
    throw error;
  }
  try {
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
