import { describe, expect, it } from 'vitest';
import { LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { configIssues, sinkRecord, sourceRecord, transform } from './transform-fixtures.js';

const valueSchema = SchemaBuilder.struct().name('Order').field('id', Schema.INT64_SCHEMA).build();
const allFields = {
  'topic.field': 'topic!',
  'partition.field': 'partition',
  'offset.field': 'offset?',
  'timestamp.field': 'ts',
  'static.field': 'origin',
  'static.value': 'db1',
};

describe('InsertField', () => {
  it('adds record metadata to a struct value and extends its schema', () => {
    const t = transform('org.apache.kafka.connect.transforms.InsertField$Value', allFields);
    const record = sinkRecord({ valueSchema, value: new Struct(valueSchema).put('id', 7) });
    const out = t.apply(record)!;
    const schema = out.valueSchema!;
    expect(schema.name).toBe('Order');
    expect(schema.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['id', 'INT64', false], ['topic', 'STRING', false], ['partition', 'INT32', true],
      ['offset', 'INT64', true], ['ts', 'INT64', true], ['origin', 'STRING', true],
    ]);
    expect(schema.field('ts')!.schema.name).toBe(LogicalTimestamp.LOGICAL_NAME);
    const value = out.value as Struct;
    expect([value.get('id'), value.get('topic'), value.get('partition'), value.get('offset'), value.get('origin')])
      .toEqual([7, 'orders', 3, 42, 'db1']);
    expect(value.get('ts')).toEqual(new Date(1_700_000_000_000));
    expect(out.kafkaOffset).toBe(42);
    expect(out.originalTopic).toBe('orders');
  });

  it('reuses the derived schema for records with an equal schema', () => {
    const t = transform('InsertField$Value', { 'topic.field': 'topic' });
    const copy = SchemaBuilder.struct().name('Order').field('id', Schema.INT64_SCHEMA).build();
    const a = t.apply(sinkRecord({ valueSchema, value: new Struct(valueSchema).put('id', 1) }))!;
    const b = t.apply(sinkRecord({ valueSchema: copy, value: new Struct(copy).put('id', 2) }))!;
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it('adds metadata to a schemaless map value, keeping Map or plain object form', () => {
    const t = transform('InsertField$Value', allFields);
    const fromMap = t.apply(sinkRecord({ value: new Map([['id', 7]]) }))!;
    expect(fromMap.value).toEqual(new Map<string, unknown>([
      ['id', 7], ['topic', 'orders'], ['partition', 3], ['offset', 42], ['ts', 1_700_000_000_000], ['origin', 'db1'],
    ]));
    const fromObject = t.apply(sinkRecord({ value: { id: 7 } }))!;
    expect(fromObject.value).toEqual({ id: 7, topic: 'orders', partition: 3, offset: 42, ts: 1_700_000_000_000, origin: 'db1' });
    expect(fromObject.valueSchema).toBeNull();
  });

  it('works on the key with the $Key variant', () => {
    const t = transform('InsertField$Key', { 'static.field': 'tenant', 'static.value': 'acme' });
    const keySchema = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).build();
    const out = t.apply(sinkRecord({ keySchema, key: new Struct(keySchema).put('id', 1), value: 'v' }))!;
    expect((out.key as Struct).get('tenant')).toBe('acme');
    expect(out.value).toBe('v');
    const schemaless = t.apply(sinkRecord({ key: new Map([['id', 1]]) }))!;
    expect(schemaless.key).toEqual(new Map<string, unknown>([['id', 1], ['tenant', 'acme']]));
  });

  it('leaves a missing partition or timestamp unset and passes tombstones through', () => {
    const t = transform('InsertField$Value', { 'partition.field': 'p', 'timestamp.field': 'ts' });
    const out = t.apply(sourceRecord({ timestamp: null, value: new Map() }))!;
    expect(out.value).toEqual(new Map());
    expect(out.sourceOffset).toEqual({ position: 7 });
    const tombstone = sinkRecord({ value: null });
    expect(t.apply(tombstone)).toBe(tombstone);
  });

  it('refuses an offset field on source records', () => {
    const t = transform('InsertField$Value', { 'offset.field': 'offset' });
    expect(() => t.apply(sourceRecord({ value: new Map() }))).toThrow(
      new DataError('Only SinkRecord supported for [field insertion], found: SourceRecord'),
    );
  });

  it('rejects values that are neither structs nor maps', () => {
    const t = transform('InsertField$Value', { 'topic.field': 'topic' });
    expect(() => t.apply(sinkRecord({ value: 'text' }))).toThrow('Only Map objects supported in absence of schema for [field insertion], found: string');
    expect(() => t.apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'text' }))).toThrow(
      'Only Struct objects supported for [field insertion], found: string',
    );
  });

  it('keeps a null field null when replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().optional().defaultValue(5)).build();
    const value = new Struct(schema).put('n', null);
    const withDefault = transform('InsertField$Value', { 'topic.field': 't' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((withDefault.value as Struct).getWithoutDefault('n')).toBe(5);
    const keepNull = transform('InsertField$Value', { 'topic.field': 't', 'replace.null.with.default': 'false' })
      .apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((keepNull.value as Struct).getWithoutDefault('n')).toBeNull();
  });

  it('requires at least one field and a value for the static field', () => {
    expect(configIssues(() => transform('InsertField$Value', {}))).toEqual([{ name: 'topic.field', message: 'No field insertion configured' }]);
    expect(configIssues(() => transform('InsertField$Value', { 'static.field': 'origin!' }))).toEqual([
      { name: 'static.value', message: 'No value specified for static field: origin' },
    ]);
  });
});
