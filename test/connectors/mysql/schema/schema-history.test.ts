/**
 * The schema history on the bundled broker: topic creation and settings, Debezium's record JSON,
 * recovery up to a restart position, missing-history detection and the store-only/skip settings.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectorClusters } from '../../../../runtime/kafka/connector-clusters.js';
import { quietLogger } from '../../../runtime/kafka/kafka-test-kit.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { kafkaClient } from '../../../helpers/kafkajs-clients.js';
import kafkajs from 'kafkajs';
import { KafkaSchemaHistory, SchemaHistoryMissingError, schemaHistoryOptionsFrom, type SchemaHistoryOptions } from '../../../../connectors/mysql/schema/schema-history.js';
import { historyRecordJson, tableChangeFromJson, type HistoryRecordJson } from '../../../../connectors/mysql/schema/history-record.js';
import { SchemaModel } from '../../../../connectors/mysql/schema/schema-model.js';
import { TableFilter } from '../../../../connectors/mysql/schema/table-filter.js';
import { DdlParseError } from '../../../../connectors/mysql/schema/ddl-parse-error.js';

let broker: TestBroker;
const opened: KafkaSchemaHistory[] = [];
const clusters = new ConnectorClusters(quietLogger);

beforeAll(async () => { broker = await startTestBroker(); });
afterAll(async () => {
  for (const h of opened) await h.close();
  await clusters.closeAll();
  await broker?.close();
});

function history(topic: string, extra: Partial<SchemaHistoryOptions> = {}): KafkaSchemaHistory {
  const h = new KafkaSchemaHistory({ topic, bootstrapServers: broker.bootstrap, clusters, name: 'conn', source: { server: 'shop' }, ...extra });
  opened.push(h);
  return h;
}

const pos = (p: number) => ({ file: 'mysql-bin.000003', pos: p });
const upTo = (limit: number) => (position: Record<string, unknown>) => Number(position.pos) <= limit;

/**
 * A history record as Debezium writes it for the tutorial's `inventory.products` table
 * (HistoryRecord + JsonTableChangeSerializer: key order, nulls, optional length, table comment
 * beside the table, empty attributes).
 */
const DEBEZIUM_RECORD = '{"source":{"server":"shop"},"position":{"file":"mysql-bin.000003","pos":154},"ts_ms":1700000000000,'
  + '"databaseName":"inventory","ddl":"CREATE TABLE `products` (`id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(255) NOT NULL, '
  + '`weight` float DEFAULT NULL, `kind` enum(\'a\',\'b\') DEFAULT \'a\', PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT=\'goods\'",'
  + '"tableChanges":[{"type":"CREATE","id":"\\"inventory\\".\\"products\\"","table":{"defaultCharsetName":"utf8mb4",'
  + '"primaryKeyColumnNames":["id"],"columns":['
  + '{"name":"id","jdbcType":4,"typeName":"INT","typeExpression":"INT","charsetName":null,"length":11,"position":1,"optional":false,'
  + '"autoIncremented":true,"generated":true,"comment":null,"hasDefaultValue":false,"enumValues":[]},'
  + '{"name":"name","jdbcType":12,"typeName":"VARCHAR","typeExpression":"VARCHAR","charsetName":"utf8mb4","length":255,"position":2,'
  + '"optional":false,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":false,"enumValues":[]},'
  + '{"name":"weight","jdbcType":6,"typeName":"FLOAT","typeExpression":"FLOAT","charsetName":null,"position":3,"optional":true,'
  + '"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":false,"enumValues":[]},'
  + '{"name":"kind","jdbcType":1,"typeName":"ENUM","typeExpression":"ENUM","charsetName":"utf8mb4","length":1,"position":4,"optional":true,'
  + '"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"defaultValueExpression":"a","enumValues":["a","b"]}'
  + '],"attributes":[]},"comment":"goods"}]}';

describe('history record JSON', () => {
  test('a record is byte-for-byte the JSON Debezium writes for the same DDL', () => {
    const parsed = JSON.parse(DEBEZIUM_RECORD) as HistoryRecordJson;
    const model = new SchemaModel();
    model.setDatabaseCharset('inventory', 'utf8mb4');
    const changes = model.apply(parsed.ddl!, 'inventory');
    const json = historyRecordJson({ source: { server: 'shop' }, position: pos(154), timestampMs: 1700000000000, databaseName: 'inventory', ddl: parsed.ddl!, changes });
    expect(JSON.stringify(json)).toBe(DEBEZIUM_RECORD);
  });

  test('Debezium-written column types (INTEGER, BOOL, INT UNSIGNED ZEROFILL) read back as Debezium wrote them (BOOL stays a boolean)', () => {
    const change = tableChangeFromJson({
      type: 'ALTER', id: '"db"."we""ird"', previousId: '"db"."old"',
      table: {
        defaultCharsetName: 'latin1', primaryKeyColumnNames: ['a'], attributes: [],
        columns: [
          { name: 'a', jdbcType: 4, typeName: 'INTEGER', typeExpression: 'INTEGER', charsetName: null, position: 1, optional: false, autoIncremented: false, generated: false, comment: null, hasDefaultValue: false, enumValues: [] },
          { name: 'b', jdbcType: 16, typeName: 'BOOL', typeExpression: 'BOOL', charsetName: null, position: 2, optional: true, autoIncremented: false, generated: false, comment: null, hasDefaultValue: false, enumValues: [] },
          { name: 'c', jdbcType: 4, typeName: 'INT UNSIGNED ZEROFILL', typeExpression: 'INT UNSIGNED ZEROFILL', charsetName: null, length: 5, position: 3, optional: true, autoIncremented: false, generated: false, comment: 'x', hasDefaultValue: true, defaultValueExpression: '7', enumValues: [] },
        ],
      },
      comment: null,
    });
    expect(change.id).toEqual({ database: 'db', table: 'we"ird' });
    expect(change.previousId).toEqual({ database: 'db', table: 'old' });
    expect(change.table!.columns.map((c) => [c.typeName, c.jdbcType, c.unsigned, c.typeExpression])).toEqual([
      ['INT', 4, false, 'INT'], ['BOOL', 16, false, 'BOOL'], ['INT', 4, true, 'INT(5) UNSIGNED ZEROFILL'],
    ]);
    expect(change.table!.columns[2]).toMatchObject({ defaultValueExpression: '7', comment: 'x', length: 5 });
  });
});

describe('KafkaSchemaHistory on the bundled broker', () => {
  test('open() creates a one-partition topic with delete policy and infinite retention', async () => {
    const h = history('hist-create');
    await h.open();
    expect(await h.storageExists()).toBe(true);
    expect(await h.isEmpty()).toBe(true);
    const admin = kafkaClient(broker.bootstrap, 'check').admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: ['hist-create'] });
      expect(meta.topics[0]!.partitions).toHaveLength(1);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: 'hist-create', configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'] }],
      });
      const configs = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
      expect(configs).toMatchObject({ 'cleanup.policy': 'delete', 'retention.ms': '9223372036854775807', 'retention.bytes': '-1' });
    } finally {
      await admin.disconnect();
    }
  });

  test('recover() rebuilds the schema as of the restart position, no further', async () => {
    const h = history('hist-recover');
    await h.open();
    const model = new SchemaModel({ serverCharset: 'latin1' });
    const write = async (p: number, ddl: string, db: string | null) => {
      const result = model.applyStatements(ddl, db);
      for (const s of result.statements) await h.record(pos(p), s.databaseName, s.ddl, s.changes);
    };
    await write(100, 'CREATE DATABASE shop CHARACTER SET utf8mb4', null);
    await write(110, 'CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(10))', 'shop');
    await write(200, 'ALTER TABLE orders ADD COLUMN qty INT NOT NULL AFTER id', 'shop');
    await write(300, 'ALTER TABLE orders DROP COLUMN note; RENAME TABLE orders TO orders2', 'shop');
    expect(await h.exists()).toBe(true);
    await h.checkRecoverable();

    const at200 = await h.recover(upTo(200));
    const orders = at200.tableFor({ database: 'shop', table: 'orders' })!;
    expect(orders.columns.map((c) => c.name)).toEqual(['id', 'qty', 'note']);
    expect(orders.columns[2]!.charsetName).toBe('utf8mb4');
    expect(at200.databaseCharset('shop')).toBe('utf8mb4');
    expect(at200.tableFor({ database: 'shop', table: 'orders2' })).toBeUndefined();

    const atEnd = await h.recover(() => true);
    expect(atEnd.tableFor({ database: 'shop', table: 'orders' })).toBeUndefined();
    expect(atEnd.tableFor({ database: 'shop', table: 'orders2' })!.columns.map((c) => c.name)).toEqual(['id', 'qty']);
    expect(atEnd.tables()).toEqual(model.tables());
  });

  test('a missing or empty history topic with stored offsets is reported the way Debezium does, with the way out', async () => {
    const missing = history('hist-missing');
    await missing.open(false);
    expect(await missing.storageExists()).toBe(false);
    const error = await missing.checkRecoverable().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaHistoryMissingError);
    expect((error as Error).message).toContain('The db history topic or its content is fully or partially missing. Please check database schema history topic configuration and re-execute the snapshot.');
    expect((error as Error).message).toContain('snapshot.mode=recovery');

    const empty = history('hist-empty');
    await empty.open();
    await expect(empty.checkRecoverable()).rejects.toThrow(/the topic is empty/);
  });

  test('store.only.captured.tables.ddl leaves out DDL of other tables; skip.unparseable.ddl lets recovery pass bad DDL', async () => {
    const filter = new TableFilter({ 'database.include.list': 'shop', 'table.include.list': 'shop\\.keep.*' });
    const h = history('hist-filter', { storeOnlyCapturedTablesDdl: true, storeOnlyCapturedDatabasesDdl: true, filter });
    await h.open();
    const model = new SchemaModel();
    const kept = model.apply('CREATE TABLE shop.keep_me (a INT)', null);
    const other = model.apply('CREATE TABLE shop.other (a INT)', null);
    expect(await h.record(pos(1), 'shop', 'CREATE TABLE shop.keep_me (a INT)', kept)).toBe(true);
    expect(await h.record(pos(2), 'shop', 'CREATE TABLE shop.other (a INT)', other)).toBe(false);
    expect(await h.record(pos(3), 'elsewhere', 'CREATE DATABASE elsewhere', [])).toBe(false);
    expect(await h.record(pos(4), 'shop', 'THIS IS NOT SQL', [])).toBe(true);
    await expect(h.recover(() => true)).rejects.toThrow(DdlParseError);

    const skipping = history('hist-filter', { skipUnparseableDdl: true });
    await skipping.open();
    const recovered = await skipping.recover(() => true);
    expect(recovered.tables().map((t) => t.id.table)).toEqual(['keep_me']);
  });

  test.each(['gzip', 'snappy', 'lz4', 'zstd'])('a history written with %s compression is recovered', async (codec) => {
    const writer = history(`hist-${codec}`, { producer: { 'compression.type': codec } });
    await writer.open();
    const model = new SchemaModel();
    for (const [p, ddl] of [[1, 'CREATE TABLE shop.a (id INT PRIMARY KEY)'], [2, 'ALTER TABLE shop.a ADD COLUMN b INT']] as const) {
      const changes = model.apply(ddl, 'shop');
      expect(await writer.record(pos(p), 'shop', ddl, changes)).toBe(true);
    }
    const reader = history(`hist-${codec}`);
    await reader.open(false);
    const schema = await reader.recover(() => true);
    expect(schema.tableFor({ database: 'shop', table: 'a' })!.columns.map((c) => c.name)).toEqual(['id', 'b']);
  });

  test('an existing topic with other settings is used, with a warning for each one Debezium warns about (broker defaults included)', async () => {
    const admin = clusters.connect({ 'bootstrap.servers': broker.bootstrap }, { clientId: 'check' }).admin();
    await admin.createTopic({ name: 'hist-settings', partitions: 2, replicationFactor: -1, configs: { 'cleanup.policy': 'compact', 'retention.bytes': '1000000' } });
    const warnings: string[] = [];
    const h = history('hist-settings', { logger: { warn: (m) => warnings.push(m), info: () => undefined } });
    await h.open();
    expect(warnings).toEqual([
      "Database schema history topic 'hist-settings' option 'cleanup.policy' should be 'delete' but is 'compact'",
      "Database schema history topic 'hist-settings' option 'retention.bytes' should be '-1' but is '1000000'",
      "Database schema history topic 'hist-settings' option 'retention.ms' should be '-1' or greater than 5 years but is '604800000'",
      "Database schema history topic 'hist-settings' should have one partition but has '2'",
    ]);
  });

  test('connector settings map onto the history options', () => {
    const options = schemaHistoryOptionsFrom({
      'schema.history.internal.kafka.topic': 'h', 'schema.history.internal.kafka.bootstrap.servers': 'b:9092',
      'schema.history.internal.producer.security.protocol': 'SASL_SSL', 'schema.history.internal.producer.sasl.mechanism': 'PLAIN',
      'schema.history.internal.consumer.group.id': 'g', 'schema.history.internal.skip.unparseable.ddl': 'true',
    }, 'conn', 'shop');
    expect(options).toMatchObject({
      topic: 'h', bootstrapServers: 'b:9092', source: { server: 'shop' }, skipUnparseableDdl: true, storeOnlyCapturedTablesDdl: false,
      producer: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }, consumer: { 'group.id': 'g' },
    });
    expect(() => schemaHistoryOptionsFrom({}, 'conn', 'shop')).toThrow(/kafka.topic is required/);
  });
});
