import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { configIssues, sinkRecord, sourceRecord, transform } from './transform-fixtures.js';

describe('RegexRouter', () => {
  it('rewrites topics the regex matches in full, using Java group references', () => {
    const t = transform('org.apache.kafka.connect.transforms.RegexRouter', { regex: '(.*)-(raw)', replacement: '$1-clean' });
    const out = t.apply(sinkRecord({ topic: 'orders-raw', keySchema: Schema.STRING_SCHEMA, key: 'k', value: 'v' }))!;
    expect([out.topic, out.key, out.value, out.kafkaOffset, out.originalTopic]).toEqual(['orders-clean', 'k', 'v', 42, 'orders']);
  });

  it('leaves topics that only partly match alone', () => {
    const t = transform('RegexRouter', { regex: 'orders', replacement: 'x' });
    const record = sinkRecord({ topic: 'orders-raw', value: new Map([['a', 1]]) });
    expect(t.apply(record)).toBe(record);
    expect(t.apply(sinkRecord({ topic: 'orders', value: new Map([['a', 1]]) }))!.value).toEqual(new Map([['a', 1]]));
  });

  it('supports named groups, escaped dollars, multi-digit references and \\Q quoting', () => {
    expect(transform('RegexRouter', { regex: '(?<db>\\w+)\\.(?<table>\\w+)', replacement: '${table}_from_${db}' })
      .apply(sourceRecord({ topic: 'shop.users' }))!.topic).toBe('users_from_shop');
    expect(transform('RegexRouter', { regex: '(a)(b)', replacement: '\\$$1$12' }).apply(sourceRecord({ topic: 'ab' }))!.topic).toBe('$aa2');
    expect(transform('RegexRouter', { regex: '\\Qa.b\\E', replacement: 'x' }).apply(sourceRecord({ topic: 'axb' }))!.topic).toBe('axb');
    expect(transform('RegexRouter', { regex: '(?i)ORDERS', replacement: 'x' }).apply(sourceRecord({ topic: 'orders' }))!.topic).toBe('x');
  });

  it('replaces the first match in the topic, as Java\'s replaceFirst does', () => {
    expect(transform('RegexRouter', { regex: 'a|ab', replacement: 'X' }).apply(sourceRecord({ topic: 'ab' }))!.topic).toBe('Xb');
  });

  it('fails a record when the replacement names a missing group', () => {
    const t = transform('RegexRouter', { regex: '(.*)', replacement: '$2' });
    expect(() => t.apply(sinkRecord({ topic: 't' }))).toThrow("Cannot route topic 't' with replacement '$2': No group 2");
  });

  it('rejects an invalid regex and requires both keys', () => {
    const issues = configIssues(() => transform('RegexRouter', { regex: '(', replacement: 'x' }));
    expect(issues[0].name).toBe('regex');
    expect(issues[0].message).toMatch(/^Invalid value \( for configuration regex: Invalid regex: /);
    expect(configIssues(() => transform('RegexRouter', {})).map((i) => i.name)).toEqual(['regex', 'replacement']);
  });
});

describe('TimestampRouter', () => {
  it('rewrites the topic with the record timestamp formatted in UTC (yyyyMMdd by default)', () => {
    const t = transform('org.apache.kafka.connect.transforms.TimestampRouter');
    const out = t.apply(sinkRecord({ topic: 'logs', timestamp: Date.UTC(2024, 0, 31, 23, 59), valueSchema: Schema.INT32_SCHEMA, value: 1 }))!;
    expect([out.topic, out.value, out.valueSchema, out.originalTopic]).toEqual(['logs-20240131', 1, Schema.INT32_SCHEMA, 'orders']);
    expect(t.apply(sinkRecord({ topic: 'logs', timestamp: 0, value: { a: 1 } }))!.topic).toBe('logs-19700101');
  });

  it('applies a custom topic and timestamp format, treating topic text literally', () => {
    const t = transform('TimestampRouter', { 'topic.format': 'archive.${topic}.${timestamp}', 'timestamp.format': "yyyy-MM'w'ww" });
    const out = t.apply(sourceRecord({ topic: 'a$1', timestamp: Date.UTC(2024, 2, 5) }))!;
    expect(out.topic).toBe('archive.a$1.2024-03w10');
    expect(out.sourceOffset).toEqual({ position: 7 });
  });

  it('fails a record without timestamp', () => {
    const t = transform('TimestampRouter');
    expect(() => t.apply(sinkRecord({ timestamp: null }))).toThrow(/^Timestamp missing on record: /);
  });

  it('rejects an invalid timestamp format', () => {
    expect(configIssues(() => transform('TimestampRouter', { 'timestamp.format': 'yyyyMMddQ' }))).toEqual([{
      name: 'timestamp.format',
      message: "Invalid value yyyyMMddQ for configuration timestamp.format: Illegal pattern character 'Q'",
    }]);
  });
});
