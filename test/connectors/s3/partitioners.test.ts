import { describe, expect, it } from 'vitest';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { JodaPathFormat, pathFormatProblem } from '../../../connectors/s3/partitioners/joda-path-format.js';
import { createPartitioner, type PartitionerSettings } from '../../../connectors/s3/partitioners/partitioner.js';
import { timestampExtractor } from '../../../connectors/s3/partitioners/timestamp-extractor.js';
import { bucketStart, zoneOffsetMs } from '../../../connectors/s3/partitioners/time-zone.js';

const base: PartitionerSettings = { kind: 'default', directoryDelim: '/', fieldNames: [], pathFormat: '', durationMs: -1, timezone: 'UTC', locale: 'en-US' };

function record(value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 't', kafkaPartition: 7, kafkaOffset: 42, keySchema: null, key: null, valueSchema: null, value, timestamp: null, headers: [],
    timestampType: 'CreateTime', originalTopic: 't', originalKafkaPartition: 7, originalKafkaOffset: 42, ...extra,
  };
}

const T = Date.UTC(2024, 5, 10, 13, 15, 30, 250);

describe('DefaultPartitioner', () => {
  it('encodes partition=<kafka partition>', () => {
    expect(createPartitioner(base).encodePartition(record('x'), 0)).toBe('partition=7');
  });
});

describe('FieldPartitioner', () => {
  const partitioner = createPartitioner({ ...base, kind: 'field', fieldNames: ['region', 'meta.level'] });

  it('encodes <field>=<value> for Struct, Map and plain object values, nested fields with dots', () => {
    const meta = SchemaBuilder.struct().field('level', Schema.INT32_SCHEMA).build();
    const schema = SchemaBuilder.struct().field('region', Schema.STRING_SCHEMA).field('meta', meta).build();
    const struct = new Struct(schema).put('region', 'eu').put('meta', new Struct(meta).put('level', 3));
    expect(partitioner.encodePartition(record(struct), 0)).toBe('region=eu/meta.level=3');
    expect(partitioner.encodePartition(record(new Map<string, unknown>([['region', 'us'], ['meta', new Map([['level', true]])]])), 0))
      .toBe('region=us/meta.level=true');
    expect(partitioner.encodePartition(record({ region: 'ap' }), 0)).toBe('region=ap/meta.level=null');
  });

  it('throws a DataError for values it cannot put in a path', () => {
    expect(() => partitioner.encodePartition(record({ region: ['a'] }), 0)).toThrow(DataError);
  });
});

describe('time-based partitioners', () => {
  it('TimeBasedPartitioner formats the start of the record time\'s bucket in the time zone', () => {
    const p = createPartitioner({ ...base, kind: 'time', pathFormat: "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH/'minute'=mm", durationMs: 15 * 60_000, timezone: 'Asia/Kolkata' });
    // 13:15:30Z is 18:45:30 in Kolkata (+05:30); the 15-minute bucket starts at 18:45.
    expect(p.encodePartition(record('x'), T)).toBe('year=2024/month=06/day=10/hour=18/minute=45');
  });

  it('DailyPartitioner and HourlyPartitioner join Confluent\'s fixed formats with directory.delim', () => {
    const daily = createPartitioner({ ...base, kind: 'daily', directoryDelim: '#', timezone: 'America/Los_Angeles' });
    expect(daily.encodePartition(record('x'), T)).toBe('year=2024#month=06#day=10');
    const hourly = createPartitioner({ ...base, kind: 'hourly', timezone: 'UTC' });
    expect(hourly.encodePartition(record('x'), Date.UTC(2024, 11, 31, 23, 59, 59))).toBe('year=2024/month=12/day=31/hour=23');
  });

  it('aligns day buckets on local midnight across a daylight-saving change', () => {
    // 2024-03-31 is the spring-forward day in Paris (23 hours long).
    const start = bucketStart('Europe/Paris', Date.UTC(2024, 2, 31, 20, 0), 86_400_000);
    expect(new Date(start).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(zoneOffsetMs('Europe/Paris', Date.UTC(2024, 2, 31, 20, 0))).toBe(2 * 3_600_000);
  });
});

describe('Joda path formats', () => {
  it('format literals, padded numbers, names in the locale and offsets', () => {
    expect(new JodaPathFormat("'dt'=yyyy-MM-dd/HH-mm-ss.SSS", 'UTC', 'en-US').format(T)).toBe('dt=2024-06-10/13-15-30.250');
    expect(new JodaPathFormat("MMM/MMMM/EEE/EEEE/D/a/h/Z/ZZ/''", 'UTC', 'en_US').format(T)).toBe("Jun/June/Mon/Monday/162/PM/1/+0000/+00:00/'");
    expect(new JodaPathFormat('MMMM', 'UTC', 'fr-FR').format(T)).toBe('juin');
  });

  it('reject pattern letters and quotes ferry cannot format like Joda', () => {
    expect(pathFormatProblem("'year'=YYYY")).toBeUndefined();
    expect(pathFormatProblem('ww')).toContain('Unsupported pattern letter w');
    expect(pathFormatProblem("'open")).toContain('Unterminated quote');
  });
});

describe('timestamp extractors', () => {
  it('Record reads the Kafka timestamp; RecordField epoch ms, Timestamps and ISO strings of a nested field; Wallclock the clock', () => {
    expect(timestampExtractor('record', '', () => 0)(record('x', { timestamp: T }))).toBe(T);
    const field = timestampExtractor('recordfield', 'meta.at', () => 0);
    expect(field(record({ meta: { at: T } }))).toBe(T);
    expect(field(record({ meta: { at: new Date(T) } }))).toBe(T);
    expect(field(record({ meta: { at: '2024-06-10T13:15:30.250Z' } }))).toBe(T);
    expect(timestampExtractor('wallclock', '', () => 123)(record('x'))).toBe(123);
  });

  it('throw DataError when the record has no usable time', () => {
    expect(() => timestampExtractor('record', '', () => 0)(record('x'))).toThrow(DataError);
    expect(() => timestampExtractor('recordfield', 'at', () => 0)(record({ at: 'soon' }))).toThrow(DataError);
    expect(() => timestampExtractor('recordfield', 'at', () => 0)(record({}))).toThrow(DataError);
  });
});
