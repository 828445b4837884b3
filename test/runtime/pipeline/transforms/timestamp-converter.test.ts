import { describe, expect, it } from 'vitest';
import { LogicalDate, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

const millis = Date.UTC(2024, 1, 29, 13, 5, 9, 42);
const instant = new Date(millis);
const FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

function convert(config: Record<string, string>, valueSchema: Schema | null, value: unknown) {
  return transform('TimestampConverter$Value', config).apply(sinkRecord({ valueSchema, value }))!;
}

describe('TimestampConverter on whole values with a schema', () => {
  it('converts a Timestamp to every target type', () => {
    expect(convert({ 'target.type': 'unix' }, LogicalTimestamp.SCHEMA, instant)).toMatchObject({ value: millis, valueSchema: Schema.INT64_SCHEMA });
    expect(convert({ 'target.type': 'string', format: FORMAT }, LogicalTimestamp.SCHEMA, instant).value).toBe('2024-02-29T13:05:09.042Z');
    const date = convert({ 'target.type': 'Date' }, LogicalTimestamp.SCHEMA, instant);
    expect([date.value, date.valueSchema!.name]).toEqual([new Date(Date.UTC(2024, 1, 29)), LogicalDate.LOGICAL_NAME]);
    const time = convert({ 'target.type': 'Time' }, LogicalTimestamp.SCHEMA, instant);
    expect([time.value, time.valueSchema!.name]).toEqual([new Date(millis % 86_400_000), LogicalTime.LOGICAL_NAME]);
    expect(convert({ 'target.type': 'Timestamp' }, LogicalTimestamp.SCHEMA, instant).value).toEqual(instant);
  });

  it('reads unix longs, strings, Dates and Times by their schema', () => {
    expect(convert({ 'target.type': 'Timestamp' }, Schema.INT64_SCHEMA, millis).value).toEqual(instant);
    expect(convert({ 'target.type': 'Timestamp', format: FORMAT }, Schema.STRING_SCHEMA, '2024-02-29T14:05:09.042+01:00').value).toEqual(instant);
    expect(convert({ 'target.type': 'unix' }, LogicalDate.SCHEMA, new Date(Date.UTC(1970, 0, 2))).value).toBe(86_400_000);
    expect(convert({ 'target.type': 'string', format: 'HH:mm' }, LogicalTime.SCHEMA, new Date(3_600_000)).value).toBe('01:00');
  });

  it('keeps the schema optional when it was and passes nulls through', () => {
    const out = convert({ 'target.type': 'unix' }, LogicalTimestamp.builder().optional().build(), null);
    expect([out.value, out.valueSchema]).toEqual([null, Schema.OPTIONAL_INT64_SCHEMA]);
  });

  it('honours unix.precision when reading and writing', () => {
    expect(convert({ 'target.type': 'unix', 'unix.precision': 'seconds' }, LogicalTimestamp.SCHEMA, instant).value).toBe(Math.trunc(millis / 1000));
    expect(convert({ 'target.type': 'unix', 'unix.precision': 'microseconds' }, LogicalTimestamp.SCHEMA, instant).value).toBe(millis * 1000);
    expect(convert({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }, LogicalTimestamp.SCHEMA, instant).value).toBe(BigInt(millis) * 1_000_000n);
    expect(convert({ 'target.type': 'Timestamp', 'unix.precision': 'nanoseconds' }, Schema.INT64_SCHEMA, BigInt(millis) * 1_000_000n + 999n).value).toEqual(instant);
    expect(convert({ 'target.type': 'Timestamp', 'unix.precision': 'seconds' }, Schema.INT64_SCHEMA, 1).value).toEqual(new Date(1000));
  });

  it('fails on strings that do not match the format and on schemas that are not timestamps', () => {
    expect(() => convert({ 'target.type': 'unix', format: 'yyyy-MM-dd' }, Schema.STRING_SCHEMA, 'yesterday'))
      .toThrow('Could not parse timestamp: value (yesterday) does not match pattern (yyyy-MM-dd)');
    expect(() => convert({ 'target.type': 'unix' }, Schema.INT32_SCHEMA, 5)).toThrow('Schema Schema{INT32} does not correspond to a known timestamp type format');
  });
});

describe('TimestampConverter on fields', () => {
  const schema = SchemaBuilder.struct().name('Event')
    .field('id', Schema.INT32_SCHEMA)
    .field('at', SchemaBuilder.int64().optional())
    .build();

  it('converts one struct field and rewrites only that field\'s schema', () => {
    const t = transform('org.apache.kafka.connect.transforms.TimestampConverter$Value', { field: 'at', 'target.type': 'string', format: 'yyyy-MM-dd HH:mm' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1).put('at', millis) }))!;
    expect(out.valueSchema!.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([['id', 'INT32', false], ['at', 'STRING', true]]);
    expect((out.value as Struct).get('at')).toBe('2024-02-29 13:05');
    const nullAt = t.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1) }))!;
    expect((nullAt.value as Struct).get('at')).toBeNull();
  });

  it('converts a field of a schemaless map, inferring the input type', () => {
    const t = transform('TimestampConverter$Value', { field: 'at', 'target.type': 'Date' });
    expect(t.apply(sinkRecord({ value: { at: millis, id: 1 } }))!.value).toEqual({ at: new Date(Date.UTC(2024, 1, 29)), id: 1 });
    const toUnix = transform('TimestampConverter$Value', { field: 'at', 'target.type': 'unix' });
    expect(toUnix.apply(sinkRecord({ value: new Map<string, unknown>([['at', instant]]) }))!.value).toEqual(new Map([['at', millis]]));
    const fromString = transform('TimestampConverter$Value', { field: 'at', 'target.type': 'Timestamp', format: 'yyyyMMdd' });
    expect(fromString.apply(sinkRecord({ value: { at: '20240229' } }))!.value).toEqual({ at: new Date(Date.UTC(2024, 1, 29)) });
  });

  it('converts whole schemaless values and fails on values that are not timestamps', () => {
    const t = transform('TimestampConverter$Value', { 'target.type': 'string', format: 'yyyy' });
    expect(t.apply(sinkRecord({ value: millis }))!.value).toBe('2024');
    expect(t.apply(sinkRecord({ value: null }))!.value).toBeNull();
    expect(() => t.apply(sinkRecord({ value: 1.5 }))).toThrow('TimestampConverter does not support number objects as timestamps');
  });

  it('converts keys with the $Key variant', () => {
    const t = transform('TimestampConverter$Key', { 'target.type': 'Timestamp' });
    const out = t.apply(sinkRecord({ keySchema: Schema.INT64_SCHEMA, key: millis, value: 'v' }))!;
    expect([out.key, out.keySchema, out.value]).toEqual([instant, LogicalTimestamp.SCHEMA, 'v']);
    expect(t.apply(sinkRecord({ key: millis }))!.key).toEqual(instant);
  });

  it('requires a valid target type, and a format for string targets', () => {
    expect(configIssues(() => transform('TimestampConverter$Value', { 'target.type': 'string' }))).toEqual([{
      name: 'format', message: 'TimestampConverter requires format option to be specified when using string timestamps',
    }]);
    expect(configIssues(() => transform('TimestampConverter$Value', { 'target.type': 'timestamp' }))).toEqual([{
      name: 'target.type',
      message: 'Invalid value timestamp for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp',
    }]);
    expect(configIssues(() => transform('TimestampConverter$Value', { 'target.type': 'unix', format: 'yyyy-bb' }))[0].name).toBe('format');
  });
});
