/**
 * Change records as a consumer reads them through JsonConverter, compared with the events of
 * Debezium's documentation (shared-mariadb-mysql.adoc, "Change event keys", "_create_ events",
 * "_update_ events", "Primary key updates", "_delete_ events", "Tombstone events",
 * "_truncate_ events", "Schema change topic") for the `customers` table.
 *
 * Where the docs' JSON is illustrative rather than exact, the expectation follows Debezium's code
 * and says so: the docs show `snapshot` as a boolean and the source fields in another order and
 * omit `sequence` and the envelope's `transaction` field, which SchemaFactory and
 * BinlogSourceInfoStructMaker always define.
 */
import { describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings, type EventSettingsInput } from '../../../../connectors/mysql/events/event-settings.js';
import { snapshotMarker } from '../../../../connectors/mysql/events/source-info.js';
import type { SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import type { Struct } from '../../../../connectors/sdk/data/struct.js';
import { customers, docsClock, streamingAt, table, column, userJson, userJsonText } from './event-fixtures.js';

function builder(extra: Partial<EventSettingsInput> = {}): ChangeEventBuilder {
  return new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'mysql-server-1', runId: 'run-1', ...extra }), docsClock);
}

const anne = [1004, 'Anne', 'Kretchmar', 'annek@noanswer.org'];
const anneMarie = [1004, 'Anne Marie', 'Kretchmar', 'annek@noanswer.org'];

/** Source schema as Debezium 3.6's SchemaFactory + BinlogSourceInfoStructMaker define it. */
const sourceSchemaJson = {
  type: 'struct',
  fields: [
    { type: 'string', optional: false, field: 'version' },
    { type: 'string', optional: false, field: 'connector' },
    { type: 'string', optional: false, field: 'name' },
    { type: 'int64', optional: false, field: 'ts_ms' },
    {
      type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1,
      parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' },
      default: 'false', field: 'snapshot',
    },
    { type: 'string', optional: false, field: 'db' },
    { type: 'string', optional: true, field: 'sequence' },
    { type: 'int64', optional: true, field: 'ts_us' },
    { type: 'int64', optional: true, field: 'ts_ns' },
    { type: 'string', optional: true, field: 'table' },
    { type: 'int64', optional: false, field: 'server_id' },
    { type: 'string', optional: true, field: 'gtid' },
    { type: 'string', optional: false, field: 'file' },
    { type: 'int64', optional: false, field: 'pos' },
    { type: 'int32', optional: false, field: 'row' },
    { type: 'int64', optional: true, field: 'thread' },
    { type: 'string', optional: true, field: 'query' },
  ],
  optional: false,
  name: 'io.debezium.connector.mysql.Source',
  version: 1,
};

const rowFields = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'string', optional: false, field: 'first_name' },
  { type: 'string', optional: false, field: 'last_name' },
  { type: 'string', optional: false, field: 'email' },
];

describe('customers events (Debezium docs, shared-mariadb-mysql.adoc)', () => {
  it('writes the key exactly as "Change event keys" shows it', () => {
    const [record] = builder().create(customers, [1001, 'Sally', 'Thomas', 'sally.thomas@acme.com'], streamingAt());
    expect(userJson(record!.keySchema, record!.key)).toEqual({
      schema: { type: 'struct', name: 'mysql-server-1.inventory.customers.Key', optional: false, fields: [{ field: 'id', type: 'int32', optional: false }] },
      payload: { id: 1001 },
    });
    expect(record!.topic).toBe('mysql-server-1.inventory.customers');
    expect(record!.sourcePartition).toEqual({ server: 'mysql-server-1' });
    expect(record!.timestamp).toBeNull();
  });

  it('writes a create event as "_create_ events" shows it (source and transaction as the code defines them)', () => {
    const [record] = builder().create(customers, anne, streamingAt({
      tsMicros: 0, serverId: 0, file: 'mysql-bin.000003', pos: 154, row: 0, thread: 7,
      query: "INSERT INTO customers (first_name, last_name, email) VALUES ('Anne', 'Kretchmar', 'annek@noanswer.org')",
    }));
    const json = userJson(record!.valueSchema, record!.value);
    expect(json).toEqual({
      schema: {
        type: 'struct',
        fields: [
          { type: 'struct', fields: rowFields, optional: true, name: 'mysql-server-1.inventory.customers.Value', field: 'before' },
          { type: 'struct', fields: rowFields, optional: true, name: 'mysql-server-1.inventory.customers.Value', field: 'after' },
          { ...sourceSchemaJson, field: 'source' },
          {
            type: 'struct', optional: true, name: 'event.block', version: 1, field: 'transaction',
            fields: [
              { type: 'string', optional: false, field: 'id' },
              { type: 'int64', optional: false, field: 'total_order' },
              { type: 'int64', optional: false, field: 'data_collection_order' },
            ],
          },
          { type: 'string', optional: false, field: 'op' },
          { type: 'int64', optional: true, field: 'ts_ms' },
          { type: 'int64', optional: true, field: 'ts_us' },
          { type: 'int64', optional: true, field: 'ts_ns' },
        ],
        optional: false,
        name: 'mysql-server-1.inventory.customers.Envelope',
        version: 2,
      },
      payload: {
        before: null,
        after: { id: 1004, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' },
        source: {
          version: '3.6.1.Final', connector: 'mysql', name: 'mysql-server-1', ts_ms: 0, snapshot: 'false', db: 'inventory',
          sequence: null, ts_us: 0, ts_ns: 0, table: 'customers', server_id: 0, gtid: null, file: 'mysql-bin.000003', pos: 154,
          row: 0, thread: 7, query: "INSERT INTO customers (first_name, last_name, email) VALUES ('Anne', 'Kretchmar', 'annek@noanswer.org')",
        },
        transaction: null,
        op: 'c',
        ts_ms: 1465491411815,
        ts_us: 1465491411815437,
        ts_ns: Number('1465491411815437158'),
      },
    });
    // JSON.parse rounds ts_ns; the bytes carry it exactly.
    expect(userJsonText(record!.valueSchema, record!.value)).toContain('"ts_ns":1465491411815437158}}');
  });

  it('writes an update with before and after, as "_update_ events" shows', () => {
    const at = streamingAt({ tsMicros: 1_465_581_029_000_000, pos: 484, thread: 7, query: "UPDATE customers SET first_name='Anne Marie' WHERE id=1004" });
    const records = builder().update(customers, anne, anneMarie, at);
    expect(records).toHaveLength(1);
    const payload = (userJson(records[0]!.valueSchema, records[0]!.value) as { payload: Record<string, unknown> }).payload;
    expect(payload.op).toBe('u');
    expect(payload.before).toEqual({ id: 1004, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' });
    expect(payload.after).toEqual({ id: 1004, first_name: 'Anne Marie', last_name: 'Kretchmar', email: 'annek@noanswer.org' });
    expect(payload.source).toMatchObject({ ts_ms: 1465581029000, pos: 484, row: 0, server_id: 223344, thread: 7, snapshot: 'false' });
  });

  it('writes a delete then a tombstone with the same key, as "_delete_ events" and "Tombstone events" show', () => {
    const records = builder().delete(customers, anneMarie, streamingAt({ pos: 805 }));
    expect(records.map((r) => (r.value === null ? 'tombstone' : (r.value as Struct).get('op')))).toEqual(['d', 'tombstone']);
    const [deletion, tombstone] = records;
    const payload = (userJson(deletion!.valueSchema, deletion!.value) as { payload: Record<string, unknown> }).payload;
    expect(payload.before).toEqual({ id: 1004, first_name: 'Anne Marie', last_name: 'Kretchmar', email: 'annek@noanswer.org' });
    expect(payload.after).toBeNull();
    expect(userJson(tombstone!.keySchema, tombstone!.key)).toEqual(userJson(deletion!.keySchema, deletion!.key));
    expect(userJson(tombstone!.valueSchema, tombstone!.value)).toBeNull();
    expect(tombstone!.sourceOffset).toEqual(deletion!.sourceOffset);
  });

  it('leaves the tombstone out with tombstones.on.delete=false and honours skipped.operations', () => {
    expect(builder({ tombstonesOnDelete: false }).delete(customers, anne, streamingAt())).toHaveLength(1);
    const skipping = builder({ skippedOperations: new Set(['c', 'u', 'd']) });
    expect(skipping.create(customers, anne, streamingAt())).toEqual([]);
    expect(skipping.update(customers, anne, anneMarie, streamingAt())).toEqual([]);
    expect(skipping.delete(customers, anne, streamingAt())).toEqual([]);
  });

  it('turns a primary-key change into d (+tombstone) with __debezium.newkey and c with __debezium.oldkey', () => {
    const moved = [2001, 'Anne', 'Kretchmar', 'annek@noanswer.org'];
    const records = builder({ extendedHeadersEnabled: false }).update(customers, anne, moved, streamingAt());
    expect(records.map((r) => (r.value === null ? 'tombstone' : (r.value as Struct).get('op')))).toEqual(['d', 'tombstone', 'c']);
    const [deletion, tombstone, creation] = records;
    expect(deletion!.headers.map((h) => [h.key, userJson(h.schema, h.value)])).toEqual([
      ['__debezium.newkey', userJson(creation!.keySchema, creation!.key)],
    ]);
    expect(tombstone!.headers).toEqual(deletion!.headers);
    expect(creation!.headers.map((h) => [h.key, userJson(h.schema, h.value)])).toEqual([
      ['__debezium.oldkey', { schema: { type: 'struct', name: 'mysql-server-1.inventory.customers.Key', optional: false, fields: [{ field: 'id', type: 'int32', optional: false }] }, payload: { id: 1004 } }],
    ]);
  });

  it('adds the __debezium.context.* headers by default (extended.headers.enabled)', () => {
    const [record] = builder().create(customers, anne, streamingAt());
    expect(record!.headers.map((h) => [h.key, h.value])).toEqual([
      ['__debezium.context.connectorLogicalName', 'mysql-server-1'],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', 'mysql'],
      ['__debezium.context.runId', 'run-1'],
    ]);
  });

  it('drops updates that change no included column with skip.messages.without.change', () => {
    const onlyNames = builder({ skipMessagesWithoutChange: true, columnFilter: (_db, _t, c) => c !== 'email' });
    expect(onlyNames.update(customers, anne, [1004, 'Anne', 'Kretchmar', 'other@x.org'], streamingAt())).toEqual([]);
    expect(onlyNames.update(customers, anne, anneMarie, streamingAt())).toHaveLength(1);
  });

  it('marks snapshot reads with op r, before null and the snapshot marker', () => {
    const [record] = builder().read(customers, anne, streamingAt({ snapshot: 'last', serverId: 0, thread: null }));
    const payload = (userJson(record!.valueSchema, record!.value) as { payload: Record<string, unknown> }).payload;
    expect(payload).toMatchObject({ op: 'r', before: null, source: { snapshot: 'last', server_id: 0, thread: null } });
  });

  it('assigns snapshot markers as Debezium does for two tables of two rows', () => {
    const rows = [[true, false], [false, true]].flatMap(([firstTable, lastTable]) =>
      [0, 1].map((i) => snapshotMarker(firstTable!, lastTable!, i === 0, i === 1)));
    expect(rows).toEqual(['first', 'last_in_data_collection', 'first_in_data_collection', 'last']);
  });

  it('writes truncate only when t is not skipped, with a null key and no row images ("_truncate_ events")', () => {
    expect(builder().truncate(customers, streamingAt())).toEqual([]);
    const [record] = builder({ skippedOperations: new Set() }).truncate(customers, streamingAt());
    expect(record!.key).toBeNull();
    expect(record!.keySchema).toBeNull();
    expect((userJson(record!.valueSchema, record!.value) as { payload: unknown }).payload).toMatchObject({ op: 't', before: null, after: null });
  });

  it('gives a table without primary key null keys', () => {
    const noPk = table('inventory', 'log', [column('msg', 1, 'TEXT', { charsetName: 'utf8mb4' })], []);
    const [record] = builder().create(noPk, ['hi'], streamingAt());
    expect(record!.keySchema).toBeNull();
    expect(record!.key).toBeNull();
  });

  it('names topics and schemas with topic.delimiter and schema.name.adjustment.mode=avro', () => {
    const dashed = table('my-db', '1st table', [column('id', 1, 'INT', { optional: false })], ['id']);
    const [record] = builder({ topicDelimiter: '_', schemaNameAdjustmentMode: 'avro' }).create(dashed, [1], streamingAt());
    expect(record!.topic).toBe('mysql-server-1_my-db_1st_table');
    expect(record!.keySchema!.name).toBe('mysql_server_1_my_db_1st_table.Key');
    expect(record!.valueSchema!.name).toBe('mysql_server_1_my_db_1st_table.Envelope');
  });

  it('excludes filtered columns from values but keeps key columns in the key', () => {
    const b = builder({ columnFilter: (_db, _t, c) => c !== 'id' && c !== 'email' });
    const [record] = b.create(customers, anne, streamingAt());
    expect((userJson(record!.valueSchema, record!.value) as { payload: { after: unknown } }).payload.after).toEqual({ first_name: 'Anne', last_name: 'Kretchmar' });
    expect((userJson(record!.keySchema, record!.key) as { payload: unknown }).payload).toEqual({ id: 1004 });
  });

  it('names the table and column when a value does not fit', () => {
    expect(() => builder().create(customers, ['x', 'Anne', 'K', 'e'], streamingAt())).toThrow(/column inventory\.customers\.id \(INT\).*expected an integer/);
    expect(() => builder().create(customers, [1, 'Anne'], streamingAt())).toThrow(/inventory\.customers has 4 columns but the row image has 2 values/);
  });
});

describe('schema change, heartbeat and transaction records', () => {
  it('writes a schema change as "Schema change topic" shows it', () => {
    const b = builder();
    const record = b.schemaChange({
      databaseName: 'inventory',
      ddl: 'ALTER TABLE customers ADD middle_name varchar(255) AFTER first_name',
      tableChanges: [{ type: 'ALTER', id: customers.id, table: customers }],
    }, streamingAt({ pos: 570, thread: null }));
    expect(record.topic).toBe('mysql-server-1');
    expect(record.kafkaPartition).toBe(0);
    expect(userJson(record.keySchema, record.key)).toEqual({
      schema: { type: 'struct', fields: [{ type: 'string', optional: false, field: 'databaseName' }], optional: false, name: 'io.debezium.connector.mysql.SchemaChangeKey', version: 1 },
      payload: { databaseName: 'inventory' },
    });
    const payload = (userJson(record.valueSchema, record.value) as { payload: Record<string, unknown> }).payload;
    expect(payload).toMatchObject({ databaseName: 'inventory', schemaName: null, ddl: 'ALTER TABLE customers ADD middle_name varchar(255) AFTER first_name', ts_ms: 1465491411815 });
    expect(payload.tableChanges).toEqual([{
      type: 'ALTER',
      id: '"inventory"."customers"',
      table: {
        defaultCharsetName: 'utf8mb4',
        primaryKeyColumnNames: ['id'],
        columns: [
          { name: 'id', jdbcType: 4, nativeType: null, typeName: 'INT', typeExpression: 'INT', charsetName: null, length: null, scale: null, position: 1, optional: false, autoIncremented: true, generated: false, comment: null, defaultValueExpression: null, enumValues: null },
          ...['first_name', 'last_name', 'email'].map((name, i) => ({
            name, jdbcType: 12, nativeType: null, typeName: 'VARCHAR', typeExpression: 'VARCHAR', charsetName: 'utf8mb4', length: 255, scale: null,
            position: i + 2, optional: false, autoIncremented: false, generated: false, comment: null, defaultValueExpression: null, enumValues: null,
          })),
        ],
        comment: null,
      },
    }]);
  });

  it('writes heartbeats on __debezium-heartbeat.<prefix> with ServerNameKey and Heartbeat', () => {
    const record = builder().heartbeat({ file: 'mysql-bin.000003', pos: 154 });
    expect(record.topic).toBe('__debezium-heartbeat.mysql-server-1');
    expect(userJson(record.keySchema, record.key)).toEqual({
      schema: { type: 'struct', fields: [{ type: 'string', optional: false, field: 'serverName' }], optional: false, name: 'io.debezium.connector.common.ServerNameKey', version: 1 },
      payload: { serverName: 'mysql-server-1' },
    });
    expect(userJson(record.valueSchema, record.value)).toEqual({
      schema: { type: 'struct', fields: [{ type: 'int64', optional: false, field: 'ts_ms' }], optional: false, name: 'io.debezium.connector.common.Heartbeat', version: 1 },
      payload: { ts_ms: 1465491411815 },
    });
    expect(record.sourceOffset).toEqual({ file: 'mysql-bin.000003', pos: 154 });
  });

  it('adds transaction blocks and BEGIN/END records with provide.transaction.metadata', () => {
    const b = builder({ provideTransactionMetadata: true });
    const tx = b.transactions!;
    const begin = tx.begin('file=mysql-bin.000003,pos=154', 1465491411000, { pos: 154 });
    const records: SourceRecord[] = [
      ...b.create(customers, anne, streamingAt()),
      ...b.update(customers, anne, anneMarie, streamingAt()),
    ];
    const end = tx.end(1465491411000, { pos: 900 })!;
    expect(begin.topic).toBe('mysql-server-1.transaction');
    expect((userJson(begin.valueSchema, begin.value) as { payload: unknown }).payload).toEqual({
      status: 'BEGIN', id: 'file=mysql-bin.000003,pos=154', event_count: null, data_collections: null, ts_ms: 1465491411000,
    });
    expect(records.map((r) => (userJson(r.valueSchema, r.value) as { payload: { transaction: unknown } }).payload.transaction)).toEqual([
      { id: 'file=mysql-bin.000003,pos=154', total_order: 1, data_collection_order: 1 },
      { id: 'file=mysql-bin.000003,pos=154', total_order: 2, data_collection_order: 2 },
    ]);
    expect((userJson(end.valueSchema, end.value) as { payload: unknown }).payload).toEqual({
      status: 'END', id: 'file=mysql-bin.000003,pos=154', event_count: 2,
      data_collections: [{ data_collection: 'inventory.customers', event_count: 2 }], ts_ms: 1465491411000,
    });
    expect((userJson(end.keySchema, end.key) as { schema: { name: string } }).schema.name).toBe('io.debezium.connector.common.TransactionMetadataKey');
  });
});
