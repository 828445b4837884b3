/**
 * The binlog events a replication stream yields, parsed far enough for CDC: positions,
 * transaction boundaries, DDL text, table maps and (still encoded) row images.
 *
 * Every event carries its 19-byte v4 `header`. `header.logPos` is the position of the *next*
 * event in the file (0 for artificial events such as the first ROTATE of a dump). Rows events keep
 * their row images encoded (`raw`): `decodeRows()` turns them into ColumnValues once the caller has
 * the table's definition. Event types CDC does not need arrive as `other` with their body, so
 * nothing is silently dropped.
 */

export interface EventHeader {
  /** Seconds since the epoch (0 for artificial events). */
  readonly timestamp: number;
  readonly typeCode: number;
  readonly serverId: number;
  /** Header + body + checksum, as written in the binlog. */
  readonly eventSize: number;
  /** Position of the next event in the binlog file. */
  readonly logPos: number;
  readonly flags: number;
}

/** Event type codes (MySQL and MariaDB share 0..41; MariaDB's own start at 160). */
export const EventType = {
  QUERY: 2,
  STOP: 3,
  ROTATE: 4,
  INTVAR: 5,
  FORMAT_DESCRIPTION: 15,
  XID: 16,
  TABLE_MAP: 19,
  WRITE_ROWS_V1: 23,
  UPDATE_ROWS_V1: 24,
  DELETE_ROWS_V1: 25,
  HEARTBEAT: 27,
  ROWS_QUERY: 29,
  WRITE_ROWS_V2: 30,
  UPDATE_ROWS_V2: 31,
  DELETE_ROWS_V2: 32,
  GTID: 33,
  ANONYMOUS_GTID: 34,
  PREVIOUS_GTIDS: 35,
  PARTIAL_UPDATE_ROWS: 39,
  TRANSACTION_PAYLOAD: 40,
  HEARTBEAT_V2: 41,
  MARIADB_ANNOTATE_ROWS: 160,
  MARIADB_BINLOG_CHECKPOINT: 161,
  MARIADB_GTID: 162,
  MARIADB_GTID_LIST: 163,
  MARIADB_START_ENCRYPTION: 164,
  MARIADB_QUERY_COMPRESSED: 165,
  MARIADB_WRITE_ROWS_COMPRESSED_V1: 166,
  MARIADB_DELETE_ROWS_COMPRESSED_V2: 171,
} as const;

interface EventBase<T extends string> {
  readonly type: T;
  readonly header: EventHeader;
}

export interface RotateEvent extends EventBase<'rotate'> {
  readonly nextFile: string;
  readonly nextPosition: number;
}

export interface FormatDescriptionEvent extends EventBase<'format-description'> {
  readonly binlogVersion: number;
  readonly serverVersion: string;
  readonly createTimestamp: number;
  readonly headerLength: number;
  /** Post-header length per event type code (index = type code - 1). */
  readonly postHeaderLengths: readonly number[];
  readonly checksum: 'none' | 'crc32';
}

export interface QueryEvent extends EventBase<'query'> {
  readonly threadId: number;
  readonly executionSeconds: number;
  /** Default database of the statement (`''` when none). */
  readonly database: string;
  readonly sql: string;
  readonly errorCode: number;
}

export interface XidEvent extends EventBase<'xid'> {
  readonly xid: bigint;
}

/** Optional TABLE_MAP metadata (MySQL 8 / MariaDB ≥ 10.5 with binlog_row_metadata=FULL or MINIMAL). */
export interface TableMapMetadata {
  readonly columnNames?: readonly string[];
  /** Per column: true = UNSIGNED; undefined for non-numeric columns. */
  readonly signedness?: readonly (boolean | undefined)[];
  /** Per column: collation id of character columns; undefined for the others. */
  readonly charsets?: readonly (number | undefined)[];
  /** Per column: ENUM members; undefined for non-ENUM columns. */
  readonly enumValues?: readonly (readonly string[] | undefined)[];
  /** Per column: SET members; undefined for non-SET columns. */
  readonly setValues?: readonly (readonly string[] | undefined)[];
  /** 0-based column indexes of the primary key, in key order. */
  readonly primaryKey?: readonly number[];
}

export interface TableMapEvent extends EventBase<'table-map'> {
  readonly tableId: bigint;
  readonly database: string;
  readonly table: string;
  /** Binlog column type codes (STRING columns hold their real type in the meta). */
  readonly columnTypes: readonly number[];
  /** Per-column metadata as one integer (layout per type, see column-decoder.ts). */
  readonly columnMeta: readonly number[];
  readonly nullable: readonly boolean[];
  readonly metadata: TableMapMetadata;
}

export type RowsKind = 'write' | 'update' | 'delete';

export interface RowsEvent extends EventBase<'rows'> {
  readonly kind: RowsKind;
  readonly tableId: bigint;
  /** 0x0001 STMT_END_F, 0x0002 NO_FOREIGN_KEY_CHECKS, 0x0004 RELAXED_UNIQUE_CHECKS, 0x0008 COMPLETE_ROWS. */
  readonly flags: number;
  /** 1 = MariaDB / MySQL 5.5 layout (types 23-25), 2 = MySQL ≥ 5.6 (30-32). */
  readonly version: 1 | 2;
  /** v2 extra data (without its length prefix); empty for v1. */
  readonly extraData: Buffer;
  readonly columnCount: number;
  /** The body from the column count on (column count, present bitmaps, row images), checksum removed. */
  readonly raw: Buffer;
}

export interface MySqlGtidEvent extends EventBase<'mysql-gtid'> {
  /** `uuid:gno`; for ANONYMOUS_GTID events the all-zero uuid with gno 0. */
  readonly gtid: string;
  readonly anonymous: boolean;
  /** Bit 0: the transaction may contain statement-based events. */
  readonly gtidFlags: number;
  readonly lastCommitted?: bigint;
  readonly sequenceNumber?: bigint;
  /** When the transaction committed on this server, µs since the epoch (MySQL ≥ 8.0.1). */
  readonly immediateCommitMicros?: number;
  /** When it committed on the original source, µs since the epoch (MySQL ≥ 8.0.1). */
  readonly originalCommitMicros?: number;
  readonly transactionLength?: number;
}

export interface MariaDbGtidEvent extends EventBase<'mariadb-gtid'> {
  /** `domain-server-seq`. */
  readonly gtid: string;
  readonly domainId: number;
  readonly serverId: number;
  readonly sequence: bigint;
  /** No COMMIT/XID follows (DDL and other non-transactional statements). */
  readonly standalone: boolean;
  readonly gtidFlags: number;
  readonly commitId?: bigint;
}

export interface MariaDbGtidListEvent extends EventBase<'mariadb-gtid-list'> {
  /** `domain-server-seq` entries, the state at the start of the file. */
  readonly gtids: readonly string[];
}

export interface PreviousGtidsEvent extends EventBase<'previous-gtids'> {
  /** GTID set text of every transaction in earlier files (`uuid:1-5,uuid2:1-3`). */
  readonly gtidSet: string;
}

export interface HeartbeatEvent extends EventBase<'heartbeat'> {
  /** The binlog file the server is at. */
  readonly file: string;
  /** The position the server is at (v2 carries it in the body, v1 in the header's logPos). */
  readonly position: number;
}

export interface AnnotateRowsEvent extends EventBase<'annotate-rows'> {
  /** MariaDB: the SQL statement that produced the following rows events. */
  readonly sql: string;
}

export interface RowsQueryEvent extends EventBase<'rows-query'> {
  /** MySQL: the SQL statement (binlog_rows_query_log_events=ON). */
  readonly sql: string;
}

export interface BinlogCheckpointEvent extends EventBase<'binlog-checkpoint'> {
  /** MariaDB: the oldest binlog file crash recovery still needs. */
  readonly file: string;
}

export interface OtherEvent extends EventBase<'other'> {
  /** The body, checksum removed. */
  readonly body: Buffer;
}

export type BinlogEvent =
  | RotateEvent
  | FormatDescriptionEvent
  | QueryEvent
  | XidEvent
  | TableMapEvent
  | RowsEvent
  | MySqlGtidEvent
  | MariaDbGtidEvent
  | MariaDbGtidListEvent
  | PreviousGtidsEvent
  | HeartbeatEvent
  | AnnotateRowsEvent
  | RowsQueryEvent
  | BinlogCheckpointEvent
  | OtherEvent;
