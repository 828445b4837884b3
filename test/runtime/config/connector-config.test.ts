import { describe, expect, it } from 'vitest';
import {
  commonConnectorSpec, enrichConnectorSpec, sinkConnectorSpec, sourceConnectorSpec,
} from '../../../runtime/config/connector-config.js';
import { ConfigError, defineConfig, list, string } from '../../../connectors/sdk/config/config-spec.js';

const sink = (extra: Record<string, string>) => ({ name: 's', 'connector.class': 'FileStreamSink', ...extra });
const errorsOf = (raw: Record<string, string | null>) => sinkConnectorSpec.validate(raw).issues;

describe('common connector keys', () => {
  it('fills Kafka\'s defaults', () => {
    const config = commonConnectorSpec.parse({ name: 'c', 'connector.class': 'X' });
    expect(config).toEqual({
      name: 'c', connectorClass: 'X', tasksMax: 1, tasksMaxEnforce: true, keyConverter: null, valueConverter: null,
      headerConverter: null, transforms: [], predicates: [], configActionReload: 'restart', errorsRetryTimeout: 0,
      errorsRetryDelayMaxMs: 60000, errorsTolerance: 'none', errorsLogEnable: false, errorsLogIncludeMessages: false,
    });
  });

  it('requires name and connector.class and rejects control characters in names', () => {
    expect(commonConnectorSpec.validate({}).issues.map((i) => i.name)).toEqual(['name', 'connector.class']);
    expect(commonConnectorSpec.validate({ name: 'a\u0007b', 'connector.class': 'X' }).issues).toEqual([{
      name: 'name',
      message: 'Invalid value a\u0007b for configuration name: String may not contain control sequences but had the following ASCII chars: 7',
    }]);
  });

  it('rejects tasks.max below 1 and duplicate transform aliases', () => {
    const issues = commonConnectorSpec.validate({ name: 'c', 'connector.class': 'X', 'tasks.max': '0', transforms: 'a,b,a' }).issues;
    expect(issues.map((i) => i.message)).toEqual([
      'Invalid value 0 for configuration tasks.max: Value must be at least 1',
      'Invalid value [a, b, a] for configuration transforms: Duplicate alias provided.',
    ]);
  });

  it('accepts errors.tolerance in any case and rejects unknown values', () => {
    expect(commonConnectorSpec.parse({ name: 'c', 'connector.class': 'X', 'errors.tolerance': 'ALL' }).errorsTolerance).toBe('all');
    expect(() => commonConnectorSpec.parse({ name: 'c', 'connector.class': 'X', 'errors.tolerance': 'some' })).toThrow(ConfigError);
  });
});

describe('sink connector rules', () => {
  it('requires one of topics or topics.regex, reporting on both keys', () => {
    const neither = 'Must configure one of topics or topics.regex';
    expect(errorsOf(sink({}))).toEqual([{ name: 'topics', message: neither }, { name: 'topics.regex', message: neither }]);
    expect(errorsOf(sink({ topics: ' , ' }))).toEqual([{ name: 'topics', message: neither }, { name: 'topics.regex', message: neither }]);
  });

  it('rejects topics and topics.regex together, reporting on both keys', () => {
    const both = 'topics and topics.regex are mutually exclusive options, but both are set.';
    expect(errorsOf(sink({ topics: 'a', 'topics.regex': 'a.*' }))).toEqual([{ name: 'topics', message: both }, { name: 'topics.regex', message: both }]);
  });

  it('accepts either topics or topics.regex alone', () => {
    expect(sinkConnectorSpec.parse(sink({ topics: 'a, b' })).topics).toEqual(['a', 'b']);
    expect(sinkConnectorSpec.parse(sink({ 'topics.regex': 'orders-.*' })).topicsRegex).toBe('orders-.*');
  });

  it('rejects an invalid topics.regex on that key', () => {
    const issues = errorsOf(sink({ 'topics.regex': '(' }));
    expect(issues.map((i) => i.name)).toEqual(['topics.regex']);
    expect(issues[0].message).toMatch(/^Invalid value \( for configuration topics.regex: Not a valid regular expression/);
  });

  it('rejects a dead letter queue topic that the connector consumes', () => {
    expect(errorsOf(sink({ topics: 'a,dlq', 'errors.deadletterqueue.topic.name': 'dlq' })).map((i) => i.name))
      .toEqual(['errors.deadletterqueue.topic.name']);
    expect(errorsOf(sink({ 'topics.regex': 'd.*', 'errors.deadletterqueue.topic.name': 'dlq' })).map((i) => i.name))
      .toEqual(['errors.deadletterqueue.topic.name']);
    expect(errorsOf(sink({ 'topics.regex': 'd', 'errors.deadletterqueue.topic.name': 'dlq' }))).toEqual([]);
  });

  it('defaults the dead letter queue to off with replication factor 3', () => {
    const config = sinkConnectorSpec.parse(sink({ topics: 't' }));
    expect([config.errorsDeadletterqueueTopicName, config.errorsDeadletterqueueTopicReplicationFactor, config.errorsDeadletterqueueContextHeadersEnable])
      .toEqual(['', 3, false]);
  });

  it('reports sink rules even when other keys are broken', () => {
    expect(errorsOf(sink({ 'tasks.max': 'many' })).map((i) => i.name)).toEqual(['tasks.max', 'topics', 'topics.regex']);
  });
});

describe('source connector keys', () => {
  it('fills the exactly-once, offsets topic and topic creation defaults', () => {
    const config = sourceConnectorSpec.parse({ name: 'c', 'connector.class': 'X', 'transaction.boundary': 'Interval' });
    expect([config.exactlyOnceSupport, config.transactionBoundary, config.transactionBoundaryIntervalMs, config.offsetsStorageTopic, config.topicCreationGroups])
      .toEqual(['requested', 'interval', null, null, []]);
    expect(sourceConnectorSpec.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling', 'Topic Creation', 'Exactly Once Support', 'offsets.topic']);
  });

  it('rejects an empty per-connector offsets topic', () => {
    expect(sourceConnectorSpec.validate({ name: 'c', 'connector.class': 'X', 'offsets.storage.topic': '' }).issues.map((i) => i.name))
      .toEqual(['offsets.storage.topic']);
  });
});

describe('enriching a connector spec with per-alias keys', () => {
  const mask = defineConfig({ fields: list({ doc: 'Fields to mask.', importance: 'HIGH' }) });
  const options = {
    transformSpec: (cls: string) => (cls === 'MaskField' ? mask : `Class ${cls} could not be found.`),
    predicateSpec: () => defineConfig({ pattern: string({ doc: 'Topic regex.' }) }),
    topicCreationEnabled: true,
  };

  it('adds type, predicate, negate and the transform\'s own keys in a group per alias', () => {
    const raw = sink({ topics: 't', transforms: 'm', 'transforms.m.type': 'MaskField' });
    const spec = enrichConnectorSpec(sinkConnectorSpec, raw, options);
    const keys = spec.describe().filter((k) => k.name.startsWith('transforms.m.'));
    expect(keys.map((k) => [k.name, k.group, k.order, k.required])).toEqual([
      ['transforms.m.type', 'Transforms: m', 0, true],
      ['transforms.m.predicate', 'Transforms: m', 1, false],
      ['transforms.m.negate', 'Transforms: m', 2, false],
      ['transforms.m.fields', 'Transforms: m', 3, true],
    ]);
    expect(keys[0].display_name).toBe('Transformation type for m');
    expect(spec.groups).toContain('Transforms: m');
    expect(spec.validate(raw).issues).toEqual([
      { name: 'transforms.m.fields', message: 'Missing required configuration "transforms.m.fields" which has no default value.' },
    ]);
  });

  it('reports an unknown transform class on its type key', () => {
    const raw = sink({ topics: 't', transforms: 'x', 'transforms.x.type': 'Nope' });
    expect(enrichConnectorSpec(sinkConnectorSpec, raw, options).validate(raw).issues).toEqual([
      { name: 'transforms.x.type', message: 'Invalid value Nope for configuration transforms.x.type: Class Nope could not be found.' },
    ]);
  });

  it('reports a transform that names an unconfigured predicate', () => {
    const raw = sink({
      topics: 't', transforms: 'm', 'transforms.m.type': 'MaskField', 'transforms.m.fields': 'a', 'transforms.m.predicate': 'isFoo',
      predicates: 'isBar', 'predicates.isBar.type': 'TopicNameMatches', 'predicates.isBar.pattern': 'bar',
    });
    const issues = enrichConnectorSpec(sinkConnectorSpec, raw, options).validate(raw).issues;
    expect(issues.map((i) => i.name)).toEqual(['transforms.m.predicate']);
  });

  it('adds topic creation groups for source connectors that use topic creation', () => {
    const raw = {
      name: 'c', 'connector.class': 'X', 'topic.creation.groups': 'compacted',
      'topic.creation.default.replication.factor': '3', 'topic.creation.default.partitions': '6',
      'topic.creation.compacted.include': 'state-.*',
    };
    const spec = enrichConnectorSpec(sourceConnectorSpec, raw, options);
    expect(spec.groups.slice(-2)).toEqual(['default', 'compacted']);
    const values = new Map(spec.validate(raw).values.map((v) => [v.name, v.value]));
    expect(values.get('topic.creation.default.include')).toEqual(['.*']);
    expect(values.get('topic.creation.compacted.partitions')).toBe(6);
    expect(values.get('topic.creation.compacted.include')).toEqual(['state-.*']);
    const missing = { name: 'c', 'connector.class': 'X', 'topic.creation.default.partitions': '0' };
    expect(enrichConnectorSpec(sourceConnectorSpec, missing, options).validate(missing).issues.map((i) => i.name))
      .toEqual(['topic.creation.default.replication.factor', 'topic.creation.default.partitions']);
    expect(enrichConnectorSpec(sourceConnectorSpec, missing, { ...options, topicCreationEnabled: false }).validate(missing).isValid).toBe(true);
  });
});
