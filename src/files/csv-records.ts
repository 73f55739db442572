/**
 * The CSV records of a chronology file, parsed from its bytes as they arrive.
 *
 * It reads exactly as csv-parse 7 did with the options the reader used (comma, double quote
 * escaped by doubling, the record delimiter taken from the first line break outside quotes, any
 * number of values per row, a size limit per record), with the same four errors at the same
 * record and column. csv-parse is general and interprets every option at every byte; on a
 * 100,000-row upload it took most of the reading time, this takes a small part of it.
 * csv-records.test.ts checks the two agree on random input cut into random chunks.
 */

export type CsvErrorCode =
  'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'INVALID_OPENING_QUOTE' | 'CSV_MAX_RECORD_SIZE';

/** A file that is not well-formed CSV: `records` records were complete, the `column`th (from 0) was being read. */
export class CsvFormatError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    readonly records: number,
    readonly column: number,
  ) {
    super(`${code} in record ${records + 1}, value ${column + 1}`);
    this.name = 'CsvFormatError';
  }
}

/** A record's values, and how many bytes of the input lie before its end (its line break included). */
export interface CsvRecord {
  values: string[];
  bytes: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** The record delimiter, once the first line break outside quotes has shown it. */
const enum Delimiter {
  Unknown,
  Lf,
  Cr,
  CrLf,
}

/** A record's values are held undecoded up to this many bytes, then decoded (a runaway record). */
const PENDING_BYTES = 64 * 1024;

export class CsvRecords {
  /** Records completed so far. */
  records = 0;
  private delimiter = Delimiter.Unknown;
  /** The bytes from `carryAt` on, kept while a record is not complete. */
  private carry: Buffer | null = null;
  // Offsets in the whole input: of `carry[0]`, of the current value's first byte, of where
  // scanning resumes.
  private carryAt = 0;
  private valueAt = 0;
  private resumeAt = 0;
  /** The current record's values decoded so far, and their characters. */
  private record: string[] = [];
  private recordLength = 0;
  /**
   * The current record's complete values not yet decoded: [from, to) of each one's text (inside
   * its quotes), as input offsets, and 1 if it has doubled quotes, from `pendingAt` on. A record is decoded whole when it ends,
   * one call instead of one per value. Their bytes bound their characters from above.
   */
  private pending: number[] = [];
  private pendingAt = 0;
  private pendingBytes = 0;
  /** Bytes of the current value so far (a doubled quote counts one). */
  private valueBytes = 0;
  private quoting = false;
  private wasQuoted = false;

  constructor(
    private readonly maxRecordSize: number,
    /** Tests make it small. */
    private readonly pendingLimit = PENDING_BYTES,
  ) {}

  /** Parses `chunk`, appending each record it completes to `out`; throws CsvFormatError. */
  write(chunk: Buffer, out: CsvRecord[]): void {
    this.parse(chunk, false, out);
  }

  /** The input has ended: the last record, or the error of an unclosed quote. */
  end(out: CsvRecord[]): void {
    this.parse(Buffer.alloc(0), true, out);
  }

  private parse(chunk: Buffer, end: boolean, out: CsvRecord[]): void {
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    const base = this.carryAt;
    const len = buf.length;
    // Plain locals, not captured by any closure, so the loops below keep them in registers.
    let start = this.valueAt - base; // the current value's first byte in `buf`
    let i = this.resumeAt - base;
    let { quoting, wasQuoted, valueBytes } = this;

    scan: while (i < len) {
      if (quoting) {
        // The value's bytes up to the next quote, found by memchr.
        let quote = buf.indexOf(QUOTE, i);
        if (quote < 0) quote = len;
        if (quote > i) {
          this.checkSize(buf, base, valueBytes, quote - i);
          valueBytes += quote - i;
          i = quote;
          if (i >= len) break scan;
        }
        // A quote inside quotes: doubled, closing, or a mistake. Decide on the bytes after it.
        if (i + 1 >= len && !end) break scan;
        const next = buf[i + 1];
        if (next === QUOTE) {
          this.checkSize(buf, base, valueBytes, 1);
          valueBytes += 1;
          i += 2;
          continue;
        }
        let closes = next === undefined || next === COMMA;
        if (!closes && next === CR && i + 2 >= len && !end) break scan; // CRLF or CR: one more byte
        if (!closes && (next === CR || next === LF)) {
          if (this.delimiter === Delimiter.Unknown) {
            this.delimiter = next === LF ? Delimiter.Lf : buf[i + 2] === LF ? Delimiter.CrLf : Delimiter.Cr;
            closes = true;
          } else
            closes =
              this.delimiter === Delimiter.Lf
                ? next === LF
                : this.delimiter === Delimiter.Cr
                  ? next === CR
                  : next === CR && buf[i + 2] === LF;
        }
        if (!closes) throw this.fail('CSV_INVALID_CLOSING_QUOTE');
        quoting = false;
        wasQuoted = true;
        i += 1;
        continue;
      }
      // A run of plain bytes, up to the next byte that matters.
      let j = i;
      let c = 0;
      while (j < len) {
        c = buf[j]!;
        if (c === COMMA || c === CR || c === LF || c === QUOTE) break;
        j += 1;
      }
      if (j > i) {
        this.checkSize(buf, base, valueBytes, j - i);
        valueBytes += j - i;
        i = j;
        if (i >= len) break scan;
      }
      if (c === COMMA) {
        this.endValue(base + start, base + i, wasQuoted, valueBytes);
        valueBytes = 0;
        wasQuoted = false;
        i += 1;
        start = i;
        continue;
      }
      if (c === QUOTE) {
        if (valueBytes !== 0) throw this.fail('INVALID_OPENING_QUOTE');
        quoting = true;
        i += 1;
        continue;
      }
      // CR or LF.
      if (this.delimiter === Delimiter.Unknown) {
        if (c === CR && i + 1 >= len && !end) break scan;
        this.delimiter = c === LF ? Delimiter.Lf : buf[i + 1] === LF ? Delimiter.CrLf : Delimiter.Cr;
      }
      let length = 0;
      if (this.delimiter === Delimiter.Lf) length = c === LF ? 1 : 0;
      else if (this.delimiter === Delimiter.Cr) length = c === CR ? 1 : 0;
      else if (c === CR) {
        if (i + 1 >= len && !end) break scan;
        length = buf[i + 1] === LF ? 2 : 0;
      }
      if (length > 0) {
        this.endValue(base + start, base + i, wasQuoted, valueBytes);
        valueBytes = 0;
        wasQuoted = false;
        i += length;
        start = i;
        this.endRecord(buf, base, base + i, out);
        continue;
      }
      // A line break that is not the file's record delimiter is part of the value.
      this.checkSize(buf, base, valueBytes, 1);
      valueBytes += 1;
      i += 1;
    }

    if (end) {
      if (i < len) throw new RangeError('unreachable: the end of the input needs no more bytes');
      if (quoting) throw this.fail('CSV_QUOTE_NOT_CLOSED');
      if (wasQuoted || this.record.length !== 0 || this.pending.length !== 0 || valueBytes !== 0) {
        this.endValue(base + start, base + len, wasQuoted, valueBytes);
        this.endRecord(buf, base, base + len, out);
      }
      this.carry = null;
      return;
    }
    // Keep the unfinished record for the next chunk (a copy: the chunk is not ours to hold), or
    // only the unfinished value if the record's values so far are many.
    if (start - (this.pendingAt - base) > this.pendingLimit) this.decodePending(buf, base, base + start);
    const keep = Math.min(start, this.pendingAt - base);
    this.carry = keep < len ? Buffer.from(buf.subarray(keep)) : null;
    this.carryAt = base + keep;
    this.valueAt = base + start;
    this.resumeAt = base + i;
    this.quoting = quoting;
    this.wasQuoted = wasQuoted;
    this.valueBytes = valueBytes;
  }

  /**
   * Before each byte of a value csv-parse checks the record is not already over the limit: for a
   * run of `bytes` bytes that fails at some byte exactly when it fails at the last one. The
   * pending values' bytes bound their characters; only near the limit are they decoded to count.
   */
  private checkSize(buf: Buffer, base: number, valueBytes: number, bytes: number): void {
    const room = this.maxRecordSize - valueBytes - bytes + 1;
    if (this.recordLength + this.pendingBytes <= room) return;
    this.decodePending(buf, base, this.pendingAt);
    if (this.recordLength > room) throw this.fail('CSV_MAX_RECORD_SIZE');
  }

  private fail(code: CsvErrorCode): CsvFormatError {
    return new CsvFormatError(code, this.records, this.record.length + this.pending.length / 3);
  }

  /** A value has ended at input offset `to`; it began at `from` (its opening quote if quoted). */
  private endValue(from: number, to: number, quoted: boolean, bytes: number): void {
    // A quoted value has more bytes than it counted only if it has doubled quotes to undo.
    if (quoted) this.pending.push(from + 1, to - 1, to - from - 2 === bytes ? 0 : 1);
    else this.pending.push(from, to, 0);
    this.pendingBytes += bytes;
  }

  /** Decodes the pending values one by one into `record`; later values are pending from `next`. */
  private decodePending(buf: Buffer, base: number, next: number): void {
    const { pending } = this;
    for (let k = 0; k < pending.length; k += 3) {
      const value = unquote(decode(buf, pending[k]! - base, pending[k + 1]! - base), pending[k + 2]!);
      this.record.push(value);
      this.recordLength += value.length;
    }
    pending.length = 0;
    this.pendingBytes = 0;
    this.pendingAt = next;
  }

  /** The record has ended, its line break included, at input offset `next`. */
  private endRecord(buf: Buffer, base: number, next: number, out: CsvRecord[]): void {
    const { pending, record } = this;
    if (pending.length > 0) {
      // One decoding of the pending values' span; if it has a character per byte (ASCII), each
      // value is a slice of it, else each value is decoded on its own.
      const at = pending[0]!;
      const to = pending[pending.length - 2]!;
      const text = decode(buf, at - base, to - base);
      if (text.length === to - at)
        for (let k = 0; k < pending.length; k += 3)
          record.push(unquote(text.slice(pending[k]! - at, pending[k + 1]! - at), pending[k + 2]!));
      else
        for (let k = 0; k < pending.length; k += 3)
          record.push(unquote(decode(buf, pending[k]! - base, pending[k + 1]! - base), pending[k + 2]!));
    }
    out.push({ values: record, bytes: next });
    this.records += 1;
    this.record = [];
    this.recordLength = 0;
    pending.length = 0;
    this.pendingBytes = 0;
    this.pendingAt = next;
  }
}

/** A value's text, with each doubled quote as one if it has any (`doubled` 1). */
function unquote(text: string, doubled: number): string {
  return doubled === 0 ? text : text.replaceAll('""', '"');
}

/**
 * The UTF-8 text of `buf[from, to)`. Buffer's own `utf8Slice`, without `toString`'s argument
 * checks around it, which cost more than the decoding itself when called for every value.
 */
function decode(buf: Buffer, from: number, to: number): string {
  return (buf as Buffer & { utf8Slice(from: number, to: number): string }).utf8Slice(from, to);
}
