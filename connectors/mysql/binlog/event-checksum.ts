/**
 * The CRC32 trailer of binlog events (binlog_checksum=CRC32): zlib's polynomial over header and
 * body, stored little-endian in the last 4 bytes. Node ≥ 20.15 has zlib.crc32; older 20.x gets
 * a table implementation.
 */
import zlib from 'node:zlib';
import { BinlogFormatError } from './byte-reader.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function tableCrc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const crc32: (buf: Buffer) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (buf) => zlib.crc32(buf) >>> 0 : tableCrc32;

export class BinlogChecksumError extends BinlogFormatError {
  constructor(message: string) {
    super(message);
    this.name = 'BinlogChecksumError';
  }
}

/** Checks the trailer of `event` (a whole event including its 4 checksum bytes). */
export function verifyEventChecksum(event: Buffer, where: string): void {
  if (event.length < 23) throw new BinlogChecksumError(`event too short for a checksum (${event.length} bytes) ${where}`);
  const stored = event.readUInt32LE(event.length - 4);
  const actual = crc32(event.subarray(0, event.length - 4));
  if (stored !== actual) {
    throw new BinlogChecksumError(
      `binlog event checksum mismatch ${where}: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}`,
    );
  }
}
