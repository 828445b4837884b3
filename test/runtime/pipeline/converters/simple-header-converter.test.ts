import { describe, expect, it } from 'vitest';
import { LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { SimpleHeaderConverter } from '../../../../runtime/pipeline/converters/simple-header-converter.js';

describe('SimpleHeaderConverter', () => {
  const c = new SimpleHeaderConverter();
  const read = (text: string) => c.toConnectHeader('t', 'h', Buffer.from(text, 'utf8'));

  it('parses header strings into typed values', () => {
    expect(read('42').schema).toBe(Schema.INT8_SCHEMA);
    expect(read('42').value).toBe(42);
    expect(read('true').value).toBe(true);
    expect(read('trace-id-123').value).toBe('trace-id-123');
    expect(read('[1,2]').value).toEqual([1, 2]);
    expect(read('2024-01-02T10:11:12.123Z').schema?.equals(LogicalTimestamp.SCHEMA)).toBe(true);
    expect(c.toConnectHeader('t', 'h', null)).toBe(SchemaAndValue.NULL);
  });

  it('writes values in their string form', () => {
    expect(c.fromConnectHeader('t', 'h', Schema.STRING_SCHEMA, 'abc')?.toString()).toBe('abc');
    expect(c.fromConnectHeader('t', 'h', Schema.FLOAT64_SCHEMA, 1)?.toString()).toBe('1.0');
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    expect(c.fromConnectHeader('t', 'h', map, new Map([['a', 1]]))?.toString()).toBe('{"a":1}');
    expect(c.fromConnectHeader('t', 'h', Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
  });

  it('reads back what it writes', () => {
    const schema = SchemaBuilder.array(Schema.INT32_SCHEMA).build();
    const bytes = c.fromConnectHeader('t', 'h', schema, [100000, 2]);
    expect(c.toConnectHeader('t', 'h', bytes).value).toEqual([100000, 2]);
  });
});
