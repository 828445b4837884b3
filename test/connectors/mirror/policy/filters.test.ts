import { describe, expect, it } from 'vitest';
import { ConfigPropertyFilter, DEFAULT_CONFIG_PROPERTIES_EXCLUDE } from '../../../../connectors/mirror/policy/config-property-filter.js';
import { DEFAULT_GROUPS, DEFAULT_GROUPS_EXCLUDE, GroupFilter } from '../../../../connectors/mirror/policy/group-filter.js';
import { compileJavaPatterns } from '../../../../connectors/mirror/policy/java-regex.js';
import { DEFAULT_TOPICS, DEFAULT_TOPICS_EXCLUDE, TopicFilter } from '../../../../connectors/mirror/policy/topic-filter.js';

describe('TopicFilter with MM2 defaults', () => {
  const filter = new TopicFilter(DEFAULT_TOPICS, DEFAULT_TOPICS_EXCLUDE);

  it('replicates ordinary topics and heartbeats', () => {
    for (const t of ['orders', 'A.orders', 'heartbeats', 'A.heartbeats', 'internal-stuff', 'my.replicas']) expect(filter.shouldReplicateTopic(t), t).toBe(true);
  });

  it('skips *.internal, *-internal, *.replica and __*', () => {
    for (const t of ['A.checkpoints.internal', 'mm2-offset-syncs.B.internal', 'connect-configs-internal', 'x.replica', '__consumer_offsets']) {
      expect(filter.shouldReplicateTopic(t), t).toBe(false);
    }
  });
});

describe('TopicFilter patterns', () => {
  it('matches whole names, not substrings', () => {
    const filter = new TopicFilter(['orders', 'pay.*'], []);
    expect(filter.shouldReplicateTopic('orders')).toBe(true);
    expect(filter.shouldReplicateTopic('orders2')).toBe(false);
    expect(filter.shouldReplicateTopic('old-orders')).toBe(false);
    expect(filter.shouldReplicateTopic('payments')).toBe(true);
  });

  it('trims list elements and ignores empty ones; an empty include list replicates nothing', () => {
    expect(new TopicFilter([' orders ', ''], []).shouldReplicateTopic('orders')).toBe(true);
    expect(new TopicFilter([], []).shouldReplicateTopic('orders')).toBe(false);
  });

  it('lets excludes win over includes', () => {
    const filter = new TopicFilter(['.*'], ['test-.*']);
    expect(filter.shouldReplicateTopic('test-1')).toBe(false);
    expect(filter.shouldReplicateTopic('prod-1')).toBe(true);
  });

  it('keeps alternatives of one pattern inside the whole-name anchor', () => {
    const filter = new TopicFilter(['a|b'], []);
    expect(filter.shouldReplicateTopic('a')).toBe(true);
    expect(filter.shouldReplicateTopic('b')).toBe(true);
    expect(filter.shouldReplicateTopic('ab')).toBe(false);
  });
});

describe('Java regex translation', () => {
  it('supports \\Q...\\E quoting', () => {
    const re = compileJavaPatterns(['\\Qa.b*\\E', 'x\\Q(y)\\Ez']);
    expect(re.test('a.b*')).toBe(true);
    expect(re.test('aXb')).toBe(false);
    expect(re.test('x(y)z')).toBe(true);
  });

  it('supports leading inline flags, \\A / \\z anchors, possessive quantifiers and atomic groups', () => {
    expect(compileJavaPatterns(['(?i)orders']).test('ORDERS')).toBe(true);
    expect(compileJavaPatterns(['\\Aord.*\\z']).test('orders')).toBe(true);
    expect(compileJavaPatterns(['a++b']).test('aaab')).toBe(true);
    expect(compileJavaPatterns(['(?>ab)+c']).test('ababc')).toBe(true);
    expect(compileJavaPatterns(['a\\++']).test('a++')).toBe(true);
    expect(compileJavaPatterns(['[+]+']).test('++')).toBe(true);
  });

  it('keeps character classes with escapes and a leading ]', () => {
    expect(compileJavaPatterns(['x[\\-\\.]y']).test('x-y')).toBe(true);
    expect(compileJavaPatterns(['x[\\-\\.]y']).test('x_y')).toBe(false);
    expect(compileJavaPatterns(['[]a]+']).test(']a]')).toBe(true);
  });

  it('names a pattern that does not compile', () => {
    expect(() => compileJavaPatterns(['ok', 'bad('])).toThrow(/Invalid pattern bad\(/);
    expect(() => new GroupFilter(['[z-a]'], [])).toThrow(/Invalid pattern \[z-a\]/);
  });
});

describe('GroupFilter with MM2 defaults', () => {
  const filter = new GroupFilter(DEFAULT_GROUPS, DEFAULT_GROUPS_EXCLUDE);

  it('skips console consumers, Connect sink groups and __ groups', () => {
    expect(filter.shouldReplicateGroup('billing')).toBe(true);
    expect(filter.shouldReplicateGroup('console-consumer-1234')).toBe(false);
    expect(filter.shouldReplicateGroup('connect-es-sink')).toBe(false);
    expect(filter.shouldReplicateGroup('__internal')).toBe(false);
    expect(filter.shouldReplicateGroup('my-connect-app')).toBe(true);
  });
});

describe('ConfigPropertyFilter with MM2 defaults', () => {
  const filter = new ConfigPropertyFilter(DEFAULT_CONFIG_PROPERTIES_EXCLUDE);

  it('copies topic configs except throttles, timestamp rules and broker-local safety settings', () => {
    for (const p of ['cleanup.policy', 'retention.ms', 'compression.type', 'max.message.bytes']) expect(filter.shouldReplicateConfigProperty(p), p).toBe(true);
    for (const p of ['min.insync.replicas', 'message.timestamp.type', 'unclean.leader.election.enable', 'leader.replication.throttled.replicas']) {
      expect(filter.shouldReplicateConfigProperty(p), p).toBe(false);
    }
  });

  it('matches dots literally when escaped', () => {
    expect(filter.shouldReplicateConfigProperty('minXinsyncXreplicas')).toBe(true);
    expect(new ConfigPropertyFilter(['retention\\..*']).shouldReplicateConfigProperty('retention.bytes')).toBe(false);
  });
});
