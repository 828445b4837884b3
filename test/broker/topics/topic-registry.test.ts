import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../broker/protocol/record-batch.js';
import { TOPIC_CONFIG_NAMES } from '../../../broker/topics/topic-configs.js';
import { TopicRegistry, type TopicRegistryOptions } from '../../../broker/topics/topic-registry.js';
import { tempDir } from '../../helpers/temp-dir.js';

const open: TopicRegistry[] = [];

async function registry(opts: Partial<TopicRegistryOptions> = {}): Promise<TopicRegistry> {
  const r = await TopicRegistry.open({ dataDir: opts.dataDir ?? tempDir(), scheduler: false, ...opts });
  open.push(r);
  return r;
}

afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function produce(reg: TopicRegistry, topic: string, partition: number, value: string) {
  const log = reg.partition(topic, partition)!;
  return log.append(encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from(value) }] }), { now: Date.now(), logAppendTime: false });
}

describe('TopicRegistry create and delete', () => {
  it('creates a topic with its partitions and keeps it, its id and its configs across a restart', async () => {
    const dataDir = tempDir();
    const r1 = await registry({ dataDir });
    const created = r1.createTopic('orders', { partitions: 3, configs: { 'retention.ms': '1000' } });
    expect(created.errorCode).toBe(0);
    if (created.errorCode !== 0 || !('topic' in created)) throw new Error('not created');
    expect(created.topic).toMatchObject({ name: 'orders', partitions: 3, internal: false, configs: { 'retention.ms': '1000' } });
    expect(created.topic.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.replicationFactor).toBe(1);
    expect(produce(r1, 'orders', 2, 'hello')).toMatchObject({ ok: true, baseOffset: 0 });
    const clusterId = r1.clusterId;
    await r1.close();

    const r2 = await registry({ dataDir });
    expect(r2.clusterId).toBe(clusterId);
    expect(r2.topic('orders')).toEqual(created.topic);
    expect(r2.partition('orders', 2)!.logEndOffset).toBe(1);
    expect(r2.partition('orders', 3)).toBeUndefined();
    expect(r2.partition('orders', 0)!.config.retentionMs).toBe(1000);
    expect(fs.readFileSync(path.join(dataDir, 'meta.properties'), 'utf8')).toContain(`cluster.id=${clusterId}`);
  });

  it('answers CreateTopics errors with Kafka codes', async () => {
    const reg = await registry();
    reg.createTopic('taken');
    reg.createTopic('a.b');
    const code = (name: string, opts = {}) => reg.createTopic(name, opts).errorCode;
    expect(code('')).toBe(17);
    expect(code('..')).toBe(17);
    expect(code('has space')).toBe(17);
    expect(code('x'.repeat(250))).toBe(17);
    expect(code('a_b')).toBe(17);
    expect(code('taken')).toBe(36);
    expect(code('p0', { partitions: 0 })).toBe(37);
    expect(code('p-2', { partitions: -2 })).toBe(37);
    expect(code('rf3', { replicationFactor: 3 })).toBe(38);
    expect(code('rf0', { replicationFactor: 0 })).toBe(38);
    expect(code('badname', { configs: { 'no.such.config': '1' } })).toBe(40);
    expect(code('badvalue', { configs: { 'cleanup.policy': 'shred' } })).toBe(40);
    expect(code('badnum', { configs: { 'retention.ms': 'soon' } })).toBe(40);
    expect(code('__consumer_offsets')).toBe(42);
    expect(code('assigned', { assignments: [{ partitionIndex: 0, brokerIds: [5] }] })).toBe(39);
    expect(code('x'.repeat(249))).toBe(0);
  });

  it('uses broker defaults for partitions -1 and replication factor -1, and creates nothing when validating only', async () => {
    const reg = await registry({ settings: { 'num.partitions': 4 } });
    const v = reg.createTopic('dry', { partitions: -1, replicationFactor: -1, validateOnly: true });
    expect(v).toMatchObject({ errorCode: 0, topic: { partitions: 4 } });
    expect(reg.has('dry')).toBe(false);
    expect(fs.existsSync(path.join(reg.dataDir, 'dry-0'))).toBe(false);
    expect(reg.createTopic('real', { replicationFactor: 1 })).toMatchObject({ errorCode: 0, topic: { partitions: 4 } });
  });

  it('deletes a topic with its files, answers 3 for unknown topics, and allows recreating the name', async () => {
    const reg = await registry();
    reg.createTopic('gone', { partitions: 2 });
    produce(reg, 'gone', 0, 'old');
    expect(await reg.deleteTopic('gone')).toEqual({ errorCode: 0 });
    expect(await reg.deleteTopic('gone')).toMatchObject({ errorCode: 3 });
    expect(reg.partition('gone', 0)).toBeUndefined();
    expect(fs.readdirSync(reg.dataDir).filter((n) => n.startsWith('gone'))).toEqual([]);
    reg.createTopic('gone');
    expect(reg.partition('gone', 0)!.logEndOffset).toBe(0);
  });

  it('adds partitions, refusing counts that are not larger', async () => {
    const dataDir = tempDir();
    const reg = await registry({ dataDir });
    reg.createTopic('grow', { partitions: 2 });
    expect(reg.createPartitions('grow', 2)).toMatchObject({ errorCode: 37 });
    expect(reg.createPartitions('nope', 5)).toMatchObject({ errorCode: 3 });
    expect(reg.createPartitions('grow', 5, { validateOnly: true })).toEqual({ errorCode: 0 });
    expect(reg.partitionCount('grow')).toBe(2);
    expect(reg.createPartitions('grow', 5)).toEqual({ errorCode: 0 });
    expect(reg.partition('grow', 4)).toBeDefined();
    await reg.close();
    expect((await registry({ dataDir })).partitionCount('grow')).toBe(5);
  });

  it('creates internal topics once and flags them', async () => {
    const reg = await registry();
    const t = reg.ensureInternalTopic('__consumer_offsets', 50, { 'cleanup.policy': 'compact' });
    expect(t).toMatchObject({ name: '__consumer_offsets', partitions: 50, internal: true });
    expect(reg.ensureInternalTopic('__consumer_offsets', 50).id).toBe(t.id);
    expect(reg.partition('__consumer_offsets', 49)!.config.cleanupCompact).toBe(true);
    expect(await reg.deleteTopic('__consumer_offsets')).toMatchObject({ errorCode: 42 });
  });

  it('removes partition directories of unknown topics and recreates missing ones at startup', async () => {
    const dataDir = tempDir();
    const r1 = await registry({ dataDir });
    r1.createTopic('kept', { partitions: 2 });
    await r1.close();
    fs.mkdirSync(path.join(dataDir, 'stray-0'));
    fs.mkdirSync(path.join(dataDir, 'kept-7'));
    fs.rmSync(path.join(dataDir, 'kept-1'), { recursive: true });
    const r2 = await registry({ dataDir });
    expect(fs.existsSync(path.join(dataDir, 'stray-0'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'kept-7'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'kept-1'))).toBe(true);
    expect(r2.partition('kept', 1)!.logEndOffset).toBe(0);
  });
});

describe('TopicRegistry configs', () => {
  it('describes every topic config with value, source and type', async () => {
    const reg = await registry({ settings: { 'log.retention.ms': 5000, 'log.segment.bytes': '2097152' } });
    reg.createTopic('c', { configs: { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.1' } });
    const d = reg.describeConfigs('c');
    if (!('configs' in d)) throw new Error('describe failed');
    expect(d.configs.map((c) => c.name).sort()).toEqual([...TOPIC_CONFIG_NAMES].sort());
    const by = new Map(d.configs.map((c) => [c.name, c]));
    expect(by.get('cleanup.policy')).toMatchObject({ value: 'compact', source: 1, isDefault: false, type: 7, readOnly: false, isSensitive: false });
    expect(by.get('min.cleanable.dirty.ratio')).toMatchObject({ value: '0.1', source: 1, type: 6 });
    expect(by.get('retention.ms')).toMatchObject({ value: '5000', source: 4, isDefault: true, type: 5 });
    expect(by.get('retention.ms')!.synonyms).toEqual([
      { name: 'log.retention.ms', value: '5000', source: 4 },
      { name: 'log.retention.ms', value: '604800000', source: 5 },
    ]);
    expect(by.get('segment.bytes')).toMatchObject({ value: '2097152', source: 4, type: 3 });
    expect(by.get('max.message.bytes')).toMatchObject({ value: '1048588', source: 5 });
    expect(by.get('flush.ms')).toMatchObject({ value: '1000', source: 5 });
    expect(by.get('unclean.leader.election.enable')).toMatchObject({ value: 'false', type: 1 });
    expect(reg.describeConfigs('c', ['retention.bytes'])).toMatchObject({ configs: [{ name: 'retention.bytes', value: '-1' }] });
    expect(reg.describeConfigs('missing')).toMatchObject({ errorCode: 3 });
    expect(reg.partition('c', 0)!.config).toMatchObject({ cleanupCompact: true, cleanupDelete: false, segmentBytes: 2097152, retentionMs: 5000 });
  });

  it('replaces the whole config set with AlterConfigs and applies it to the logs', async () => {
    const reg = await registry();
    reg.createTopic('a', { configs: { 'retention.ms': '1000', 'segment.ms': '5000' } });
    expect(reg.alterConfigs('a', { 'retention.bytes': '4096' })).toEqual({ errorCode: 0 });
    expect(reg.topic('a')!.configs).toEqual({ 'retention.bytes': '4096' });
    expect(reg.partition('a', 0)!.config).toMatchObject({ retentionBytes: 4096, retentionMs: 604800000, segmentMs: 604800000 });
    expect(reg.alterConfigs('a', { 'retention.bytes': 'lots' })).toMatchObject({ errorCode: 40 });
    expect(reg.alterConfigs('a', { 'bogus': '1' })).toMatchObject({ errorCode: 40 });
    expect(reg.alterConfigs('a', { 'retention.ms': '1' }, { validateOnly: true })).toEqual({ errorCode: 0 });
    expect(reg.topic('a')!.configs).toEqual({ 'retention.bytes': '4096' });
    expect(reg.alterConfigs('zz', {})).toMatchObject({ errorCode: 3 });
  });

  it('applies IncrementalAlterConfigs SET, DELETE, APPEND and SUBTRACT and persists them', async () => {
    const dataDir = tempDir();
    const reg = await registry({ dataDir });
    reg.createTopic('i', { configs: { 'retention.ms': '1000' } });
    expect(reg.incrementalAlterConfigs('i', [
      { name: 'cleanup.policy', op: 2, value: 'compact' },
      { name: 'retention.ms', op: 1, value: null },
      { name: 'message.timestamp.type', op: 0, value: 'LogAppendTime' },
    ])).toEqual({ errorCode: 0 });
    expect(reg.topic('i')!.configs).toEqual({ 'cleanup.policy': 'delete,compact', 'message.timestamp.type': 'LogAppendTime' });
    expect(reg.partition('i', 0)!.config).toMatchObject({ cleanupCompact: true, cleanupDelete: true, logAppendTime: true });
    expect(reg.incrementalAlterConfigs('i', [{ name: 'cleanup.policy', op: 3, value: 'delete' }])).toEqual({ errorCode: 0 });
    expect(reg.topic('i')!.configs['cleanup.policy']).toBe('compact');
    expect(reg.incrementalAlterConfigs('i', [{ name: 'retention.ms', op: 2, value: '5' }])).toMatchObject({ errorCode: 40 });
    expect(reg.incrementalAlterConfigs('i', [{ name: 'retention.ms', op: 0, value: null }])).toMatchObject({ errorCode: 40 });
    expect(reg.incrementalAlterConfigs('i', [{ name: 'retention.ms', op: 9, value: '1' }])).toMatchObject({ errorCode: 42 });
    await reg.close();
    const again = await registry({ dataDir });
    expect(again.topic('i')!.configs).toEqual({ 'cleanup.policy': 'compact', 'message.timestamp.type': 'LogAppendTime' });
  });

  it('refuses invalid broker settings at startup', async () => {
    await expect(TopicRegistry.open({ dataDir: tempDir(), scheduler: false, settings: { 'log.retention.ms': 'forever' } }))
      .rejects.toThrow(/log.retention.ms/);
  });

  it('describes the broker settings that back topic configs', async () => {
    const reg = await registry({ settings: { 'log.retention.ms': 5000, 'num.partitions': 3 } });
    const by = new Map(reg.describeBrokerConfigs().map((c) => [c.name, c]));
    expect(by.get('log.retention.ms')).toMatchObject({ value: '5000', source: 4, readOnly: true });
    expect(by.get('log.segment.bytes')).toMatchObject({ value: '1073741824', source: 5 });
    expect(by.get('num.partitions')).toMatchObject({ value: '3', source: 4 });
    expect(reg.describeBrokerConfigs(['num.partitions'])).toHaveLength(1);
  });
});

describe('TopicRegistry background work', () => {
  it('applies retention and compaction through the registry and shuts down cleanly', async () => {
    const dataDir = tempDir();
    const reg = await registry({ dataDir });
    reg.createTopic('old', { configs: { 'segment.bytes': '100', 'retention.ms': '1000' } });
    reg.createTopic('cmp', { configs: { 'segment.bytes': '100', 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.01' } });
    for (let i = 0; i < 5; i++) {
      reg.partition('old', 0)!.append(encodeBatch({ records: [{ key: null, value: Buffer.from(`v${i}`), timestamp: 1000 }] }), { now: 1000, logAppendTime: false });
      reg.partition('cmp', 0)!.append(encodeBatch({ records: [{ key: Buffer.from('same'), value: Buffer.from(`v${i}`), timestamp: 1000 }] }), { now: 1000, logAppendTime: false });
    }
    expect(reg.runRetention(10_000)).toBe(4);
    expect(reg.partition('old', 0)!.logStartOffset).toBe(4);
    const before = reg.partition('cmp', 0)!.size;
    await reg.runCleaner(10_000);
    expect(reg.partition('cmp', 0)!.size).toBeLessThan(before);
    await reg.close();
    expect(fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'log-start-offset-checkpoint'), 'utf8')).toContain('old 0 4');
  });
});
