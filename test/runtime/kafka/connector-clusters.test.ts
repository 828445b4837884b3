/**
 * KafkaClusters as connectors get it, against two bundled brokers over TCP (two clusters, as
 * MirrorMaker's source and target): admin operations, the fetch-ahead partition reader and
 * the producer, each checked by what a user of the clusters would see.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientProperties, ClusterAdmin, ClusterClient, ClusterRecord, PartitionReader,
} from '../../../connectors/sdk/kafka-clusters.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { quietLogger, topicName } from './kafka-test-kit.js';

let source: TestBroker;
let target: TestBroker;
let clusters: ConnectorClusters;
let sourceClient: ClusterClient;
let targetClient: ClusterClient;
let sourceAdmin: ClusterAdmin;
let targetAdmin: ClusterAdmin;

const FAST: ClientProperties = { 'fetch.max.wait.ms': '100', 'retry.backoff.ms': '50', 'retry.backoff.max.ms': '200', 'linger.ms': '0' };

beforeAll(async () => {
  [source, target] = await Promise.all([startTestBroker(), startTestBroker()]);
  clusters = new ConnectorClusters(quietLogger);
  sourceClient = clusters.connect({ ...FAST, 'bootstrap.servers': source.bootstrap }, { clientId: 'test-source' });
  targetClient = clusters.connect({ ...FAST, 'bootstrap.servers': target.bootstrap }, { clientId: 'test-target' });
  sourceAdmin = sourceClient.admin();
  targetAdmin = targetClient.admin();
});

afterAll(async () => {
  await clusters.closeAll();
  await Promise.all([source.close(), target.close()]);
});

const buf = (s: string) => Buffer.from(s);
const str = (b: Buffer | null) => (b === null ? null : b.toString());
const summary = (records: readonly ClusterRecord[]) => records.map((r) => `${r.partition}:${r.offset}:${str(r.key)}=${str(r.value)}`);

async function newTopic(admin: ClusterAdmin, prefix: string, partitions: number, configs: Record<string, string> = {}): Promise<string> {
  const name = topicName(prefix);
  expect(await admin.createTopic({ name, partitions, replicationFactor: 1, configs })).toBe(true);
  return name;
}

/** Writes `count` records `k<i>`=`v<i>` (i from `from`) to one partition. */
async function write(client: ClusterClient, topic: string, partition: number, count: number, from = 0): Promise<void> {
  const producer = client.producer();
  const records = Array.from({ length: count }, (_, i) => ({ topic, partition, key: buf(`k${from + i}`), value: buf(`v${from + i}`) }));
  await producer.send(records);
  await producer.close();
}

/** Moves the partition's log start on the source cluster (DeleteRecords, through kafkajs). */
async function deleteRecordsBelow(topic: string, partition: number, offset: number): Promise<void> {
  const raw = kafkaClient(source.bootstrap, 'delete-records').admin();
  await raw.connect();
  try {
    await raw.fetchTopicMetadata({ topics: [topic] });
    await raw.deleteTopicRecords({ topic, partitions: [{ partition, offset: String(offset) }] });
  } finally {
    await raw.disconnect();
  }
}

/** Polls until `count` records arrived (at most 20 s) and returns them all. */
async function pollUntil(reader: PartitionReader, count: number, timeoutMs = 20_000): Promise<ClusterRecord[]> {
  const out: ClusterRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`polled ${out.length} of ${count} records: ${summary(out).slice(-5).join(', ')}`);
    out.push(...(await reader.poll({ maxWaitMs: 200 })));
  }
  return out;
}

describe('ClusterAdmin', () => {
  it('creates a topic with configs once, and lists it (with the internal topics) only on its own cluster', async () => {
    const topic = await newTopic(sourceAdmin, 'created', 3, { 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
    expect(await sourceAdmin.createTopic({ name: topic, partitions: 3, replicationFactor: 1 })).toBe(false);
    const listed = await sourceAdmin.listTopics();
    expect(listed).toContain(topic);
    expect(listed).toContain('__consumer_offsets');
    expect(await targetAdmin.listTopics()).not.toContain(topic);
    expect(await sourceAdmin.partitionCounts([topic, 'no-such-topic'])).toEqual(new Map([[topic, 3]]));
  });

  it('shows only the configs set on the topic, and alters some while leaving the others', async () => {
    const topic = await newTopic(sourceAdmin, 'configs', 1, { 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
    expect(await sourceAdmin.topicConfigOverrides(topic)).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
    await sourceAdmin.alterTopicConfigs(topic, { 'retention.ms': '7200000', 'max.message.bytes': '2000000' });
    expect(await sourceAdmin.topicConfigOverrides(topic)).toEqual({
      'cleanup.policy': 'compact', 'retention.ms': '7200000', 'max.message.bytes': '2000000',
    });
    await expect(sourceAdmin.topicConfigOverrides('no-such-topic')).rejects.toThrow(/UNKNOWN_TOPIC_OR_PARTITION/);
  });

  it('shows every config as it applies to the topic: its own and the broker defaults', async () => {
    const topic = await newTopic(sourceAdmin, 'effective', 1, { 'cleanup.policy': 'compact' });
    expect(await sourceAdmin.topicConfigs(topic)).toMatchObject({ 'cleanup.policy': 'compact', 'retention.bytes': '-1' });
    await expect(sourceAdmin.topicConfigs('no-such-topic')).rejects.toThrow(/UNKNOWN_TOPIC_OR_PARTITION/);
  });

  it('grows a topic\'s partitions, and a smaller count changes nothing', async () => {
    const topic = await newTopic(targetAdmin, 'grown', 2);
    await targetAdmin.createPartitions(topic, 4);
    expect(await targetAdmin.partitionCounts([topic])).toEqual(new Map([[topic, 4]]));
    await targetAdmin.createPartitions(topic, 3);
    expect(await targetAdmin.partitionCounts([topic])).toEqual(new Map([[topic, 4]]));
    await write(targetClient, topic, 3, 2);
    expect(await targetAdmin.endOffsets(topic)).toEqual(new Map([[0, 0], [1, 0], [2, 0], [3, 2]]));
  });

  it('reports log start and end offsets', async () => {
    const topic = await newTopic(sourceAdmin, 'offsets', 2);
    await write(sourceClient, topic, 0, 5);
    await deleteRecordsBelow(topic, 0, 3);
    expect(await sourceAdmin.beginningOffsets(topic)).toEqual(new Map([[0, 3], [1, 0]]));
    expect(await sourceAdmin.endOffsets(topic)).toEqual(new Map([[0, 5], [1, 0]]));
  });

  it('sees consumer groups, their states and committed offsets, and moves the offsets of an inactive group', async () => {
    const topic = await newTopic(sourceAdmin, 'grouped', 2);
    await write(sourceClient, topic, 0, 4);
    await write(sourceClient, topic, 1, 2);
    const group = topicName('group');
    const kafka = kafkaClient(source.bootstrap, 'group-member');
    const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let consumed = 0;
    await consumer.run({ eachMessage: async () => { consumed++; } });
    try {
      await until(() => consumed === 6, { what: 'the group consuming every record' });
      expect(await sourceAdmin.listGroups()).toContain(group);
      expect(await targetAdmin.listGroups()).not.toContain(group);
      await until(async () => (await sourceAdmin.groupStates([group])).get(group) === 'Stable', { what: 'a Stable group' });
      await expect(sourceAdmin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1 }])).rejects.toThrow(/UNKNOWN_MEMBER_ID/);
    } finally {
      await consumer.disconnect();
    }
    expect(await sourceAdmin.groupStates([group, 'never-seen'])).toEqual(new Map([[group, 'Empty'], ['never-seen', 'Dead']]));
    expect(await sourceAdmin.groupOffsets(group)).toEqual([
      { topic, partition: 0, offset: 4, metadata: '' },
      { topic, partition: 1, offset: 2, metadata: '' },
    ]);

    await sourceAdmin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1, metadata: 'moved by a test' }]);
    expect(await sourceAdmin.groupOffsets(group)).toEqual([
      { topic, partition: 0, offset: 1, metadata: 'moved by a test' },
      { topic, partition: 1, offset: 2, metadata: '' },
    ]);
    const resumed = await collect(kafka, { topics: [topic], groupId: group, done: (records) => records.length === 3 });
    expect(resumed.map((r) => `${r.partition}:${r.key}`).sort()).toEqual(['0:k1', '0:k2', '0:k3']);
    expect(await sourceAdmin.groupOffsets('never-seen')).toEqual([]);
  });

  it('gives up on an unreachable cluster after default.api.timeout.ms with the reason', async () => {
    const unreachable = clusters.connect({ 'bootstrap.servers': '127.0.0.1:1', 'default.api.timeout.ms': '300', 'retry.backoff.ms': '50' },
      { clientId: 'nowhere' });
    await expect(unreachable.admin().listTopics()).rejects.toThrow(/127\.0\.0\.1:1/);
    await unreachable.close();
  });
});

describe('ClusterProducer', () => {
  it('sends records with keys, headers, timestamps and partitions, and reports where they landed', async () => {
    const topic = await newTopic(targetAdmin, 'produced', 3);
    const producer = targetClient.producer();
    const sent = await producer.send([
      { topic, partition: 2, key: buf('a'), value: buf('1'), headers: [{ key: 'h', value: buf('x') }, { key: 'empty', value: null }], timestamp: 1_600_000_000_000 },
      { topic, partition: 2, key: null, value: null },
      { topic, key: buf('same'), value: buf('2') },
      { topic, key: buf('same'), value: buf('3') },
    ]);
    expect(sent.slice(0, 2)).toEqual([{ topic, partition: 2, offset: 0 }, { topic, partition: 2, offset: 1 }]);
    expect(sent[2]!.partition).toBe(sent[3]!.partition);
    expect(sent[3]!.offset).toBe(sent[2]!.offset + 1);
    await producer.close();

    const reader = targetClient.reader();
    reader.assign([{ topic, partition: 2, offset: 'earliest' }]);
    const [first, second] = await pollUntil(reader, 2);
    expect(first).toMatchObject({ topic, partition: 2, offset: 0, timestamp: 1_600_000_000_000, timestampType: 'CreateTime' });
    expect(str(first!.key)).toBe('a');
    expect(first!.headers.map((h) => [h.key, str(h.value)])).toEqual([['h', 'x'], ['empty', null]]);
    expect(second).toMatchObject({ offset: 1, key: null, value: null, headers: [] });
    await reader.close();
  });
});

describe('PartitionReader', () => {
  it('starts at the earliest, the latest or an explicit offset', async () => {
    const topic = await newTopic(sourceAdmin, 'starts', 1);
    await write(sourceClient, topic, 0, 10);
    const earliest = sourceClient.reader();
    const latest = sourceClient.reader();
    const explicit = sourceClient.reader();
    earliest.assign([{ topic, partition: 0, offset: 'earliest' }]);
    latest.assign([{ topic, partition: 0, offset: 'latest' }]);
    explicit.assign([{ topic, partition: 0, offset: 7 }]);
    expect(explicit.position({ topic, partition: 0 })).toBe(7);

    expect(summary(await pollUntil(earliest, 10))).toEqual(Array.from({ length: 10 }, (_, i) => `0:${i}:k${i}=v${i}`));
    expect(earliest.position({ topic, partition: 0 })).toBe(10);
    expect(summary(await pollUntil(explicit, 3))).toEqual(['0:7:k7=v7', '0:8:k8=v8', '0:9:k9=v9']);
    await until(() => latest.position({ topic, partition: 0 }) === 10, { what: 'the latest offset resolved' });
    expect(await latest.poll({ maxWaitMs: 300 })).toEqual([]);
    await write(sourceClient, topic, 0, 2, 10);
    expect(summary(await pollUntil(latest, 2))).toEqual(['0:10:k10=v10', '0:11:k11=v11']);
    expect(summary(await pollUntil(earliest, 2))).toEqual(['0:10:k10=v10', '0:11:k11=v11']);
    await Promise.all([earliest.close(), latest.close(), explicit.close()]);
  });

  it('hands out at most maxRecords per poll, in offset order', async () => {
    const topic = await newTopic(sourceAdmin, 'bounded', 1);
    await write(sourceClient, topic, 0, 25);
    const reader = sourceClient.reader();
    reader.assign([{ topic, partition: 0, offset: 'earliest' }]);
    await until(() => reader.position({ topic, partition: 0 }) === 0, { what: 'the start resolved' });
    const polls: number[][] = [];
    let total = 0;
    while (total < 25) {
      const records = await reader.poll({ maxWaitMs: 200, maxRecords: 10 });
      expect(records.length).toBeLessThanOrEqual(10);
      if (records.length > 0) polls.push(records.map((r) => r.offset));
      total += records.length;
    }
    expect(polls.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(reader.position({ topic, partition: 0 })).toBe(25);
    await reader.close();
  });

  it('stops delivering an unassigned partition, and reads a partition assigned while it runs', async () => {
    const topic = await newTopic(sourceAdmin, 'reassigned', 1);
    await write(sourceClient, topic, 0, 3);
    const reader = sourceClient.reader();
    reader.assign([{ topic, partition: 0, offset: 'earliest' }]);
    expect(summary(await pollUntil(reader, 3))).toEqual(['0:0:k0=v0', '0:1:k1=v1', '0:2:k2=v2']);

    await sourceAdmin.createPartitions(topic, 2);
    await write(sourceClient, topic, 1, 2);
    reader.assign([{ topic, partition: 1, offset: 'earliest' }]);
    expect(reader.assignment()).toEqual([{ topic, partition: 0 }, { topic, partition: 1 }]);
    expect(summary(await pollUntil(reader, 2))).toEqual(['1:0:k0=v0', '1:1:k1=v1']);

    reader.unassign([{ topic, partition: 0 }]);
    expect(reader.assignment()).toEqual([{ topic, partition: 1 }]);
    expect(reader.position({ topic, partition: 0 })).toBeUndefined();
    await write(sourceClient, topic, 0, 2, 3);
    await write(sourceClient, topic, 1, 1, 2);
    const after = await pollUntil(reader, 1);
    expect(summary(after)).toEqual(['1:2:k2=v2']);
    expect(await reader.poll({ maxWaitMs: 300 })).toEqual([]);

    reader.assign([{ topic, partition: 1, offset: 0 }]);
    expect(summary(await pollUntil(reader, 3))).toEqual(['1:0:k0=v0', '1:1:k1=v1', '1:2:k2=v2']);
    await reader.close();
  });

  it('moves a partition whose offset is out of range by auto.offset.reset', async () => {
    const topic = await newTopic(sourceAdmin, 'out-of-range', 1);
    await write(sourceClient, topic, 0, 10);
    await deleteRecordsBelow(topic, 0, 6);
    const readerWith = (reset: string) => {
      const client = clusters.connect({ ...FAST, 'bootstrap.servers': source.bootstrap, 'auto.offset.reset': reset }, { clientId: `reset-${reset}` });
      const reader = client.reader();
      reader.assign([{ topic, partition: 0, offset: 2 }]);
      return { client, reader };
    };

    const earliest = readerWith('earliest');
    expect(summary(await pollUntil(earliest.reader, 4))).toEqual(['0:6:k6=v6', '0:7:k7=v7', '0:8:k8=v8', '0:9:k9=v9']);
    const latest = readerWith('latest');
    await until(() => latest.reader.position({ topic, partition: 0 }) === 10, { what: 'the reset to the latest offset' });
    const none = readerWith('none');
    expect(await none.reader.poll({ maxWaitMs: 500 })).toEqual([]);
    expect(none.reader.position({ topic, partition: 0 })).toBe(2);

    await write(sourceClient, topic, 0, 1, 10);
    expect(summary(await pollUntil(latest.reader, 1))).toEqual(['0:10:k10=v10']);
    expect(await none.reader.poll({ maxWaitMs: 300 })).toEqual([]);
    await Promise.all([earliest.client.close(), latest.client.close(), none.client.close()]);
  });

  it('resolves an empty poll at its deadline or when aborted, a waiting poll at close, and later polls empty after their wait', async () => {
    const topic = await newTopic(sourceAdmin, 'idle', 1);
    const reader = sourceClient.reader();
    reader.assign([{ topic, partition: 0, offset: 'earliest' }]);
    const aborter = new AbortController();
    const aborted = reader.poll({ maxWaitMs: 60_000, signal: aborter.signal });
    aborter.abort();
    expect(await aborted).toEqual([]);
    const pending = reader.poll({ maxWaitMs: 60_000 });
    await reader.close();
    expect(await pending).toEqual([]);
    // Not at once: a poll loop that missed the close must not spin.
    const started = performance.now();
    expect(await reader.poll({ maxWaitMs: 100 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    const closedAborter = new AbortController();
    const closedAborted = reader.poll({ maxWaitMs: 60_000, signal: closedAborter.signal });
    closedAborter.abort();
    expect(await closedAborted).toEqual([]);
  });

  it('keeps reading across a broker restart on the same port, losing and repeating nothing', async () => {
    const dataDir = tempDir('ferry-clusters-restart-');
    let broker = await startTestBroker({ dataDir });
    const port = broker.port;
    const logged: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line) as { level: number; msg: string }); } });
    const own = new ConnectorClusters(logger);
    // Small fetches and a small buffer: most records are still on the broker when it stops.
    const props = { ...FAST, 'bootstrap.servers': broker.bootstrap, 'max.partition.fetch.bytes': '2048', 'fetch.max.bytes': '4096' };
    try {
      const client = own.connect(props, { clientId: 'restart' });
      const topic = await newTopic(client.admin(), 'restart', 2);
      const value = buf('x'.repeat(200));
      const batch = (from: number) => Array.from({ length: 500 }, (_, i) => ({ topic, partition: (from + i) % 2, key: buf(String(from + i)), value }));
      const producer = client.producer();
      await producer.send(batch(0));
      const reader = client.reader();
      reader.assign([{ topic, partition: 0, offset: 'earliest' }, { topic, partition: 1, offset: 'earliest' }]);
      const seen = await pollUntil(reader, 100);

      await broker.close();
      const during = await reader.poll({ maxWaitMs: 300 });
      seen.push(...during);
      broker = await startTestBroker({ dataDir, port });
      await producer.send(batch(500));
      seen.push(...await pollUntil(reader, 1000 - seen.length));
      await until(async () => {
        seen.push(...await reader.poll({ maxWaitMs: 100 }));
        return reader.position({ topic, partition: 0 }) === 500 && reader.position({ topic, partition: 1 }) === 500;
      }, { what: 'both partitions read to their end' });

      for (const partition of [0, 1]) {
        expect(seen.filter((r) => r.partition === partition).map((r) => r.offset)).toEqual(Array.from({ length: 500 }, (_, i) => i));
      }
      expect(seen.map((r) => Number(str(r.key))).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      const readerLines = logged.filter((l) => l.msg.startsWith('reading from the cluster'));
      expect(readerLines.map((l) => [l.level, l.msg])).toEqual([
        [40, 'reading from the cluster failed; retrying in the background with back-off'],
        [30, 'reading from the cluster goes on'],
      ]);
    } finally {
      await own.closeAll();
      await broker.close();
    }
  });
});

describe('ConnectorClusters', () => {
  it('closes the clients their owner left open, and opens no more afterwards', async () => {
    const owned = new ConnectorClusters(quietLogger);
    const client = owned.connect({ 'bootstrap.servers': target.bootstrap }, { clientId: 'left-open' });
    const reader = client.reader();
    const topic = await newTopic(client.admin(), 'left-open', 1);
    reader.assign([{ topic, partition: 0, offset: 'earliest' }]);
    const pending = reader.poll({ maxWaitMs: 60_000 });
    await owned.closeAll();
    expect(await pending).toEqual([]);
    expect(() => client.producer()).toThrow(/closed/);
    expect(() => owned.connect({ 'bootstrap.servers': target.bootstrap }, { clientId: 'late' })).toThrow(/stopped/);
  });

  it('rejects unusable client properties at connect', () => {
    expect(() => clusters.connect({}, { clientId: 'no-bootstrap' })).toThrow(/bootstrap\.servers/);
    expect(() => clusters.connect({ 'bootstrap.servers': source.bootstrap, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }, { clientId: 'kerberos' }))
      .toThrow(/GSSAPI/);
  });
});
