import { describe, expect, it } from 'vitest';
import { ConnectorOffsetOperations, parseSinkOffsets, sinkGroupId } from '../../../runtime/control/connector-offsets.js';
import type { TopicAdmin, TopicPartition, TopicPartitionOffset } from '../../../runtime/kafka/kafka-client.js';
import { KafkaError } from '../../../runtime/kafka/wire/kafka-error.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Group offsets in memory; `failWith` makes the next admin call throw. */
class FakeAdmin {
  readonly groups = new Map<string, TopicPartitionOffset[]>();
  failWith: Error | undefined;

  private check(): void {
    const failure = this.failWith;
    this.failWith = undefined;
    if (failure) throw failure;
  }

  async groupOffsets(groupId: string): Promise<TopicPartitionOffset[]> {
    this.check();
    return [...(this.groups.get(groupId) ?? [])];
  }

  async alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.check();
    const kept = (this.groups.get(groupId) ?? []).filter((o) => !offsets.some((n) => n.topic === o.topic && n.partition === o.partition));
    this.groups.set(groupId, [...kept, ...offsets]);
  }

  async deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    this.check();
    this.groups.set(groupId, (this.groups.get(groupId) ?? []).filter((o) => !partitions.some((p) => p.topic === o.topic && p.partition === o.partition)));
  }

  async resetGroupOffsets(groupId: string): Promise<void> {
    this.check();
    this.groups.delete(groupId);
  }
}

async function operations() {
  const log = new InMemoryTopicLog();
  const offsets = new OffsetStore(new InMemoryCompactedTopic(log));
  await offsets.start();
  const admin = new FakeAdmin();
  const ops = new ConnectorOffsetOperations({ offsets, admin: admin as unknown as TopicAdmin, logger: silent });
  return { log, offsets, admin, ops };
}

const SINK = { 'connector.class': 'FileStreamSink', topics: 't' };

describe('source connector offsets', () => {
  it('replace a stored offset whose partition has the same members in another order', async () => {
    const { offsets, ops } = await operations();
    await offsets.set('src', [{ partition: { b: 1, a: 'x' }, offset: { position: 10 } }]);
    await ops.alter('src', 'source', {}, [{ partition: { a: 'x', b: 1 }, offset: { position: 3 } }]);
    expect(await ops.read('src', 'source', {})).toEqual({ offsets: [{ partition: { b: 1, a: 'x' }, offset: { position: 3 } }] });
    await ops.alter('src', 'source', {}, [{ partition: { a: 'x', b: 1 }, offset: null }]);
    expect(await ops.read('src', 'source', {})).toEqual({ offsets: [] });
  });

  it('are reset by a tombstone for every partition of the connector, and only of that connector', async () => {
    const { log, offsets, ops } = await operations();
    await offsets.set('src', [{ partition: { f: 'a' }, offset: { p: 1 } }, { partition: { f: 'b' }, offset: { p: 2 } }]);
    await offsets.set('other', [{ partition: { f: 'a' }, offset: { p: 9 } }]);
    expect(await ops.reset('src', 'source', {})).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect(await ops.read('src', 'source', {})).toEqual({ offsets: [] });
    expect(await ops.read('other', 'source', {})).toEqual({ offsets: [{ partition: { f: 'a' }, offset: { p: 9 } }] });
    expect(log.records.filter((r) => r.value === null).map((r) => r.key!.toString()).sort()).toEqual(['["src",{"f":"a"}]', '["src",{"f":"b"}]']);
  });

  it('refuse values that are not primitives, as Kafka does (500)', async () => {
    const { ops } = await operations();
    await expect(ops.alter('src', 'source', {}, [{ partition: { f: 'a' }, offset: { p: { nested: 1 } } }]))
      .rejects.toThrow('Offsets may only contain primitive types as values, but field p contains MAP');
    await expect(ops.alter('src', 'source', {}, [{ partition: { f: [1] }, offset: null }]))
      .rejects.toThrow('Offsets may only contain primitive types as values, but field f contains ARRAY');
  });
});

describe('sink connector offsets', () => {
  it('belong to the consumer group connect-{c} unless consumer.override.group.id names another', () => {
    expect(sinkGroupId('snk', {})).toBe('connect-snk');
    expect(sinkGroupId('snk', { 'consumer.override.group.id': 'g' })).toBe('g');
  });

  it('are read from the group connect-{c}, or the overridden group', async () => {
    const { admin, ops } = await operations();
    admin.groups.set('connect-snk', [{ topic: 't', partition: 0, offset: 5 }]);
    admin.groups.set('custom', [{ topic: 't', partition: 1, offset: 7 }]);
    expect(await ops.read('snk', 'sink', SINK)).toEqual({
      offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 5 } }],
    });
    expect(await ops.read('snk', 'sink', { ...SINK, 'consumer.override.group.id': 'custom' })).toEqual({
      offsets: [{ partition: { kafka_topic: 't', kafka_partition: 1 }, offset: { kafka_offset: 7 } }],
    });
  });

  it('are committed for offsets and deleted for null offsets', async () => {
    const { admin, ops } = await operations();
    admin.groups.set('connect-snk', [{ topic: 't', partition: 0, offset: 5 }, { topic: 't', partition: 1, offset: 6 }]);
    const message = await ops.alter('snk', 'sink', SINK, [
      { partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 2 } },
      { partition: { kafka_topic: 't', kafka_partition: 1 }, offset: null },
    ]);
    expect(message).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    expect(admin.groups.get('connect-snk')).toEqual([{ topic: 't', partition: 0, offset: 2 }]);
  });

  it('report tasks still in the group with Kafka\'s zombie-task messages', async () => {
    const { admin, ops } = await operations();
    admin.failWith = new KafkaError(25, 'OffsetCommit');
    await expect(ops.alter('snk', 'sink', SINK, [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1 } }]))
      .rejects.toThrow(/^Failed to alter consumer group offsets for connector snk either because its tasks haven't stopped completely yet .* zombie sink tasks\.$/);
    admin.failWith = new KafkaError(68, 'DeleteGroups');
    await expect(ops.reset('snk', 'sink', SINK))
      .rejects.toThrow(/^Failed to reset consumer group offsets for connector snk either because its tasks haven't stopped completely yet/);
    admin.failWith = new KafkaError(7, 'OffsetFetch');
    await expect(ops.read('snk', 'sink', SINK)).rejects.toThrow(/^Failed to retrieve consumer group offsets for sink connector snk$/);
  });
});

describe('parseSinkOffsets', () => {
  it('accepts numbers given as JSON numbers or numeric strings; a later entry for a partition wins', () => {
    expect(parseSinkOffsets([
      { partition: { kafka_topic: 't', kafka_partition: '3' }, offset: { kafka_offset: '10' } },
      { partition: { kafka_topic: 't', kafka_partition: 3 }, offset: { kafka_offset: 12 } },
      { partition: { kafka_topic: 'u', kafka_partition: 0 }, offset: null },
    ])).toEqual([{ topic: 't', partition: 3, offset: 12 }, { topic: 'u', partition: 0, offset: null }]);
  });

  it('refuses partitions outside Java\'s int range and offsets that are not whole numbers', () => {
    expect(() => parseSinkOffsets([{ partition: { kafka_topic: 't', kafka_partition: 2 ** 31 }, offset: null }]))
      .toThrow('Failed to parse the following Kafka partition value in the provided offsets: \'2147483648\'');
    expect(() => parseSinkOffsets([{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1.5 } }]))
      .toThrow('Failed to parse the following Kafka offset value in the provided offsets: \'1.5\'');
  });
});
