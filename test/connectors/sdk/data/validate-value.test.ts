import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { validateValue } from '../../../../connectors/sdk/data/validate-value.js';

function errorOf(fn: () => void): DataError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

describe('validateValue', () => {
  it('accepts each type in its JS representation', () => {
    const ok: [Schema, unknown][] = [
      [Schema.INT8_SCHEMA, -128],
      [Schema.INT16_SCHEMA, 32767],
      [Schema.INT32_SCHEMA, -2147483648],
      [Schema.INT64_SCHEMA, Number.MAX_SAFE_INTEGER],
      [Schema.INT64_SCHEMA, -(2n ** 63n)],
      [Schema.FLOAT32_SCHEMA, 1.5],
      [Schema.FLOAT64_SCHEMA, NaN],
      [Schema.BOOLEAN_SCHEMA, false],
      [Schema.STRING_SCHEMA, ''],
      [Schema.BYTES_SCHEMA, Buffer.alloc(0)],
      [Schema.BYTES_SCHEMA, new Uint8Array([1])],
      [SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1, 2]],
      [SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), new Map([[1, 'a']])],
      [LogicalDecimal.schema(2), new Decimal(1n, 2)],
      [LogicalDate.SCHEMA, new Date(0)],
      [LogicalTimestamp.SCHEMA, new Date()],
      [Schema.OPTIONAL_STRING_SCHEMA, null],
    ];
    for (const [schema, value] of ok) expect(() => validateValue(schema, value)).not.toThrow();
  });

  it('rejects values outside a type or of the wrong kind', () => {
    const bad: [Schema, unknown][] = [
      [Schema.INT8_SCHEMA, 128],
      [Schema.INT16_SCHEMA, 1.5],
      [Schema.INT32_SCHEMA, 2n],
      [Schema.INT64_SCHEMA, 2 ** 63],
      [Schema.FLOAT64_SCHEMA, '1'],
      [Schema.BOOLEAN_SCHEMA, 0],
      [Schema.STRING_SCHEMA, Buffer.from('a')],
      [Schema.BYTES_SCHEMA, 'AA=='],
      [SchemaBuilder.array(Schema.INT32_SCHEMA).build(), new Set([1])],
      [SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build(), { a: 'b' }],
      [LogicalDate.SCHEMA, 19000],
      [LogicalDecimal.schema(2), 1.5],
      [Schema.INT32_SCHEMA, null],
    ];
    for (const [schema, value] of bad) expect(() => validateValue(schema, value), `${schema.toString()} ${String(value)}`).toThrow(DataError);
  });

  it('names the path of a bad element inside arrays, maps and structs', () => {
    const line = SchemaBuilder.struct().field('price', Schema.FLOAT64_SCHEMA).build();
    const order = SchemaBuilder.struct()
      .field('lines', SchemaBuilder.array(line))
      .field('tags', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA))
      .build();
    const good = new Struct(line).put('price', 1);
    const broken = new Struct(line);
    expect(errorOf(() => new Struct(order).put('lines', [good, good, broken])).path).toBe('lines[2].price');
    expect(errorOf(() => validateValue(order.field('lines')!.schema, [good, broken], 'order.lines')).path).toBe('order.lines[1].price');

    const tags = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    const err = errorOf(() => validateValue(tags, new Map<string, unknown>([['a', 1], ['b', 'two']]), 'tags'));
    expect(err.path).toBe('tags["b"]');
    expect(err.message).toContain('got string "two" for field: "tags["b"]"');
  });

  it('describes a null for a required value', () => {
    expect(errorOf(() => validateValue(Schema.STRING_SCHEMA, null)).message).toBe(
      'Invalid value: null used for required value, schema type: STRING',
    );
  });
});
