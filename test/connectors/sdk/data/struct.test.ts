import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDecimal } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';

const ADDRESS = SchemaBuilder.struct().name('Address').field('street', Schema.STRING_SCHEMA).field('zip', Schema.INT32_SCHEMA).build();
const USER = SchemaBuilder.struct()
  .name('User')
  .field('id', Schema.INT64_SCHEMA)
  .field('nick', Schema.OPTIONAL_STRING_SCHEMA)
  .field('level', SchemaBuilder.int8().defaultValue(1))
  .field('address', ADDRESS)
  .field('amount', LogicalDecimal.builder(2).optional())
  .build();

function address(zip: number): Struct {
  return new Struct(ADDRESS).put('street', 'Main St').put('zip', zip);
}

describe('Struct', () => {
  it('only wraps STRUCT schemas', () => {
    expect(() => new Struct(Schema.STRING_SCHEMA)).toThrow('Not a struct schema: Schema{STRING}');
  });

  it('stores and returns values by field name or Field', () => {
    const user = new Struct(USER).put('id', 7).put(USER.field('nick')!, 'ann');
    expect(user.get('id')).toBe(7);
    expect(user.get(USER.field('nick')!)).toBe('ann');
    expect(user.getString('nick')).toBe('ann');
    expect(user.getInt64('id')).toBe(7);
  });

  it('names the field when a put does not fit its schema', () => {
    const user = new Struct(USER);
    expect(() => user.put('id', 'seven')).toThrow('Invalid value for schema with type INT64: expected a 64-bit integer (number or bigint), got string "seven" for field: "id"');
    expect(() => user.put('level', 200)).toThrow(/expected an integer from -128 to 127, got number 200 for field: "level"/);
    expect(() => user.put('id', null)).toThrow('Invalid value: null used for required field: "id", schema type: INT64');
    expect(() => user.put('nope', 1)).toThrow('nope is not a valid field name');
  });

  it('reports the full path of a bad value inside a nested struct', () => {
    const bad = new Struct(ADDRESS).put('street', 'x');
    const err = (() => {
      try {
        new Struct(USER).put('address', bad);
      } catch (e) {
        return e as DataError;
      }
      throw new Error('expected a DataError');
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err.path).toBe('address.zip');
    expect(err.message).toContain('field: "address.zip"');
  });

  it('accepts INT64 as a number or as a bigint beyond 2^53', () => {
    const user = new Struct(USER).put('id', 2n ** 62n);
    expect(user.getInt64('id')).toBe(2n ** 62n);
    expect(() => new Struct(USER).put('id', 2n ** 63n)).toThrow(DataError);
    expect(() => new Struct(USER).put('id', 1.5)).toThrow(DataError);
  });

  it('requires a logical value for a logical field', () => {
    expect(() => new Struct(USER).put('amount', Buffer.from([1]))).toThrow(/"org.apache.kafka.connect.data.Decimal" with type BYTES: expected a Decimal/);
    expect(new Struct(USER).put('amount', new Decimal(150n, 2)).getDecimal('amount')?.toString()).toBe('1.50');
  });

  it('returns the default for a null field unless asked for the raw value', () => {
    const user = new Struct(USER);
    expect(user.get('level')).toBe(1);
    expect(user.getWithoutDefault('level')).toBeNull();
    expect(user.getInt8('level')).toBeNull();
  });

  it('checks typed getters against the field type', () => {
    expect(() => new Struct(USER).getString('id')).toThrow("Field 'id' is not of type STRING");
  });

  it('validates that required fields without defaults are set', () => {
    const user = new Struct(USER).put('id', 1);
    expect(() => user.validate()).toThrow('Invalid value: null used for required field: "address", schema type: STRUCT');
    user.put('address', address(12345));
    expect(() => user.validate()).not.toThrow();
  });

  it('rejects a nested struct built for a different schema', () => {
    const other = new Struct(SchemaBuilder.struct().name('Other').field('street', Schema.STRING_SCHEMA).build()).put('street', 'x');
    expect(() => new Struct(USER).put('address', other)).toThrow(/Struct schemas do not match for field: "address"/);
  });

  it('is equal to a struct with an equal schema and equal values', () => {
    const a = new Struct(USER).put('id', 5).put('address', address(1));
    const b = new Struct(USER).put('id', 5n).put('address', address(1));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new Struct(USER).put('id', 5).put('address', address(2)))).toBe(false);
  });

  it('prints set fields the way Kafka does', () => {
    const user = new Struct(USER).put('id', 5).put('nick', 'ann').put('address', address(9));
    expect(user.toString()).toBe('Struct{id=5,nick=ann,address=Struct{street=Main St,zip=9}}');
  });
});
