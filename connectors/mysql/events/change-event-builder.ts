/**
 * Debezium's records for one MySQL/MariaDB connector: data change events (`r`, `c`, `u`, `d`,
 * tombstones, primary-key changes as `d` + `c`, `t`), schema-change records on `<prefix>`, and
 * heartbeats. The caller (snapshot or streaming) supplies table definitions, row images in
 * ColumnValue shapes, the source position and the source offset to attach; this module decides
 * everything a consumer sees.
 *
 * Rules kept from Debezium 3.6 (RelationalChangeRecordEmitter, EventDispatcher):
 * - records carry sourcePartition `{server: <prefix>}`, no Kafka partition and no timestamp;
 *   envelope ts_ms/ts_us/ts_ns are the processing time (the `clock`);
 * - `skipped.operations` drops `c`, `u` (including primary-key changes), `d` (and its tombstone)
 *   or `t`; `t` is skipped by default;
 * - an update whose key changed becomes `d` (header `__debezium.newkey` = new key struct) then its
 *   tombstone (same headers), then `c` (header `__debezium.oldkey` = old key struct);
 * - with `skip.messages.without.change`, an update whose included columns did not change emits nothing;
 * - with `extended.headers.enabled` (default) every data and schema-change record also carries
 *   `__debezium.context.connectorLogicalName`, `.taskId`, `.connectorName`, `.runId` (strings).
 *
 * Table schemas are cached per TableDefinition object (definitions are immutable).
 */
import type { ConnectHeader, SourceOffset, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import { normalizeInt64 } from '../../sdk/data/validate-value.js';
import type { TableDefinition } from '../schema/table-definition.js';
import type { RowValues } from '../values/column-value.js';
import type { EventSettings } from './event-settings.js';
import { schemaChangeSchemas, tableChangeStruct, type SchemaChangeSchemas, type TableChange } from './schema-change-schemas.js';
import { sanitizeTopicName, schemaNameAdjuster, type NameAdjuster } from './schema-names.js';
import { SourceInfoMaker, type SourcePosition } from './source-info.js';
import { buildTableSchemas, type TableSchemas } from './table-schemas.js';
import { TransactionMetadata, transactionSchemas } from './transaction-metadata.js';

/** Where an event comes from and the offset to commit with it. */
export interface EventPosition {
  readonly source: SourcePosition;
  readonly offset: SourceOffset;
}

export interface SchemaChangeEventInput {
  readonly databaseName: string;
  readonly ddl: string;
  readonly tableChanges: readonly TableChange[];
}

/** Epoch nanoseconds now. */
export type NanoClock = () => bigint;

export const PK_UPDATE_NEWKEY_HEADER = '__debezium.newkey';
export const PK_UPDATE_OLDKEY_HEADER = '__debezium.oldkey';

const systemClock: NanoClock = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

export class ChangeEventBuilder {
  readonly sourceInfo: SourceInfoMaker;
  readonly sourcePartition: SourcePartition;
  /** Present only with provide.transaction.metadata=true. */
  readonly transactions: TransactionMetadata | null;
  readonly #adjust: NameAdjuster;
  readonly #schemas = new WeakMap<TableDefinition, TableSchemas>();
  readonly #contextHeaders: readonly ConnectHeader[];
  #schemaChange: SchemaChangeSchemas | null = null;
  #heartbeat: { key: Schema; value: Schema } | null = null;

  constructor(
    readonly settings: EventSettings,
    private readonly clock: NanoClock = systemClock,
  ) {
    this.sourceInfo = new SourceInfoMaker(settings.flavor, settings.topicPrefix);
    this.sourcePartition = Object.freeze({ server: settings.topicPrefix });
    this.#adjust = schemaNameAdjuster(settings.schemaNameAdjustmentMode);
    const header = (key: string, value: string): ConnectHeader => ({ key: `__debezium.context.${key}`, schema: Schema.STRING_SCHEMA, value });
    this.#contextHeaders = settings.extendedHeadersEnabled
      ? [header('connectorLogicalName', settings.topicPrefix), header('taskId', settings.taskId), header('connectorName', settings.flavor), header('runId', settings.runId)]
      : [];
    this.transactions = settings.provideTransactionMetadata
      ? new TransactionMetadata(
        sanitizeTopicName(`${settings.topicPrefix}${settings.topicDelimiter}${settings.transactionTopic}`),
        this.sourcePartition,
        transactionSchemas(this.#adjust),
      )
      : null;
  }

  /** The table's schemas (built on first use). Throws DataError naming a column that cannot be mapped. */
  tableSchemas(table: TableDefinition): TableSchemas {
    let schemas = this.#schemas.get(table);
    if (schemas === undefined) {
      schemas = buildTableSchemas(table, this.settings, this.sourceInfo);
      this.#schemas.set(table, schemas);
    }
    return schemas;
  }

  /** A snapshot row (`op: r`); `at.source.snapshot` carries first/true/last/... */
  read(table: TableDefinition, row: RowValues, at: EventPosition): SourceRecord[] {
    const s = this.tableSchemas(table);
    return [this.dataRecord(s, 'r', s.keyOf(row), null, s.valueOf(row), at, [])];
  }

  create(table: TableDefinition, after: RowValues, at: EventPosition): SourceRecord[] {
    if (this.settings.skippedOperations.has('c')) return [];
    const s = this.tableSchemas(table);
    return [this.dataRecord(s, 'c', s.keyOf(after), null, s.valueOf(after), at, [])];
  }

  update(table: TableDefinition, before: RowValues, after: RowValues, at: EventPosition): SourceRecord[] {
    if (this.settings.skippedOperations.has('u')) return [];
    const s = this.tableSchemas(table);
    const oldKey = s.keyOf(before);
    const newKey = s.keyOf(after);
    const oldValue = s.valueOf(before);
    const newValue = s.valueOf(after);
    if (this.settings.skipMessagesWithoutChange && newValue.equals(oldValue)) return [];
    if (oldKey === null || newKey === null || oldKey.equals(newKey)) {
      return [this.dataRecord(s, 'u', newKey, oldValue, newValue, at, [])];
    }
    const deletion = this.dataRecord(s, 'd', oldKey, oldValue, null, at, [{ key: PK_UPDATE_NEWKEY_HEADER, schema: s.keySchema, value: newKey }]);
    const records = [deletion];
    if (this.settings.tombstonesOnDelete) records.push(tombstoneOf(deletion));
    records.push(this.dataRecord(s, 'c', newKey, null, newValue, at, [{ key: PK_UPDATE_OLDKEY_HEADER, schema: s.keySchema, value: oldKey }]));
    return records;
  }

  /** `d`, followed by its tombstone when tombstones.on.delete is on. */
  delete(table: TableDefinition, before: RowValues, at: EventPosition): SourceRecord[] {
    if (this.settings.skippedOperations.has('d')) return [];
    const s = this.tableSchemas(table);
    const deletion = this.dataRecord(s, 'd', s.keyOf(before), s.valueOf(before), null, at, []);
    return this.settings.tombstonesOnDelete ? [deletion, tombstoneOf(deletion)] : [deletion];
  }

  /** `t` on the table's topic with a null key; nothing while `t` is in skipped.operations (the default). */
  truncate(table: TableDefinition, at: EventPosition): SourceRecord[] {
    if (this.settings.skippedOperations.has('t')) return [];
    const s = this.tableSchemas(table);
    const record = this.dataRecord(s, 't', null, null, null, at, []);
    return [{ ...record, keySchema: null }];
  }

  /** A record for the schema-change topic `<prefix>` (only when include.schema.changes is on; the caller decides). */
  schemaChange(change: SchemaChangeEventInput, at: EventPosition): SourceRecord {
    const schemas = (this.#schemaChange ??= schemaChangeSchemas(this.settings.flavor, this.sourceInfo.schema, this.#adjust));
    const value = new Struct(schemas.value)
      .put('source', this.sourceInfo.struct(at.source))
      .put('ts_ms', normalizeInt64(this.clock() / 1_000_000n))
      .put('databaseName', change.databaseName)
      .put('ddl', change.ddl)
      .put('tableChanges', change.tableChanges.map((c) => tableChangeStruct(schemas, c)));
    return {
      topic: this.settings.topicPrefix,
      kafkaPartition: 0,
      keySchema: schemas.key,
      key: new Struct(schemas.key).put('databaseName', change.databaseName),
      valueSchema: schemas.value,
      value,
      timestamp: null,
      headers: this.#contextHeaders,
      sourcePartition: this.sourcePartition,
      sourceOffset: at.offset,
    };
  }

  /** A heartbeat on `__debezium-heartbeat<d><prefix>` (or topic.heartbeat.name) carrying the current offset. */
  heartbeat(offset: SourceOffset): SourceRecord {
    const schemas = (this.#heartbeat ??= {
      key: SchemaBuilder.struct().name(this.#adjust('io.debezium.connector.common.ServerNameKey')).version(1).field('serverName', Schema.STRING_SCHEMA).build(),
      value: SchemaBuilder.struct().name(this.#adjust('io.debezium.connector.common.Heartbeat')).version(1).field('ts_ms', Schema.INT64_SCHEMA).build(),
    });
    const settings = this.settings;
    return {
      topic: settings.heartbeatTopicName || `${settings.heartbeatTopicPrefix}${settings.topicDelimiter}${settings.topicPrefix}`,
      kafkaPartition: 0,
      keySchema: schemas.key,
      key: new Struct(schemas.key).put('serverName', settings.topicPrefix),
      valueSchema: schemas.value,
      value: new Struct(schemas.value).put('ts_ms', normalizeInt64(this.clock() / 1_000_000n)),
      timestamp: null,
      headers: [],
      sourcePartition: this.sourcePartition,
      sourceOffset: offset,
    };
  }

  private dataRecord(
    s: TableSchemas,
    op: 'r' | 'c' | 'u' | 'd' | 't',
    key: Struct | null,
    before: Struct | null,
    after: Struct | null,
    at: EventPosition,
    headers: readonly ConnectHeader[],
  ): SourceRecord {
    const now = this.clock();
    const envelope = new Struct(s.envelopeSchema)
      .put('before', before)
      .put('after', after)
      .put('source', this.sourceInfo.struct(at.source))
      .put('op', op)
      .put('ts_ms', normalizeInt64(now / 1_000_000n))
      .put('ts_us', normalizeInt64(now / 1000n))
      .put('ts_ns', normalizeInt64(now));
    if (this.transactions !== null && this.transactions.currentId !== null && op !== 'r') {
      envelope.put('transaction', this.transactions.block(`${s.table.id.database}.${s.table.id.table}`));
    }
    return {
      topic: s.topic,
      kafkaPartition: null,
      keySchema: s.keySchema,
      key,
      valueSchema: s.envelopeSchema,
      value: envelope,
      timestamp: null,
      headers: [...headers, ...this.#contextHeaders],
      sourcePartition: this.sourcePartition,
      sourceOffset: at.offset,
    };
  }
}

function tombstoneOf(record: SourceRecord): SourceRecord {
  return { ...record, valueSchema: null, value: null };
}
