import { crc32, inflateSync } from 'node:zlib';
import type { LogoMediaType } from '../domain/briefing/logo.ts';
import { logoType } from './briefing-options.ts';

/** Plenty for a logo, and small enough to keep in the database and send with every briefing. */
export const MAX_LOGO_BYTES = 512 * 1024;
export const MAX_LOGO_KB = MAX_LOGO_BYTES / 1024;
/** A logo is printed about 160 pixels wide; a bigger picture only costs memory when a PDF is made. */
export const MAX_LOGO_PIXELS = 2000;

export interface CheckedLogo {
  mediaType: LogoMediaType;
  width: number;
  height: number;
}

/** Why an uploaded logo was refused, in words for the person who chose the file. */
export class LogoError extends Error {
  override readonly name = 'LogoError';
}

const UNREADABLE = 'The selected file could not be read as a picture: save it again as a PNG or JPEG';

/**
 * Checks an uploaded logo by its content, not its name: a PNG or JPEG (magic bytes), no bigger
 * than MAX_LOGO_BYTES, whole and readable. A PNG is inflated here with a ceiling on its size, so a
 * broken or "bomb" picture is refused at upload rather than failing every later PDF.
 */
export function checkLogo(bytes: Buffer): CheckedLogo {
  if (bytes.length === 0) throw new LogoError('The selected file is empty');
  if (bytes.length > MAX_LOGO_BYTES)
    throw new LogoError(`The selected file must be smaller than ${MAX_LOGO_KB} KB`);
  const type = logoType(bytes);
  if (!type) throw new LogoError('The selected file must be a PNG or JPEG');
  const png = type === 'png' ? pngHeader(bytes) : null;
  const { width, height } = png ?? jpegSize(bytes);
  if (width > MAX_LOGO_PIXELS || height > MAX_LOGO_PIXELS)
    throw new LogoError(
      `The logo must be at most ${MAX_LOGO_PIXELS} pixels wide and ${MAX_LOGO_PIXELS} pixels high`,
    );
  if (png) checkPngData(bytes, png);
  return { mediaType: png ? 'image/png' : 'image/jpeg', width, height };
}

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

const PNG_CHANNELS: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** The chunks of a PNG, each with its CRC checked. */
function pngChunks(bytes: Buffer): { type: string; data: Buffer }[] {
  const chunks: { type: string; data: Buffer }[] = [];
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new LogoError(UNREADABLE);
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) throw new LogoError(UNREADABLE);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length))
      throw new LogoError(UNREADABLE);
    chunks.push({ type, data });
    at = end;
    if (type === 'IEND') break;
  }
  return chunks;
}

function pngHeader(bytes: Buffer): PngHeader {
  const first = pngChunks(bytes)[0];
  if (!first || first.type !== 'IHDR' || first.data.length !== 13) throw new LogoError(UNREADABLE);
  const header = {
    width: first.data.readUInt32BE(0),
    height: first.data.readUInt32BE(4),
    bitDepth: first.data[8] ?? 0,
    colourType: first.data[9] ?? -1,
    interlaced: first.data[12] === 1,
  };
  const kind = PNG_CHANNELS[header.colourType];
  if (header.width === 0 || header.height === 0 || !kind?.depths.includes(header.bitDepth))
    throw new LogoError(UNREADABLE);
  return header;
}

/** Adam7's passes: where each starts and how far it steps, across and down. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The size of a PNG's pixel data once inflated: each row is a filter byte and its packed pixels. */
function pngRawLength(h: PngHeader): number {
  const bitsPerPixel = PNG_CHANNELS[h.colourType]!.channels * h.bitDepth;
  const rows = (width: number, height: number) =>
    width === 0 || height === 0 ? 0 : height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  if (!h.interlaced) return rows(h.width, h.height);
  return ADAM7.reduce(
    (sum, [x0, y0, dx, dy]) =>
      sum + rows(Math.ceil(Math.max(0, h.width - x0) / dx), Math.ceil(Math.max(0, h.height - y0) / dy)),
    0,
  );
}

/** The pixel data must inflate to exactly the size the header promises (and no further). */
function checkPngData(bytes: Buffer, header: PngHeader): void {
  const chunks = pngChunks(bytes);
  if (chunks.at(-1)?.type !== 'IEND') throw new LogoError(UNREADABLE);
  if (header.colourType === 3 && !chunks.some((c) => c.type === 'PLTE')) throw new LogoError(UNREADABLE);
  const data = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const expected = pngRawLength(header);
  let raw: Buffer;
  try {
    raw = inflateSync(data, { maxOutputLength: expected + 1 });
  } catch {
    throw new LogoError(UNREADABLE);
  }
  if (raw.length !== expected) throw new LogoError(UNREADABLE);
}

/** Baseline, extended and progressive JPEG: what PDF readers and Word show everywhere. */
const JPEG_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

/** Walks a JPEG's segments to its frame header, and checks the scan that follows it begins. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new LogoError(UNREADABLE);
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes and markers that carry no length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) throw new LogoError(UNREADABLE);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      if (!JPEG_FRAMES.has(marker) || length < 8) throw new LogoError(UNREADABLE);
      const components = bytes[at + 9] ?? 0;
      size = { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
      if (size.width === 0 || size.height === 0 || ![1, 3, 4].includes(components))
        throw new LogoError(UNREADABLE);
    }
    if (marker === 0xda) {
      // Start of scan: the picture's data follows; it must have had its frame header first.
      if (!size) throw new LogoError(UNREADABLE);
      if (bytes.lastIndexOf(Buffer.from([0xff, 0xd9])) < at + 2 + length) throw new LogoError(UNREADABLE);
      return size;
    }
    at += 2 + length;
  }
  throw new LogoError(UNREADABLE);
}
