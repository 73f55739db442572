import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The audit log's tamper evidence, checked. Each row carries its place in its chain, the previous
 * row's hash and its own: SHA-256 of the previous hash followed by the row's canonical content
 * (rendered by the database, `audit_event_content`, drizzle/0015). Signed checkpoints hold an HMAC
 * of a chain's position and hash with a key the database never sees.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  id: number;
  chain: string | null;
  seq: number | null;
  /** The row's time, as the database rendered it in its content (ISO, UTC, microseconds). */
  at: string;
  prevHash: string | null;
  rowHash: string | null;
  /** The canonical content, as the database renders it now. */
  content: string;
}

export interface Checkpoint {
  chain: string;
  seq: number;
  hash: string;
  keyId: string;
  signature: string;
}

export type BreakKind = 'changed' | 'deleted' | 'inserted' | 'out-of-order' | 'checkpoint';

export interface ChainBreak {
  kind: BreakKind;
  chain: string;
  /** The row where the chain first fails to hold (null when rows are missing at the end). */
  rowId: number | null;
  seq: number | null;
  message: string;
}

export const rowHash = (prevHash: string, content: string) =>
  createHash('sha256')
    .update(prevHash + content, 'utf8')
    .digest('hex');

export const keyIdOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12);

export const signCheckpoint = (key: string, c: Pick<Checkpoint, 'chain' | 'seq' | 'hash'>) =>
  createHmac('sha256', key).update(`${c.chain}|${c.seq}|${c.hash}`, 'utf8').digest('hex');

function sameHex(a: string, b: string) {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Walks one chain's rows in the order of their place (`seq`), from its start or from a trusted
 * row (`from`: the position and hash the walk starts after), and returns the first break: a row
 * whose content no longer gives its hash (changed), a place missing (deleted), a row without a
 * place or in another's place (inserted), a row whose time goes back or whose link does not
 * follow (out of order), or a checkpoint that does not match or is not signed by the key.
 */
export function verifyChain(
  chain: string,
  rows: readonly ChainRow[],
  options: {
    from?: { seq: number; hash: string };
    checkpoints?: readonly Checkpoint[];
    key?: string | null;
    /** The chain head the database keeps (its last place and hash), if read. */
    head?: { seq: number; hash: string } | null;
  } = {},
): ChainBreak | null {
  let expectedSeq = (options.from?.seq ?? 0) + 1;
  let prev = options.from?.hash ?? GENESIS_HASH;
  let lastAt = '';
  const hashAt = new Map<number, string>();
  const fail = (kind: BreakKind, row: ChainRow | null, message: string): ChainBreak => ({
    kind,
    chain,
    rowId: row?.id ?? null,
    seq: row?.seq ?? null,
    message,
  });
  for (const row of rows) {
    if (row.seq === null || row.rowHash === null || row.prevHash === null)
      return fail(
        'inserted',
        row,
        `audit row ${row.id} has no place in the chain: it was inserted behind the application's back`,
      );
    if (row.seq < expectedSeq)
      return fail(
        'inserted',
        row,
        `audit row ${row.id} takes place ${row.seq}, which another row already holds`,
      );
    if (row.seq > expectedSeq)
      return fail(
        'deleted',
        row,
        `audit rows at places ${expectedSeq}${row.seq - 1 > expectedSeq ? `–${row.seq - 1}` : ''} of the chain are missing: deleted before row ${row.id}`,
      );
    if (row.prevHash !== prev)
      return fail(
        'out-of-order',
        row,
        `audit row ${row.id} (place ${row.seq}) does not follow the row before it`,
      );
    if (!sameHex(rowHash(prev, row.content), row.rowHash))
      return fail('changed', row, `audit row ${row.id} (place ${row.seq}) was changed after it was written`);
    if (row.at < lastAt)
      return fail(
        'out-of-order',
        row,
        `audit row ${row.id} (place ${row.seq}) is dated before the row before it`,
      );
    lastAt = row.at;
    hashAt.set(row.seq, row.rowHash);
    prev = row.rowHash;
    expectedSeq += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (
    options.head &&
    (options.head.seq > lastSeq || (options.head.seq === lastSeq && options.head.hash !== prev))
  )
    return fail(
      'deleted',
      null,
      `the chain ends at place ${lastSeq} but had reached place ${options.head.seq}: its last rows were deleted`,
    );
  for (const checkpoint of options.checkpoints ?? []) {
    if (checkpoint.seq > lastSeq)
      return fail(
        'deleted',
        null,
        `a signed checkpoint is at place ${checkpoint.seq}, after the chain's end at ${lastSeq}: rows were deleted`,
      );
    const from = options.from?.seq ?? 0;
    if (checkpoint.seq <= from) continue;
    const at = hashAt.get(checkpoint.seq);
    if (at !== checkpoint.hash)
      return fail(
        'checkpoint',
        null,
        `the chain at place ${checkpoint.seq} is not what the signed checkpoint recorded: it was rewritten`,
      );
    if (
      options.key &&
      checkpoint.keyId === keyIdOf(options.key) &&
      !sameHex(signCheckpoint(options.key, checkpoint), checkpoint.signature)
    )
      return fail(
        'checkpoint',
        null,
        `the checkpoint at place ${checkpoint.seq} is not signed by the audit key: it was forged`,
      );
  }
  return null;
}
