import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { poolOf, sessionLocksAreOwnedByConnections, type Database } from '../db/client.ts';
import { monitoringRepository } from '../db/repositories/monitoring-repository.ts';
import {
  copyEntryLines,
  entryCopyLine,
  insertChildrenWithIds,
} from '../db/repositories/monitoring-staging.ts';
import * as schema from '../db/schema.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';

/** Rows per batch on the embedded database; on a server the first batch, doubling up to `MAX_BATCH`. */
export const INSERT_BATCH = 1000;
const MAX_BATCH = 16_000;

/** What a load has read so far, as its run shows it (moved by the caller as it reads). */
export interface StagingState {
  rowsRead: number;
  bytesRead: number;
  children: number;
}

/**
 * Stages a monitoring load's rows under its import run, a batch per transaction: each batch's new
 * children, its entries, and the run's progress (rows, bytes, children) together, so what the run
 * says has been read is what is staged. After each batch `cancelled` is asked whether someone has
 * asked the load to stop (then the load throws what it returns), and `staged` is told.
 *
 * On a PostgreSQL server a batch goes as `COPY … FROM STDIN` on a connection of the load's own,
 * written while the next batch is read. The first batch is small, so the run shows progress at
 * once; each after it twice the size, to `MAX_BATCH`. On the embedded database (one session, whose
 * socket does not pass COPY's sub-protocol) a batch is an `insert … select from unnest` of
 * `INSERT_BATCH` rows, as before.
 */
export function monitoringStager(
  db: Database,
  partnershipId: string,
  importId: string,
  options: { state: StagingState; cancelled: () => Error; staged: () => void },
) {
  const { state } = options;
  const keyToId = new Map<string, string>();
  const server = sessionLocksAreOwnedByConnections(db);

  let entries: ChronologyEntry[] = [];
  let lines: string[] = [];
  let fresh: { id: string; key: string }[] = [];
  let target = INSERT_BATCH;
  let client: pg.PoolClient | null = null;
  let writing: Promise<void> | null = null;

  /** One batch's rows, new children and the run's figures, in one transaction. */
  async function write(
    on: Database,
    batch: { lines: string[]; entries: ChronologyEntry[]; fresh: { id: string; key: string }[] },
    figures: StagingState,
  ) {
    await on.transaction(async (tx) => {
      const repo = monitoringRepository(tx, partnershipId);
      if (server) {
        await insertChildrenWithIds(tx, partnershipId, importId, batch.fresh);
        await copyEntryLines(client!, batch.lines);
      } else {
        const keys = [...new Set(batch.entries.map((e) => e.child!))].filter((k) => !keyToId.has(k));
        for (const [key, id] of await repo.insertChildren(importId, keys)) keyToId.set(key, id);
        await repo.insertEntries(
          batch.entries.map((entry) => ({ childId: keyToId.get(entry.child!)!, entry })),
        );
        figures.children = keyToId.size;
      }
      const { cancelRequested } = await repo.progress(importId, figures);
      if (cancelRequested) throw options.cancelled();
    });
    state.children = figures.children;
    options.staged();
  }

  async function flush() {
    if (writing) await writing;
    writing = null;
    if (!entries.length && !lines.length) return;
    const batch = { lines, entries, fresh };
    lines = [];
    entries = [];
    fresh = [];
    const figures = { rowsRead: state.rowsRead, bytesRead: state.bytesRead, children: keyToId.size };
    if (!server) {
      await write(db, batch, figures);
      return;
    }
    client ??= await poolOf(db).connect();
    const session = drizzle(client, { schema }) as unknown as Database;
    // Not awaited: the next batch is read meanwhile. Marked handled now, it throws where awaited.
    // Figures taken now: the next batch is read (rows, bytes and children counted) while this is written.
    writing = write(session, batch, figures);
    writing.catch(() => undefined);
    target = Math.min(target * 2, MAX_BATCH);
  }

  return {
    /** One checked row (its child's key present). */
    async add(entry: ChronologyEntry) {
      const key = entry.child!;
      if (server) {
        let id = keyToId.get(key);
        if (!id) {
          id = randomUUID();
          keyToId.set(key, id);
          fresh.push({ id, key });
        }
        lines.push(entryCopyLine(id, entry));
        if (lines.length >= target) await flush();
      } else {
        entries.push(entry);
        if (entries.length >= INSERT_BATCH) await flush();
      }
    },

    /** The last batch, staged. */
    async finish() {
      await flush();
      if (writing) await writing;
    },

    /** Whatever happened: nothing still running, and the load's connection back (dropped after a failure). */
    async close(failed: boolean) {
      await Promise.allSettled([writing]);
      // After a failed COPY the connection may be mid-protocol: it is closed rather than reused.
      client?.release(failed || undefined);
      client = null;
    },
  };
}
