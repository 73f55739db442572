import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  checkDeclaredSizes,
  inflateFile,
  InflationBudget,
  zipDirectory,
  type ZipFile,
} from './zip-directory.ts';

export interface XlsxCeilings {
  /** Files the workbook may hold. */
  zipEntries: number;
  /** What the parts read may inflate to, together. */
  inflatedBytes: number;
  /** Inflation ratio over which a large part is a bomb. */
  ratio: number;
}

/** The parts exceljs reads, in the order that lets it read the sheet as it comes (no temporary files). */
const PARTS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];
const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/**
 * A workbook made safe to hand to exceljs's streaming reader: its directory is checked first
 * (how many files, what the parts declare they inflate to), then only the parts the reader uses
 * (the workbook, its styles and shared strings, and the first sheet) are inflated here, every byte
 * counted, and passed on as a stored (uncompressed) zip. So exceljs inflates nothing itself, and
 * reading stops with a ZipRefusal the moment the parts pass the ceiling, whatever the directory said.
 * Throws a ZipRefusal at once for what the directory alone shows.
 */
export function xlsxParts(bytes: Uint8Array, ceilings: XlsxCeilings): Readable {
  const files = zipDirectory(bytes, ceilings.zipEntries);
  const first = (test: (name: string) => boolean) => files.find((f) => test(f.name));
  const chosen = [...PARTS.map((name) => first((n) => n === name)), first((n) => SHEET.test(n))].filter(
    (f): f is ZipFile => f !== undefined,
  );
  checkDeclaredSizes(chosen, ceilings.inflatedBytes, ceilings.ratio);
  const budget = new InflationBudget(ceilings.inflatedBytes, ceilings.ratio);
  return Readable.from(storedZip(bytes, chosen, budget), { objectMode: false });
}

/** A zip of `files` stored uncompressed, each with a data descriptor (its size is known only once inflated). */
async function* storedZip(
  bytes: Uint8Array,
  files: ZipFile[],
  budget: InflationBudget,
): AsyncGenerator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 name
    local.writeUInt16LE(0x21, 12); // 1 January 1980
    local.writeUInt16LE(name.length, 26);
    yield local;
    yield name;
    let crc = 0;
    let size = 0;
    for await (const chunk of inflateFile(bytes, file, budget)) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(size, 8);
    descriptor.writeUInt32LE(size, 12);
    yield descriptor;
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0808, 8);
    header.writeUInt16LE(0x21, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + size + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield directory;
  yield end;
}
