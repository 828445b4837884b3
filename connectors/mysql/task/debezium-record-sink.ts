/**
 * Turns decoded rows (from the snapshot or the binlog) into Debezium's records and queues them
 * for poll. Positions become the `source` block; offsets are Debezium's binlog offset maps.
 */
import type { EventHeader } from '../binlog/binlog-event.js';
import type { RowChange } from '../binlog/rows-decoder.js';
import type { ChangeEventBuilder, EventPosition } from '../events/change-event-builder.js';
import type { SourcePosition } from '../events/source-info.js';
import { binlogOffsetMap, type BinlogOffset } from '../offsets/binlog-offset.js';
import type { TableDefinition } from '../schema/table-definition.js';
import type { SnapshotMarker, SnapshotRowSink } from '../snapshot/snapshot-runner.js';
import type { ChangeSink, RowsContext } from '../streaming/change-sink.js';
import type { ColumnValue } from '../values/column-value.js';
import type { SourceRecord } from '../../sdk/connect-record.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import type { ChangeQueue } from './change-queue.js';

export class DebeziumRecordSink implements ChangeSink, SnapshotRowSink {
  readonly #keyless = new Set<string>();

  constructor(
    readonly builder: ChangeEventBuilder,
    private readonly queue: ChangeQueue,
    private readonly logger: TaskLogger,
  ) {}

  /** Says once per table that it has no primary key: its events get null keys, as with Debezium. */
  #noteKeyless(table: TableDefinition): void {
    if (table.primaryKeyColumnNames.length > 0) return;
    const name = `${table.id.database}.${table.id.table}`;
    if (this.#keyless.has(name)) return;
    this.#keyless.add(name);
    this.logger.warn({ table: name }, `Table ${name} has no primary key: its change events have null keys, so they spread over `
      + 'partitions without per-row order and cannot be compacted. Add a primary key to keep each row\'s changes in order.');
  }

  async row(context: RowsContext, change: RowChange, rowIndex: number, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    const source: SourcePosition = {
      tsMicros: context.header.timestamp * 1_000_000,
      snapshot: null,
      database: context.table.id.database,
      table: context.table.id.table,
      serverId: context.header.serverId,
      gtid: context.gtid,
      file: context.file,
      pos: context.eventPosition,
      row: rowIndex,
      thread: context.threadId,
      query: context.query,
    };
    const at: EventPosition = { source, offset: binlogOffsetMap(offset) };
    const table = context.table;
    this.#noteKeyless(table);
    let records: SourceRecord[];
    if (context.kind === 'write') records = this.builder.create(table, change.after!, at);
    else if (context.kind === 'delete') records = this.builder.delete(table, change.before!, at);
    else records = this.builder.update(table, change.before!, change.after!, at);
    return this.#enqueue(records, signal);
  }

  async transactionBegin(id: string, header: EventHeader, offset: BinlogOffset, emit: boolean, signal: AbortSignal): Promise<boolean> {
    const transactions = this.builder.transactions;
    if (transactions === null) return true;
    const begin = transactions.begin(id, header.timestamp * 1000, binlogOffsetMap(offset));
    return emit ? this.#enqueue([begin], signal) : true;
  }

  async transactionEnd(header: EventHeader, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    const end = this.builder.transactions?.end(header.timestamp * 1000, binlogOffsetMap(offset)) ?? null;
    return end === null ? true : this.#enqueue([end], signal);
  }

  async heartbeat(offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    return this.#enqueue([this.builder.heartbeat(binlogOffsetMap(offset))], signal);
  }

  /** A snapshot row (`op: r`). */
  async snapshotRow(table: TableDefinition, values: readonly ColumnValue[], marker: SnapshotMarker, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    this.#noteKeyless(table);
    const source: SourcePosition = {
      tsMicros: Date.now() * 1000,
      snapshot: marker,
      database: table.id.database,
      table: table.id.table,
      serverId: 0,
      gtid: null,
      file: offset.file,
      pos: offset.pos,
      row: 0,
      thread: null,
      query: null,
    };
    return this.#enqueue(this.builder.read(table, values, { source, offset: binlogOffsetMap(offset) }), signal);
  }

  async enqueue(records: readonly SourceRecord[], signal: AbortSignal): Promise<boolean> {
    return this.#enqueue(records, signal);
  }

  async #enqueue(records: readonly SourceRecord[], signal: AbortSignal): Promise<boolean> {
    for (const record of records) {
      if (!(await this.queue.put(record, signal))) return false;
    }
    return true;
  }
}
