import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { sinkRecord, transform } from './transform-fixtures.js';

const geo = SchemaBuilder.struct().field('lat', Schema.FLOAT64_SCHEMA).field('lon', Schema.FLOAT64_SCHEMA).build();
const address = SchemaBuilder.struct()
  .field('city', Schema.STRING_SCHEMA)
  .field('geo', geo)
  .optional()
  .build();
const schema = SchemaBuilder.struct().name('Customer')
  .field('id', Schema.INT64_SCHEMA)
  .field('address', address)
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .build();

function customer(withAddress: boolean): Struct {
  const s = new Struct(schema).put('id', 1).put('tags', ['vip']);
  if (withAddress) {
    s.put('address', new Struct(address).put('city', 'Oslo').put('geo', new Struct(geo).put('lat', 59.9).put('lon', 10.7)));
  }
  return s;
}

describe('Flatten', () => {
  it('flattens nested structs, joining names with the delimiter and leaving arrays alone', () => {
    const t = transform('org.apache.kafka.connect.transforms.Flatten$Value', { delimiter: '_' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: customer(true) }))!;
    expect(out.valueSchema!.name).toBe('Customer');
    expect(out.valueSchema!.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['id', 'INT64', false], ['address_city', 'STRING', true], ['address_geo_lat', 'FLOAT64', true],
      ['address_geo_lon', 'FLOAT64', true], ['tags', 'ARRAY', false],
    ]);
    const v = out.value as Struct;
    expect([v.get('id'), v.get('address_city'), v.get('address_geo_lat'), v.get('tags')]).toEqual([1, 'Oslo', 59.9, ['vip']]);
  });

  it('leaves fields of a missing optional struct null', () => {
    const out = transform('Flatten$Value').apply(sinkRecord({ valueSchema: schema, value: customer(false) }))!;
    expect((out.value as Struct).get('address.city')).toBeNull();
  });

  it('carries defaults of enclosing structs down to the flattened fields', () => {
    const innerSchema = () => SchemaBuilder.struct().field('n', Schema.INT32_SCHEMA).optional();
    const outer = SchemaBuilder.struct().field('inner', innerSchema().defaultValue(new Struct(innerSchema().build()).put('n', 5))).build();
    const out = transform('Flatten$Value').apply(sinkRecord({ valueSchema: outer, value: new Struct(outer) }))!;
    expect(out.valueSchema!.field('inner.n')!.schema.defaultValue).toBe(5);
    expect(out.valueSchema!.field('inner.n')!.schema.optional).toBe(true);
  });

  it('flattens nested schemaless maps and objects, keeping the outer container kind', () => {
    const t = transform('Flatten$Value');
    const value = new Map<string, unknown>([['id', 1], ['address', { city: 'Oslo', geo: new Map([['lat', 59.9]]) }], ['tags', ['a']], ['none', null]]);
    expect(t.apply(sinkRecord({ value }))!.value).toEqual(new Map<string, unknown>([
      ['id', 1], ['address.city', 'Oslo'], ['address.geo.lat', 59.9], ['tags', ['a']], ['none', null],
    ]));
    expect(t.apply(sinkRecord({ value: { a: { b: { c: true } } } }))!.value).toEqual({ 'a.b.c': true });
  });

  it('flattens keys with the $Key variant and passes null keys through', () => {
    const t = transform('Flatten$Key', { delimiter: '/' });
    expect(t.apply(sinkRecord({ key: { a: { b: 1 } } }))!.key).toEqual({ 'a/b': 1 });
    const keyed = t.apply(sinkRecord({ keySchema: schema, key: customer(true) }))!;
    expect((keyed.key as Struct).get('address/city')).toBe('Oslo');
    const nullKey = sinkRecord({ key: null });
    expect(t.apply(nullKey)).toBe(nullKey);
  });

  it('rejects map fields in structs, as Kafka does', () => {
    const withMap = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build()).build();
    const t = transform('Flatten$Value');
    expect(() => t.apply(sinkRecord({ valueSchema: withMap, value: new Struct(withMap).put('m', new Map()) })))
      .toThrow('Flatten transformation does not support MAP for record with schemas (for field m).');
  });
});
