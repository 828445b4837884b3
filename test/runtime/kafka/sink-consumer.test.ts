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

describe('sink consumer (WireSinkConsumer)', () => {
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

  it('hands out each record\'s headers in order, repeated keys and null values included, and none for a record without', async () => {
    const topic = await createTopic(admin, topicName('headers'), 1);
    await producer.send([
      { topic, partition: 0, key: null, value: Buffer.from('bare'), headers: [] },
      {
        topic, partition: 0, key: null, value: Buffer.from('with'),
        headers: [{ key: 'a', value: Buffer.from('1') }, { key: 'b', value: null }, { key: 'a', value: Buffer.from('2') }],
      },
      { topic, partition: 0, key: null, value: Buffer.from('bare again'), headers: [] },
    ]);
    const m = member(topicName('connect-headers'), [topic]);
    await m.consumer.start(collect(m));
    await until(() => m.records.length === 3, { what: 'the three records' });
    const seen = m.records.map((r) => r.headers.map((h) => [h.key, h.value === null ? null : h.value.toString()]));
    expect(seen).toEqual([[], [['a', '1'], ['b', null], ['a', '2']], []]);
    await m.consumer.stop();
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

  it('stops while its first join is still being set up without an unhandled rejection (which would end the worker)', async () => {
    const topic = await createTopic(admin, topicName('early-stop'), 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      const consumer = client.sinkConsumer({ groupId: topicName('connect-early-stop'), clientId: 'early-stop', subscription: { pattern: topic } });
      const started = consumer.start(async () => {});
      await consumer.stop();
      await started.catch(() => {});
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  describe('with a pattern subscription', () => {
    /** Like SinkTaskRunner: commits the partitions it delivered from when they are revoked while commits are still accepted. */
    function patternMember(groupId: string, pattern: string, overrides: Record<string, string> = {}): Member {
      const consumer = client.sinkConsumer({ groupId, clientId: 'pattern', subscription: { pattern }, overrides });
      const m: Member = { consumer, records: [], events: [] };
      consumer.onRebalance({
        onAssigned: (parts) => { m.events.push(`assigned ${tps(parts)}`); },
        onRevoked: async (parts, ctx) => {
          m.events.push(`revoked ${tps(parts)} beforeRejoin=${ctx.beforeRejoin}`);
          if (!ctx.beforeRejoin) return;
          const offsets = parts.flatMap((p) => {
            const mine = m.records.filter((r) => r.topic === p.topic && r.partition === p.partition);
            return mine.length === 0 ? [] : [{ ...p, offset: Math.max(...mine.map((r) => r.offset + 1)) }];
          });
          await consumer.commit(offsets);
        },
      });
      return m;
    }

    const tps = (parts: readonly TopicPartition[]) => parts.map((p) => `${p.topic.slice(p.topic.lastIndexOf('.') + 1)}${p.partition}`).join(',');
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const delivered = (records: ConsumedRecord[]) => records.map((r) => `${r.topic}/${r.partition}/${r.offset}`);
    const FAST_CHECKS = { 'metadata.max.age.ms': '200' };

    /** One more record in each partition, awaited: a partition re-read from an older offset would deliver its duplicates first. */
    async function sentinels(m: Member, parts: TopicPartition[]): Promise<void> {
      const before = new Map(parts.map((p) => [`${p.topic}/${p.partition}`, m.records.length]));
      await producer.send(parts.map((p) => ({ ...p, key: null, value: Buffer.from('sentinel'), headers: [] })));
      await until(() => [...before.keys()].every((tp) => m.records.some((r) => `${r.topic}/${r.partition}` === tp && r.value?.toString() === 'sentinel')), {
        what: 'the sentinel records',
      });
    }

    it('starts while no topic matches, then follows topics created later, never one that does not match or an internal topic', async () => {
      const prefix = topicName('shop');
      const m = patternMember(topicName('connect-grow'), `(__consumer_offsets|${escaped(prefix)}\\.inventory\\..*)`, FAST_CHECKS);
      await m.consumer.start(collect(m));
      expect(m.consumer.assignment()).toEqual([]);

      const orders = await createTopic(admin, `${prefix}.inventory.orders`, 2);
      const other = await createTopic(admin, `${prefix}.billing.orders`, 1);
      await fill(orders, 2, 5);
      await fill(other, 1, 5);
      await until(() => m.records.length >= 10, { what: 'the first matching topic\'s records' });

      const customers = await createTopic(admin, `${prefix}.inventory.customers`, 1);
      await fill(customers, 1, 5);
      await until(() => m.records.length >= 15, { what: 'the second matching topic\'s records' });
      await sentinels(m, [{ topic: orders, partition: 0 }, { topic: orders, partition: 1 }, { topic: customers, partition: 0 }]);
      await m.consumer.stop();

      const expected = [
        ...[0, 1].flatMap((p) => [0, 1, 2, 3, 4, 5].map((o) => `${orders}/${p}/${o}`)),
        ...[0, 1, 2, 3, 4, 5].map((o) => `${customers}/0/${o}`),
      ];
      expect(delivered(m.records).sort()).toEqual(expected.sort());
      expect(m.events).toEqual([
        'assigned ',
        'assigned orders0,orders1',
        'revoked orders0,orders1 beforeRejoin=true',
        'assigned customers0,orders0,orders1',
        'revoked customers0,orders0,orders1 beforeRejoin=true',
      ]);
    });

    it('commits the records already delivered before it re-subscribes for a new topic, so they are not delivered again', async () => {
      const prefix = topicName('cdc');
      const first = await createTopic(admin, `${prefix}.t1`, 1);
      await fill(first, 1, 5);
      const group = topicName('connect-cdc');
      const m = patternMember(group, `${escaped(prefix)}\\..*`, FAST_CHECKS);
      await m.consumer.start(collect(m));
      await until(() => m.records.length === 5, { what: 'the first topic\'s records' });

      const second = await createTopic(admin, `${prefix}.t2`, 1);
      await fill(second, 1, 3);
      await until(() => m.records.some((r) => r.topic === second && r.offset === 2), { what: 'the second topic\'s records' });
      expect(await admin.groupOffsets(group)).toEqual([{ topic: first, partition: 0, offset: 5 }]);
      await sentinels(m, [{ topic: first, partition: 0 }]);
      await m.consumer.stop();

      expect(delivered(m.records)).toEqual([
        ...[0, 1, 2, 3, 4].map((o) => `${first}/0/${o}`), ...[0, 1, 2].map((o) => `${second}/0/${o}`), `${first}/0/5`,
      ]);
      expect(m.events.slice(0, 3)).toEqual(['assigned t10', 'revoked t10 beforeRejoin=true', 'assigned t10,t20']);
    });

    it('neither skips nor repeats a record of a topic being written while re-subscribes cut its batches short', async () => {
      const prefix = topicName('busy-pattern');
      const busy = await createTopic(admin, `${prefix}.busy`, 2);
      const m = patternMember(topicName('connect-busy-pattern'), `${escaped(prefix)}\\..*`, { ...FAST_CHECKS, 'max.poll.records': '3' });
      await m.consumer.start(collect(m));
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await producer.send([0, 1].map((partition) => ({ topic: busy, partition, key: null, value: Buffer.from(`${written}`), headers: [] })));
          written++;
        }
      })();
      for (const name of ['b', 'c', 'd']) {
        const topic = await createTopic(admin, `${prefix}.${name}`, 1);
        await until(() => m.consumer.assignment().some((p) => p.topic === topic), { what: `an assignment with ${topic}` });
      }
      writing = false;
      await writer;
      await until(() => m.records.filter((r) => r.topic === busy).length >= 2 * written, { what: 'every record written' });
      await m.consumer.stop();
      for (const partition of [0, 1]) {
        expect(offsets(m.records.filter((r) => r.topic === busy && r.partition === partition))).toEqual([...Array(written).keys()]);
      }
      expect(m.events.filter((e) => e.startsWith('revoked'))).toEqual([
        'revoked busy0,busy1 beforeRejoin=true',
        'revoked b0,busy0,busy1 beforeRejoin=true',
        'revoked b0,busy0,busy1,c0 beforeRejoin=true',
        'revoked b0,busy0,busy1,c0,d0 beforeRejoin=true',
      ]);
    });

    it('brings every member of a group onto a new topic, and each of its records reaches one of them', async () => {
      const prefix = topicName('pair');
      const group = topicName('connect-pair');
      const one = patternMember(group, `${escaped(prefix)}\\..*`, FAST_CHECKS);
      const two = patternMember(group, `${escaped(prefix)}\\..*`, FAST_CHECKS);
      await one.consumer.start(collect(one));
      await two.consumer.start(collect(two));
      const topic = await createTopic(admin, `${prefix}.new`, 4);
      await fill(topic, 4, 5);
      await until(() => new Set(delivered([...one.records, ...two.records])).size === 20, { what: 'every record of the new topic' });
      await until(() => one.consumer.assignment().length === 2 && two.consumer.assignment().length === 2, { what: 'the partitions split between the members' });
      await Promise.all([one.consumer.stop(), two.consumer.stop()]);
    });

    it('drops a deleted topic from its assignment and goes on consuming the others', async () => {
      const prefix = topicName('shrink');
      const kept = await createTopic(admin, `${prefix}.kept`, 1);
      const doomed = await createTopic(admin, `${prefix}.doomed`, 1);
      const m = patternMember(topicName('connect-shrink'), `${escaped(prefix)}\\..*`, FAST_CHECKS);
      const failures: Error[] = [];
      m.consumer.onFailure((e) => failures.push(e));
      await m.consumer.start(collect(m));
      expect(m.consumer.assignment().map((p) => p.topic).sort()).toEqual([doomed, kept]);

      const raw = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
      await raw.connect();
      await raw.deleteTopics({ topics: [doomed] });
      await raw.disconnect();
      await until(() => m.events.at(-1) === 'assigned kept0', { what: 'an assignment without the deleted topic' });
      await fill(kept, 1, 3);
      await until(() => m.records.length === 3, { what: 'records of the remaining topic' });
      expect(failures).toEqual([]);
      await m.consumer.stop();
    });
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

  it('with auto.offset.reset=none, fails at start naming the partitions without a committed offset, and reads those with one', async () => {
    const topic = await createTopic(admin, topicName('reset-none'), 2);
    await fill(topic, 2, 3);
    const group = topicName('connect-reset-none');
    const strict = client.sinkConsumer({ groupId: group, clientId: 'strict', subscription: { topics: [topic] }, overrides: { 'auto.offset.reset': 'none' } });
    const delivered: ConsumedRecord[] = [];
    await expect(strict.start(async (batch) => { delivered.push(...batch.records); }))
      .rejects.toThrow(`no committed offset for partitions ${topic}-0, ${topic}-1 of group ${group}, and auto.offset.reset is none`);
    expect(delivered).toEqual([]);
    await strict.stop();
    await admin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1 }, { topic, partition: 1, offset: 2 }]);
    const m = member(group, [topic], { 'auto.offset.reset': 'none' });
    await m.consumer.start(collect(m));
    await until(() => m.records.length === 3, { what: 'the records after the committed offsets' });
    expect(m.records.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(['0:1', '0:2', '1:2']);
    await m.consumer.stop();
  });
});
