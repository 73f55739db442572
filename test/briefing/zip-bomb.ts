import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A one-entry zip of `size` zero bytes, built directly (node's zlib is far faster than jszip at
 * compressing hundreds of megabytes), optionally declaring a false uncompressed size, as a bomb
 * that hides from a reader trusting the zip directory would.
 */
export function zerosZip(entryName: string, size: number, declaredSize = size): Buffer {
  const data = Buffer.alloc(size);
  const compressed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const name = Buffer.from(entryName);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(name.length, 26);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42); // offset of the local header

  const centralOffset = local.length + name.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);

  return Buffer.concat([local, name, compressed, central, name, end]);
}

/**
 * The same zip with `name` declaring `size` as its uncompressed size (in its local header and the
 * central directory): a directory that lies, as a bomb hiding from a reader that trusts it would.
 */
export function declaringSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = out.readUInt32LE(end + 16);
  for (let i = 0; i < out.readUInt16LE(end + 10); i++) {
    const nameLength = out.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
    if (out.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      out.writeUInt32LE(size, at + 24);
      out.writeUInt32LE(size, out.readUInt32LE(at + 42) + 22);
      return out;
    }
    at = next;
  }
  throw new Error(`${name} is not in the zip`);
}
