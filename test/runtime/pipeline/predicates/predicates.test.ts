import { describe, expect, it } from 'vitest';
import { builtinPredicates } from '../../../../runtime/pipeline/predicates/builtin-predicates.js';
import { configIssues, predicate, sinkRecord, sourceRecord } from '../transforms/transform-fixtures.js';

describe('TopicNameMatches', () => {
  it('is true only when the whole topic matches the Java regex', () => {
    const p = predicate('org.apache.kafka.connect.transforms.predicates.TopicNameMatches', { pattern: 'orders-.*' });
    expect(p.test(sinkRecord({ topic: 'orders-eu' }))).toBe(true);
    expect(p.test(sinkRecord({ topic: 'old-orders-eu' }))).toBe(false);
    expect(predicate('TopicNameMatches', { pattern: '\\Qa.b\\E' }).test(sourceRecord({ topic: 'axb' }))).toBe(false);
  });

  it('requires a non-empty, valid pattern', () => {
    expect(configIssues(() => predicate('TopicNameMatches', { pattern: '' }))[0]).toEqual({
      name: 'pattern', message: 'Invalid value  for configuration pattern: String must be non-empty',
    });
    expect(configIssues(() => predicate('TopicNameMatches', { pattern: '[' }))[0].message).toMatch(/Invalid regex: /);
  });
});

describe('HasHeaderKey', () => {
  it('is true when at least one header has the key', () => {
    const p = predicate('HasHeaderKey', { name: 'trace' });
    expect(p.test(sinkRecord({ headers: [{ key: 'trace', schema: null, value: null }] }))).toBe(true);
    expect(p.test(sinkRecord({ headers: [{ key: 'Trace', schema: null, value: 'x' }] }))).toBe(false);
  });

  it('requires a name', () => {
    expect(configIssues(() => predicate('HasHeaderKey', {}))[0].name).toBe('name');
  });
});

describe('RecordIsTombstone', () => {
  it('is true for records with a null value', () => {
    const p = predicate('org.apache.kafka.connect.transforms.predicates.RecordIsTombstone');
    expect(p.test(sinkRecord({ key: 'k', value: null }))).toBe(true);
    expect(p.test(sinkRecord({ value: 0 }))).toBe(false);
  });
});

describe('built-in predicate registry', () => {
  it('lists each predicate under its class name and short name', () => {
    expect([...builtinPredicates.keys()].sort()).toEqual([
      'HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches',
      'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    ]);
  });
});
