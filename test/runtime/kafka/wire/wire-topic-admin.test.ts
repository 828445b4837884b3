import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffsetDelete } from '../../../../broker/protocol/apis/offset-delete.js';
import type { KafkaClient, TopicAdmin } from '../../../../runtime/kafka/kafka-client.js';
import { KafkaError, UnsupportedApiError } from '../../../../runtime/kafka/wire/kafka-error.js';
import { BrokerConnection } from '../../../../runtime/kafka/wire/broker-connection.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from '../kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker({ numPartitions: 2 });
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'admin-test', role: 'connector' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

describe('WireTopicAdmin', () => {
  it('creates a compacted topic once and describes its cleanup.policy', async () => {
    const name = topicName('connect-offsets');
    const topic = { name, partitions: 5, replicationFactor: 1, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '1048576' } };
    await expect(admin.ensureTopic(topic)).resolves.toEqual({ created: true });
    await expect(admin.ensureTopic(topic)).resolves.toEqual({ created: false });
    const configs = await admin.describeTopicConfigs(name);
    expect(configs['cleanup.policy']).toBe('compact');
    expect(configs['segment.bytes']).toBe('1048576');
    expect(await admin.partitionCount(name)).toBe(5);
    expect(await admin.listTopics()).toContain(name);
  });

  it('uses the broker defaults for -1 partitions and replication factor', async () => {
    const name = topicName('defaults');
    await admin.ensureTopic({ name, partitions: -1, replicationFactor: -1 });
    expect(await admin.partitionCount(name)).toBe(2);
  });

  it('reports a missing topic: no partition count, and an UNKNOWN_TOPIC_OR_PARTITION error for its configs', async () => {
    expect(await admin.partitionCount('no-such-topic')).toBeUndefined();
    await expect(admin.describeTopicConfigs('no-such-topic')).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('reports the end offset of every partition and the cluster id', async () => {
    const topic = await createTopic(admin, topicName('ends'), 3);
    const producer = client.producer({ clientId: 'admin-test-producer', role: 'internal' });
    await producer.send([0, 0, 2].map((partition) => ({ topic, partition, key: null, value: Buffer.from('x'), headers: [] })));
    await producer.close();
    expect(await admin.endOffsets(topic)).toEqual(new Map([[0, 2], [1, 0], [2, 1]]));
    expect(await admin.clusterId()).toBe(broker.clusterId);
  });

  it('alters, lists and resets the committed offsets of an inactive group', async () => {
    const topic = await createTopic(admin, topicName('sink-source'), 2);
    const group = topicName('connect-sink');
    expect(await admin.groupOffsets(group)).toEqual([]);
    await admin.alterGroupOffsets(group, [{ topic, partition: 1, offset: 7 }, { topic, partition: 0, offset: 3 }]);
    expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 3 }, { topic, partition: 1, offset: 7 }]);
    await admin.resetGroupOffsets(group);
    expect(await admin.groupOffsets(group)).toEqual([]);
    await expect(admin.resetGroupOffsets(group)).resolves.toBeUndefined();
  });

  it('refuses to alter the offsets of a group with active members', async () => {
    const topic = await createTopic(admin, topicName('busy'), 1);
    const group = topicName('busy-group');
    const consumer = client.sinkConsumer({ groupId: group, clientId: 'busy', subscription: { topics: [topic] } });
    await consumer.start(async () => {});
    try {
      await expect(admin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1 }])).rejects.toMatchObject({ type: 'UNKNOWN_MEMBER_ID' });
      await expect(admin.resetGroupOffsets(group)).rejects.toMatchObject({ type: 'NON_EMPTY_GROUP' });
    } finally {
      await consumer.stop();
    }
  });

  it('deletes the offsets of single partitions where the broker serves OffsetDelete', async () => {
    const topic = await createTopic(admin, topicName('partial'), 2);
    const group = topicName('partial-group');
    await admin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1 }, { topic, partition: 1, offset: 2 }]);
    const probe = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port }, { clientId: 'probe' });
    const served = probe.supports(OffsetDelete);
    probe.close();
    const deletion = admin.deleteGroupOffsets(group, [{ topic, partition: 0 }]);
    if (served) {
      await deletion;
      expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 1, offset: 2 }]);
    } else {
      await expect(deletion).rejects.toBeInstanceOf(UnsupportedApiError);
    }
  });

  it('fails fast with the broker\'s reason on an invalid request', async () => {
    await expect(admin.ensureTopic({ name: 'bad/name', partitions: 1, replicationFactor: 1 })).rejects.toBeInstanceOf(KafkaError);
  });
});
