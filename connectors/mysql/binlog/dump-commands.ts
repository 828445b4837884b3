/**
 * Payloads of the replication commands (without the 4-byte packet header).
 *
 * COM_BINLOG_DUMP (0x12): u32 position, u16 flags, u32 server id, file name (rest).
 * COM_BINLOG_DUMP_GTID (0x1e): u16 flags, u32 server id, u32 name length, name, u64 position,
 * u32 data length, encoded GTID set (see gtid-set.ts).
 */
import type { MySqlGtidSet } from './gtid-set.js';

export const COM_BINLOG_DUMP = 0x12;
export const COM_BINLOG_DUMP_GTID = 0x1e;

/** MariaDB: also send ANNOTATE_ROWS events (the SQL text before row events). */
export const BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;
/** COM_BINLOG_DUMP_GTID: the GTID set decides where to start. */
export const BINLOG_THROUGH_GTID = 0x04;

export function binlogDumpPayload(serverId: number, file: string, position: number, flags = 0): Buffer {
  const name = Buffer.from(file, 'utf8');
  const buf = Buffer.alloc(11 + name.length);
  buf[0] = COM_BINLOG_DUMP;
  buf.writeUInt32LE(position, 1);
  buf.writeUInt16LE(flags, 5);
  buf.writeUInt32LE(serverId, 7);
  name.copy(buf, 11);
  return buf;
}

export function binlogDumpGtidPayload(serverId: number, gtids: MySqlGtidSet, file = '', position = 4): Buffer {
  const name = Buffer.from(file, 'utf8');
  const set = gtids.encode();
  const buf = Buffer.alloc(1 + 2 + 4 + 4 + name.length + 8 + 4 + set.length);
  let at = buf.writeUInt8(COM_BINLOG_DUMP_GTID, 0);
  at = buf.writeUInt16LE(BINLOG_THROUGH_GTID, at);
  at = buf.writeUInt32LE(serverId, at);
  at = buf.writeUInt32LE(name.length, at);
  at += name.copy(buf, at);
  at = buf.writeBigUInt64LE(BigInt(position), at);
  at = buf.writeUInt32LE(set.length, at);
  set.copy(buf, at);
  return buf;
}
