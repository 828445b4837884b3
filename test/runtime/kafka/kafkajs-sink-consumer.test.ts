import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConsumedRecord, KafkaClient, RecordProducer, RevocationContext, SinkConsumer, TopicAdmin, TopicPartition,
} from '../../../runtime/kafka/kafka-client.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;
let producer: RecordProducer;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'sink-test-admin', role: 'connector' });
  producer = client.producer({ clientId: 'sink-test-producer', role: 'connector' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

async function fill(topic: string, partitions: number, perPartition: number): Promise<void> {
  const records = [];
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < perPartition; i++) records.push({ topic, partition: p, key: Buffer.from(`k${i}`), value: Buffer.from(`${p}/${i}`), headers: [] });
  }
  await producer.send(records);
}

interface Member {
  consumer: SinkConsumer;
  records: ConsumedRecord[];
  events: string[];
}

function member(groupId: string, topics: string[], overrides: Record<string, string> = {}, clientId = 'sink'): Member {
  const consumer = client.sinkConsumer({ groupId, clientId, subscription: { topics }, overrides });
  const m: Member = { consumer, records: [], events: [] };
  consumer.onRebalance({
    onAssigned: (parts) => { m.events.push(`assigned ${names(parts)}`); },
    onRevoked: (parts, ctx) => { m.events.push(`revoked ${names(parts)} beforeRejoin=${ctx.beforeRejoin}`); },
  });
  return m;
}

const collect = (m: Member) => async (batch: { records: readonly ConsumedRecord[] }) => {
  m.records.push(...batch.records);
};

const names = (parts: readonly TopicPartition[]) => parts.map((p) => p.partition).join(',');
const offsets = (records: ConsumedRecord[]) => records.map((r) => r.offset);

describe('KafkajsSinkConsumer', () => {
  it('splits the partitions between two members of a group, and every record reaches one of them', async () => {
    const topic = await createTopic(admin, topicName('split'), 4);
    await fill(topic, 4, 5);
    const group = topicName('connect-split');
    const one = member(group, [topic]);
    const two = member(group, [topic]);
    await one.consumer.start(collect(one));
    expect(one.consumer.assignment().map((p) => p.partition)).toEqual([0, 1, 2, 3]);
    await two.consumer.start(collect(two));
    await until(() => one.consumer.assignment().length === 2 && two.consumer.assignment().length === 2, { what: 'a split assignment' });
    const all = [...one.consumer.assignment(), ...two.consumer.assignment()].map((p) => p.partition).sort();
    expect(all).toEqual([0, 1, 2, 3]);
    await until(() => new Set([...one.records, ...two.records].map((r) => `${r.partition}/${r.offset}`)).size === 20, { what: 'all records' });
    expect(one.events[0]).toBe('assigned 0,1,2,3');
    expect(one.events).toContainEqual(expect.stringMatching(/^revoked 0,1,2,3 beforeRejoin=/));
    await Promise.all([one.consumer.stop(), two.consumer.stop()]);
  });

  it('delivers at most max.poll.records per batch, and pause, resume and seek steer delivery', async () => {
    const topic = await createTopic(admin, topicName('steer'), 1);
    await fill(topic, 1, 10);
    const tp = { topic, partition: 0 };
    const m = member(topicName('connect-steer'), [topic], { 'max.poll.records': '3' });
    const sizes: number[] = [];
    await m.consumer.start(async (batch) => {
      sizes.push(batch.records.length);
      m.records.push(...batch.records);
      if (batch.records.some((r) => r.offset === 4)) m.consumer.pause([tp]);
    });
    await until(() => m.records.length >= 6, { what: 'records up to the pause' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(offsets(m.records)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(m.consumer.paused()).toEqual([tp]);
    expect(Math.max(...sizes)).toBe(3);
    m.consumer.resume([tp]);
    await until(() => m.records.length === 10, { what: 'records after resume' });
    m.consumer.seek(tp, 8);
    await fill(topic, 1, 1);
    await until(() => m.records.length === 13, { what: 'records after seek' });
    expect(offsets(m.records)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 10]);
    await m.consumer.stop();
  });

  it('commits next-offsets, and a new member of the group resumes after the committed offset', async () => {
    const topic = await createTopic(admin, topicName('resume'), 1);
    await fill(topic, 1, 10);
    const group = topicName('connect-resume');
    const first = member(group, [topic]);
    await first.consumer.start(collect(first));
    await until(() => first.records.length === 10, { what: 'the first member\'s records' });
    await first.consumer.commit([{ topic, partition: 0, offset: 6 }, { topic: 'not-assigned', partition: 0, offset: 1 }]);
    await first.consumer.stop();
    expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 6 }]);
    const second = member(group, [topic]);
    await second.consumer.start(collect(second));
    await until(() => second.records.length === 4, { what: 'the second member\'s records' });
    expect(offsets(second.records)).toEqual([6, 7, 8, 9]);
    await second.consumer.stop();
  });

  it('revokes the assignment on stop while commits are still accepted', async () => {
    const topic = await createTopic(admin, topicName('stop'), 2);
    await fill(topic, 2, 3);
    const group = topicName('connect-stop');
    const m = member(group, [topic]);
    m.consumer.onRebalance({
      onRevoked: async (parts, ctx) => {
        if (ctx.beforeRejoin) await m.consumer.commit(parts.map((p) => ({ ...p, offset: 3 })));
      },
    });
    await m.consumer.start(collect(m));
    await until(() => m.records.length === 6, { what: 'every record' });
    await m.consumer.stop();
    expect(m.events.at(-1)).toBe('revoked 0,1 beforeRejoin=true');
    expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 3 }, { topic, partition: 1, offset: 3 }]);
  });

  it('reports a rebalance noticed mid-delivery before rejoining, so the revoked partitions can still be committed', async () => {
    const topic = await createTopic(admin, topicName('busy'), 2);
    await fill(topic, 2, 20);
    const group = topicName('connect-busy');
    const raw = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await raw.connect();
    const one = member(group, [topic], { 'max.poll.records': '1' });
    const contexts: RevocationContext[] = [];
    let joining: Promise<void> | undefined;
    const two = member(group, [topic]);
    one.consumer.onRebalance({
      onRevoked: async (parts, ctx) => {
        contexts.push(ctx);
        const done = one.records.filter((r) => parts.some((p) => p.partition === r.partition));
        await one.consumer.commit(parts.map((p) => ({ ...p, offset: Math.max(0, ...done.filter((r) => r.partition === p.partition).map((r) => r.offset + 1)) })));
      },
    });
    await one.consumer.start(async (batch) => {
      one.records.push(...batch.records);
      if (one.records.length === 3) {
        joining = two.consumer.start(collect(two));
        await until(async () => (await raw.describeGroups([group])).groups[0]!.state === 'PreparingRebalance', { what: 'the rebalance' });
        // Heartbeats go out at most every heartbeat.interval.ms (100 ms here): let the next one be due.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    await until(() => joining !== undefined, { what: 'the second member joining' });
    await joining;
    expect(contexts[0]).toEqual({ beforeRejoin: true });
    const committed = await admin.groupOffsets(group);
    expect(committed.reduce((sum, o) => sum + o.offset, 0)).toBeGreaterThanOrEqual(3);
    await raw.disconnect();
    await Promise.all([one.consumer.stop(), two.consumer.stop()]);
  });

  it('subscribes to the topics whose whole name matches a Java regex', async () => {
    const prefix = topicName('pattern');
    await createTopic(admin, `${prefix}-a`, 1);
    await createTopic(admin, `${prefix}-b`, 1);
    await createTopic(admin, `x${prefix}-c`, 1);
    const consumer = client.sinkConsumer({ groupId: topicName('connect-pattern'), clientId: 'pattern', subscription: { pattern: `${prefix}-.*` } });
    await consumer.start(async () => {});
    expect(consumer.assignment().map((p) => p.topic).sort()).toEqual([`${prefix}-a`, `${prefix}-b`]);
    await consumer.stop();
  });

  it('stops delivering and reports the failure when the handler throws', async () => {
    const topic = await createTopic(admin, topicName('failing'), 1);
    await fill(topic, 1, 5);
    const consumer = client.sinkConsumer({ groupId: topicName('connect-failing'), clientId: 'failing', subscription: { topics: [topic] } });
    const failures: Error[] = [];
    consumer.onFailure((e) => failures.push(e));
    let calls = 0;
    await consumer.start(async () => {
      calls++;
      throw new Error('put failed');
    });
    await until(() => failures.length === 1, { what: 'the failure' });
    expect(failures[0]!.message).toBe('put failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(1);
    await consumer.stop();
  });
});
