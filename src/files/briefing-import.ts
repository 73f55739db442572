import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type JSZip from 'jszip';
import { parseBriefing, type ParsedBriefing } from '../domain/briefing/parse.ts';
import { LIMITS, sizeInWords } from '../limits.ts';
import { checkDeclaredSizes, zipDirectory, ZipRefusal, type ZipFile } from './zip-directory.ts';
import { loadJSZip, loadMammoth } from './load-on-use.ts';

/**
 * Existing briefings into the model: text and Markdown as UTF-8, Word documents through mammoth.
 * Every refusal is a BriefingImportError with one plain-English sentence naming the file.
 */

// The limits live in src/limits.ts, with every other limit on what people send in.
export const MAX_TEXT_BYTES = LIMITS.briefingTextBytes;
export const MAX_DOCX_BYTES = LIMITS.docxBytes;
/** What a Word briefing may expand to: a few pages of text and some pictures fit easily. */
export const MAX_DOCX_EXPANDED_BYTES = LIMITS.docxInflatedBytes;
/**
 * What its text (the XML parts mammoth parses) may expand to: a 7-minute briefing's is tens of
 * kilobytes, and mammoth takes about two seconds a megabyte.
 */
export const MAX_DOCX_TEXT_BYTES = LIMITS.docxTextBytes;
/** Expansion ratio above which a large entry is treated as a zip bomb (Word XML compresses ~10:1). */
export const MAX_DOCX_RATIO = LIMITS.zipRatio;
const MAX_DOCX_ENTRIES = LIMITS.docxZipEntries;

export class BriefingImportError extends Error {
  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`Cannot import ${fileName}: ${reason}`);
    this.name = 'BriefingImportError';
  }
}

export type ImportedBriefing = ParsedBriefing;

type Format = 'text' | 'markdown' | 'docx';

function formatOf(fileName: string): Format | undefined {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'txt' || ext === 'text') return 'text';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'docx') return 'docx';
  return undefined;
}

const megabytes = sizeInWords;

/** Reads and imports a briefing file; errors name the path as given. */
export async function importBriefingFile(path: string): Promise<ImportedBriefing> {
  const format = formatOf(path);
  if (!format) throw unsupported(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BriefingImportError(path, 'it is not a file.');
    size = info.size;
  } catch (error) {
    if (error instanceof BriefingImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BriefingImportError(
      path,
      code === 'ENOENT' ? 'there is no such file.' : `it cannot be read (${code}).`,
    );
  }
  // Refused before reading, so a huge file costs nothing.
  const limit = format === 'docx' ? MAX_DOCX_BYTES : MAX_TEXT_BYTES;
  if (size > limit) throw tooLarge(path, limit);
  return importBuffer(await readFile(path), basename(path), path);
}

/** Imports an uploaded briefing; `fileName` gives its type (by extension) and, if the text has none, its title. */
export async function importBriefingBuffer(buffer: Uint8Array, fileName: string): Promise<ImportedBriefing> {
  return importBuffer(buffer, fileName, fileName);
}

async function importBuffer(
  buffer: Uint8Array,
  fileName: string,
  shownAs: string,
): Promise<ImportedBriefing> {
  const format = formatOf(fileName);
  if (!format) throw unsupported(shownAs);
  if (buffer.length === 0) throw new BriefingImportError(shownAs, 'it is empty.');
  if (format === 'docx') {
    const markdown = await docxToMarkdown(buffer, shownAs);
    return parseBriefing(markdown, { fileName, markdown: true });
  }
  const text = decodeText(buffer, shownAs);
  return parseBriefing(text, { fileName, markdown: format === 'markdown' });
}

function unsupported(name: string): BriefingImportError {
  return new BriefingImportError(
    name,
    'a briefing must be a text (.txt), Markdown (.md) or Word (.docx) file.',
  );
}

function tooLarge(name: string, limit: number): BriefingImportError {
  return new BriefingImportError(
    name,
    `it is larger than ${megabytes(limit)}, more than any briefing needs.`,
  );
}

const startsWith = (buffer: Uint8Array, bytes: number[]) => bytes.every((b, i) => buffer[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0]; // Word 97–2003 .doc
const PDF = [0x25, 0x50, 0x44, 0x46]; // %PDF

function decodeText(buffer: Uint8Array, name: string): string {
  if (buffer.length > MAX_TEXT_BYTES) throw tooLarge(name, MAX_TEXT_BYTES);
  if (startsWith(buffer, [0xff, 0xfe]) || startsWith(buffer, [0xfe, 0xff])) {
    throw new BriefingImportError(name, 'it is saved as UTF-16 text. Save it as UTF-8 and try again.');
  }
  if (startsWith(buffer, PDF))
    throw new BriefingImportError(name, 'it is a PDF, not text. Save the briefing as text or Word.');
  if (startsWith(buffer, ZIP) || startsWith(buffer, OLE)) {
    throw new BriefingImportError(
      name,
      'it is a Word or other binary document, not text. Rename it to .docx if it is one.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new BriefingImportError(name, 'it is not UTF-8 text. Save it as UTF-8 and try again.');
  }
  // Valid UTF-8 can still be binary: NUL or many other control characters say so.
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new BriefingImportError(name, 'it is not text (it looks like a binary file).');
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) control++;
  }
  if (control > 8 && control > text.length / 100) {
    throw new BriefingImportError(name, 'it is not text (it looks like a binary file).');
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new BriefingImportError(name, 'it has no text in it.');
  return text;
}

/**
 * The Word document as Markdown (headings as "#", lists as "- "), after checking that it is a zip
 * and that it does not expand beyond what a briefing needs. Sizes are read from the zip directory
 * first, then confirmed while inflating, since a directory can lie.
 */
async function docxToMarkdown(buffer: Uint8Array, name: string): Promise<string> {
  if (buffer.length > MAX_DOCX_BYTES) throw tooLarge(name, MAX_DOCX_BYTES);
  if (startsWith(buffer, OLE)) {
    throw new BriefingImportError(name, 'it is an older Word (.doc) file. Save it as .docx and try again.');
  }
  const notWord = new BriefingImportError(
    name,
    'it is not a Word document (a .docx file is a zip archive; this is not one).',
  );
  if (!startsWith(buffer, ZIP)) throw notWord;
  const bomb = new BriefingImportError(
    name,
    `it expands to more than ${megabytes(MAX_DOCX_EXPANDED_BYTES)}, far more than a briefing needs (it may be a zip bomb).`,
  );
  const textBomb = new BriefingImportError(
    name,
    `its text expands to more than ${megabytes(MAX_DOCX_TEXT_BYTES)}, far more than a briefing needs (it may be a zip bomb).`,
  );
  // The zip's own directory first, before jszip builds one: how many files, and what they declare.
  let listed: ZipFile[];
  try {
    listed = zipDirectory(buffer, MAX_DOCX_ENTRIES);
  } catch (error) {
    if (error instanceof ZipRefusal && error.reason === 'entries')
      throw new BriefingImportError(name, `it ${error.message}, more than any Word document needs.`);
    throw notWord;
  }
  try {
    checkDeclaredSizes(listed, MAX_DOCX_EXPANDED_BYTES, MAX_DOCX_RATIO);
  } catch {
    throw bomb;
  }
  try {
    checkDeclaredSizes(
      listed.filter((f) => isText(f.name)),
      MAX_DOCX_TEXT_BYTES,
      MAX_DOCX_RATIO,
    );
  } catch {
    throw textBomb;
  }
  let zip: JSZip;
  try {
    zip = await (await loadJSZip()).loadAsync(buffer, { checkCRC32: false, createFolders: false });
  } catch {
    throw notWord;
  }
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  if (entries.length > MAX_DOCX_ENTRIES) {
    throw new BriefingImportError(
      name,
      `it holds ${entries.length} files, more than any Word document needs.`,
    );
  }
  if (!zip.file('word/document.xml')) {
    throw new BriefingImportError(
      name,
      'it is a zip archive but not a Word document (it has no word/document.xml).',
    );
  }
  const damaged = new BriefingImportError(name, 'it is damaged: Word content in it cannot be read.');
  await confirmExpandedSize(entries, { bomb, textBomb, damaged });

  const mammoth = await loadMammoth();
  try {
    const result = await (mammoth as unknown as MammothMarkdown).convertToMarkdown(
      { buffer: Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength) },
      {
        externalFileAccess: false,
        // Pictures are not briefing text; an empty source makes mammoth leave them out.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
    return result.value;
  } catch {
    throw damaged;
  }
}

// convertToMarkdown is in mammoth 1 but missing from its type declarations.
interface MammothMarkdown {
  convertToMarkdown(
    input: { buffer: Buffer },
    options: { externalFileAccess: boolean; convertImage: unknown },
  ): Promise<{ value: string }>;
}

// jszip's streaming reader, which it does not type: it can be paused, which stops the inflating.
interface EntryStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): EntryStream;
  on(event: 'end', listener: () => void): EntryStream;
  on(event: 'error', listener: (error: Error) => void): EntryStream;
  pause(): EntryStream;
  resume(): EntryStream;
}

/** The parts mammoth parses as XML (and so the ones whose size costs time and memory). */
function isText(name: string): boolean {
  return /\.(xml|rels)$/i.test(name);
}

/**
 * Inflate every entry, counting bytes and stopping at the limits (all parts, and the text parts
 * alone), so a lying directory is caught cheaply: what jszip inflates here is what mammoth reads.
 */
async function confirmExpandedSize(
  entries: JSZip.JSZipObject[],
  refusals: { bomb: BriefingImportError; textBomb: BriefingImportError; damaged: BriefingImportError },
): Promise<void> {
  const { bomb, textBomb, damaged } = refusals;
  let total = 0;
  let text = 0;
  for (const entry of entries) {
    const counted = isText(entry.name);
    await new Promise<void>((resolve, reject) => {
      const stream = (entry as unknown as { internalStream(type: 'uint8array'): EntryStream }).internalStream(
        'uint8array',
      );
      stream
        .on('data', (chunk) => {
          total += chunk.length;
          if (counted) text += chunk.length;
          if (total > MAX_DOCX_EXPANDED_BYTES || text > MAX_DOCX_TEXT_BYTES) {
            stream.pause();
            reject(total > MAX_DOCX_EXPANDED_BYTES ? bomb : textBomb);
          }
        })
        .on('end', () => resolve())
        .on('error', () => reject(damaged))
        .resume();
    });
  }
}
