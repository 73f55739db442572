import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { auditChainService } from '../../src/services/audit-chain-service.ts';
import { backupDatabase, restoreDatabase } from '../../src/services/backup-service.ts';
import { BackupWriter, readBackup, type BackupHeader } from '../../src/files/backup-file.ts';
import { agencyUpload } from '../../src/files/agency-upload.ts';
import { readChronologyCsv } from '../../src/files/chronology-reader.ts';
import type { DraftRoom } from '../../src/services/return-service.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS, openTestDatabase } from '../support/database.ts';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';
import { emptyDatabase, tableContents } from './contents.ts';
import { serviceConnections } from '../../src/db/client.ts';

const KEY = 'backup-test-audit-key-0123456789-abcdefghij';

/**
 * A backup is the whole database as it stood at one moment; a restore brings it back into an empty
 * database exactly, rows and all (the audit log still proves itself), or refuses and writes nothing.
 */
describe.each(DATABASE_KINDS)('backup and restore (%s)', (kind) => {
  const folder = mkdtempSync(join(tmpdir(), 'los-backup-'));
  const file = join(folder, 'demo.backup.gz');
  let source: DatabaseHandle;

  beforeAll(async () => {
    source = await openTestDatabase(kind);
    // Checkpoints signed, so the restored log is checked against signatures too.
    await auditChainService({ ...serviceConnections(source), now: () => new Date() }).checkpoint(KEY);
  });
  afterAll(async () => {
    await source?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it(
    'restores the demo into an empty database with every table the same, and the audit log verifies',
    { timeout: 120_000 },
    async () => {
      const before = await tableContents(source.db);
      const report = await backupDatabase(source, file);
      expect(report.tables).toBe(Object.keys(before.tables).length);
      expect(report.rows).toBe(Object.values(before.tables).reduce((n, t) => n + t.rows, 0));

      const target = await emptyDatabase(kind);
      try {
        const restored = await restoreDatabase(target.handle, file);
        expect(restored.rows).toBe(report.rows);
        const after = await tableContents(target.handle.db);
        // The restore records itself in the audit log; everything else is as it was backed up.
        const { audit_events: restoredAudit, audit_chain_heads: _h, ...restoredRest } = after.tables;
        const { audit_events: sourceAudit, audit_chain_heads: _s, ...sourceRest } = before.tables;
        expect(restoredRest).toEqual(sourceRest);
        expect(after.sequences).toEqual({ ...before.sequences, audit_events_id_seq: expect.any(String) });
        expect(after.migrations).toEqual(before.migrations);
        expect(restoredAudit!.rows).toBe(sourceAudit!.rows + 1);
        const backedUp = await target.handle.db.execute(
          sql`select count(*)::int as n from audit_events where action = 'database.restore'`,
        );
        expect((backedUp as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
        expect(
          await tableContents(target.handle.db, `where action <> 'database.restore'`).then(
            (c) => c.tables.audit_events,
          ),
        ).toEqual(sourceAudit);

        const verify = await auditChainService({ ...serviceConnections(target.handle), now: () => new Date() }).verify({
          key: KEY,
        });
        expect(verify.breaks).toEqual([]);
        expect(verify.rows).toBe(restoredAudit!.rows);
        // And the log keeps growing on the restored chain.
        await auditChainService({ ...serviceConnections(target.handle), now: () => new Date() }).checkpoint(KEY);
        expect(
          (await auditChainService({ ...serviceConnections(target.handle), now: () => new Date() }).verify({ key: KEY }))
            .breaks,
        ).toEqual([]);
      } finally {
        await target.drop();
      }
    },
  );

  it('refuses a file damaged in any way, before writing anything', { timeout: 120_000 }, async () => {
    const good = readFileSync(file);
    const text = gunzipSync(good).toString('utf8');
    const damaged = (name: string, content: Buffer) => {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    };
    // A row changed inside the file (recompressed, so only the checksum can tell).
    const changed = text.replace('Northshire', 'Southshire');
    expect(changed).not.toBe(text);
    const cases: [string, string, RegExp][] = [
      [
        damaged('changed.gz', gzipSync(changed)),
        'changed',
        /^changed\.gz is damaged: (its content does not match the checksum in its manifest|the rows of table \w+ do not match its checksum)\. Nothing was restored from it\.$/,
      ],
      [
        damaged('cut.gz', good.subarray(0, Math.floor(good.length / 2))),
        'cut short',
        /^cut\.gz is damaged: it ends part-way \(the file is incomplete\)\. Nothing was restored from it\.$/,
      ],
      [
        damaged('no-manifest.gz', gzipSync(text.slice(0, text.lastIndexOf('{"manifest"')))),
        'without its manifest',
        /^no-manifest\.gz is damaged: it ends before its manifest \(the file is incomplete\)\. Nothing was restored from it\.$/,
      ],
      [
        damaged('flipped.gz', flipByte(good, Math.floor(good.length * 0.6))),
        'a byte flipped',
        // Where the flip lands decides which check sees it first (the content has the day's times).
        /^flipped\.gz is damaged: (its compressed data is corrupt|it ends part-way \(the file is incomplete\)|line \d+ is not readable|line \d+ \(a row of \w+\) does not have the table's columns|.*checksum.*)\. Nothing was restored from it\.$/,
      ],
      [
        damaged('plain.txt', Buffer.from('date,agency\n')),
        'not gzip',
        /^plain\.txt is not a Line of Sight backup \(it is not a gzip file\)\.$/,
      ],
      [
        damaged('other.gz', gzipSync('{"hello":"world"}\n')),
        'another gzip file',
        /^other\.gz is not a Line of Sight backup \(its first line is not a backup header\)\.$/,
      ],
    ];
    const target = await emptyDatabase(kind);
    try {
      for (const [path, what, message] of cases) {
        const error = await restoreDatabase(target.handle, path).catch((e: unknown) => e as Error);
        expect(error, what).toBeInstanceOf(Error);
        expect((error as Error).message, what).toMatch(message);
        // Refused before anything was written: not even the schema.
        expect(await tableContents(target.handle.db), what).toEqual({
          tables: {},
          sequences: {},
          migrations: [],
        });
      }
    } finally {
      await target.drop();
    }
  });

  it(
    'refuses a backup of a newer schema than this version knows, and a database that is not empty',
    { timeout: 120_000 },
    async () => {
      // A backup as a newer version would write it: one more migration, every checksum right.
      const newer = join(folder, 'newer.gz');
      let writer: BackupWriter | null = null;
      for await (const item of readBackup(file)) {
        if (item.kind === 'header') {
          const header: BackupHeader = {
            ...item.header,
            schema: [
              ...item.header.schema,
              { tag: '9999_from_the_future', when: 4_102_444_800_000, hash: 'f'.repeat(64) },
            ],
          };
          writer = await BackupWriter.create(newer, header);
        } else if (item.kind === 'table') await writer!.beginTable(item.name, item.columns);
        else if (item.kind === 'row') await writer!.row(item.line);
        else if (item.kind === 'end') await writer!.endTable();
        else if (item.kind === 'sequences') await writer!.sequences(item.sequences);
      }
      await writer!.finish();
      const target = await emptyDatabase(kind);
      try {
        await expect(restoreDatabase(target.handle, newer)).rejects.toThrow(
          /^newer\.gz was taken from a database at a newer schema \(migration 9999_from_the_future\) than this version of Line of Sight knows \(its latest is \d{4}_\w+\)\. Upgrade Line of Sight, then restore\.$/,
        );
        expect((await tableContents(target.handle.db)).migrations).toEqual([]);
      } finally {
        await target.drop();
      }

      // A database holding the demo is not empty; on a server one with another connection is in use;
      // an embedded database held by another process (a running service) is in use. Nothing is touched.
      const other = await commandLineDatabase(kind);
      const held = await other.open();
      try {
        const before = await tableContents(held.db);
        await expect(restoreDatabase(held, file)).rejects.toThrow(
          /^the database is not empty \(\w+ holds rows\): restore into a new, empty database \(a new --data directory, or a newly created server database\), then switch to it\.$/,
        );
        if (kind === 'postgres') {
          const connected = new pg.Client({ connectionString: other.url });
          await connected.connect();
          try {
            await expect(restoreDatabase(held, file)).rejects.toThrow(
              /^the database is in use \(1 other connection\): stop every instance of Line of Sight, and anything else connected to it, before restoring\.$/,
            );
          } finally {
            await connected.end();
          }
        } else {
          const through = await other.open();
          try {
            expect(through.embedded).toBe('through');
            await expect(restoreDatabase(through, file)).rejects.toThrow(
              /^the embedded database is in use by a running service: stop it before restoring/,
            );
          } finally {
            await through.close();
          }
        }
        expect(await tableContents(held.db)).toEqual(before);
      } finally {
        await held.close();
        await other.drop();
      }
    },
  );
});

/**
 * A backup taken while agencies upload their chronologies holds each upload whole or not at all:
 * one snapshot, never half a transaction.
 */
describe.each(DATABASE_KINDS)('a backup taken while uploads run (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  const folder = mkdtempSync(join(tmpdir(), 'los-backup-uploads-'));
  const ROWS = 1000;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const upload = (agency: string, n: number) => {
    const lines = ['date,agency,event_type,summary,source_ref'];
    for (let i = 0; i < ROWS; i++)
      lines.push(
        `2019-04-${String((i % 28) + 1).padStart(2, '0')},${agency},contact,Synthetic upload ${n},U${n}-${i}`,
      );
    const name = `upload-${n}.csv`;
    return {
      name,
      entries: ({ agencyCode, maxRows }: DraftRoom) =>
        agencyUpload(
          readChronologyCsv(Readable.from([Buffer.from(lines.join('\n') + '\n')]), { file: name, maxRows }),
          {
            file: name,
            agencyCode,
          },
        ),
    };
  };

  it('finds every upload whole or absent in the restored database', { timeout: 180_000 }, async () => {
    const police = await actorOf(t, 'police.lead@demo.example');
    const hv = await actorOf(t, 'hv.lead@demo.example');
    let stop = false;
    const uploaded: number[] = [];
    const uploader = async (actor: typeof police, agency: string, first: number) => {
      // A few uploads each: enough to run before, during and after the snapshot is taken.
      for (let n = first; !stop && n < 16; n += 2) {
        await t.services.returns.upload(actor, ref, upload(agency, n));
        uploaded.push(n);
      }
    };
    const running = [uploader(police, 'police', 0), uploader(hv, 'health-visiting', 1)];
    // Let some uploads land, then back up while the others carry on.
    while (uploaded.length < 2) await new Promise((r) => setTimeout(r, 20));
    const file = join(folder, 'during-uploads.gz');
    const backup = backupDatabase(t.database, file);
    await backup;
    stop = true;
    await Promise.all(running);

    const target = await emptyDatabase(kind);
    try {
      await restoreDatabase(target.handle, file);
      const counts = (
        (await target.handle.db.execute(
          sql`select split_part(source_ref, '-', 1) as upload, count(*)::int as n from chronology_entries
              where source_ref like 'U%-%' group by 1`,
        )) as unknown as { rows: { upload: string; n: number }[] }
      ).rows;
      // Every upload in the backup is whole; the ones answered before it began are all there.
      for (const c of counts) expect(c.n, c.upload).toBe(ROWS);
      const inBackup = new Set(counts.map((c) => Number(c.upload.slice(1))));
      expect(inBackup.size).toBeGreaterThanOrEqual(2);
      // Each return's count of uploads recorded in the audit log agrees with the rows restored.
      const audited = (
        (await target.handle.db.execute(
          sql`select count(*)::int as n from audit_events where action = 'return.upload' and detail->>'file' like 'upload-%'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]!.n;
      expect(audited).toBe(inBackup.size);
      expect(
        (await auditChainService({ ...serviceConnections(target.handle), now: () => new Date() }).verify({ key: KEY }))
          .breaks,
      ).toEqual([]);
    } finally {
      await target.drop();
    }
  });
});

function flipByte(buffer: Buffer, at: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}
