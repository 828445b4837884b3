import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { castValue, parseCastSpec } from '../../../../runtime/pipeline/transforms/cast.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

describe('Cast of single values', () => {
  it('narrows integers by two\'s complement and truncates floats toward zero', () => {
    expect(castValue(Schema.INT32_SCHEMA, 300, 'INT8')).toBe(44);
    expect(castValue(Schema.INT64_SCHEMA, 70000, 'INT16')).toBe(4464);
    expect(castValue(Schema.INT64_SCHEMA, 2n ** 40n + 5n, 'INT32')).toBe(5);
    expect(castValue(Schema.FLOAT64_SCHEMA, -3.99, 'INT32')).toBe(-3);
    expect(castValue(Schema.FLOAT64_SCHEMA, 1e20, 'INT32')).toBe(2147483647);
    expect(castValue(Schema.FLOAT64_SCHEMA, 1e20, 'INT64')).toBe(2n ** 63n - 1n);
    expect(castValue(Schema.FLOAT32_SCHEMA, Number.NaN, 'INT64')).toBe(0);
    expect(castValue(Schema.INT8_SCHEMA, -1, 'INT64')).toBe(-1);
  });

  it('casts booleans to 1/0 and numbers to booleans after truncation', () => {
    expect(castValue(Schema.BOOLEAN_SCHEMA, true, 'INT16')).toBe(1);
    expect(castValue(Schema.BOOLEAN_SCHEMA, false, 'FLOAT64')).toBe(0);
    expect(castValue(Schema.INT32_SCHEMA, 2, 'BOOLEAN')).toBe(true);
    expect(castValue(Schema.FLOAT64_SCHEMA, 0.5, 'BOOLEAN')).toBe(false);
    expect(castValue(Schema.INT64_SCHEMA, 0, 'BOOLEAN')).toBe(false);
  });

  it('parses strings strictly into numbers and leniently into booleans', () => {
    expect(castValue(Schema.STRING_SCHEMA, '-12', 'INT8')).toBe(-12);
    expect(castValue(Schema.STRING_SCHEMA, '9223372036854775807', 'INT64')).toBe(2n ** 63n - 1n);
    expect(castValue(Schema.STRING_SCHEMA, ' 1.5 ', 'FLOAT32')).toBe(1.5);
    expect(castValue(Schema.STRING_SCHEMA, '1e3', 'FLOAT64')).toBe(1000);
    expect(castValue(Schema.STRING_SCHEMA, 'TRUE', 'BOOLEAN')).toBe(true);
    expect(castValue(Schema.STRING_SCHEMA, 'yes', 'BOOLEAN')).toBe(false);
    expect(() => castValue(Schema.STRING_SCHEMA, '128', 'INT8')).toThrow('Value (128) was out of range for requested data type');
    expect(() => castValue(Schema.STRING_SCHEMA, '1.5', 'INT32')).toThrow('Value (1.5) was out of range for requested data type');
  });

  it('rounds to single precision for float32', () => {
    expect(castValue(Schema.FLOAT64_SCHEMA, 0.1, 'FLOAT32')).toBe(Math.fround(0.1));
    expect(castValue(Schema.INT64_SCHEMA, 5, 'FLOAT64')).toBe(5);
  });

  it('prints values to strings the Java way, bytes as base64', () => {
    expect(castValue(Schema.INT32_SCHEMA, 42, 'STRING')).toBe('42');
    expect(castValue(Schema.FLOAT64_SCHEMA, 1, 'STRING')).toBe('1.0');
    expect(castValue(Schema.FLOAT32_SCHEMA, Math.fround(0.1), 'STRING')).toBe('0.1');
    expect(castValue(Schema.FLOAT64_SCHEMA, 1e21, 'STRING')).toBe('1.0E21');
    expect(castValue(Schema.BOOLEAN_SCHEMA, true, 'STRING')).toBe('true');
    expect(castValue(Schema.INT64_SCHEMA, 2n ** 62n, 'STRING')).toBe('4611686018427387904');
    expect(castValue(Schema.BYTES_SCHEMA, Buffer.from('hi'), 'STRING')).toBe('aGk=');
  });

  it('casts logical types through their wire value, and to strings in ISO form', () => {
    const ts = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(castValue(LogicalTimestamp.SCHEMA, ts, 'INT64')).toBe(ts.getTime());
    expect(castValue(LogicalTimestamp.SCHEMA, ts, 'STRING')).toBe('2024-01-02T03:04:05.006Z');
    expect(castValue(LogicalDate.SCHEMA, new Date(Date.UTC(1970, 0, 11)), 'INT32')).toBe(10);
    expect(castValue(LogicalDate.SCHEMA, new Date(Date.UTC(2024, 0, 2)), 'STRING')).toBe('2024-01-02');
    expect(castValue(LogicalTime.SCHEMA, new Date(3_600_000), 'INT32')).toBe(3_600_000);
    expect(castValue(LogicalTime.SCHEMA, new Date(3_600_000), 'STRING')).toBe('01:00:00.000Z');
    const price = new Decimal(12345n, 2);
    expect(castValue(LogicalDecimal.schema(2), price, 'INT32')).toBe(123);
    expect(castValue(LogicalDecimal.schema(2), price, 'FLOAT64')).toBe(123.45);
    expect(castValue(LogicalDecimal.schema(2), price, 'STRING')).toBe('123.45');
    expect(castValue(LogicalDecimal.schema(2), price, 'BOOLEAN')).toBe(true);
  });

  it('refuses bytes to numbers, complex types, and schemaless Dates', () => {
    expect(() => castValue(Schema.BYTES_SCHEMA, Buffer.from('x'), 'INT32')).toThrow('Unexpected type in Cast transformation: Buffer');
    expect(() => castValue(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1], 'STRING')).toThrow(
      'Cast transformation does not support casting from ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    );
    expect(() => castValue(null, new Map(), 'STRING')).toThrow('does not support casting from MAP');
    expect(() => castValue(null, new Date(0), 'STRING')).toThrow("Cast transformation was passed a value of type Date which is not supported by Connect's data API");
  });

  it('infers schemaless types from the JS value', () => {
    expect(castValue(null, 300, 'INT8')).toBe(44);
    expect(castValue(null, 2.7, 'INT8')).toBe(2);
    expect(castValue(null, 2.5, 'STRING')).toBe('2.5');
    expect(castValue(null, 3, 'STRING')).toBe('3');
    expect(castValue(null, '7', 'INT64')).toBe(7);
    expect(castValue(null, null, 'INT64')).toBeNull();
  });
});

describe('Cast transform', () => {
  const schema = SchemaBuilder.struct().name('Reading')
    .field('id', Schema.INT64_SCHEMA)
    .field('temp', SchemaBuilder.float64().optional().defaultValue(20.5))
    .field('ok', Schema.STRING_SCHEMA)
    .field('at', LogicalTimestamp.SCHEMA)
    .build();
  const reading = () => new Struct(schema).put('id', 7).put('temp', 21.75).put('ok', 'true').put('at', new Date(1000));

  it('casts struct fields and rewrites the schema, keeping optionality and casting defaults', () => {
    const t = transform('org.apache.kafka.connect.transforms.Cast$Value', { spec: 'id:int32, temp:string, ok:boolean, at:int64' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: reading() }))!;
    const s = out.valueSchema!;
    expect(s.name).toBe('Reading');
    expect(s.fields.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.name])).toEqual([
      ['id', 'INT32', false, null], ['temp', 'STRING', true, null], ['ok', 'BOOLEAN', false, null], ['at', 'INT64', false, null],
    ]);
    expect(s.field('temp')!.schema.defaultValue).toBe('20.5');
    const v = out.value as Struct;
    expect([v.get('id'), v.get('temp'), v.get('ok'), v.get('at')]).toEqual([7, '21.75', true, 1000]);
  });

  it('casts a whole value with a schema, caching the new schema', () => {
    const t = transform('Cast$Value', { spec: 'string' });
    const a = t.apply(sinkRecord({ valueSchema: Schema.INT32_SCHEMA, value: 5 }))!;
    const b = t.apply(sinkRecord({ valueSchema: Schema.INT32_SCHEMA, value: 6 }))!;
    expect([a.value, a.valueSchema!.type, b.value]).toEqual(['5', 'STRING', '6']);
    expect(b.valueSchema).toBe(a.valueSchema);
    const ts = t.apply(sinkRecord({ valueSchema: LogicalTimestamp.SCHEMA, value: new Date(0) }))!;
    expect([ts.value, ts.valueSchema!.name]).toEqual(['00:00:00.000Z', null]);
  });

  it('casts schemaless map fields and whole schemaless values', () => {
    expect(transform('Cast$Value', { spec: 'a:int16,b:float32,c:string' })
      .apply(sinkRecord({ value: { a: '12', b: 2, c: true, d: 'kept' } }))!.value).toEqual({ a: 12, b: 2, c: 'true', d: 'kept' });
    expect(transform('Cast$Value', { spec: 'a:boolean' }).apply(sinkRecord({ value: new Map([['a', 1]]) }))!.value)
      .toEqual(new Map([['a', true]]));
    expect(transform('Cast$Value', { spec: 'int64' }).apply(sinkRecord({ value: '99' }))!.value).toBe(99);
  });

  it('casts keys with the $Key variant and passes null keys through', () => {
    const t = transform('Cast$Key', { spec: 'int32' });
    const out = t.apply(sinkRecord({ keySchema: Schema.INT64_SCHEMA, key: 12, value: 'v' }))!;
    expect([out.key, out.keySchema!.type, out.value]).toEqual([12, 'INT32', 'v']);
    expect(t.apply(sinkRecord({ key: '5' }))!.key).toBe(5);
    const nullKey = sinkRecord({ key: null, keySchema: Schema.OPTIONAL_INT64_SCHEMA });
    expect(t.apply(nullKey)).toBe(nullKey);
  });

  it('rejects bad specs with Kafka\'s messages', () => {
    expect(() => parseCastSpec([])).toThrow('Must specify at least one field to cast.');
    expect(() => parseCastSpec(['a:uuid'])).toThrow('Invalid type found in casting spec: uuid');
    expect(() => parseCastSpec(['a:bytes'])).toThrow(
      'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    );
    expect(() => parseCastSpec(['int8', 'a:int16'])).toThrow(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
    expect(configIssues(() => transform('Cast$Value', { spec: 'a:struct' }))).toEqual([{
      name: 'spec',
      message: 'Invalid value [a:struct] for configuration spec: Cast transformation does not support casting to STRUCT; '
        + 'supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    }]);
  });
});
