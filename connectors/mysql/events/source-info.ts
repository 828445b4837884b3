/**
 * The `source` block of every change and schema-change event: schema
 * `io.debezium.connector.{mysql|mariadb}.Source` (version 1) with Debezium's field order —
 * the common fields (version, connector, name, ts_ms, snapshot, db, sequence, ts_us, ts_ns) then
 * the binlog ones (table, server_id, gtid, file, pos, row, thread, query).
 *
 * `snapshot` is the `io.debezium.data.Enum` string with default "false": outside snapshots the
 * field is left null, so converters that replace nulls with defaults (JsonConverter's default)
 * write "false", exactly as Debezium's SnapshotRecord.FALSE does.
 */
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import { normalizeInt64 } from '../../sdk/data/validate-value.js';
import { DEBEZIUM } from './column-schemas.js';
import type { Flavor } from './event-settings.js';

/**
 * The Debezium version reported in `source.version`: the latest final release (3.6.1.Final, August
 * 2026) whose event format — schemas, names, field order, value mappings — this module reproduces.
 * Consumers that branch on the version see a release whose events look exactly like ours.
 */
export const DEBEZIUM_VERSION = '3.6.1.Final';

export type SnapshotMarker = 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false' | 'incremental';

/** Debezium's SnapshotRecord values, in its declaration order (the `allowed` parameter). */
export const SNAPSHOT_MARKERS: readonly SnapshotMarker[] = ['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental'];

export interface SourcePosition {
  /** When the change happened at the source, in microseconds since the epoch (binlog header seconds × 10^6 when nothing finer is known; read time in snapshots). */
  readonly tsMicros: number;
  /** null (or 'false') outside snapshots. */
  readonly snapshot: SnapshotMarker | null;
  /** null is written as "". */
  readonly database: string | null;
  readonly table: string | null;
  /** server_id from the event header; 0 in snapshots. */
  readonly serverId: number;
  readonly gtid: string | null;
  readonly file: string;
  readonly pos: number;
  /** Row index within the rows event. */
  readonly row: number;
  /** The QUERY event's thread id; null in snapshots. */
  readonly thread: number | null;
  /** The SQL text, only with include.query. */
  readonly query: string | null;
}

export function snapshotMarkerSchema(): Schema {
  return SchemaBuilder.string().name(DEBEZIUM.ENUM).version(1).parameter('allowed', SNAPSHOT_MARKERS.join(','))
    .defaultValue('false').optional().build();
}

export function sourceInfoSchema(flavor: Flavor): Schema {
  return SchemaBuilder.struct()
    .name(`io.debezium.connector.${flavor}.Source`)
    .version(1)
    .field('version', Schema.STRING_SCHEMA)
    .field('connector', Schema.STRING_SCHEMA)
    .field('name', Schema.STRING_SCHEMA)
    .field('ts_ms', Schema.INT64_SCHEMA)
    .field('snapshot', snapshotMarkerSchema())
    .field('db', Schema.STRING_SCHEMA)
    .field('sequence', Schema.OPTIONAL_STRING_SCHEMA)
    .field('ts_us', Schema.OPTIONAL_INT64_SCHEMA)
    .field('ts_ns', Schema.OPTIONAL_INT64_SCHEMA)
    .field('table', Schema.OPTIONAL_STRING_SCHEMA)
    .field('server_id', Schema.INT64_SCHEMA)
    .field('gtid', Schema.OPTIONAL_STRING_SCHEMA)
    .field('file', Schema.STRING_SCHEMA)
    .field('pos', Schema.INT64_SCHEMA)
    .field('row', Schema.INT32_SCHEMA)
    .field('thread', Schema.OPTIONAL_INT64_SCHEMA)
    .field('query', Schema.OPTIONAL_STRING_SCHEMA)
    .build();
}

/** Builds source structs for one connector (flavor + topic prefix). */
export class SourceInfoMaker {
  readonly schema: Schema;

  constructor(
    readonly flavor: Flavor,
    readonly serverName: string,
  ) {
    this.schema = sourceInfoSchema(flavor);
  }

  struct(position: SourcePosition): Struct {
    const micros = BigInt(Math.trunc(position.tsMicros));
    const struct = new Struct(this.schema)
      .put('version', DEBEZIUM_VERSION)
      .put('connector', this.flavor)
      .put('name', this.serverName)
      .put('ts_ms', normalizeInt64(floorDiv(micros, 1000n)))
      .put('db', position.database ?? '')
      .put('ts_us', normalizeInt64(micros))
      .put('ts_ns', normalizeInt64(micros * 1000n))
      .put('server_id', position.serverId)
      .put('file', position.file)
      .put('pos', position.pos)
      .put('row', position.row);
    if (position.snapshot !== null && position.snapshot !== 'false') struct.put('snapshot', position.snapshot);
    if (position.table !== null) struct.put('table', position.table);
    if (position.gtid !== null) struct.put('gtid', position.gtid);
    if (position.thread !== null && position.thread >= 0) struct.put('thread', position.thread);
    if (position.query !== null) struct.put('query', position.query);
    return struct;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/**
 * The `source.snapshot` value of a snapshot row, as Debezium's SnapshotMarkerResolver assigns it:
 * last of the snapshot → `last`, first of the snapshot → `first`, last of its table →
 * `last_in_data_collection`, first of its table → `first_in_data_collection`, else `true`.
 * (Debezium also re-marks the very last emitted row `last` when the last table is empty.)
 */
export function snapshotMarker(firstTable: boolean, lastTable: boolean, firstRowInTable: boolean, lastRowInTable: boolean): SnapshotMarker {
  if (lastRowInTable && lastTable) return 'last';
  if (firstRowInTable && firstTable) return 'first';
  if (lastRowInTable) return 'last_in_data_collection';
  if (firstRowInTable) return 'first_in_data_collection';
  return 'true';
}
