import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, sourceRecord, transform } from './transform-fixtures.js';

const existing = { key: 'trace', schema: Schema.STRING_SCHEMA, value: 'abc' };

describe('InsertHeader', () => {
  it('adds a header whose literal is parsed into a typed value, keeping existing headers', () => {
    const t = transform('org.apache.kafka.connect.transforms.InsertHeader', { header: 'version', 'value.literal': '42' });
    const out = t.apply(sinkRecord({ headers: [existing], valueSchema: Schema.STRING_SCHEMA, value: 'v' }))!;
    expect([out.value, out.valueSchema]).toEqual(['v', Schema.STRING_SCHEMA]);
    expect(out.headers).toHaveLength(2);
    expect(out.headers[0]).toBe(existing);
    expect(out.headers[1]).toMatchObject({ key: 'version', value: 42 });
    expect(out.headers[1].schema!.type).toBe('INT8');
    const text = transform('InsertHeader', { header: 'env', 'value.literal': 'prod' }).apply(sourceRecord({ value: { a: 1 } }))!;
    expect(text.headers).toEqual([{ key: 'env', schema: Schema.STRING_SCHEMA, value: 'prod' }]);
    expect(text.sourcePartition).toEqual({ file: 'a.log' });
  });

  it('requires header and value.literal', () => {
    expect(configIssues(() => transform('InsertHeader', {})).map((i) => i.name)).toEqual(['header', 'value.literal']);
  });
});

describe('DropHeaders', () => {
  it('removes every header with a listed key', () => {
    const t = transform('DropHeaders', { headers: 'trace,tmp' });
    const headers = [existing, { key: 'keep', schema: null, value: 1 }, { key: 'tmp', schema: null, value: 2 }, { ...existing }];
    expect(t.apply(sinkRecord({ headers, value: { a: 1 } }))!.headers).toEqual([{ key: 'keep', schema: null, value: 1 }]);
    const withSchema = t.apply(sinkRecord({ headers, valueSchema: Schema.STRING_SCHEMA, value: 'v' }))!;
    expect([withSchema.headers.map((h) => h.key), withSchema.value, withSchema.valueSchema]).toEqual([['keep'], 'v', Schema.STRING_SCHEMA]);
  });

  it('requires a non-empty list', () => {
    expect(configIssues(() => transform('DropHeaders', { headers: '' }))[0].message).toBe('Invalid value [] for configuration headers: List must not be empty');
  });
});

describe('HeaderFrom', () => {
  const schema = SchemaBuilder.struct().name('Order')
    .field('id', Schema.INT64_SCHEMA)
    .field('tenant', Schema.STRING_SCHEMA)
    .field('region', SchemaBuilder.string().optional().defaultValue('eu'))
    .build();
  const order = () => new Struct(schema).put('id', 1).put('tenant', 'acme');

  it('moves struct fields into headers carrying the field schemas', () => {
    const t = transform('org.apache.kafka.connect.transforms.HeaderFrom$Value', { fields: 'tenant,region', headers: 'x-tenant,x-region', operation: 'move' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: order(), headers: [existing] }))!;
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(['id']);
    expect(out.valueSchema!.name).toBe('Order');
    expect((out.value as Struct).get('id')).toBe(1);
    expect(out.headers).toEqual([
      existing,
      { key: 'x-tenant', schema: Schema.STRING_SCHEMA, value: 'acme' },
      { key: 'x-region', schema: schema.field('region')!.schema, value: 'eu' },
    ]);
  });

  it('copies struct fields, leaving the value as it was', () => {
    const t = transform('HeaderFrom$Value', { fields: 'region', headers: 'r', operation: 'copy', 'replace.null.with.default': 'false' });
    const value = order();
    const out = t.apply(sinkRecord({ valueSchema: schema, value }))!;
    expect(out.value).toBe(value);
    expect(out.valueSchema).toBe(schema);
    expect(out.headers).toEqual([{ key: 'r', schema: schema.field('region')!.schema, value: null }]);
  });

  it('moves and copies schemaless fields, with null headers for missing fields', () => {
    const move = transform('HeaderFrom$Value', { fields: 'a,missing', headers: 'ha,hm', operation: 'move' });
    const out = move.apply(sinkRecord({ value: { a: 1, b: 2 } }))!;
    expect(out.value).toEqual({ b: 2 });
    expect(out.headers).toEqual([{ key: 'ha', schema: null, value: 1 }, { key: 'hm', schema: null, value: null }]);
    const copy = transform('HeaderFrom$Value', { fields: 'a', headers: 'ha', operation: 'copy' });
    expect(copy.apply(sinkRecord({ value: new Map([['a', 1]]) }))!.value).toEqual(new Map([['a', 1]]));
  });

  it('works on keys with the $Key variant', () => {
    const t = transform('HeaderFrom$Key', { fields: 'tenant', headers: 'tenant', operation: 'move' });
    const out = t.apply(sinkRecord({ keySchema: schema, key: order(), value: 'v' }))!;
    expect(out.keySchema!.fields.map((f) => f.name)).toEqual(['id', 'region']);
    expect(out.headers).toEqual([{ key: 'tenant', schema: Schema.STRING_SCHEMA, value: 'acme' }]);
    expect(t.apply(sinkRecord({ key: { tenant: 't', id: 1 } }))!.key).toEqual({ id: 1 });
  });

  it('requires as many headers as fields and a known operation', () => {
    expect(configIssues(() => transform('HeaderFrom$Value', { fields: 'a,b', headers: 'h', operation: 'copy' }))).toEqual([
      { name: 'headers', message: "'fields' config must have the same number of elements as 'headers' config." },
    ]);
    expect(configIssues(() => transform('HeaderFrom$Value', { fields: 'a', headers: 'h', operation: 'cut' }))).toEqual([
      { name: 'operation', message: 'Invalid value cut for configuration operation: String must be one of: move, copy' },
    ]);
  });
});
