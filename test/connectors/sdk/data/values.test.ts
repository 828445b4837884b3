import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { Values } from '../../../../connectors/sdk/data/values.js';

function parsed(text: string): [string | null, unknown] {
  const { schema, value } = Values.parseString(text);
  return [schema?.toString() ?? null, value];
}

describe('Values.parseString', () => {
  it('reads literals and numbers into the narrowest Connect type', () => {
    expect(parsed('true')).toEqual(['Schema{BOOLEAN}', true]);
    expect(parsed('12')).toEqual(['Schema{INT8}', 12]);
    expect(parsed('300')).toEqual(['Schema{INT16}', 300]);
    expect(parsed('70000')).toEqual(['Schema{INT32}', 70000]);
    expect(parsed('9007199254740993')).toEqual(['Schema{INT64}', 9007199254740993n]);
    expect(parsed('1.5')).toEqual(['Schema{FLOAT32}', 1.5]);
    expect(parsed('3e39')).toEqual(['Schema{FLOAT64}', 3e39]);
    expect(parsed('2.0')).toEqual(['Schema{INT8}', 2]);
    const big = Values.parseString('12345678901234567890');
    expect(big.schema?.name).toBe('org.apache.kafka.connect.data.Decimal');
    expect((big.value as Decimal).toString()).toBe('12345678901234567890');
  });

  it('treats null, empty and unparseable strings as Kafka does', () => {
    expect(Values.parseString('null')).toBe(SchemaAndValue.NULL);
    expect(Values.parseString(null)).toBe(SchemaAndValue.NULL);
    expect(parsed('')).toEqual(['Schema{STRING}', '']);
    expect(parsed('hello, world')).toEqual(['Schema{STRING}', 'hello, world']);
    expect(parsed('true}')).toEqual(['Schema{STRING}', 'true}']);
    expect(parsed('{a:1}')).toEqual(['Schema{STRING}', '{a:1}']);
    expect(parsed('[1,null]')).toEqual(['Schema{STRING}', '[1,null]']);
    expect(parsed('[1,2')).toEqual(['Schema{STRING}', '[1,2']);
  });

  it('reads arrays and maps with the common widened element type', () => {
    const ints = Values.parseString('[1, 300, 2]');
    expect(ints.schema?.valueSchema?.type).toBe('INT16');
    expect(ints.value).toEqual([1, 300, 2]);
    expect(Values.parseString('[1, 2.5]').schema?.valueSchema?.type).toBe('FLOAT32');
    const map = Values.parseString('{"a":1,"b":true}');
    expect(map.schema?.keySchema?.type).toBe('STRING');
    expect(map.schema?.valueSchema).toBeNull();
    expect(map.value).toEqual(new Map<string, unknown>([['a', 1], ['b', true]]));
    const mixed = Values.parseString('[1, "a"]');
    expect(mixed.schema?.type).toBe('ARRAY');
    expect(mixed.schema?.valueSchema).toBeNull();
    expect(Values.parseString('[]').value).toEqual([]);
  });

  it('reads ISO-8601 dates, times and timestamps in UTC', () => {
    const date = Values.parseString('2024-01-02');
    expect(date.schema?.equals(LogicalDate.SCHEMA)).toBe(true);
    expect((date.value as Date).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    const time = Values.parseString('10:11:12.123Z');
    expect(time.schema?.equals(LogicalTime.SCHEMA)).toBe(true);
    expect((time.value as Date).getTime()).toBe(36_672_123);
    const ts = Values.parseString('2024-01-02T10:11:12.123Z');
    expect(ts.schema?.equals(LogicalTimestamp.SCHEMA)).toBe(true);
    expect((ts.value as Date).toISOString()).toBe('2024-01-02T10:11:12.123Z');
  });
});

describe('Values.convertToString', () => {
  it('writes values in the form parseString reads back', () => {
    const schema = SchemaBuilder.struct().field('name', Schema.STRING_SCHEMA).field('score', Schema.FLOAT64_SCHEMA).build();
    const struct = new Struct(schema).put('name', 'a "b"').put('score', 2);
    expect(Values.convertToString(schema, struct)).toBe('{"name":"a \\"b\\"","score":2.0}');
    expect(Values.convertToString(null, ['x', 1, null])).toBe('["x",1,null]');
    expect(Values.convertToString(null, new Map([['k', Buffer.from([1, 2])]]))).toBe('{"k":"AQI="}');
    expect(Values.convertToString(Schema.FLOAT32_SCHEMA, 0.1)).toBe('0.1');
    expect(Values.convertToString(null, 'plain text')).toBe('plain text');
    expect(Values.convertToString(null, new Decimal(5n, 1))).toBe('0.5');
    expect(Values.convertToString(null, null)).toBeNull();
  });

  it('writes Dates as time, date or timestamp depending on their value', () => {
    expect(Values.convertToString(LogicalTime.SCHEMA, new Date(36_672_123))).toBe('10:11:12.123Z');
    expect(Values.convertToString(LogicalDate.SCHEMA, new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02');
    expect(Values.convertToString(LogicalTimestamp.SCHEMA, new Date('2024-01-02T10:11:12.123Z'))).toBe('2024-01-02T10:11:12.123Z');
  });

  it('round-trips typed values through their string form', () => {
    for (const text of ['42', '-7', 'true', '[1,2,3]', '{"a":1,"b":2}', '2024-01-02', '2024-01-02T10:11:12.123Z', 'some text']) {
      const { schema, value } = Values.parseString(text);
      expect(Values.convertToString(schema, value)).toBe(text);
    }
  });
});
