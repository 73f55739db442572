import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { sizeInWords } from '../limits.ts';

/**
 * What a zip file (an .xlsx or .docx) says it holds, read from its central directory without
 * inflating or keeping anything, so the number of files and the sizes they declare can be refused
 * before a zip library builds its own directory or inflates a byte. Then each file's data can be
 * inflated (natively, off the main thread) with every byte counted against a ceiling, since a
 * directory can lie about sizes.
 */

export interface ZipFile {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As declared by the directory: only a claim until inflated. */
  declaredSize: number;
  /** Where the file's local header starts. */
  localOffset: number;
}

/** Why a zip is refused: it is not one, holds too many files, or inflates past a ceiling. */
export class ZipRefusal extends Error {
  constructor(
    readonly reason: 'damaged' | 'entries' | 'inflated',
    message: string,
  ) {
    super(message);
    this.name = 'ZipRefusal';
  }
}

const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const damaged = () => new ZipRefusal('damaged', 'the zip archive is damaged');

/**
 * The files of a zip as its central directory lists them, refusing more than `maxEntries` as soon
 * as they are counted. Found where jszip would look: the last end record, and the directory it
 * points to (moved along if the file has bytes in front of the zip).
 */
export function zipDirectory(bytes: Uint8Array, maxEntries: number): ZipFile[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buffer.lastIndexOf(signature(END));
  if (end < 0 || end + 22 > buffer.length) throw damaged();
  let count = buffer.readUInt16LE(end + 10);
  let size = buffer.readUInt32LE(end + 12);
  let offset = buffer.readUInt32LE(end + 16);
  let expectedEnd = offset + size;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== END64_LOCATOR) throw damaged();
    const at = Number(buffer.readBigUInt64LE(locator + 8));
    if (at + 56 > buffer.length || buffer.readUInt32LE(at) !== END64) throw damaged();
    count = Number(buffer.readBigUInt64LE(at + 32));
    size = Number(buffer.readBigUInt64LE(at + 40));
    offset = Number(buffer.readBigUInt64LE(at + 48));
    expectedEnd = offset + size + 20 + 12 + Number(buffer.readBigUInt64LE(at + 4));
  }
  if (count > maxEntries) throw tooMany(count, maxEntries);
  // Bytes in front of the zip (a self-extractor, say) move every offset along, as jszip allows.
  const shift = end - expectedEnd;
  if (shift < 0) throw damaged();
  const zero = shift > 0 && !isAt(buffer, offset, CENTRAL) ? shift : 0;

  const files: ZipFile[] = [];
  let at = offset + zero;
  while (isAt(buffer, at, CENTRAL)) {
    if (files.length >= maxEntries) throw tooMany(files.length + 1, maxEntries);
    if (at + 46 > buffer.length) throw damaged();
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > buffer.length) throw damaged();
    const file: ZipFile = {
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      compressedSize: buffer.readUInt32LE(at + 20),
      declaredSize: buffer.readUInt32LE(at + 24),
      localOffset: buffer.readUInt32LE(at + 42),
    };
    readZip64Sizes(buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), file);
    file.localOffset += zero;
    files.push(file);
    at = next;
  }
  if (files.length === 0 && count > 0) throw damaged();
  return files;
}

function tooMany(count: number, max: number): ZipRefusal {
  return new ZipRefusal(
    'entries',
    `holds ${count.toLocaleString('en-GB')} files, more than the ${max.toLocaleString('en-GB')} allowed`,
  );
}

/** Sizes too large for 32 bits are in the ZIP64 extra field, in this order, only where marked. */
function readZip64Sizes(extra: Buffer, file: ZipFile): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const take = () => {
        if (field + 8 > at + 4 + length) throw damaged();
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (file.declaredSize === 0xffffffff) file.declaredSize = take();
      if (file.compressedSize === 0xffffffff) file.compressedSize = take();
      if (file.localOffset === 0xffffffff) file.localOffset = take();
      return;
    }
    at += 4 + length;
  }
}

function signature(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function isAt(buffer: Buffer, at: number, value: number): boolean {
  return at >= 0 && at + 4 <= buffer.length && buffer.readUInt32LE(at) === value;
}

/**
 * Refuses before inflating: the sizes the directory declares for `files` add up to more than
 * `ceiling`, or a large file claims to inflate more than `ratio` times its packed size.
 */
export function checkDeclaredSizes(files: readonly ZipFile[], ceiling: number, ratio: number): void {
  let total = 0;
  for (const file of files) {
    total += file.declaredSize;
    if (total > ceiling || isBombRatio(file.declaredSize, file.compressedSize, ratio))
      throw new ZipRefusal('inflated', `unpacks to more than ${sizeInWords(ceiling)}`);
  }
}

/** Over 1 MB and more than `ratio` times its packed size: no workbook or document does that. */
function isBombRatio(inflated: number, packed: number, ratio: number): boolean {
  return inflated > 1024 * 1024 && inflated > packed * ratio;
}

/** Counts inflated bytes across files and refuses as soon as the total passes its ceiling. */
export class InflationBudget {
  private used = 0;

  constructor(
    readonly ceiling: number,
    private readonly ratio: number,
  ) {}

  /** Counts `bytes` more of `file` (`sofar` of it inflated before them); throws past the ceiling. */
  take(bytes: number, file: ZipFile, sofar: number): void {
    this.used += bytes;
    if (this.used > this.ceiling || isBombRatio(sofar + bytes, file.compressedSize, this.ratio))
      throw new ZipRefusal('inflated', `unpacks to more than ${sizeInWords(this.ceiling)}`);
  }
}

/**
 * The inflated bytes of one file, counted against `budget` as they come (zlib inflates in the
 * thread pool, in small pieces, so the event loop stays free and nothing is held but a chunk).
 */
export async function* inflateFile(
  bytes: Uint8Array,
  file: ZipFile,
  budget: InflationBudget,
): AsyncGenerator<Buffer> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = file.localOffset;
  if (!isAt(buffer, at, LOCAL) || at + 30 > buffer.length) throw damaged();
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const packed = buffer.subarray(start, start + file.compressedSize);
  if (packed.length !== file.compressedSize) throw damaged();
  const pieces = (function* () {
    for (let i = 0; i < packed.length; i += 64 * 1024) yield packed.subarray(i, i + 64 * 1024);
  })();
  if (file.method !== 0 && file.method !== 8) throw damaged();
  const source = Readable.from(pieces, { objectMode: false });
  const data = file.method === 0 ? source : source.pipe(createInflateRaw());
  let sofar = 0;
  try {
    for await (const chunk of data as AsyncIterable<Buffer>) {
      budget.take(chunk.length, file, sofar);
      sofar += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ZipRefusal) throw error;
    throw damaged();
  } finally {
    source.destroy();
    if (data !== source) (data as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
