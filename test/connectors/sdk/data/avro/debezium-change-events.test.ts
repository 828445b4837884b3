/**
 * The CDC source's Debezium change events (built by the MySQL connector's event builder, no
 * database needed) through the Avro mapping: the envelope's key and value schemas become Avro
 * (the row schema `Value` used by both `before` and `after` is written once and then by name),
 * and every event reads back equal, for a table with most column kinds and logical types (a null
 * whose field has a default reads back as that default, as with Confluent's converter, unless
 * ignore.default.for.nullables).
 */
import { describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings } from '../../../../../connectors/mysql/events/event-settings.js';
import type { ColumnValue } from '../../../../../connectors/mysql/values/column-value.js';
import type { SourceRecord } from '../../../../../connectors/sdk/connect-record.js';
import { DEFAULT_AVRO_DATA_SETTINGS } from '../../../../../connectors/sdk/data/avro/avro-data-config.js';
import { AvroData } from '../../../../../connectors/sdk/data/avro/avro-data.js';
import type { Schema } from '../../../../../connectors/sdk/data/schema.js';
import type { Struct } from '../../../../../connectors/sdk/data/struct.js';
import { column, docsClock, streamingAt, table, userJson } from '../../../mysql/events/event-fixtures.js';

const orders = table('shop', 'orders', [
  column('id', 1, 'BIGINT', { optional: false, autoIncremented: true }),
  column('customer', 2, 'VARCHAR', { optional: false, length: 64, charsetName: 'utf8mb4', jdbcType: 12 }),
  column('total', 3, 'DECIMAL', { length: 10, scale: 2 }),
  column('placed_at', 4, 'DATETIME', { length: 3 }),
  column('updated', 5, 'TIMESTAMP', { optional: false, defaultValueExpression: 'CURRENT_TIMESTAMP' }),
  column('day', 6, 'DATE'),
  column('size', 7, 'ENUM', { enumValues: ['S', 'M', 'L'] }),
  column('flags', 8, 'BIT', { length: 10 }),
  column('blob', 9, 'BLOB'),
  column('big', 10, 'BIGINT', { unsigned: true }),
  column('ratio', 11, 'DOUBLE'),
  column('doc', 12, 'JSON'),
], ['id']);

const row: ColumnValue[] = [
  2n ** 60n, 'Ann ✓', { kind: 'decimal', text: '1234.50' },
  { kind: 'datetime', year: 2018, month: 6, day: 20, hour: 6, minute: 37, second: 3, microsecond: 123000 },
  { kind: 'timestamp', epochMicros: 1_529_501_823_000_000 }, { kind: 'date', year: 2018, month: 6, day: 20 }, 'M',
  Buffer.from([0x02, 0x01]), Buffer.from([0xfb, 0xff, 0x01]), 18446744073709551615n, 0.25, { kind: 'json', text: '{"a": [1, 2]}' },
];

function events(): SourceRecord[] {
  const builder = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'dbserver1', runId: 'run-1' }), docsClock);
  const changed = [...row];
  changed[1] = 'Ann Marie';
  changed[2] = null;
  return [
    ...builder.create(orders, row, streamingAt()),
    ...builder.update(orders, row, changed, streamingAt()),
    ...builder.delete(orders, changed, streamingAt()),
  ];
}

function roundTrip(data: AvroData, schema: Schema, value: unknown): { text: string; read: unknown } {
  const writer = data.writerFor(schema);
  return { text: writer.text, read: data.readerFor(writer.text).decode(writer.encode(value)).value };
}

describe('Debezium change events through the Avro mapping', () => {
  it('writes and reads back every key and value of a create, an update, a delete and its tombstone', () => {
    const data = new AvroData(DEFAULT_AVRO_DATA_SETTINGS);
    const records = events();
    expect(records.map((r) => r.value === null)).toEqual([false, false, false, true]);
    for (const record of records) {
      const key = roundTrip(data, record.keySchema!, record.key);
      expect((key.read as Struct).equals(record.key)).toBe(true);
      if (record.value === null) continue;
      const value = roundTrip(data, record.valueSchema!, record.value);
      // A null with a default reads back as the default (Confluent's rule unless ignore.default.for.nullables), as JsonConverter shows both.
      expect(userJson(record.valueSchema, value.read)).toEqual(userJson(record.valueSchema, record.value));
    }
  });

  it('reads back the very values, nulls with defaults included, with ignore.default.for.nullables', () => {
    const data = new AvroData({ ...DEFAULT_AVRO_DATA_SETTINGS, ignoreDefaultForNullables: true });
    for (const record of events().filter((r) => r.value !== null)) {
      expect((roundTrip(data, record.valueSchema!, record.value).read as Struct).equals(record.value)).toBe(true);
    }
  });

  it('writes the row schema once, for before, and refers to it by name for after', () => {
    const [created] = events();
    const text = new AvroData(DEFAULT_AVRO_DATA_SETTINGS).writerFor(created!.valueSchema!).text;
    expect(text.startsWith('{"type":"record","name":"Envelope","namespace":"dbserver1.shop.orders","fields":[{"name":"before","type":["null",{"type":"record","name":"Value","fields":[')).toBe(true);
    expect(text).toContain('{"name":"after","type":["null","Value"],"default":null}');
    expect(text).toContain('"connect.name":"dbserver1.shop.orders.Envelope"');
    expect(text).toContain('{"name":"total","type":["null",{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}],"default":null}');
  });
});
