/**
 * Debezium's ExtractNewRecordState on records exactly as the MySQL connector emits them (its own
 * envelope builder), checked as a consumer of the result sees them: topic, key, headers, and the
 * value written by JsonConverter with schemas (what a sink or `kcat` reads).
 */
import { describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings, type EventSettingsInput } from '../../../../connectors/mysql/events/event-settings.js';
import { extractNewRecordStatePlugin } from '../../../../connectors/mysql/index.js';
import type { ConnectHeader, ConnectRecord, SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { ConfigError } from '../../../../connectors/sdk/errors.js';
import { validateConnectorConfig } from '../../../../runtime/control/connector-validation.js';
import { JsonConverter } from '../../../../runtime/pipeline/converters/json-converter.js';
import { buildTransformChain } from '../../../../runtime/pipeline/transform-chain.js';
import { builtinPlugins } from '../../../../runtime/plugins/builtin-plugins.js';
import { column, customers, docsClock, streamingAt, table, userJson } from '../events/event-fixtures.js';

function events(extra: Partial<EventSettingsInput> = {}): ChangeEventBuilder {
  return new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'shop', runId: 'run-1', ...extra }), docsClock);
}

function unwrap(config: Record<string, string> = {}) {
  const transform = extractNewRecordStatePlugin.create<SourceRecord>();
  transform.configure(config);
  return transform;
}

const anne = [1004, 'Anne', 'Kretchmar', 'annek@noanswer.org'];
const anneMarie = [1004, 'Anne Marie', 'Kretchmar', 'annek@noanswer.org'];

const cdc = events();
const [created] = cdc.create(customers, anne, streamingAt());
const [updated] = cdc.update(customers, anne, anneMarie, streamingAt({ pos: 484 }));
const [deleted, tombstone] = cdc.delete(customers, anneMarie, streamingAt({ pos: 805 }));
const [snapshotRow] = cdc.read(customers, anne, streamingAt({ snapshot: 'last', serverId: 0, thread: null }));

const rowFields = [
  { field: 'id', type: 'int32', optional: false },
  { field: 'first_name', type: 'string', optional: false },
  { field: 'last_name', type: 'string', optional: false },
  { field: 'email', type: 'string', optional: false },
];
/** The `after`/`before` schema of customers: what a flattened record's value schema is. */
const rowSchema = { type: 'struct', name: 'shop.inventory.customers.Value', optional: true, fields: rowFields };
const anneRow = { id: 1004, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' };
const anneMarieRow = { ...anneRow, first_name: 'Anne Marie' };
const deletedFlag = { field: '__deleted', type: 'string', optional: true };

/** What a consumer reads as the value: JsonConverter's envelope (null for a real tombstone). */
function seen(record: ConnectRecord | null): unknown {
  if (record === null) return 'dropped';
  return userJson(record.valueSchema, record.value);
}

function header(record: ConnectRecord, key: string): ConnectHeader | undefined {
  return record.headers.find((h) => h.key === key);
}

describe('flattening with the defaults (delete.tombstone.handling.mode=tombstone)', () => {
  const t = unwrap();

  it('turns creates, snapshot reads and updates into the row after the change, with the row schema', () => {
    expect(seen(t.apply(created!))).toEqual({ schema: rowSchema, payload: anneRow });
    expect(seen(t.apply(snapshotRow!))).toEqual({ schema: rowSchema, payload: anneRow });
    expect(seen(t.apply(updated!))).toEqual({ schema: rowSchema, payload: anneMarieRow });
  });

  it('keeps topic, key, timestamp, source offsets and the connector\'s headers', () => {
    const out = t.apply(updated!)!;
    expect(out.topic).toBe('shop.inventory.customers');
    expect(userJson(out.keySchema, out.key)).toEqual(userJson(updated!.keySchema, updated!.key));
    expect(out.headers).toEqual(updated!.headers);
    expect(out.sourceOffset).toEqual(updated!.sourceOffset);
    expect(out.sourcePartition).toEqual({ server: 'shop' });
    expect(out.timestamp).toBeNull();
  });

  it('keeps a delete with a null value (the row schema stays, as Debezium does) and drops the tombstone after it', () => {
    const out = t.apply(deleted!)!;
    expect(out.value).toBeNull();
    expect(out.valueSchema?.name).toBe('shop.inventory.customers.Value');
    expect(userJson(out.keySchema, out.key)).toMatchObject({ payload: { id: 1004 } });
    // JsonConverter with schemas writes such a record as a null payload, not as a Kafka tombstone.
    expect(seen(out)).toEqual({ schema: rowSchema, payload: null });
    expect(t.apply(tombstone!)).toBeNull();
  });

  it('drops truncate events', () => {
    const [truncate] = events({ skippedOperations: new Set() }).truncate(customers, streamingAt());
    expect(truncate!.value).toBeInstanceOf(Struct);
    expect(t.apply(truncate!)).toBeNull();
  });
});

describe('delete.tombstone.handling.mode', () => {
  const outcome = (config: Record<string, string>) => {
    const t = unwrap(config);
    return { create: seen(t.apply(created!)), delete: seen(t.apply(deleted!)), tombstone: seen(t.apply(tombstone!)) };
  };
  const flaggedSchema = { type: 'struct', name: 'shop.inventory.customers.Value', optional: false, fields: [...rowFields, deletedFlag] };

  it('drop removes the delete event and its tombstone', () => {
    expect(outcome({ 'delete.tombstone.handling.mode': 'drop' })).toEqual({
      create: { schema: rowSchema, payload: anneRow }, delete: 'dropped', tombstone: 'dropped',
    });
  });

  it('tombstone (the default) keeps the delete with a null value and drops the tombstone', () => {
    expect(outcome({ 'delete.tombstone.handling.mode': 'tombstone' })).toEqual(outcome({}));
    expect(outcome({}).delete).toEqual({ schema: rowSchema, payload: null });
  });

  it('rewrite turns the delete into the deleted row with __deleted="true", marks other rows "false" and drops tombstones', () => {
    expect(outcome({ 'delete.tombstone.handling.mode': 'rewrite' })).toEqual({
      create: { schema: flaggedSchema, payload: { ...anneRow, __deleted: 'false' } },
      delete: { schema: flaggedSchema, payload: { ...anneMarieRow, __deleted: 'true' } },
      tombstone: 'dropped',
    });
  });

  it('rewrite-with-tombstone rewrites as rewrite does and passes the tombstone on untouched', () => {
    const t = unwrap({ 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' });
    expect(seen(t.apply(deleted!))).toEqual({ schema: flaggedSchema, payload: { ...anneMarieRow, __deleted: 'true' } });
    expect(t.apply(tombstone!)).toBe(tombstone);
    expect(seen(t.apply(tombstone!))).toBeNull();
  });

  it('delete-to-tombstone turns the delete into a real tombstone (same key, no value schema) and drops the original one', () => {
    const t = unwrap({ 'delete.tombstone.handling.mode': 'delete-to-tombstone' });
    const out = t.apply(deleted!)!;
    expect([out.valueSchema, out.value]).toEqual([null, null]);
    expect(seen(out)).toBeNull();
    expect(out.key).toBe(deleted!.key);
    expect(t.apply(tombstone!)).toBeNull();
    expect(seen(t.apply(created!))).toEqual({ schema: rowSchema, payload: anneRow });
  });

  it('accepts the mode in any case, as Debezium does', () => {
    expect(outcome({ 'delete.tombstone.handling.mode': 'REWRITE' })).toEqual(outcome({ 'delete.tombstone.handling.mode': 'rewrite' }));
  });

  it('a column named like the flag cannot be rewritten and says so', () => {
    const flagged = table('inventory', 'flags', [column('id', 1, 'INT', { optional: false }), column('__deleted', 2, 'INT')], ['id']);
    const [record] = events().create(flagged, [1, 0], streamingAt());
    expect(() => unwrap({ 'delete.tombstone.handling.mode': 'rewrite' }).apply(record!)).toThrow(/__deleted/);
  });
});

describe('the Debezium 2.x keys drop.tombstones and delete.handling.mode', () => {
  const outcome = (config: Record<string, string>) => {
    const t = unwrap(config);
    return { delete: seen(t.apply(deleted!)), tombstone: t.apply(tombstone!) === tombstone ? 'kept' : 'dropped' };
  };

  it('drop.tombstones=false alone keeps tombstones and, at the old default delete.handling.mode=drop, drops deletes', () => {
    expect(outcome({ 'drop.tombstones': 'false' })).toEqual({ delete: 'dropped', tombstone: 'kept' });
  });

  it('delete.handling.mode=none keeps deletes with a null value; rewrite rewrites them; tombstones dropped by default', () => {
    expect(outcome({ 'delete.handling.mode': 'none' })).toEqual({ delete: { schema: rowSchema, payload: null }, tombstone: 'dropped' });
    expect(outcome({ 'delete.handling.mode': 'rewrite', 'drop.tombstones': 'false' })).toMatchObject({
      delete: { payload: { ...anneMarieRow, __deleted: 'true' } }, tombstone: 'kept',
    });
    expect(seen(unwrap({ 'delete.handling.mode': 'rewrite' }).apply(created!))).toMatchObject({ payload: { __deleted: 'false' } });
  });

  it('delete.tombstone.handling.mode wins over them when both are set', () => {
    expect(outcome({ 'delete.tombstone.handling.mode': 'drop', 'drop.tombstones': 'false', 'delete.handling.mode': 'rewrite' }))
      .toEqual({ delete: 'dropped', tombstone: 'dropped' });
  });
});

describe('records that are not change events pass unchanged', () => {
  const t = unwrap({ 'add.headers': 'op', 'add.fields': 'op', 'delete.tombstone.handling.mode': 'rewrite' });

  it('heartbeats, schema changes and transaction metadata', () => {
    const builder = events({ provideTransactionMetadata: true });
    const heartbeat = builder.heartbeat({ file: 'mysql-bin.000003', pos: 154 });
    const schemaChange = builder.schemaChange({ databaseName: 'inventory', ddl: 'DROP TABLE old_orders', tableChanges: [] }, streamingAt());
    const begin = builder.transactions!.begin('5e1b:42', 1_465_491_411_000, {});
    const end = builder.transactions!.end(1_465_491_411_000, {})!;
    for (const record of [heartbeat, schemaChange, begin, end]) expect(t.apply(record)).toBe(record);
  });

  it('schemaless values, plain values and structs whose schema is not an envelope', () => {
    const schemaless = { ...created!, valueSchema: null, value: new Map([['before', null], ['after', { id: 1 }], ['op', 'c']]) };
    const text = { ...created!, valueSchema: Schema.STRING_SCHEMA, value: 'hello' };
    const other = SchemaBuilder.struct().name('shop.inventory.customers.Value').field('id', Schema.INT32_SCHEMA).build();
    const row = { ...created!, valueSchema: other, value: new Struct(other).put('id', 1) };
    for (const record of [schemaless, text, row]) expect(t.apply(record)).toBe(record);
  });
});

describe('add.fields', () => {
  it('appends op, table, db, ts_ms and source.ts_ms as optional fields named with the __ prefix', () => {
    const out = unwrap({ 'add.fields': 'op,table,db,ts_ms,source.ts_ms' }).apply(updated!)!;
    expect(seen(out)).toEqual({
      schema: {
        type: 'struct', name: 'shop.inventory.customers.Value', optional: false, fields: [
          ...rowFields,
          { field: '__op', type: 'string', optional: true },
          { field: '__table', type: 'string', optional: true },
          { field: '__db', type: 'string', optional: true },
          { field: '__ts_ms', type: 'int64', optional: true },
          { field: '__source_ts_ms', type: 'int64', optional: true },
        ],
      },
      payload: { ...anneMarieRow, __op: 'u', __table: 'customers', __db: 'inventory', __ts_ms: 1_465_491_411_815, __source_ts_ms: 1_465_491_411_000 },
    });
  });

  it('takes new names after a colon, another prefix, and leaves out names the event does not have', () => {
    const out = unwrap({ 'add.fields': 'op:OPERATION,source.ts_ms:EVENT_TIMESTAMP,lsn,file', 'add.fields.prefix': 'cdc_' }).apply(created!)!;
    expect(seen(out)).toMatchObject({
      payload: { ...anneRow, cdc_OPERATION: 'c', cdc_EVENT_TIMESTAMP: 1_465_491_411_000, cdc_file: 'mysql-bin.000003' },
    });
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(['id', 'first_name', 'last_name', 'email', 'cdc_OPERATION', 'cdc_EVENT_TIMESTAMP', 'cdc_file']);
  });

  it('reads the snapshot marker and transaction block as stored: null where the event has none', () => {
    const out = unwrap({ 'add.fields': 'snapshot,id,total_order' }).apply(snapshotRow!)!;
    expect(seen(out)).toMatchObject({ payload: { __snapshot: 'last', __id: null, __total_order: null } });
    const inTx = events({ provideTransactionMetadata: true });
    inTx.transactions!.begin('5e1b:42', 0, {});
    inTx.create(customers, anne, streamingAt());
    const [second] = inTx.create(customers, anneMarie, streamingAt());
    expect(seen(unwrap({ 'add.fields': 'id,total_order,transaction.data_collection_order' }).apply(second!))).toMatchObject({
      payload: { __id: '5e1b:42', __total_order: 2, __transaction_data_collection_order: 2 },
    });
  });

  it('adds the fields to deletes only in the rewrite modes, after __deleted', () => {
    expect(unwrap({ 'add.fields': 'op' }).apply(deleted!)!.value).toBeNull();
    const out = unwrap({ 'add.fields': 'op,pos', 'delete.tombstone.handling.mode': 'rewrite' }).apply(deleted!)!;
    expect(seen(out)).toMatchObject({ payload: { ...anneMarieRow, __deleted: 'true', __op: 'd', __pos: 805 } });
    expect(out.valueSchema!.fields.map((f) => f.name).slice(-3)).toEqual(['__deleted', '__op', '__pos']);
  });

  it('refuses malformed entries and two entries writing one name, naming the key', () => {
    for (const [value, detail] of [
      ['op,a:b:c', "'a:b:c' has more than one ':'"],
      ['source.ts_ms.x', "'source.ts_ms.x' must be a field or struct.field"],
      ['op:', "'op:' names no new name"],
      ['table,source.table:table', "'table' and 'source.table:table' would both write the field table"],
    ]) {
      const issues = extractNewRecordStatePlugin.configSpec.validate({ 'add.fields': value }).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]!.name).toBe('add.fields');
      expect(issues[0]!.message).toContain(detail);
    }
    expect(() => unwrap({ 'add.headers': 'a:b:c' })).toThrow(ConfigError);
  });

  it('fails a record when an entry names a whole block rather than one of its fields', () => {
    expect(() => unwrap({ 'add.fields': 'source' }).apply(created!)).toThrow(/name one of its fields/);
  });
});

describe('add.headers', () => {
  it('adds the metadata as headers after the connector\'s own, with their schemas', () => {
    const out = unwrap({ 'add.headers': 'op,source.ts_ms,db' }).apply(created!)!;
    expect(out.headers.slice(0, created!.headers.length)).toEqual(created!.headers);
    expect(out.headers.slice(created!.headers.length).map((h) => [h.key, h.value, h.schema?.type, h.schema?.optional]))
      .toEqual([['__op', 'c', 'STRING', true], ['__source_ts_ms', 1_465_491_411_000, 'INT64', true], ['__db', 'inventory', 'STRING', true]]);
  });

  it('adds them to kept deletes, and to kept tombstones only as op="d", under add.headers.prefix', () => {
    const t = unwrap({ 'add.headers': 'op,table', 'add.headers.prefix': 'dbz.', 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' });
    const out = t.apply(deleted!)!;
    expect([header(out, 'dbz.op')?.value, header(out, 'dbz.table')?.value]).toEqual(['d', 'customers']);
    const kept = t.apply(tombstone!)!;
    expect(kept.value).toBeNull();
    expect(header(kept, 'dbz.op')).toEqual({ key: 'dbz.op', schema: Schema.STRING_SCHEMA, value: 'd' });
    expect(header(kept, 'dbz.table')).toBeUndefined();
  });
});

describe('route.by.field', () => {
  const orders = table('inventory', 'orders', [
    column('id', 1, 'INT', { optional: false }),
    column('channel', 2, 'VARCHAR', { jdbcType: 12, length: 20, charsetName: 'utf8mb4' }),
  ], ['id']);
  const builder = events();

  it('sends creates and updates to the topic their row names, deletes by the row before', () => {
    const t = unwrap({ 'route.by.field': 'channel', 'delete.tombstone.handling.mode': 'rewrite' });
    const [create] = builder.create(orders, [1, 'web'], streamingAt());
    const [update] = builder.update(orders, [1, 'web'], [1, 'store'], streamingAt());
    const [remove] = builder.delete(orders, [1, 'store'], streamingAt());
    expect([create, update, remove].map((r) => t.apply(r!)!.topic)).toEqual(['web', 'store', 'store']);
    expect(unwrap({ 'route.by.field': 'channel' }).apply(remove!)!.topic).toBe('store');
  });

  it('keeps the topic when the column is null or blank, and fails a record whose row lacks a string column of that name', () => {
    const t = unwrap({ 'route.by.field': 'channel' });
    expect(t.apply(builder.create(orders, [2, null], streamingAt())[0]!)!.topic).toBe('shop.inventory.orders');
    expect(t.apply(builder.create(orders, [3, ' '], streamingAt())[0]!)!.topic).toBe('shop.inventory.orders');
    expect(() => unwrap({ 'route.by.field': 'id' }).apply(created!)).toThrow(/route.by.field: field id is INT32, not STRING/);
    expect(() => unwrap({ 'route.by.field': 'nope' }).apply(created!)).toThrow(/route.by.field: the row has no field nope/);
  });
});

describe('replace.null.with.default (rewrite modes)', () => {
  const tickets = table('inventory', 'tickets', [
    column('id', 1, 'INT', { optional: false }),
    column('status', 2, 'VARCHAR', { jdbcType: 12, length: 20, charsetName: 'utf8mb4', defaultValueExpression: 'new' }),
  ], ['id']);
  const [record] = events().create(tickets, [7, null], streamingAt());

  it('writes a null column that has a default as the default unless turned off', () => {
    const rewrite = { 'delete.tombstone.handling.mode': 'rewrite' };
    const status = (config: Record<string, string>) => (unwrap(config).apply(record!)!.value as Struct).getWithoutDefault('status');
    expect(status(rewrite)).toBe('new');
    expect(status({ ...rewrite, 'replace.null.with.default': 'false' })).toBeNull();
    expect(status({})).toBeNull();
  });
});

describe('drop.fields.header.name', () => {
  const items = table('inventory', 'items', [
    column('id', 1, 'INT', { optional: false }),
    column('name', 2, 'VARCHAR', { jdbcType: 12, length: 50, charsetName: 'utf8mb4' }),
    column('sku', 3, 'VARCHAR', { jdbcType: 12, length: 50, charsetName: 'utf8mb4', optional: false }),
  ], ['id', 'sku']);
  const names = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
  const withDropHeader = (record: SourceRecord): SourceRecord =>
    ({ ...record, headers: [...record.headers, { key: 'drop-fields', schema: names, value: ['name', 'sku'] }] });
  const [create] = events().create(items, [1, 'lamp', 'L-1'], streamingAt());
  const fieldNames = (schema: Schema | null) => schema?.fields.map((f) => f.name);

  it('removes the named optional fields of the value, keeping required ones for schema compatibility', () => {
    const out = unwrap({ 'drop.fields.header.name': 'drop-fields' }).apply(withDropHeader(create!))!;
    expect(fieldNames(out.valueSchema)).toEqual(['id', 'sku']);
    expect(fieldNames(out.keySchema)).toEqual(['id', 'sku']);
    expect(unwrap({ 'drop.fields.header.name': 'drop-fields' }).apply(create!)).toMatchObject({ value: (create!.value as Struct).getWithoutDefault('after') });
  });

  it('removes every named field with drop.fields.keep.schema.compatible=false, from the key too with drop.fields.from.key', () => {
    const out = unwrap({ 'drop.fields.header.name': 'drop-fields', 'drop.fields.keep.schema.compatible': 'false', 'drop.fields.from.key': 'true' })
      .apply(withDropHeader(create!))!;
    expect(fieldNames(out.valueSchema)).toEqual(['id']);
    expect(fieldNames(out.keySchema)).toEqual(['id']);
    expect(seen(out)).toMatchObject({ payload: { id: 1 } });
  });
});

describe('registration and validation', () => {
  const plugins = builtinPlugins();

  it('is found by Debezium\'s class name and by its short name, and listed as a transformation', () => {
    expect(plugins.transform('io.debezium.transforms.ExtractNewRecordState')).toBe(extractNewRecordStatePlugin);
    expect(plugins.transform('ExtractNewRecordState')).toBe(extractNewRecordStatePlugin);
    expect(plugins.infos(false)).toContainEqual({ class: 'io.debezium.transforms.ExtractNewRecordState', type: 'transformation', version: '0.1.0' });
    expect(plugins.configSpecOf('io.debezium.transforms.ExtractNewRecordState')?.spec.names).toContain('delete.tombstone.handling.mode');
  });

  const elasticsearchSink = {
    'name': 'elasticsearch-sink',
    'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    'topics.regex': 'shop\\.inventory\\..*',
    'connection.url': 'http://elasticsearch:9200',
    'key.ignore': 'false',
    'schema.ignore': 'true',
    'behavior.on.null.values': 'delete',
    'transforms': 'unwrap,key',
    'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    'transforms.unwrap.delete.tombstone.handling.mode': 'tombstone',
    'transforms.key.type': 'org.apache.kafka.connect.transforms.ExtractField$Key',
    'transforms.key.field': 'id',
  };

  it('validates an Elasticsearch sink config using it, and refuses a bad mode naming the key and the valid modes', () => {
    expect(validateConnectorConfig(plugins, elasticsearchSink).errors).toEqual([]);
    const bad = validateConnectorConfig(plugins, { ...elasticsearchSink, 'transforms.unwrap.delete.tombstone.handling.mode': 'purge', 'transforms.unwrap.add.fields': 'op::x' });
    expect(bad.errors).toEqual([
      'transforms.unwrap.delete.tombstone.handling.mode: Invalid value purge for configuration transforms.unwrap.delete.tombstone.handling.mode: '
        + 'String must be one of (case insensitive): drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone',
      "transforms.unwrap.add.fields: Invalid value [op::x] for configuration transforms.unwrap.add.fields: 'op::x' has more than one ':'",
    ]);
    const infos = bad.infos.configs.filter((c) => c.definition.name.startsWith('transforms.unwrap.'));
    expect(infos.map((c) => c.definition.group)).toSatisfy((groups: unknown[]) => groups.every((g) => g === 'Transforms: unwrap'));
  });

  it('runs in the sink\'s transform chain as the worker builds it: rows by id, deletes as null values, tombstones gone', () => {
    const chain = buildTransformChain(elasticsearchSink, plugins.transformPlugins());
    const json = new JsonConverter();
    json.configure({}, false);
    const consumed = (record: SourceRecord, offset: number) => {
      const key = json.toConnectData(record.topic, [], json.fromConnectData(record.topic, [], record.keySchema, record.key));
      const value = json.toConnectData(record.topic, [], json.fromConnectData(record.topic, [], record.valueSchema, record.value));
      return {
        topic: record.topic, kafkaPartition: 0, kafkaOffset: offset, timestamp: 0, timestampType: 'CreateTime' as const, headers: [],
        keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value,
        originalTopic: record.topic, originalKafkaPartition: 0, originalKafkaOffset: offset,
      };
    };
    const out = [created!, updated!, deleted!, tombstone!].map((r, i) => chain.apply(consumed(r, i)));
    expect(out.map((r) => r && [r.key, r.value === null ? null : (r.value as Struct).getString('first_name')]))
      .toEqual([[1004, 'Anne'], [1004, 'Anne Marie'], [1004, null], null]);
  });
});
