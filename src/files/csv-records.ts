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

export class CsvRecords {
  /** Records completed so far. */
  records = 0;
  private delimiter = Delimiter.Unknown;
  /** The bytes from the start of the current value, kept while the value is not complete. */
  private carry: Buffer | null = null;
  /** Offset in the whole input of `carry[0]`. */
  private carryAt = 0;
  /** Where scanning resumes, relative to the start of the current value. */
  private resumeAt = 0;
  private record: string[] = [];
  /** Characters of the current record's complete values, and bytes of the current value so far. */
  private recordLength = 0;
  private valueBytes = 0;
  private quoting = false;
  private wasQuoted = false;

  constructor(private readonly maxRecordSize: number) {}

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
    let start = 0; // the current value's first byte in `buf`
    let i = this.resumeAt;
    let { quoting, wasQuoted, valueBytes } = this;
    const fail = (code: CsvErrorCode) => new CsvFormatError(code, this.records, this.record.length);
    const endValue = (to: number) => {
      let value: string;
      if (wasQuoted) {
        value = buf.toString('utf8', start + 1, to - 1);
        if (value.includes('"')) value = value.replaceAll('""', '"');
      } else value = buf.toString('utf8', start, to);
      this.record.push(value);
      this.recordLength += value.length;
      valueBytes = 0;
      wasQuoted = false;
    };
    const endRecord = (bytes: number) => {
      out.push({ values: this.record, bytes });
      this.records += 1;
      this.record = [];
      this.recordLength = 0;
    };
    // Before each byte of a value csv-parse checks the record is not already over the limit.
    const max = this.maxRecordSize;

    scan: while (i < len) {
      const c = buf[i]!;
      if (quoting) {
        if (c !== QUOTE) {
          if (this.recordLength + valueBytes > max) throw fail('CSV_MAX_RECORD_SIZE');
          valueBytes += 1;
          i += 1;
          continue;
        }
        // A quote inside quotes: doubled, closing, or a mistake. Decide on the bytes after it.
        if (i + 1 >= len && !end) break scan;
        const next = buf[i + 1];
        if (next === QUOTE) {
          if (this.recordLength + valueBytes > max) throw fail('CSV_MAX_RECORD_SIZE');
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
        if (!closes) throw fail('CSV_INVALID_CLOSING_QUOTE');
        quoting = false;
        wasQuoted = true;
        i += 1;
        continue;
      }
      if (c === COMMA) {
        endValue(i);
        i += 1;
        start = i;
        continue;
      }
      if (c === CR || c === LF) {
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
          endValue(i);
          endRecord(base + i + length);
          i += length;
          start = i;
          continue;
        }
        // A line break that is not the file's record delimiter is part of the value.
      } else if (c === QUOTE) {
        if (valueBytes !== 0) throw fail('INVALID_OPENING_QUOTE');
        quoting = true;
        i += 1;
        continue;
      }
      if (this.recordLength + valueBytes > max) throw fail('CSV_MAX_RECORD_SIZE');
      valueBytes += 1;
      i += 1;
    }

    if (end) {
      if (i < len) throw new RangeError('unreachable: the end of the input needs no more bytes');
      if (quoting) throw fail('CSV_QUOTE_NOT_CLOSED');
      if (wasQuoted || this.record.length !== 0 || valueBytes !== 0) {
        endValue(len);
        endRecord(base + len);
      }
      this.carry = null;
      return;
    }
    // Keep the unfinished value for the next chunk (a copy: the chunk is not ours to hold).
    this.carry = start < len ? Buffer.from(buf.subarray(start)) : null;
    this.carryAt = base + start;
    this.resumeAt = i - start;
    this.quoting = quoting;
    this.wasQuoted = wasQuoted;
    this.valueBytes = valueBytes;
  }
}
