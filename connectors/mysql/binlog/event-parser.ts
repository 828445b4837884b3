/**
 * Turns one binlog event (19-byte header, body, optional CRC32 trailer) into a `BinlogEvent`.
 *
 * State: the parser remembers what the last FORMAT_DESCRIPTION_EVENT said — whether events carry
 * a checksum and the post-header lengths (TABLE_MAP table-id width). Before the first FDE it uses
 * the checksum setting it was created with (the server's @@global.binlog_checksum: the artificial
 * ROTATE that opens a dump already carries a trailer). The FDE's own trailer follows its own
 * checksum_alg byte. With `verifyChecksums` the trailer is checked and a mismatch throws
 * `BinlogChecksumError`.
 *
 * Events CDC cannot read correctly (compressed transactions, partial JSON updates, MariaDB
 * compressed events) throw `UnsupportedBinlogEventError` naming the server setting to change:
 * skipping them would lose changes.
 */
import { ByteReader, BinlogFormatError } from './byte-reader.js';
import {
  EventType,
  type BinlogEvent,
  type EventHeader,
  type FormatDescriptionEvent,
  type MySqlGtidEvent,
  type RowsKind,
} from './binlog-event.js';
import { verifyEventChecksum } from './event-checksum.js';
import { MySqlGtidSet } from './gtid-set.js';
import { parseTableMap } from './table-map-parser.js';

export const EVENT_HEADER_LENGTH = 19;

export class UnsupportedBinlogEventError extends Error {
  constructor(readonly typeCode: number, message: string) {
    super(message);
    this.name = 'UnsupportedBinlogEventError';
  }
}

export interface EventParserOptions {
  /** Whether events carry a CRC32 trailer before the first FDE says so (@@global.binlog_checksum = CRC32). */
  checksum: boolean;
  /** Verify CRC32 trailers (default true). */
  verifyChecksums?: boolean;
}

export function parseEventHeader(buf: Buffer): EventHeader {
  if (buf.length < EVENT_HEADER_LENGTH) throw new BinlogFormatError(`binlog event shorter than its header (${buf.length} bytes)`);
  return {
    timestamp: buf.readUInt32LE(0),
    typeCode: buf[4]!,
    serverId: buf.readUInt32LE(5),
    eventSize: buf.readUInt32LE(9),
    logPos: buf.readUInt32LE(13),
    flags: buf.readUInt16LE(17),
  };
}

const ROWS_KIND = new Map<number, { kind: RowsKind; version: 1 | 2 }>([
  [EventType.WRITE_ROWS_V1, { kind: 'write', version: 1 }],
  [EventType.UPDATE_ROWS_V1, { kind: 'update', version: 1 }],
  [EventType.DELETE_ROWS_V1, { kind: 'delete', version: 1 }],
  [EventType.WRITE_ROWS_V2, { kind: 'write', version: 2 }],
  [EventType.UPDATE_ROWS_V2, { kind: 'update', version: 2 }],
  [EventType.DELETE_ROWS_V2, { kind: 'delete', version: 2 }],
]);

function unsupported(typeCode: number): UnsupportedBinlogEventError | null {
  if (typeCode === EventType.TRANSACTION_PAYLOAD) {
    return new UnsupportedBinlogEventError(typeCode,
      'the server writes compressed transactions (TRANSACTION_PAYLOAD_EVENT), which this connector cannot read: set binlog_transaction_compression=OFF on the server');
  }
  if (typeCode === EventType.PARTIAL_UPDATE_ROWS) {
    return new UnsupportedBinlogEventError(typeCode,
      "the server writes partial JSON updates (PARTIAL_UPDATE_ROWS_EVENT), which leave row images incomplete: set binlog_row_value_options='' on the server");
  }
  if (typeCode >= EventType.MARIADB_QUERY_COMPRESSED && typeCode <= EventType.MARIADB_DELETE_ROWS_COMPRESSED_V2) {
    return new UnsupportedBinlogEventError(typeCode,
      `the server writes compressed binlog events (MariaDB event type ${typeCode}), which this connector cannot read: set log_bin_compress=OFF on the server`);
  }
  return null;
}

function checksumCapable(serverVersion: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(serverVersion);
  if (!m) return true;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return major > 5 || (major === 5 && (minor > 6 || (minor === 6 && patch >= 1)));
}

export class BinlogEventParser {
  private checksum: boolean;
  private readonly verify: boolean;
  private postHeaderLengths: readonly number[] = [];

  constructor(options: EventParserOptions) {
    this.checksum = options.checksum;
    this.verify = options.verifyChecksums ?? true;
  }

  /** Parses one whole event (header + body + trailer). */
  parse(event: Buffer): BinlogEvent {
    const header = parseEventHeader(event);
    const refused = unsupported(header.typeCode);
    if (refused) throw refused;
    if (header.typeCode === EventType.FORMAT_DESCRIPTION) return this.parseFormatDescription(header, event);
    let end = event.length;
    if (this.checksum) {
      if (this.verify) verifyEventChecksum(event, `(event type ${header.typeCode} ending at position ${header.logPos})`);
      end -= 4;
    }
    const r = new ByteReader(event, EVENT_HEADER_LENGTH, end);
    try {
      return this.parseBody(header, r);
    } catch (err) {
      if (err instanceof BinlogFormatError) {
        err.message = `event type ${header.typeCode} ending at position ${header.logPos}: ${err.message}`;
      }
      throw err;
    }
  }

  private postHeaderLength(typeCode: number, fallback: number): number {
    return this.postHeaderLengths[typeCode - 1] ?? fallback;
  }

  private parseFormatDescription(header: EventHeader, event: Buffer): FormatDescriptionEvent {
    const r = new ByteReader(event, EVENT_HEADER_LENGTH);
    const binlogVersion = r.u16('binlog version');
    const serverVersion = r.bytes(50, 'server version').toString('latin1').replace(/\0.*$/s, '');
    const createTimestamp = r.u32('create timestamp');
    const headerLength = r.u8('header length');
    let checksum: 'none' | 'crc32' = 'none';
    let typesEnd = event.length;
    if (checksumCapable(serverVersion)) {
      typesEnd = event.length - 5;
      const alg = event[event.length - 5]!;
      if (alg === 1) {
        checksum = 'crc32';
        if (this.verify) verifyEventChecksum(event, '(FORMAT_DESCRIPTION_EVENT)');
      } else if (alg !== 0 && alg !== 0xff) {
        throw new BinlogFormatError(`FORMAT_DESCRIPTION_EVENT announces unknown checksum algorithm ${alg}`);
      }
    }
    const postHeaderLengths = [...r.bytes(typesEnd - r.pos, 'post-header lengths')];
    this.postHeaderLengths = postHeaderLengths;
    this.checksum = checksum === 'crc32';
    return { type: 'format-description', header, binlogVersion, serverVersion, createTimestamp, headerLength, postHeaderLengths, checksum };
  }

  private parseBody(header: EventHeader, r: ByteReader): BinlogEvent {
    const code = header.typeCode;
    const rows = ROWS_KIND.get(code);
    if (rows) {
      const phl = this.postHeaderLength(code, rows.version === 2 ? 10 : 8);
      const tableId = phl === 6 ? BigInt(r.u32('table id')) : r.u48('table id');
      const flags = r.u16('rows flags');
      let extraData: Buffer = Buffer.alloc(0);
      if (rows.version === 2) {
        const extraLength = r.u16('extra data length');
        extraData = r.bytes(extraLength - 2, 'extra data');
      }
      const columnCount = r.lenenc('column count');
      const raw = r.buf.subarray(r.pos - lenencSize(columnCount), r.end);
      return { type: 'rows', header, kind: rows.kind, tableId, flags, version: rows.version, extraData, columnCount, raw };
    }
    switch (code) {
      case EventType.ROTATE: {
        const nextPosition = Number(r.u64('rotate position'));
        return { type: 'rotate', header, nextFile: r.rest().toString('utf8'), nextPosition };
      }
      case EventType.QUERY: {
        const threadId = r.u32('thread id');
        const executionSeconds = r.u32('execution time');
        const dbLength = r.u8('database length');
        const errorCode = r.u16('error code');
        const statusLength = r.u16('status variables length');
        r.skip(this.postHeaderLength(code, 13) - 13, 'query post-header');
        r.skip(statusLength, 'status variables');
        const database = r.utf8(dbLength, 'database');
        r.skip(1, 'database terminator');
        return { type: 'query', header, threadId, executionSeconds, database, sql: r.rest().toString('utf8'), errorCode };
      }
      case EventType.XID:
        return { type: 'xid', header, xid: r.u64('xid') };
      case EventType.TABLE_MAP:
        return parseTableMap(header, r, this.postHeaderLength(code, 8) === 6 ? 4 : 6);
      case EventType.GTID:
      case EventType.ANONYMOUS_GTID:
        return parseMySqlGtid(header, r);
      case EventType.PREVIOUS_GTIDS:
        return { type: 'previous-gtids', header, gtidSet: MySqlGtidSet.decode(r.rest()).toString() };
      case EventType.HEARTBEAT:
        return { type: 'heartbeat', header, file: r.rest().toString('utf8'), position: header.logPos };
      case EventType.HEARTBEAT_V2:
        return parseHeartbeatV2(header, r);
      case EventType.ROWS_QUERY:
        r.skip(1, 'rows query length');
        return { type: 'rows-query', header, sql: r.rest().toString('utf8') };
      case EventType.MARIADB_ANNOTATE_ROWS:
        return { type: 'annotate-rows', header, sql: r.rest().toString('utf8') };
      case EventType.MARIADB_BINLOG_CHECKPOINT:
        return { type: 'binlog-checkpoint', header, file: r.utf8(r.u32('checkpoint file length'), 'checkpoint file') };
      case EventType.MARIADB_GTID: {
        const sequence = r.u64('gtid sequence');
        const domainId = r.u32('gtid domain');
        const gtidFlags = r.u8('gtid flags');
        const commitId = gtidFlags & 0x02 && r.remaining >= 8 ? r.u64('commit id') : undefined;
        const serverId = header.serverId;
        return {
          type: 'mariadb-gtid', header, gtid: `${domainId}-${serverId}-${sequence}`, domainId, serverId, sequence,
          standalone: (gtidFlags & 0x01) !== 0, gtidFlags, ...(commitId !== undefined ? { commitId } : {}),
        };
      }
      case EventType.MARIADB_GTID_LIST: {
        const count = r.u32('gtid list count') & 0x0fffffff;
        const gtids: string[] = [];
        for (let i = 0; i < count; i++) {
          const domain = r.u32('gtid list domain');
          const server = r.u32('gtid list server');
          gtids.push(`${domain}-${server}-${r.u64('gtid list sequence')}`);
        }
        return { type: 'mariadb-gtid-list', header, gtids };
      }
      default:
        return { type: 'other', header, body: r.rest() };
    }
  }
}

function lenencSize(v: number): number {
  return v < 0xfb ? 1 : v <= 0xffff ? 3 : v <= 0xffffff ? 4 : 9;
}

const UINT56_TOP_BIT = 1n << 55n;

function parseMySqlGtid(header: EventHeader, r: ByteReader): MySqlGtidEvent {
  const gtidFlags = r.u8('gtid flags');
  const sid = r.bytes(16, 'gtid sid').toString('hex');
  const gno = r.buf.readBigInt64LE(r.pos);
  r.skip(8, 'gtid gno');
  const uuid = `${sid.slice(0, 8)}-${sid.slice(8, 12)}-${sid.slice(12, 16)}-${sid.slice(16, 20)}-${sid.slice(20)}`;
  const out: {
    -readonly [K in keyof MySqlGtidEvent]: MySqlGtidEvent[K];
  } = { type: 'mysql-gtid', header, gtid: `${uuid}:${gno}`, anonymous: header.typeCode === EventType.ANONYMOUS_GTID, gtidFlags };
  if (r.remaining >= 17 && r.buf[r.pos] === 2) {
    r.skip(1, 'logical clock type');
    out.lastCommitted = r.u64('last committed');
    out.sequenceNumber = r.u64('sequence number');
    if (r.remaining >= 7) {
      let immediate = BigInt(r.uintLE(6, 'commit timestamp')) | (BigInt(r.u8('commit timestamp')) << 48n);
      let original = immediate;
      if (immediate & UINT56_TOP_BIT) {
        immediate &= ~UINT56_TOP_BIT;
        original = BigInt(r.uintLE(6, 'original commit timestamp')) | (BigInt(r.u8('original commit timestamp')) << 48n);
      }
      out.immediateCommitMicros = Number(immediate);
      out.originalCommitMicros = Number(original);
      if (r.remaining > 0) out.transactionLength = r.lenenc('transaction length');
    }
  }
  return out;
}

function parseHeartbeatV2(header: EventHeader, r: ByteReader): BinlogEvent {
  let file = '';
  let position = header.logPos;
  while (r.remaining > 0) {
    const field = r.lenenc('heartbeat field');
    if (field === 0) break;
    const length = r.lenenc('heartbeat field length');
    if (field === 1) file = r.utf8(length, 'heartbeat file');
    else if (field === 2) {
      const v = new ByteReader(r.bytes(length, 'heartbeat position'));
      position = v.lenenc('heartbeat position');
    } else r.skip(length, 'heartbeat field');
  }
  return { type: 'heartbeat', header, file, position };
}
