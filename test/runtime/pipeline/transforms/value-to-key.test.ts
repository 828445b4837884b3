import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, sourceRecord, transform } from './transform-fixtures.js';

const schema = SchemaBuilder.struct()
  .field('id', Schema.INT64_SCHEMA)
  .field('region', SchemaBuilder.string().optional().defaultValue('eu'))
  .field('name', Schema.STRING_SCHEMA)
  .build();

describe('ValueToKey', () => {
  it('builds a struct key from value fields, in the listed order', () => {
    const t = transform('org.apache.kafka.connect.transforms.ValueToKey', { fields: 'region,id' });
    const value = new Struct(schema).put('id', 9).put('name', 'n');
    const out = t.apply(sourceRecord({ valueSchema: schema, value }))!;
    expect(out.keySchema!.fields.map((f) => f.name)).toEqual(['region', 'id']);
    expect((out.key as Struct).get('id')).toBe(9);
    expect((out.key as Struct).getWithoutDefault('region')).toBe('eu');
    expect(out.value).toBe(value);
    expect(out.sourcePartition).toEqual({ file: 'a.log' });
  });

  it('keeps null fields null in the key when replace.null.with.default is false', () => {
    const t = transform('ValueToKey', { fields: 'region', 'replace.null.with.default': 'false' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1).put('name', 'n') }))!;
    expect((out.key as Struct).getWithoutDefault('region')).toBeNull();
  });

  it('builds a schemaless key from a map value', () => {
    const t = transform('ValueToKey', { fields: 'id,missing' });
    const out = t.apply(sinkRecord({ key: 'old', keySchema: Schema.STRING_SCHEMA, value: new Map<string, unknown>([['id', 1], ['x', 2]]) }))!;
    expect(out.key).toEqual(new Map([['id', 1], ['missing', null]]));
    expect(out.keySchema).toBeNull();
    expect(transform('ValueToKey', { fields: 'id' }).apply(sinkRecord({ value: { id: 1 } }))!.key).toEqual({ id: 1 });
  });

  it('fails for a field the value schema lacks and for a null value', () => {
    const t = transform('ValueToKey', { fields: 'nope' });
    expect(() => t.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 1).put('name', 'n') }))).toThrow('Field does not exist: nope');
    expect(() => t.apply(sinkRecord({ value: null }))).toThrow('Only Map objects supported in absence of schema for [copying fields from value to key], found: null');
  });

  it('requires fields', () => {
    expect(configIssues(() => transform('ValueToKey', {}))).toEqual([
      { name: 'fields', message: 'Missing required configuration "fields" which has no default value.' },
    ]);
  });
});
