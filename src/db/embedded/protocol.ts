/**
 * Just enough of the PostgreSQL wire protocol (version 3) to put several connections in front of
 * PGlite, which has one session: where a frontend message ends, and what the backend said of its
 * transaction at the end of a reply (ReadyForQuery). Everything else passes through untouched.
 */

/** The protocol version a StartupMessage carries (3.0). */
export const PROTOCOL_3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

/** Transaction status of ReadyForQuery: idle, in a transaction block, in a failed block. */
export type TransactionStatus = 'I' | 'T' | 'E';

export type FrontendMessage =
  | { kind: 'ssl-request' }
  | { kind: 'gssenc-request' }
  | { kind: 'cancel-request' }
  | { kind: 'startup'; bytes: Buffer }
  | { kind: 'terminate' }
  | { kind: 'message'; type: string; bytes: Buffer };

/** Frontend messages at most this large (the biggest statement the application sends is far smaller). */
export const MAX_FRONTEND_MESSAGE = 256 * 1024 * 1024;

/**
 * Splits what a client sent into whole messages, keeping a partial one for the next chunk. Before
 * the startup message, messages have no type byte.
 */
export class FrontendReader {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;

  push(chunk: Buffer): FrontendMessage[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const messages: FrontendMessage[] = [];
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (length < 8 || length > 10_000) throw new Error('malformed startup packet');
        if (this.buffer.length < length) break;
        const bytes = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST) messages.push({ kind: 'ssl-request' });
        else if (code === GSSENC_REQUEST) messages.push({ kind: 'gssenc-request' });
        else if (code === CANCEL_REQUEST) messages.push({ kind: 'cancel-request' });
        else if (code === PROTOCOL_3) {
          this.started = true;
          messages.push({ kind: 'startup', bytes: Buffer.from(bytes) });
        } else throw new Error('unsupported protocol version');
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = this.buffer.readInt32BE(1);
      if (length < 4 || length > MAX_FRONTEND_MESSAGE) throw new Error('malformed message');
      if (this.buffer.length < length + 1) break;
      const type = String.fromCharCode(this.buffer[0]!);
      const bytes = this.buffer.subarray(0, length + 1);
      this.buffer = this.buffer.subarray(length + 1);
      messages.push(type === 'X' ? { kind: 'terminate' } : { kind: 'message', type, bytes });
    }
    if (this.buffer.length === 0) this.buffer = Buffer.alloc(0);
    return messages;
  }
}

/**
 * Follows a backend reply chunk by chunk (a chunk may end inside a message) and remembers the
 * transaction status of the last ReadyForQuery seen.
 */
export class ReadyForQueryScanner {
  /** Bytes of the current message still to skip. */
  private skip = 0;
  /** A message header cut by a chunk boundary. */
  private header: number[] = [];
  private readyType = false;
  status: TransactionStatus | null = null;

  reset() {
    this.status = null;
  }

  push(chunk: Uint8Array) {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        // ReadyForQuery's body is its one status byte.
        if (this.readyType) this.status = String.fromCharCode(chunk[i]!) as TransactionStatus;
        this.skip -= n;
        i += n;
        continue;
      }
      this.header.push(chunk[i]!);
      i += 1;
      if (this.header.length === 5) {
        const [type, a, b, c, d] = this.header as [number, number, number, number, number];
        this.header = [];
        this.readyType = type === 0x5a; // 'Z'
        this.skip = ((a << 24) | (b << 16) | (c << 8) | d) - 4;
      }
    }
  }
}

/** A Sync message: ends an extended-protocol sequence, so the backend stops skipping after an error. */
export const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/** An ErrorResponse followed by nothing: for refusing a client before it reaches the database. */
export function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header[0] = 0x45; // 'E'
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/** The `user` a startup message names (its parameters are name and value pairs, each ending in 0). */
export function startupUser(startup: Buffer): string | null {
  const fields = startup.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'user') return fields[i + 1] ?? null;
  return null;
}
