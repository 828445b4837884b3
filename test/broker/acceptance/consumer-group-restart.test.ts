/**
 * A consumer group across a broker restart: two kafkajs members split a 4-partition topic,
 * consume and commit; the broker stops and starts again on the same data directory and
 * port; a new member of the same group resumes exactly after the committed offsets.
 */
import type { Consumer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { collect, headersOf, kafkaClient, type ConsumedRecord } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const TOPIC = 'orders';
const GROUP = 'order-processors';
const PARTITIONS = [0, 1, 2, 3];
const BEFORE = 10;
const AFTER = 3;

interface Member {
  consumer: Consumer;
  assigned: number[];
  records: ConsumedRecord[];
}

async function startMember(kafka: ReturnType<typeof kafkaClient>): Promise<Member> {
  const consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 300, maxWaitTimeInMs: 100, retry: { retries: 8, initialRetryTime: 100 } });
  const member: Member = { consumer, assigned: [], records: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    member.assigned = [...(e.payload.memberAssignment[TOPIC] ?? [])].sort((a, b) => a - b);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      member.records.push({
        topic,
        partition,
        offset: Number(message.offset),
        timestamp: Number(message.timestamp),
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: headersOf(message.headers),
      });
    },
  });
  return member;
}

describe('consumer group across a broker restart', () => {
  it('two members split four partitions, commit, and after a restart the group resumes after the committed offsets', async () => {
    const dataDir = tempDir('ferry-group-restart-');
    const first = await startTestBroker({ dataDir });
    const port = first.port;
    let kafka = kafkaClient(first.bootstrap, 'group-restart');
    const admin = kafka.admin();
    await admin.connect();
    let members: Member[] = [];
    try {
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS.length }] });
      members = await Promise.all([startMember(kafka), startMember(kafka)]);
      await until(() => members.every((m) => m.assigned.length === 2), { timeoutMs: 20_000, what: 'each member to own 2 partitions' });
      const [a, b] = members.map((m) => m.assigned);
      expect(a!.filter((p) => b!.includes(p))).toEqual([]);
      expect([...a!, ...b!].sort()).toEqual(PARTITIONS);

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: TOPIC,
        messages: PARTITIONS.flatMap((p) => Array.from({ length: BEFORE }, (_, i) => ({ partition: p, key: `p${p}`, value: `before-${p}-${i}` }))),
      });
      await producer.disconnect();

      await until(() => members.reduce((n, m) => n + m.records.length, 0) >= PARTITIONS.length * BEFORE, { what: 'all records consumed' });
      for (const m of members) {
        expect(new Set(m.records.map((r) => r.partition))).toEqual(new Set(m.assigned));
        for (const p of m.assigned) {
          expect(m.records.filter((r) => r.partition === p).map((r) => r.value))
            .toEqual(Array.from({ length: BEFORE }, (_, i) => `before-${p}-${i}`));
        }
      }
      await until(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
        return offsets!.partitions.every((p) => p.offset === String(BEFORE));
      }, { what: 'offsets committed for every partition' });
    } finally {
      await Promise.all(members.map((m) => m.consumer.disconnect()));
      await admin.disconnect();
      await first.close();
    }

    const second = await startTestBroker({ dataDir, port });
    try {
      expect(second.port).toBe(port);
      kafka = kafkaClient(second.bootstrap, 'group-restart-2');
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: TOPIC,
        messages: PARTITIONS.flatMap((p) => Array.from({ length: AFTER }, (_, i) => ({ partition: p, key: `p${p}`, value: `after-${p}-${i}` }))),
      });
      await producer.disconnect();

      const resumed = await collect(kafka, {
        topics: [TOPIC],
        groupId: GROUP,
        fromBeginning: true,
        done: (rs) => rs.length >= PARTITIONS.length * AFTER,
      });
      expect(resumed).toHaveLength(PARTITIONS.length * AFTER);
      for (const p of PARTITIONS) {
        expect(resumed.filter((r) => r.partition === p).map((r) => [r.offset, r.value]))
          .toEqual(Array.from({ length: AFTER }, (_, i) => [BEFORE + i, `after-${p}-${i}`]));
      }
    } finally {
      await second.close();
    }
  });
});
