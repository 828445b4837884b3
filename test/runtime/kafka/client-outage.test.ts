/**
 * Ferry's Kafka client when its clusters go away: a reader on cluster A relaying to a producer
 * on cluster B (as MirrorSourceTask and the bench's bare relay do) while one or both brokers
 * stop, and while the clients are closed during an outage or a pending connect. Nothing may
 * end up as an unhandled rejection or uncaught exception (inside a Connect worker that would
 * kill the process); once the brokers are back on the same ports with the same data, the relay
 * finishes with every record delivered.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientProperties, ClusterClient, ClusterRecord } from '../../../connectors/sdk/kafka-clusters.js';
import { ConnectorClusters } from '../../../runtime/kafka/connector-clusters.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { topicName } from './kafka-test-kit.js';

const FAST: ClientProperties = {
  'fetch.max.wait.ms': '100',
  'retry.backoff.ms': '20',
  'retry.backoff.max.ms': '200',
  'linger.ms': '0',
  'request.timeout.ms': '5000',
  'socket.connection.setup.timeout.ms': '2000',
};
/** Small fetches, so the reader is still fetching when its broker stops. */
const SMALL_FETCHES: ClientProperties = { 'max.partition.fetch.bytes': '2048', 'fetch.max.bytes': '4096' };
const PARTITIONS = 3;
const PER_PARTITION = 400;

/** Unhandled rejections and uncaught exceptions seen while a test runs. */
let escaped: unknown[] = [];
const onEscape = (error: unknown) => { escaped.push(error); };
beforeEach(() => {
  escaped = [];
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtExceptionMonitor', onEscape);
});
afterEach(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtExceptionMonitor', onEscape);
});

/** The client's log lines (debug and up), so a test can wait for the client to notice an outage. */
class LogLines {
  readonly lines: { level: number; msg: string }[] = [];
  readonly logger: Logger = pino({ level: 'debug' }, new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n')) if (line) this.lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  }));

  count(msg: string): number {
    return this.lines.filter((l) => l.msg === msg).length;
  }
}

const open: TestBroker[] = [];
afterAll(async () => {
  await Promise.all(open.map((b) => b.close()));
});

async function broker(at?: TestBroker): Promise<TestBroker> {
  const b = await startTestBroker(at ? { port: at.port, dataDir: at.dataDir } : { dataDir: tempDir('ferry-outage-') });
  open.push(b);
  return b;
}

async function stop(b: TestBroker): Promise<void> {
  await b.close();
  open.splice(open.indexOf(b), 1);
}

const buf = (s: string) => Buffer.from(s);

/** A topic on `client`'s cluster holding PER_PARTITION records `p<partition>-<i>` in each partition. */
async function filledTopic(client: ClusterClient): Promise<string> {
  const topic = topicName('outage-src');
  await client.admin().createTopic({ name: topic, partitions: PARTITIONS, replicationFactor: 1 });
  const producer = client.producer();
  for (let p = 0; p < PARTITIONS; p++) {
    await producer.send(Array.from({ length: PER_PARTITION }, (_, i) => ({ topic, partition: p, key: null, value: buf(`p${p}-${i}`.padEnd(200, '.')) })));
  }
  await producer.close();
  return topic;
}

interface Relay {
  /** Records handed to the producer so far. */
  readonly relayed: () => number;
  /** Resolves once the relay holds at `relayed() >= atLeast` with sends in flight; release() goes on. */
  readonly paused: Promise<void>;
  readonly release: () => void;
  readonly done: Promise<void>;
}

/**
 * The bench's bare relay (bench/mirror/bare-relay.ts): every partition from the beginning to
 * the end offset it had at the start, each record to the same partition of `targetTopic`,
 * with sends left in flight (all awaited at the end). It pauses once at `pauseAt` records.
 */
function startRelay(source: ClusterClient, target: ClusterClient, topic: string, targetTopic: string, pauseAt: number): Relay {
  let relayed = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  let onPaused!: () => void;
  const paused = new Promise<void>((resolve) => { onPaused = resolve; });
  const done = (async () => {
    const ends = await source.admin().endOffsets(topic);
    const remaining = new Map([...ends].filter(([, end]) => end > 0));
    const reader = source.reader();
    reader.assign([...ends.keys()].map((partition) => ({ topic, partition, offset: 'earliest' as const })));
    const producer = target.producer();
    const inFlight: Promise<unknown>[] = [];
    let failure: { error: unknown } | undefined;
    let pausedOnce = false;
    while (remaining.size > 0) {
      // A relay stops at its first failed send, as a source task's runner does.
      if (failure) throw failure.error;
      const fetched = await reader.poll({ maxWaitMs: 200, maxRecords: 50 });
      for (const r of fetched) {
        const end = remaining.get(r.partition);
        if (end !== undefined && r.offset + 1 >= end) remaining.delete(r.partition);
      }
      if (fetched.length === 0) continue;
      const sent = producer.send(fetched.map((r) => ({ topic: targetTopic, partition: r.partition, key: r.key, value: r.value, headers: r.headers })));
      // Awaited below; a send failing meanwhile fails the relay at its next turn, not the process.
      sent.catch((error: unknown) => { failure ??= { error }; });
      inFlight.push(sent);
      relayed += fetched.length;
      if (!pausedOnce && relayed >= pauseAt) {
        pausedOnce = true;
        onPaused();
        await gate;
      }
    }
    await Promise.all(inFlight);
    await reader.close();
    await producer.close();
  })();
  done.catch(() => undefined);
  return { relayed: () => relayed, paused, release, done };
}

/** Every record of `topic` on `client`'s cluster, by partition, as value strings in offset order. */
async function readAll(client: ClusterClient, topic: string): Promise<string[][]> {
  const ends = await client.admin().endOffsets(topic);
  const reader = client.reader();
  reader.assign([...ends.keys()].map((partition) => ({ topic, partition, offset: 'earliest' as const })));
  const out: string[][] = Array.from({ length: ends.size }, () => []);
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  let seen = 0;
  const deadline = Date.now() + 20_000;
  while (seen < total && Date.now() < deadline) {
    const records: ClusterRecord[] = await reader.poll({ maxWaitMs: 200 });
    for (const r of records) out[r.partition]!.push(r.value!.toString().replace(/\.+$/, ''));
    seen += records.length;
  }
  await reader.close();
  return out;
}

/** Each partition holds every source record, in order (a retried batch may repeat records). */
function expectComplete(partitions: string[][]): void {
  for (let p = 0; p < PARTITIONS; p++) {
    const firsts = [...new Set(partitions[p])];
    expect(firsts).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => `p${p}-${i}`));
  }
}

describe('a relay between two clusters whose brokers stop', () => {
  for (const stopped of ['both', 'source', 'target'] as const) {
    it(`survives ${stopped === 'both' ? 'both brokers' : `the ${stopped} broker`} stopping mid-stream and finishes once they are back`, async () => {
      const a = await broker();
      let b = await broker();
      const clusters = new ConnectorClusters(pino({ level: 'silent' }));
      const readerLog = new LogLines();
      const producerLog = new LogLines();
      const setup = clusters.connect({ ...FAST, 'bootstrap.servers': a.bootstrap }, { clientId: 'outage-setup' });
      const topic = await filledTopic(setup);
      const targetTopic = topicName('outage-dst');
      const targetSetup = clusters.connect({ ...FAST, 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-setup-b' });
      await targetSetup.admin().createTopic({ name: targetTopic, partitions: PARTITIONS, replicationFactor: 1 });
      await setup.close();
      await targetSetup.close();

      const source = new ConnectorClusters(readerLog.logger).connect({ ...FAST, ...SMALL_FETCHES, 'bootstrap.servers': a.bootstrap }, { clientId: 'outage-source' });
      const target = new ConnectorClusters(producerLog.logger).connect({ ...FAST, 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-target' });
      const relay = startRelay(source, target, topic, targetTopic, (PARTITIONS * PER_PARTITION) / 3);
      await relay.paused;
      if (stopped !== 'target') await stop(a);
      if (stopped !== 'source') await stop(b);
      relay.release();
      // The clients noticed and retried a few times.
      if (stopped !== 'target') {
        await until(() => readerLog.count('reading still fails; retrying') >= 3, { what: 'the reader retrying' });
      }
      if (stopped !== 'source') {
        await until(() => producerLog.count('retrying produce') + producerLog.count('producer metadata refresh failed') >= 3,
          { what: 'the producer retrying' });
      }
      if (stopped !== 'target') await broker(a);
      if (stopped !== 'source') b = await broker(b);
      await relay.done;
      expect(relay.relayed()).toBeGreaterThanOrEqual(PARTITIONS * PER_PARTITION);
      await source.close();
      await target.close();

      const check = clusters.connect({ ...FAST, 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-check' });
      expectComplete(await readAll(check, targetTopic));
      await clusters.closeAll();
      expect(escaped).toEqual([]);
    });
  }

  it('closes cleanly while both brokers are down, with sends, fetches and metadata refreshes retrying', async () => {
    const a = await broker();
    const b = await broker();
    const readerLog = new LogLines();
    const producerLog = new LogLines();
    const setup = new ConnectorClusters(pino({ level: 'silent' })).connect({ ...FAST, 'bootstrap.servers': a.bootstrap }, { clientId: 'outage-setup' });
    const topic = await filledTopic(setup);
    await setup.close();

    const sourceClusters = new ConnectorClusters(readerLog.logger);
    const targetClusters = new ConnectorClusters(producerLog.logger);
    const source = sourceClusters.connect({ ...FAST, ...SMALL_FETCHES, 'bootstrap.servers': a.bootstrap }, { clientId: 'outage-source' });
    const target = targetClusters.connect({ ...FAST, 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-target' });
    const relay = startRelay(source, target, topic, topicName('outage-dst'), (PARTITIONS * PER_PARTITION) / 3);
    await relay.paused;
    await stop(a);
    await stop(b);
    relay.release();
    await until(() => readerLog.count('reading still fails; retrying') >= 2, { what: 'the reader retrying' });
    await until(() => producerLog.count('retrying produce') + producerLog.count('producer metadata refresh failed') >= 2,
      { what: 'the producer retrying' });
    await Promise.all([sourceClusters.closeAll(), targetClusters.closeAll()]);
    // The relay's sends fail (the producer closed before they were acknowledged); its caller sees that.
    await expect(relay.done).rejects.toThrow();
    expect(escaped).toEqual([]);
  });

  it('rejects sends to their caller, not the process, when the target stays down past delivery.timeout.ms', async () => {
    const b = await broker();
    const setup = new ConnectorClusters(pino({ level: 'silent' })).connect({ ...FAST, 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-setup' });
    const topic = topicName('outage-expire');
    await setup.admin().createTopic({ name: topic, partitions: 1, replicationFactor: 1 });
    await setup.close();
    const log = new LogLines();
    const clusters = new ConnectorClusters(log.logger);
    const producer = clusters.connect({ ...FAST, 'delivery.timeout.ms': '1500', 'bootstrap.servers': b.bootstrap }, { clientId: 'outage-expire' })
      .producer();
    await producer.send([{ topic, partition: 0, key: null, value: buf('before') }]);
    await stop(b);
    // Several sends in flight, as a relay keeps them; the caller awaits them only later.
    const sends = [0, 1, 2].map((i) => producer.send([{ topic, partition: 0, key: null, value: buf(`during-${i}`) }]));
    for (const sent of sends) sent.catch(() => undefined);
    for (const sent of sends) await expect(sent).rejects.toThrow(/ECONNREFUSED|closed|not present/);
    await clusters.closeAll();
    expect(escaped).toEqual([]);
  });

  it('closes cleanly while connections are still being opened', async () => {
    // Accepts connections and never answers: every connection stays in its handshake.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const clusters = new ConnectorClusters(pino({ level: 'silent' }));
      // Records expire quickly, so closing does not wait for them (the producer's 30 s close timeout).
      const client = clusters.connect({ ...FAST, 'delivery.timeout.ms': '1000', 'bootstrap.servers': `127.0.0.1:${port}` },
        { clientId: 'outage-pending' });
      const reader = client.reader();
      reader.assign([{ topic: 'pending', partition: 0, offset: 'earliest' }]);
      const producer = client.producer();
      const sent = producer.send([{ topic: 'pending', key: null, value: buf('x') }]);
      sent.catch(() => undefined);
      const offsets = client.admin().endOffsets('pending');
      offsets.catch(() => undefined);
      await until(() => sockets.size >= 3, { what: 'three pending connections' });
      await expect(sent).rejects.toThrow(/not present in metadata/);
      await clusters.closeAll();
      await expect(offsets).rejects.toThrow();
      expect(await reader.poll({ maxWaitMs: 0 })).toEqual([]);
      expect(escaped).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('closes cleanly when no broker was ever reachable', async () => {
    const gone = await broker();
    const bootstrap = gone.bootstrap;
    await stop(gone);
    const log = new LogLines();
    const clusters = new ConnectorClusters(log.logger);
    const client = clusters.connect({ ...FAST, 'delivery.timeout.ms': '1000', 'bootstrap.servers': bootstrap }, { clientId: 'outage-refused' });
    const reader = client.reader();
    reader.assign([{ topic: 'refused', partition: 0, offset: 'earliest' }]);
    const producer = client.producer();
    const sent = producer.send([{ topic: 'refused', key: null, value: buf('x') }]);
    sent.catch(() => undefined);
    await until(() => log.count('reading still fails; retrying') >= 2 && log.count('producer metadata refresh failed') >= 2,
      { what: 'both clients retrying' });
    await expect(sent).rejects.toThrow(/not present in metadata/);
    await clusters.closeAll();
    expect(escaped).toEqual([]);
  });
});
