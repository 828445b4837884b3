import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import { KafkaClientConfigError } from '../../../runtime/kafka/client-settings.js';
import type { KafkaClient } from '../../../runtime/kafka/kafka-client.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { createTopic, quietLogger, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

const value = (topic: string) => ({ topic, partition: 0, key: null, value: Buffer.from('v'), headers: [] });

describe('createKafkaClient', () => {
  it('gives connector clients the prefixed properties only, not the internal clients\' security settings', async () => {
    const topic = await createTopic(client.admin({ clientId: 'setup', role: 'internal' }), topicName('layers'), 1);
    const layered = createKafkaClient({
      bootstrapServers: broker.bootstrap,
      clientId: 'layers',
      properties: {
        'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'retry.backoff.ms': '10', 'default.api.timeout.ms': '300',
        'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
      },
      producer: { 'compression.type': 'brotli', 'linger.ms': '0' },
      logger: quietLogger,
    });
    try {
      expect(() => layered.producer({ clientId: 'bad', role: 'connector' })).toThrow(KafkaClientConfigError);
      const producer = layered.producer({ clientId: 'task-0', role: 'connector', overrides: { 'compression.type': 'gzip' } });
      await expect(producer.send([value(topic)])).resolves.toEqual([{ topic, partition: 0, offset: 0 }]);
      await expect(layered.admin({ clientId: 'internal', role: 'internal' }).listTopics()).rejects.toThrow();
      await expect(layered.admin({ clientId: 'connector', role: 'connector' }).listTopics()).resolves.toContain(topic);
    } finally {
      await layered.close();
    }
  });

  it('lets consumer.override.group.id replace the sink consumer\'s group', async () => {
    const admin = client.admin({ clientId: 'group-admin', role: 'connector' });
    const topic = await createTopic(admin, topicName('override-group'), 1);
    const group = topicName('custom-group');
    const consumer = client.sinkConsumer({
      groupId: 'connect-my-sink', clientId: 'sink-0', subscription: { topics: [topic] }, overrides: { 'group.id': group },
    });
    await consumer.start(async () => {});
    await consumer.commit([{ topic, partition: 0, offset: 0 }]);
    await consumer.stop();
    expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 0 }]);
    expect(await admin.groupOffsets('connect-my-sink')).toEqual([]);
  });

  it('closes everything it created when closed', async () => {
    const own = testClient(broker.bootstrap);
    const admin = own.admin({ clientId: 'closing', role: 'internal' });
    const topic = await createTopic(admin, topicName('closing'), 1);
    const producer = own.producer({ clientId: 'closing', role: 'internal' });
    const reader = own.topicReader({ topic, clientId: 'closing' });
    const seen: number[] = [];
    reader.onRecord((r) => seen.push(r.offset));
    await reader.start();
    await producer.send([value(topic)]);
    await until(() => seen.length === 1, { what: 'the record' });
    await own.close();
    await expect(producer.send([value(topic)])).rejects.toThrow(/closed/);
    await expect(reader.readToEnd()).rejects.toThrow(/not started/);
    expect(() => own.producer({ clientId: 'late', role: 'internal' })).toThrow(/closed/);
  });
});
