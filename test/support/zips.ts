// Zip archives built by hand for the skill package tests, so a test can make exactly the archive
// it needs: good ones, ones with "../" names, symbolic links, and entries whose headers lie about
// their size (a small declared size in front of a deflate stream that expands to hundreds of MiB).
import { constants, deflateRawSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An entry given as a raw deflate stream (method 8) with the uncompressed sizes its headers claim, true or not. */
export interface DeflatedEntry {
  deflated: Buffer;
  /** The uncompressed size in the central directory (the one a reader such as yauzl goes by). */
  declaredSize: number;
  /** The uncompressed size in the local header; the central directory's when left out. */
  localDeclaredSize?: number;
}

const MiB = 1024 * 1024;

/**
 * A raw deflate stream that inflates to `mebibytes` MiB of zeros, about 1 KB per MiB: one
 * sync-flushed block for 1 MiB (it ends on a byte boundary) repeated, then an empty final block.
 * Built in microseconds, so a test can carry a 200 MiB bomb without ever holding 200 MiB.
 */
export function deflatedZeros(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array<Buffer>(mebibytes).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

interface Encoded {
  method: number;
  crc: number;
  data: Buffer;
  centralSize: number;
  localSize: number;
}

function encode(entry: string | DeflatedEntry, deflate: boolean): Encoded {
  if (typeof entry !== "string") {
    // The CRC of bytes never produced is unknown; nothing in the package check reads it.
    const { deflated, declaredSize, localDeclaredSize = declaredSize } = entry;
    return { method: 8, crc: 0, data: deflated, centralSize: declaredSize, localSize: localDeclaredSize };
  }
  const plain = Buffer.from(entry, "utf8");
  const data = deflate ? deflateRawSync(plain) : plain;
  return { method: deflate ? 8 : 0, crc: crc32(plain), data, centralSize: plain.length, localSize: plain.length };
}

/**
 * A zip archive of `entries` with local headers, central directory and end record. Text entries
 * are stored (method 0), or deflated with `deflate`; a DeflatedEntry goes in as given.
 */
export function makeZip(entries: Record<string, string | DeflatedEntry>, options: { symlinks?: string[]; deflate?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, entry] of Object.entries(entries)) {
    const fileName = Buffer.from(name, "utf8");
    const { method, crc, data, centralSize, localSize } = encode(entry, options.deflate ?? false);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature "PK\x03\x04"
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(localSize, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header "PK\x01\x02"
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(centralSize, 24);
    central.writeUInt16LE(fileName.length, 28);
    // Unix mode in the high 16 bits of the external attributes: a symbolic link or a plain file.
    central.writeUInt16LE(3 << 8, 4); // version made by: Unix
    central.writeUInt32LE(((options.symlinks?.includes(name) ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42); // where the local header is
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory "PK\x05\x06"
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
export function skillZip(name: string, version: string): Buffer {
  return makeZip({
    "SKILL.md": `---\nname: ${name}\nversion: ${version}\ndescription: Tells the weather.\n---\n\nAsk me about the weather.\n`,
    "scripts/run.sh": "#!/bin/sh\necho sunny\n",
  });
}
