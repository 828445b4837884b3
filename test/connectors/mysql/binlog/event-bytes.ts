/** Builders for binlog bytes in tests: events with header and CRC32 trailer, lenenc integers. */
import { crc32 } from '../../../../connectors/mysql/binlog/event-checksum.js';

export function lenenc(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n]);
  if (n <= 0xffff) { const b = Buffer.alloc(3); b[0] = 0xfc; b.writeUInt16LE(n, 1); return b; }
  if (n <= 0xffffff) { const b = Buffer.alloc(4); b[0] = 0xfd; b.writeUIntLE(n, 1, 3); return b; }
  const b = Buffer.alloc(9); b[0] = 0xfe; b.writeBigUInt64LE(BigInt(n), 1); return b;
}

export function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
export function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; }
export function u64(n: bigint | number): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; }
export function u48(n: number): Buffer { const b = Buffer.alloc(6); b.writeUIntLE(n, 0, 6); return b; }
export function str(s: string): Buffer { return Buffer.from(s, 'utf8'); }

export interface EventOptions {
  checksum?: boolean;
  logPos?: number;
  serverId?: number;
  timestamp?: number;
  flags?: number;
}

export function event(typeCode: number, body: Buffer | Buffer[], opts: EventOptions = {}): Buffer {
  const payload = Array.isArray(body) ? Buffer.concat(body) : body;
  const checksum = opts.checksum ?? true;
  const size = 19 + payload.length + (checksum ? 4 : 0);
  const header = Buffer.alloc(19);
  header.writeUInt32LE(opts.timestamp ?? 1_700_000_000, 0);
  header[4] = typeCode;
  header.writeUInt32LE(opts.serverId ?? 1, 5);
  header.writeUInt32LE(size, 9);
  header.writeUInt32LE(opts.logPos ?? 1000, 13);
  header.writeUInt16LE(opts.flags ?? 0, 17);
  const ev = Buffer.concat([header, payload, Buffer.alloc(checksum ? 4 : 0)]);
  if (checksum) ev.writeUInt32LE(crc32(ev.subarray(0, ev.length - 4)), ev.length - 4);
  return ev;
}

/** MySQL 8 post-header lengths (index = type - 1): TABLE_MAP 8, rows v1 8, rows v2 10, GTID 42, ... */
export function mysql8PostHeaderLengths(): number[] {
  const lengths = new Array<number>(41).fill(0);
  lengths[2 - 1] = 13; lengths[4 - 1] = 8; lengths[15 - 1] = 84; lengths[16 - 1] = 0; lengths[19 - 1] = 8;
  for (const t of [23, 24, 25]) lengths[t - 1] = 8;
  for (const t of [30, 31, 32]) lengths[t - 1] = 10;
  lengths[33 - 1] = 42; lengths[34 - 1] = 42;
  return lengths;
}

export function formatDescription(serverVersion: string, checksumAlg: 0 | 1, postHeaderLengths = mysql8PostHeaderLengths()): Buffer {
  const version = Buffer.alloc(50);
  version.write(serverVersion, 'latin1');
  const body = Buffer.concat([u16(4), version, u32(0), Buffer.from([19]), Buffer.from(postHeaderLengths), Buffer.from([checksumAlg])]);
  // The FDE always ends with 4 checksum bytes on checksum-capable servers (zero when the algorithm is off).
  const ev = event(15, body, { checksum: true });
  if (checksumAlg === 0) ev.writeUInt32LE(0, ev.length - 4);
  return ev;
}

export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}
