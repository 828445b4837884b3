/**
 * `provide.transaction.metadata=true`: the envelope's `transaction` block and the BEGIN/END
 * records on `<prefix><d><topic.transaction>` (Debezium's TransactionMonitor and
 * DefaultTransactionStructMaker). One instance per task; not safe for interleaved transactions —
 * the binlog delivers one transaction at a time.
 *
 * Transaction ids are the GTID when there is one, else `file=<file>,pos=<pos>` of the
 * transaction's start (as Debezium's binlog offset context names them). `total_order` counts
 * every event of the transaction, `data_collection_order` the events of that table, both from 1.
 * END lists per-table counts in the order the tables first appeared.
 */
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../sdk/connect-record.js';
import { TRANSACTION_BLOCK_SCHEMA } from './table-schemas.js';
import type { NameAdjuster } from './schema-names.js';

export interface TransactionSchemas {
  readonly key: Schema;
  readonly value: Schema;
}

export function transactionSchemas(adjust: NameAdjuster): TransactionSchemas {
  const perCollection = SchemaBuilder.struct().optional().name('event.collection').version(1)
    .field('data_collection', Schema.STRING_SCHEMA)
    .field('event_count', Schema.INT64_SCHEMA)
    .build();
  return {
    key: SchemaBuilder.struct().name(adjust('io.debezium.connector.common.TransactionMetadataKey')).version(1)
      .field('id', Schema.STRING_SCHEMA)
      .build(),
    value: SchemaBuilder.struct().name(adjust('io.debezium.connector.common.TransactionMetadataValue')).version(1)
      .field('status', Schema.STRING_SCHEMA)
      .field('id', Schema.STRING_SCHEMA)
      .field('event_count', Schema.OPTIONAL_INT64_SCHEMA)
      .field('data_collections', SchemaBuilder.array(perCollection).optional())
      .field('ts_ms', Schema.INT64_SCHEMA)
      .build(),
  };
}

export class TransactionMetadata {
  #id: string | null = null;
  #total = 0;
  #perTable = new Map<string, number>();

  constructor(
    private readonly topic: string,
    private readonly partition: SourcePartition,
    private readonly schemas: TransactionSchemas,
  ) {}

  get currentId(): string | null {
    return this.#id;
  }

  /** Starts a transaction and returns its BEGIN record. `tsMs` is the transaction's source time. */
  begin(id: string, tsMs: number, offset: SourceOffset): SourceRecord {
    this.#id = id;
    this.#total = 0;
    this.#perTable = new Map();
    const value = new Struct(this.schemas.value).put('status', 'BEGIN').put('id', id).put('ts_ms', tsMs);
    return this.record(id, value, offset);
  }

  /** Counts one event of `dataCollection` (`db.table`) and returns its envelope block. */
  block(dataCollection: string): Struct {
    if (this.#id === null) throw new Error('A transaction block was requested outside a transaction');
    this.#total += 1;
    const order = (this.#perTable.get(dataCollection) ?? 0) + 1;
    this.#perTable.set(dataCollection, order);
    return new Struct(TRANSACTION_BLOCK_SCHEMA).put('id', this.#id).put('total_order', this.#total).put('data_collection_order', order);
  }

  /** Ends the transaction and returns its END record, or null when none is open. */
  end(tsMs: number, offset: SourceOffset): SourceRecord | null {
    const id = this.#id;
    if (id === null) return null;
    const perCollection = this.schemas.value.field('data_collections')!.schema.valueSchema!;
    const collections = [...this.#perTable].map(([name, count]) => new Struct(perCollection).put('data_collection', name).put('event_count', count));
    const value = new Struct(this.schemas.value)
      .put('status', 'END').put('id', id).put('event_count', this.#total).put('data_collections', collections).put('ts_ms', tsMs);
    this.#id = null;
    return this.record(id, value, offset);
  }

  private record(id: string, value: Struct, offset: SourceOffset): SourceRecord {
    return {
      topic: this.topic,
      kafkaPartition: null,
      keySchema: this.schemas.key,
      key: new Struct(this.schemas.key).put('id', id),
      valueSchema: this.schemas.value,
      value,
      timestamp: null,
      headers: [],
      sourcePartition: this.partition,
      sourceOffset: offset,
    };
  }
}
