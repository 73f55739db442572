import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from '../client.ts';
import { chronologySortKey, type ChronologyEntry } from '../../domain/chronology/entry.ts';

/**
 * Staging a monitoring load's rows on a PostgreSQL server: `COPY … FROM STDIN` into the entry
 * table, with the children's ids made here, so that rows go to the server as text in one stream
 * per batch instead of one array parameter per column (which the driver escapes value by value
 * and the server parses again). docs/benchmarks.md "The monitoring dataset at scale".
 */

/** The entry table's columns, in the order of each COPY line. */
const ENTRY_COLUMNS = `child_id, date, sort_key, time, agency, event_type, summary, children_present,
  child_seen, child_voice, concerns, worker, practitioner_role, action_taken, outcome, significance,
  source_ref, extra, source_row`;

/** COPY's text format: backslash, newline, carriage return and tab escaped; `\N` is null. */
const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const field = (value: string | null): string =>
  value === null ? '\\N' : SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;

/** An array literal whose elements are quoted, so a tag may hold any character. */
const textArray = (values: readonly string[]): string =>
  values.length ? `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}` : '{}';

/**
 * One entry as a line of COPY text for `ENTRY_COLUMNS`. Joined, not concatenated: the line is one
 * flat string, holding no reference to the record the reader sliced its values from (a
 * concatenation would keep every record of a batch alive, and the collector busy, until it is sent).
 */
export function entryCopyLine(childId: string, e: ChronologyEntry): string {
  return [
    childId,
    field(e.date),
    field(chronologySortKey(e)),
    field(e.time),
    field(e.agency),
    field(e.eventType),
    field(e.summary),
    field(e.childrenPresent),
    field(e.childSeen),
    field(e.childVoice),
    field(textArray(e.concerns)),
    field(e.worker),
    field(e.practitionerRole),
    field(e.actionTaken),
    field(e.outcome),
    field(e.significance),
    field(e.sourceRef),
    field(JSON.stringify(e.extra)),
    `${e.row}\n`,
  ].join('\t');
}

/** New children of a staged import, their ids made by the caller (so no reply is waited on): one statement. */
export async function insertChildrenWithIds(
  db: Executor,
  partnershipId: string,
  importId: string,
  children: readonly { id: string; key: string }[],
) {
  if (!children.length) return;
  await db.execute(sql`
    insert into monitored_children (id, partnership_id, import_id, child_key)
    select u.id, ${partnershipId}::uuid, ${importId}::uuid, u.key
    from unnest(${sql.param(children.map((c) => c.id))}::uuid[], ${sql.param(children.map((c) => c.key))}::text[])
      as u(id, key)`);
}

/** Sends lines made by `entryCopyLine` to the entry table, on a client of its own (a server's). */
export async function copyEntryLines(client: pg.PoolClient, lines: readonly string[]) {
  if (!lines.length) return;
  const stream = client.query(copyFrom(`copy monitoring_entries (${ENTRY_COLUMNS}) from stdin`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(lines.join(''));
  });
}
