import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';

describe('logical types', () => {
  it('declares Kafka\'s logical schemas', () => {
    const decimal = LogicalDecimal.schema(2);
    expect([decimal.type, decimal.name, decimal.version, decimal.parameters?.get('scale')]).toEqual([
      'BYTES',
      'org.apache.kafka.connect.data.Decimal',
      1,
      '2',
    ]);
    expect([LogicalDate.SCHEMA.type, LogicalDate.SCHEMA.name]).toEqual(['INT32', 'org.apache.kafka.connect.data.Date']);
    expect([LogicalTime.SCHEMA.type, LogicalTime.SCHEMA.name]).toEqual(['INT32', 'org.apache.kafka.connect.data.Time']);
    expect([LogicalTimestamp.SCHEMA.type, LogicalTimestamp.SCHEMA.name]).toEqual(['INT64', 'org.apache.kafka.connect.data.Timestamp']);
  });

  it('converts decimals to bytes only at the schema\'s scale', () => {
    expect(LogicalDecimal.fromLogical(LogicalDecimal.schema(2), new Decimal(482n, 2)).toString('base64')).toBe('AeI=');
    expect(() => LogicalDecimal.fromLogical(LogicalDecimal.schema(3), new Decimal(482n, 2))).toThrow(
      'Decimal value has mismatching scale for given Decimal schema. Schema has scale 3, value has scale 2.',
    );
    expect(LogicalDecimal.toLogical(LogicalDecimal.schema(2), Buffer.from('AeI=', 'base64')).toString()).toBe('4.82');
    expect(() => LogicalDecimal.toLogical(Schema.BYTES_SCHEMA, Buffer.from([1]))).toThrow('Invalid Decimal schema: scale parameter not found.');
  });

  it('converts dates to days since the epoch and requires a UTC midnight', () => {
    expect(LogicalDate.fromLogical(LogicalDate.SCHEMA, new Date('2022-01-08T00:00:00Z'))).toBe(19000);
    expect(LogicalDate.fromLogical(LogicalDate.SCHEMA, new Date('1969-12-31T00:00:00Z'))).toBe(-1);
    expect(LogicalDate.toLogical(LogicalDate.SCHEMA, 19000).toISOString()).toBe('2022-01-08T00:00:00.000Z');
    expect(() => LogicalDate.fromLogical(LogicalDate.SCHEMA, new Date('2022-01-08T00:00:01Z'))).toThrow(
      'Kafka Connect Date type should not have any time fields set to non-zero values.',
    );
    expect(() => LogicalDate.fromLogical(Schema.INT32_SCHEMA, new Date(0))).toThrow('the schema does not match');
  });

  it('converts times to milliseconds since midnight on 1970-01-01', () => {
    expect(LogicalTime.fromLogical(LogicalTime.SCHEMA, new Date('1970-01-01T10:00:00.5Z'))).toBe(36_000_500);
    expect(() => LogicalTime.fromLogical(LogicalTime.SCHEMA, new Date('1970-01-02T10:00:00Z'))).toThrow(
      'Kafka Connect Time type should not have any date fields set to non-zero values.',
    );
    expect(() => LogicalTime.toLogical(LogicalTime.SCHEMA, -1)).toThrow(/Time values must use number of milliseconds/);
  });

  it('converts timestamps to milliseconds since the epoch', () => {
    expect(LogicalTimestamp.fromLogical(LogicalTimestamp.SCHEMA, new Date(1_700_000_000_000))).toBe(1_700_000_000_000);
    expect(LogicalTimestamp.toLogical(LogicalTimestamp.SCHEMA, 1_700_000_000_000n).getTime()).toBe(1_700_000_000_000);
    expect(() => LogicalTimestamp.toLogical(LogicalTimestamp.SCHEMA, 2n ** 62n)).toThrow(/outside the range/);
  });
});
