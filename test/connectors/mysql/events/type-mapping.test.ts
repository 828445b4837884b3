/**
 * Each MySQL/MariaDB type under each handling mode: the field schema and the value a consumer
 * reads through JsonConverter. Expectations come from Debezium's docs ("Data type mappings" in
 * shared-mariadb-mysql.adoc: Basic types, Temporal types, Decimal types, Boolean values, Spatial
 * types) and, where the docs give no example value, from Debezium 3.6's converters
 * (BinlogValueConverters, JdbcValueConverters, io.debezium.time.*), as cited per case.
 */
import { describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings, type EventSettingsInput } from '../../../../connectors/mysql/events/event-settings.js';
import type { ColumnDefinition } from '../../../../connectors/mysql/schema/table-definition.js';
import type { ColumnValue } from '../../../../connectors/mysql/values/column-value.js';
import { column, docsClock, streamingAt, table } from './event-fixtures.js';
import { userJson } from './event-fixtures.js';

interface Seen {
  schema: Record<string, unknown>;
  value: unknown;
}

/** The `c` field of the `after` image of a create event, schema and payload, as JSON. */
function mapped(def: Partial<ColumnDefinition> & { typeName: string }, value: ColumnValue, settings: Partial<EventSettingsInput> = {}): Seen {
  const t = table('db', 't', [column('id', 1, 'INT', { optional: false }), column('c', 2, def.typeName, def)], ['id']);
  const b = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'p', ...settings }), docsClock);
  const [record] = b.create(t, [1, value], streamingAt());
  const json = userJson(record!.valueSchema, record!.value) as {
    schema: { fields: { field: string; fields: Record<string, unknown>[] }[] };
    payload: { after: Record<string, unknown> };
  };
  const after = json.schema.fields.find((f) => f.field === 'after')!;
  return { schema: after.fields.find((f) => f.field === 'c')!, value: json.payload.after.c };
}

const opt = { optional: true, field: 'c' };
const ts = (epochMicros: number): ColumnValue => ({ kind: 'timestamp', epochMicros });

describe('basic types (docs: Basic types)', () => {
  it('BOOLEAN and BIT(1) are booleans', () => {
    expect(mapped({ typeName: 'BOOLEAN' }, 1)).toEqual({ schema: { type: 'boolean', ...opt }, value: true });
    expect(mapped({ typeName: 'BIT', length: 1 }, Buffer.from([0]))).toEqual({ schema: { type: 'boolean', ...opt }, value: false });
  });

  it('BIT(n>1) is io.debezium.data.Bits with length, little-endian ceil(n/8) bytes', () => {
    // b'1000000001' is stored big-endian as 02 01; Debezium's bytes are 01 02.
    expect(mapped({ typeName: 'BIT', length: 10 }, Buffer.from([0x02, 0x01]))).toEqual({
      schema: { type: 'bytes', optional: true, name: 'io.debezium.data.Bits', version: 1, parameters: { length: '10' }, field: 'c' },
      value: Buffer.from([0x01, 0x02]).toString('base64'),
    });
    expect(mapped({ typeName: 'BIT', length: 16 }, Buffer.from([0x05])).value).toBe(Buffer.from([0x05, 0x00]).toString('base64'));
  });

  it('integers: TINYINT and SMALLINT are int16 (Debezium parses TINYINT as SMALLINT), unsigned types widen', () => {
    const cases: [string, boolean, number, string][] = [
      ['TINYINT', false, -128, 'int16'], ['TINYINT', true, 255, 'int16'],
      ['SMALLINT', false, -32768, 'int16'], ['SMALLINT', true, 65535, 'int32'],
      ['MEDIUMINT', false, -8388608, 'int32'], ['MEDIUMINT', true, 16777215, 'int32'],
      ['INT', false, -2147483648, 'int32'], ['INT', true, 4294967295, 'int64'],
    ];
    for (const [typeName, unsigned, value, type] of cases) {
      expect(mapped({ typeName, unsigned }, value), `${typeName}${unsigned ? ' UNSIGNED' : ''}`).toEqual({ schema: { type, ...opt }, value });
    }
  });

  it('BIGINT is int64; BIGINT UNSIGNED wraps in long mode and is a scale-0 Decimal in precise mode', () => {
    expect(mapped({ typeName: 'BIGINT' }, -9223372036854775808n)).toEqual({ schema: { type: 'int64', ...opt }, value: -9223372036854775808 });
    expect(mapped({ typeName: 'BIGINT', unsigned: true }, 18446744073709551615n).value).toBe(-1);
    expect(mapped({ typeName: 'BIGINT', unsigned: true }, 18446744073709551615n, { bigintUnsignedHandlingMode: 'precise' })).toEqual({
      schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '0', 'connect.decimal.precision': '20' }, field: 'c' },
      value: Buffer.from('00ffffffffffffffff', 'hex').toString('base64'),
    });
  });

  it('FLOAT(p<=23) and REAL are float32; FLOAT(M,D), FLOAT(p>=24) and DOUBLE are float64', () => {
    expect(mapped({ typeName: 'FLOAT' }, Math.fround(1.1))).toEqual({ schema: { type: 'float', ...opt }, value: 1.1 });
    expect(mapped({ typeName: 'REAL' }, 2.5).schema.type).toBe('float');
    expect(mapped({ typeName: 'FLOAT', length: 10, scale: 2 }, 1.25).schema.type).toBe('double');
    expect(mapped({ typeName: 'FLOAT', length: 30 }, 1.25).schema.type).toBe('double');
    expect(mapped({ typeName: 'DOUBLE' }, 1.1)).toEqual({ schema: { type: 'double', ...opt }, value: 1.1 });
  });

  it('strings, ENUM (allowed), SET (allowed), JSON', () => {
    expect(mapped({ typeName: 'VARCHAR', length: 20 }, 'héllo')).toEqual({ schema: { type: 'string', ...opt }, value: 'héllo' });
    expect(mapped({ typeName: 'ENUM', enumValues: ['S', 'M', 'L'] }, 'M')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'S,M,L' }, field: 'c' }, value: 'M',
    });
    expect(mapped({ typeName: 'SET', enumValues: ['a', 'b', 'c'] }, 'a,c')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.data.EnumSet', version: 1, parameters: { allowed: 'a,b,c' }, field: 'c' }, value: 'a,c',
    });
    expect(mapped({ typeName: 'JSON' }, { kind: 'json', text: '{"a": [1, 2]}' })).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1, field: 'c' }, value: '{"a": [1, 2]}',
    });
  });

  it('binary columns follow binary.handling.mode; BINARY(n) is right-padded with zero bytes', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x01]);
    expect(mapped({ typeName: 'VARBINARY', length: 8 }, bytes)).toEqual({ schema: { type: 'bytes', ...opt }, value: '+/8B' });
    expect(mapped({ typeName: 'BINARY', length: 5 }, bytes).value).toBe(Buffer.from([0xfb, 0xff, 0x01, 0, 0]).toString('base64'));
    expect(mapped({ typeName: 'BLOB' }, bytes, { binaryHandlingMode: 'base64' })).toEqual({ schema: { type: 'string', ...opt }, value: '+/8B' });
    expect(mapped({ typeName: 'BLOB' }, bytes, { binaryHandlingMode: 'base64-url-safe' }).value).toBe('-_8B');
    expect(mapped({ typeName: 'BLOB' }, Buffer.from([0xfb]), { binaryHandlingMode: 'base64-url-safe' }).value).toBe('-w==');
    expect(mapped({ typeName: 'BLOB' }, bytes, { binaryHandlingMode: 'hex' }).value).toBe('fbff01');
  });

  it('YEAR is io.debezium.time.Year; two-digit years are adjusted', () => {
    expect(mapped({ typeName: 'YEAR' }, 2024)).toEqual({ schema: { type: 'int32', optional: true, name: 'io.debezium.time.Year', version: 1, field: 'c' }, value: 2024 });
    expect(mapped({ typeName: 'YEAR' }, 69).value).toBe(2069);
    expect(mapped({ typeName: 'YEAR' }, 70).value).toBe(1970);
    expect(mapped({ typeName: 'YEAR' }, 69, { enableTimeAdjuster: false }).value).toBe(69);
  });

  it('DECIMAL under precise (Decimal with scale and connect.decimal.precision), double and string', () => {
    const d = { typeName: 'DECIMAL', length: 10, scale: 2 };
    expect(mapped(d, { kind: 'decimal', text: '1234.50' })).toEqual({
      schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'c' },
      value: Buffer.from([0x01, 0xe2, 0x3a]).toString('base64'),
    });
    expect(mapped(d, { kind: 'decimal', text: '-0.05' }, { decimalHandlingMode: 'double' })).toEqual({ schema: { type: 'double', ...opt }, value: -0.05 });
    expect(mapped(d, { kind: 'decimal', text: '1234.50' }, { decimalHandlingMode: 'string' })).toEqual({ schema: { type: 'string', ...opt }, value: '1234.50' });
  });

  it('spatial types: Geometry {wkb, srid} (always optional) and Point {x, y, wkb, srid}', () => {
    const wkb = Buffer.alloc(21);
    wkb[0] = 1;
    wkb.writeUInt32LE(1, 1);
    wkb.writeDoubleLE(1.5, 5);
    wkb.writeDoubleLE(-2, 13);
    expect(mapped({ typeName: 'GEOMETRY', optional: false }, { kind: 'geometry', srid: 4326, wkb })).toEqual({
      schema: {
        type: 'struct', optional: true, name: 'io.debezium.data.geometry.Geometry', version: 1, doc: 'Geometry', field: 'c',
        fields: [{ type: 'bytes', optional: false, field: 'wkb' }, { type: 'int32', optional: true, field: 'srid' }],
      },
      value: { wkb: wkb.toString('base64'), srid: 4326 },
    });
    expect(mapped({ typeName: 'POINT' }, { kind: 'geometry', srid: 0, wkb })).toEqual({
      schema: {
        type: 'struct', optional: true, name: 'io.debezium.data.geometry.Point', version: 1, doc: 'Geometry (POINT)', field: 'c',
        fields: [
          { type: 'double', optional: false, field: 'x' }, { type: 'double', optional: false, field: 'y' },
          { type: 'bytes', optional: true, field: 'wkb' }, { type: 'int32', optional: true, field: 'srid' },
        ],
      },
      value: { x: 1.5, y: -2.0, wkb: wkb.toString('base64'), srid: 0 },
    });
  });
});

describe('temporal types (docs: Temporal types)', () => {
  const datetime = (fsp: number | null, micro = 0): ColumnValue => ({ kind: 'datetime', year: 2018, month: 6, day: 20, hour: 6, minute: 37, second: 3, microsecond: micro });
  it('adaptive_time_microseconds (default): Date, MicroTime, Timestamp for DATETIME(0-3), MicroTimestamp for DATETIME(4-6)', () => {
    expect(mapped({ typeName: 'DATE' }, { kind: 'date', year: 2018, month: 6, day: 20 })).toEqual({
      schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1, field: 'c' }, value: 17702,
    });
    expect(mapped({ typeName: 'TIME', length: 6 }, { kind: 'time', micros: -(838 * 3600 + 59 * 60 + 59) * 1e6 })).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1, field: 'c' }, value: -3020399000000,
    });
    // docs: "DATETIME with a value of 2018-06-20 06:37:03 becomes 1529476623000"
    expect(mapped({ typeName: 'DATETIME' }, datetime(null))).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.Timestamp', version: 1, field: 'c' }, value: 1529476623000,
    });
    expect(mapped({ typeName: 'DATETIME', length: 3 }, datetime(3, 123456)).value).toBe(1529476623123);
    expect(mapped({ typeName: 'DATETIME', length: 6 }, datetime(6, 123456))).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1, field: 'c' }, value: 1529476623123456,
    });
  });

  it('TIMESTAMP is a ZonedTimestamp in UTC with the column fsp digits', () => {
    // docs: "TIMESTAMP with a value of 2018-06-20 06:37:03 becomes 2018-06-20T13:37:03Z" (server at UTC-7)
    expect(mapped({ typeName: 'TIMESTAMP' }, ts(1529501823000000))).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', version: 1, field: 'c' }, value: '2018-06-20T13:37:03Z',
    });
    // ZonedTimestamp.toIsoString with the column length as fractional width (RowDeserializers → ZonedDateTime)
    expect(mapped({ typeName: 'TIMESTAMP', length: 3 }, ts(1529501823100000)).value).toBe('2018-06-20T13:37:03.100Z');
    expect(mapped({ typeName: 'TIMESTAMP', length: 6 }, ts(1529501823000001)).value).toBe('2018-06-20T13:37:03.000001Z');
    expect(mapped({ typeName: 'TIMESTAMP', length: 2 }, ts(1529501823000000)).value).toBe('2018-06-20T13:37:03.00Z');
  });

  it('connect: Kafka Connect Date, Time and Timestamp (milliseconds)', () => {
    const s = { timePrecisionMode: 'connect' } as const;
    expect(mapped({ typeName: 'DATE' }, { kind: 'date', year: 2018, month: 6, day: 20 }, s)).toEqual({
      schema: { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1, field: 'c' }, value: 17702,
    });
    expect(mapped({ typeName: 'TIME', length: 6 }, { kind: 'time', micros: 3_723_456_789 }, s)).toEqual({
      schema: { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Time', version: 1, field: 'c' }, value: 3723456,
    });
    expect(mapped({ typeName: 'DATETIME', length: 6 }, datetime(6, 123456), s)).toEqual({
      schema: { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'c' }, value: 1529476623123,
    });
    expect(() => mapped({ typeName: 'TIME' }, { kind: 'time', micros: -1_000_000 }, s)).toThrow(/db\.t\.c \(TIME\).*00:00:00 to 24:00:00/);
  });

  it('isostring: IsoDate, IsoTime, IsoTimestamp (docs examples 2017-09-15Z, 04:05:11.789Z, 2019-07-09T02:28:57.123456Z)', () => {
    const s = { timePrecisionMode: 'isostring' } as const;
    expect(mapped({ typeName: 'DATE' }, { kind: 'date', year: 2017, month: 9, day: 15 }, s)).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.IsoDate', version: 1, field: 'c' }, value: '2017-09-15Z',
    });
    expect(mapped({ typeName: 'TIME', length: 3 }, { kind: 'time', micros: (4 * 3600 + 5 * 60 + 11) * 1e6 + 789_000 }, s)).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.IsoTime', version: 1, field: 'c' }, value: '04:05:11.789Z',
    });
    expect(mapped({ typeName: 'DATETIME', length: 6 }, { kind: 'datetime', year: 2019, month: 7, day: 9, hour: 2, minute: 28, second: 57, microsecond: 123456 }, s)).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.IsoTimestamp', version: 1, field: 'c' }, value: '2019-07-09T02:28:57.123456Z',
    });
  });

  it('microseconds and nanoseconds: MicroTimestamp/MicroTime and NanoTimestamp/NanoTime', () => {
    expect(mapped({ typeName: 'DATETIME' }, datetime(0), { timePrecisionMode: 'microseconds' }).schema.name).toBe('io.debezium.time.MicroTimestamp');
    expect(mapped({ typeName: 'DATETIME' }, datetime(0), { timePrecisionMode: 'microseconds' }).value).toBe(1529476623000000);
    expect(mapped({ typeName: 'TIME' }, { kind: 'time', micros: 1 }, { timePrecisionMode: 'nanoseconds' })).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.NanoTime', version: 1, field: 'c' }, value: 1000,
    });
    expect(mapped({ typeName: 'DATETIME' }, datetime(0), { timePrecisionMode: 'nanoseconds' }).schema.name).toBe('io.debezium.time.NanoTimestamp');
    expect(() => mapped({ typeName: 'DATETIME' }, { kind: 'datetime', year: 9999, month: 12, day: 31, hour: 0, minute: 0, second: 0, microsecond: 0 }, { timePrecisionMode: 'nanoseconds' }))
      .toThrow(/INT64 epoch nanoseconds/);
  });

  it('rejects adaptive (as Debezium does) and structured (not implemented) with clear errors', () => {
    expect(() => resolveEventSettings({ flavor: 'mysql', topicPrefix: 'p', timePrecisionMode: 'adaptive' as never })).toThrow(/'adaptive' time.precision.mode is no longer supported/);
    expect(() => resolveEventSettings({ flavor: 'mysql', topicPrefix: 'p', timePrecisionMode: 'structured' as never })).toThrow(/structured/);
  });

  it('zero dates: null when nullable, epoch when NOT NULL', () => {
    const zeroDate: ColumnValue = { kind: 'date', year: 0, month: 0, day: 0 };
    const zeroDatetime: ColumnValue = { kind: 'datetime', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0 };
    expect(mapped({ typeName: 'DATE' }, zeroDate).value).toBeNull();
    expect(mapped({ typeName: 'DATE', optional: false }, zeroDate).value).toBe(0);
    expect(mapped({ typeName: 'DATETIME', optional: false }, zeroDatetime).value).toBe(0);
    expect(mapped({ typeName: 'TIMESTAMP' }, ts(0)).value).toBeNull();
    expect(mapped({ typeName: 'TIMESTAMP', optional: false }, ts(0)).value).toBe('1970-01-01T00:00:00Z');
    expect(mapped({ typeName: 'DATE', optional: false }, zeroDate, { timePrecisionMode: 'isostring' }).value).toBe('1970-01-01Z');
    // Two-digit years are widened by the time adjuster (BinlogValueConverters.adjustTemporal).
    expect(mapped({ typeName: 'DATE' }, { kind: 'date', year: 5, month: 3, day: 1 }, { timePrecisionMode: 'isostring' }).value).toBe('2005-03-01Z');
  });
});

describe('defaults, optionality and names', () => {
  it('NOT NULL TIMESTAMP DEFAULT CURRENT_TIMESTAMP gets default 1970-01-01T00:00:00Z; nullable gets none (docs: Temporal types)', () => {
    expect(mapped({ typeName: 'TIMESTAMP', optional: false, defaultValueExpression: 'CURRENT_TIMESTAMP' }, ts(1_000_000)).schema).toEqual({
      type: 'string', optional: false, name: 'io.debezium.time.ZonedTimestamp', version: 1, default: '1970-01-01T00:00:00Z', field: 'c',
    });
    expect(mapped({ typeName: 'TIMESTAMP', length: 3, optional: false, defaultValueExpression: 'current_timestamp(3)' }, ts(1_000_000)).schema.default).toBe('1970-01-01T00:00:00Z');
    expect(mapped({ typeName: 'TIMESTAMP', defaultValueExpression: 'CURRENT_TIMESTAMP' }, ts(1_000_000)).schema.default).toBeUndefined();
    expect(mapped({ typeName: 'DATETIME', defaultValueExpression: 'CURRENT_TIMESTAMP' }, null).schema.default).toBe(0);
  });

  it('literal defaults are converted like values', () => {
    expect(mapped({ typeName: 'INT', defaultValueExpression: '42' }, null).schema.default).toBe(42);
    expect(mapped({ typeName: 'TINYINT', defaultValueExpression: '1.6' }, null).schema.default).toBe(2);
    expect(mapped({ typeName: 'VARCHAR', defaultValueExpression: 'n/a' }, null).schema.default).toBe('n/a');
    expect(mapped({ typeName: 'DECIMAL', length: 5, scale: 2, defaultValueExpression: '1.005' }, null).schema.default).toBe(Buffer.from([0x65]).toString('base64'));
    expect(mapped({ typeName: 'DATE', defaultValueExpression: '2020-02-29' }, null).schema.default).toBe(18321);
    expect(mapped({ typeName: 'DATE', defaultValueExpression: '0000-00-00' }, null).schema.default).toBeUndefined();
    expect(mapped({ typeName: 'TIME', defaultValueExpression: '-01:30:00' }, null).schema.default).toBe(-5_400_000_000);
    expect(mapped({ typeName: 'BIT', length: 4, defaultValueExpression: "b'101'" }, null).schema.default).toBe(Buffer.from([5]).toString('base64'));
    expect(mapped({ typeName: 'TIMESTAMP', defaultValueExpression: '2020-01-01 10:00:00' }, null).schema.default).toBe('2020-01-01T10:00:00Z');
    expect(mapped({ typeName: 'ENUM', enumValues: ['a', 'b'], defaultValueExpression: 'b' }, null).schema.default).toBe('b');
  });

  it('a NOT NULL column with a default takes the default for a zero date (JdbcValueConverters.convertValue)', () => {
    const v = mapped({ typeName: 'DATE', optional: false, defaultValueExpression: '2000-01-01' }, { kind: 'date', year: 0, month: 0, day: 0 });
    expect(v.value).toBe(10957);
  });

  it('column comments become doc only with include.schema.comments', () => {
    expect(mapped({ typeName: 'INT', comment: 'the count' }, 1).schema.doc).toBeUndefined();
    expect(mapped({ typeName: 'INT', comment: 'the count' }, 1, { includeSchemaComments: true }).schema.doc).toBe('the count');
  });

  it('field.name.adjustment.mode adjusts field names', () => {
    const t = table('db', 't', [column('1st-col', 1, 'INT', { optional: false })], ['1st-col']);
    const b = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mariadb', topicPrefix: 'p', fieldNameAdjustmentMode: 'avro' }), docsClock);
    const [record] = b.create(t, [1], streamingAt());
    expect(record!.keySchema!.fields.map((f) => f.name)).toEqual(['_1st_col']);
    const u = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mariadb', topicPrefix: 'p', fieldNameAdjustmentMode: 'avro_unicode' }), docsClock);
    expect(u.create(t, [1], streamingAt())[0]!.keySchema!.fields.map((f) => f.name)).toEqual(['_u0031st_u002dcol']);
  });

  it('column.propagate.source.type adds __debezium.source.column.* parameters to value fields only', () => {
    const propagate = { propagateSourceType: (_db: string, _t: string, c: string) => c === 'c' || c === 'id' };
    expect(mapped({ typeName: 'DECIMAL', length: 10, scale: 2, unsigned: true }, { kind: 'decimal', text: '1.00' }, propagate).schema.parameters).toEqual({
      scale: '2', 'connect.decimal.precision': '10',
      '__debezium.source.column.type': 'DECIMAL UNSIGNED', '__debezium.source.column.length': '10',
      '__debezium.source.column.scale': '2', '__debezium.source.column.name': 'c',
    });
    const t = table('db', 't', [column('id', 1, 'INT', { optional: false })], ['id']);
    const [record] = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'p', ...propagate }), docsClock).create(t, [1], streamingAt());
    expect(record!.keySchema!.fields[0]!.schema.parameters).toBeNull();
    expect(record!.valueSchema!.field('after')!.schema.fields[0]!.schema.parameters?.get('__debezium.source.column.type')).toBe('INT');
  });

  it('settings given as undefined keep their defaults', () => {
    const s = resolveEventSettings({ flavor: 'mysql', topicPrefix: 'p', decimalHandlingMode: undefined, skippedOperations: undefined });
    expect(s.decimalHandlingMode).toBe('precise');
    expect([...s.skippedOperations]).toEqual(['t']);
  });

  it('MariaDB events carry io.debezium.connector.mariadb.Source and connector "mariadb"', () => {
    const t = table('db', 't', [column('id', 1, 'INT', { optional: false })], ['id']);
    const b = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mariadb', topicPrefix: 'p' }), docsClock);
    const [record] = b.create(t, [1], streamingAt({ gtid: '0-1-42' }));
    const json = userJson(record!.valueSchema, record!.value) as { schema: { fields: { field: string; name?: string }[] }; payload: { source: Record<string, unknown> } };
    expect(json.schema.fields.find((f) => f.field === 'source')!.name).toBe('io.debezium.connector.mariadb.Source');
    expect(json.payload.source).toMatchObject({ connector: 'mariadb', gtid: '0-1-42' });
  });

  it('refuses a type it cannot map, naming the column', () => {
    expect(() => mapped({ typeName: 'VECTOR' }, null)).toThrow(/db\.t\.c \(VECTOR\)/);
  });
});
