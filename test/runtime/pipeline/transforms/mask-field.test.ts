import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDecimal, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

const schema = SchemaBuilder.struct()
  .field('age', Schema.INT32_SCHEMA)
  .field('score', Schema.FLOAT64_SCHEMA)
  .field('active', Schema.BOOLEAN_SCHEMA)
  .field('ssn', Schema.STRING_SCHEMA)
  .field('salary', LogicalDecimal.schema(2))
  .field('born', LogicalTimestamp.SCHEMA)
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .field('attrs', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('blob', Schema.OPTIONAL_BYTES_SCHEMA)
  .build();

function person(): Struct {
  return new Struct(schema).put('age', 40).put('score', 9.5).put('active', true).put('ssn', '123-45')
    .put('salary', new Decimal(123456n, 2)).put('born', new Date(86_400_000)).put('tags', ['a'])
    .put('attrs', new Map([['k', 'v']])).put('note', null).put('blob', Buffer.from('x'));
}

describe('MaskField', () => {
  it('masks struct fields with the empty value of their type', () => {
    const t = transform('MaskField$Value', { fields: 'age,score,active,ssn,salary,born,tags,attrs,note' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: person() }))!;
    const v = out.value as Struct;
    expect(out.valueSchema).toBe(schema);
    expect([v.get('age'), v.get('score'), v.get('active'), v.get('ssn'), v.get('note')]).toEqual([0, 0, false, '', null]);
    expect(v.get('salary')).toEqual(new Decimal(0n, 2));
    expect(v.get('born')).toEqual(new Date(0));
    expect(v.get('tags')).toEqual([]);
    expect(v.get('attrs')).toEqual(new Map());
  });

  it('masks with a replacement converted to the field type', () => {
    const t = transform('MaskField$Value', { fields: 'age,score,ssn,salary', replacement: '12' });
    const v = t.apply(sinkRecord({ valueSchema: schema, value: person() }))!.value as Struct;
    expect([v.get('age'), v.get('score'), v.get('ssn')]).toEqual([12, 12, '12']);
    expect(v.get('salary')).toEqual(new Decimal(1200n, 2));
  });

  it('refuses a replacement for booleans and a non-numeric replacement for numbers', () => {
    const bools = transform('MaskField$Value', { fields: 'active', replacement: 'x' });
    expect(() => bools.apply(sinkRecord({ valueSchema: schema, value: person() }))).toThrow('Cannot mask value of type boolean with custom replacement.');
    const numbers = transform('MaskField$Value', { fields: 'age', replacement: '***' });
    expect(() => numbers.apply(sinkRecord({ valueSchema: schema, value: person() }))).toThrow('Unable to convert *** (string) to number');
  });

  it('refuses to mask bytes', () => {
    const t = transform('MaskField$Value', { fields: 'blob' });
    expect(() => t.apply(sinkRecord({ valueSchema: schema, value: person() }))).toThrow('Cannot mask value of type: Buffer');
  });

  it('masks schemaless fields by their JS type, keeping the container kind', () => {
    const t = transform('MaskField$Value', { fields: 'n,f,s,b,list,obj' });
    const out = t.apply(sinkRecord({ value: { n: 5, f: 1.5, s: 'x', b: true, list: [1], obj: { a: 1 }, other: 'kept' } }))!;
    expect(out.value).toEqual({ n: 0, f: 0, s: '', b: false, list: [], obj: {}, other: 'kept' });
    const replaced = transform('MaskField$Value', { fields: 'n,s', replacement: '9' })
      .apply(sinkRecord({ value: new Map<string, unknown>([['n', 5], ['s', 'x']]) }))!;
    expect(replaced.value).toEqual(new Map<string, unknown>([['n', 9], ['s', '9']]));
  });

  it('masks keys with the $Key variant and passes null keys through', () => {
    const t = transform('MaskField$Key', { fields: 'ssn' });
    expect(t.apply(sinkRecord({ key: { ssn: 'x', id: 1 } }))!.key).toEqual({ ssn: '', id: 1 });
    const keyed = t.apply(sinkRecord({ keySchema: schema, key: person() }))!;
    expect((keyed.key as Struct).get('ssn')).toBe('');
    const tombstoneKey = sinkRecord({ key: null });
    expect(t.apply(tombstoneKey)).toBe(tombstoneKey);
  });

  it('requires a non-empty list of fields and a non-empty replacement', () => {
    expect(configIssues(() => transform('MaskField$Value', { fields: '' }))).toEqual([
      { name: 'fields', message: 'Invalid value [] for configuration fields: List must not be empty' },
    ]);
    expect(configIssues(() => transform('MaskField$Value', { fields: 'a', replacement: '' }))[0].name).toBe('replacement');
  });
});
