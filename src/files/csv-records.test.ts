import { parse, type CsvError } from 'csv-parse';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, CsvRecords, type CsvRecord } from './csv-records.ts';

interface Outcome {
  records: CsvRecord[];
  error: { code: string; records: number; column: number } | null;
}

/** What csv-parse 7 makes of the chunks, with the options the chronology reader used to give it. */
function csvParse(chunks: Buffer[], maxRecordSize: number): Promise<Outcome> {
  const records: CsvRecord[] = [];
  const parser = parse({
    relax_column_count: true,
    max_record_size: maxRecordSize,
    on_record: (record: string[], info) => {
      records.push({ values: record, bytes: info.bytes });
      return record;
    },
  });
  return new Promise((resolve) => {
    parser.on('data', () => undefined);
    parser.on('error', (error: CsvError & { records: number; column: number }) =>
      resolve({ records, error: { code: error.code, records: error.records, column: error.column } }),
    );
    parser.on('end', () => resolve({ records, error: null }));
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
  });
}

function ours(chunks: Buffer[], maxRecordSize: number, pendingLimit?: number): Outcome {
  const records: CsvRecord[] = [];
  const parser = new CsvRecords(maxRecordSize, pendingLimit);
  try {
    for (const chunk of chunks) parser.write(chunk, records);
    parser.end(records);
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    return { records, error: { code: error.code, records: error.records, column: error.column } };
  }
  return { records, error: null };
}

/** `bytes` cut at the given places. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

// Text made of the bytes that matter to CSV, a letter and a two-byte character.
const csvText = fc
  .array(fc.constantFrom('a', 'b', 'é', ',', '"', '""', '\r', '\n', '\r\n', ' '), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('CsvRecords reads as csv-parse did', () => {
  it('on the chronology rows people write', async () => {
    const text =
      'date,agency,event_type,summary\r\n2019-03-02,police,contact,"Seen at home, ""fine""\r\nno concerns"\r\n\r\n2019-03-03,csc,home_visit,café\r\n';
    const bytes = Buffer.from(text);
    expect(ours([bytes], 1000)).toEqual(await csvParse([bytes], 1000));
    expect(ours([bytes], 1000).records.map((r) => r.values)).toEqual([
      ['date', 'agency', 'event_type', 'summary'],
      ['2019-03-02', 'police', 'contact', 'Seen at home, "fine"\r\nno concerns'],
      [''],
      ['2019-03-03', 'csc', 'home_visit', 'café'],
    ]);
  });

  it('with its four errors at the same record and value', async () => {
    for (const text of [
      'a,b\n1,"open\n',
      'a,b\n1,"closed" then more\n',
      'a,b\n1,x"y\n',
      'a,b\n1,' + 'x'.repeat(30) + '\n',
    ]) {
      const bytes = Buffer.from(text);
      const expected = await csvParse([bytes], 20);
      expect(expected.error).not.toBeNull();
      expect(ours([bytes], 20)).toEqual(expected);
    }
  });

  it('on any text, cut into chunks anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(4, 12, 1000),
        // How much of a record is held undecoded across chunks (64 KB when reading files).
        fc.constantFrom(0, 3, 65_536),
        async (text, at, maxRecordSize, pendingLimit) => {
          const bytes = Buffer.from(text);
          const expected = await csvParse([bytes], maxRecordSize);
          expect(ours([bytes], maxRecordSize)).toEqual(expected);
          expect(ours(cut(bytes, at), maxRecordSize, pendingLimit)).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a byte at a time', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const bytes = Buffer.from(text);
        const expected = await csvParse([bytes], 1000);
        expect(
          ours(
            [...bytes].map((b) => Buffer.from([b])),
            1000,
            2,
          ),
        ).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
