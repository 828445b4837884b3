import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { SingleFieldPath } from '../../../../runtime/pipeline/transforms/field-path.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

const schema = SchemaBuilder.struct()
  .field('id', Schema.INT64_SCHEMA)
  .field('address', SchemaBuilder.struct().field('city', Schema.STRING_SCHEMA).field('zip', SchemaBuilder.string().optional().defaultValue('00000')).optional())
  .field('a.b', Schema.STRING_SCHEMA)
  .build();

function order(withAddress = true): Struct {
  const s = new Struct(schema).put('id', 7).put('a.b', 'dotted');
  if (withAddress) s.put('address', new Struct(schema.field('address')!.schema).put('city', 'Oslo'));
  return s;
}

describe('ExtractField', () => {
  it('replaces a struct value with a top-level field and its schema', () => {
    const out = transform('ExtractField$Value', { field: 'id' }).apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(out.value).toBe(7);
    expect(out.valueSchema).toBe(Schema.INT64_SCHEMA);
  });

  it('reads a dotted name as one field with V1 and as a nested path with V2', () => {
    const v1 = transform('ExtractField$Value', { field: 'a.b' }).apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(v1.value).toBe('dotted');
    const v2 = transform('ExtractField$Value', { field: 'address.city', 'field.syntax.version': 'v2' })
      .apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(v2.value).toBe('Oslo');
    const quoted = transform('ExtractField$Value', { field: '`a.b`', 'field.syntax.version': 'V2' })
      .apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(quoted.value).toBe('dotted');
  });

  it('gives null when a nested parent is null and reads defaults unless told not to', () => {
    const noAddress = transform('ExtractField$Value', { field: 'address.city', 'field.syntax.version': 'V2' })
      .apply(sinkRecord({ valueSchema: schema, value: order(false) }))!;
    expect(noAddress.value).toBeNull();
    expect(noAddress.valueSchema!.type).toBe('STRING');
    const zip = transform('ExtractField$Value', { field: 'address.zip', 'field.syntax.version': 'V2' })
      .apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(zip.value).toBe('00000');
    const rawZip = transform('ExtractField$Value', { field: 'address.zip', 'field.syntax.version': 'V2', 'replace.null.with.default': 'false' })
      .apply(sinkRecord({ valueSchema: schema, value: order() }))!;
    expect(rawZip.value).toBeNull();
  });

  it('extracts from schemaless maps and objects, nested with V2, null when missing', () => {
    const value = new Map<string, unknown>([['id', 7], ['address', { city: 'Oslo' }]]);
    expect(transform('ExtractField$Value', { field: 'id' }).apply(sinkRecord({ value }))!.value).toBe(7);
    expect(transform('ExtractField$Value', { field: 'address.city', 'field.syntax.version': 'V2' }).apply(sinkRecord({ value }))!.value).toBe('Oslo');
    expect(transform('ExtractField$Value', { field: 'nope' }).apply(sinkRecord({ value }))!.value).toBeNull();
    expect(transform('ExtractField$Value', { field: 'id' }).apply(sinkRecord({ value: null }))!.value).toBeNull();
  });

  it('extracts from keys with the $Key variant', () => {
    const keySchema = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).build();
    const out = transform('ExtractField$Key', { field: 'id' }).apply(sinkRecord({ keySchema, key: new Struct(keySchema).put('id', 3), value: 'v' }))!;
    expect([out.key, out.keySchema, out.value]).toEqual([3, Schema.INT32_SCHEMA, 'v']);
    expect(transform('ExtractField$Key', { field: 'id' }).apply(sinkRecord({ key: { id: 4 } }))!.key).toBe(4);
  });

  it('fails for a field the schema lacks', () => {
    const t = transform('ExtractField$Value', { field: 'nope' });
    expect(() => t.apply(sinkRecord({ valueSchema: schema, value: order() }))).toThrow('Unknown field: nope');
  });

  it('rejects an unterminated backtick and an unknown syntax version', () => {
    expect(configIssues(() => transform('ExtractField$Value', { field: '`a.b', 'field.syntax.version': 'V2' }))).toEqual([{
      name: 'field',
      message: 'Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it',
    }]);
    expect(configIssues(() => transform('ExtractField$Value', { field: 'a', 'field.syntax.version': 'V3' }))[0].name).toBe('field.syntax.version');
  });
});

describe('field paths (V2)', () => {
  it('splits on dots, honours backticks and escaped backticks, and keeps a trailing empty step', () => {
    expect(new SingleFieldPath('a.b.c', 'V2').steps).toEqual(['a', 'b', 'c']);
    expect(new SingleFieldPath('`a.b`.c', 'V2').steps).toEqual(['a.b', 'c']);
    expect(new SingleFieldPath('`a\\`.b`.c', 'V2').steps).toEqual(['a`.b', 'c']);
    expect(new SingleFieldPath('a.', 'V2').steps).toEqual(['a', '']);
    expect(new SingleFieldPath('a.b', 'V1').steps).toEqual(['a.b']);
  });

  it('finds nested fields in schemas', () => {
    expect(new SingleFieldPath('address.zip', 'V2').fieldFrom(schema)!.schema.defaultValue).toBe('00000');
    expect(new SingleFieldPath('address.nope', 'V2').fieldFrom(schema)).toBeNull();
  });
});
