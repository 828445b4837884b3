/**
 * `ferry mirror-maker` end to end, from the build: two regions (two `ferry broker` processes),
 * one MirrorMaker 2 dedicated-mode file, two nodes started with it. The nodes share the A->B
 * herder's tasks; one is SIGKILLed while records are being produced and replication goes on with
 * nothing lost. Then a consumer group's checkpoints are translated and applied with
 * `ferry mirror translate-offsets`, and a consumer on B resumes exactly there.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { spawnFerryCommand, type FerryChild } from '../../helpers/ferry-process.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLI, spawnBroker, type BrokerProcess } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const PARTITIONS = 3;
/** Every replication factor MM2 has (remote topics, its own topics, the herders' Connect topics): 1 on a one-broker region. */
const REPLICATION_FACTOR_KEYS = ['replication.factor', 'checkpoints.topic.replication.factor', 'heartbeats.topic.replication.factor',
  'offset-syncs.topic.replication.factor', 'offset.storage.replication.factor', 'status.storage.replication.factor', 'config.storage.replication.factor'];
const dir = tempDir('ferry-mm2-nodes-');
const regions: Record<'A' | 'B', { broker: BrokerProcess; kafka: Kafka; admin: Admin }> = {} as never;
let file = '';
let producer: Producer;
let produced = 0;

interface MirrorNode extends FerryChild {
  /** REST URL of each herder on this node, by flow name. */
  readonly rest: Record<string, string>;
}

async function startNode(): Promise<MirrorNode> {
  const started = await spawnFerryCommand(['mirror-maker', file, '--log-level', 'info'], {
    what: 'ferry mirror-maker',
    ready: (line) => line.msg === 'mirror-maker is ready',
    timeoutMs: 60_000,
  });
  const herders = started.readyLine.herders as { flow: string; rest: string }[];
  return { ...started, rest: Object.fromEntries(herders.map((h) => [h.flow, h.rest])) };
}

/** Produces `count` records with keys `k<n>` and values `<n>`, spread over the partitions by key. */
async function produce(count: number): Promise<void> {
  const messages = Array.from({ length: count }, () => {
    const n = produced++;
    return { key: `k${n}`, value: String(n), headers: { seq: String(n) } };
  });
  await producer.send({ topic: 'orders', messages });
}

async function translateOffsets(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'mirror', 'translate-offsets', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  for (const alias of ['A', 'B'] as const) {
    const broker = await spawnBroker(tempDir(`ferry-mm2-region-${alias}-`));
    reapAfterFile(broker.child);
    const kafka = kafkaClient(broker.bootstrap, `mm2-test-${alias}`);
    const admin = kafka.admin();
    await admin.connect();
    regions[alias] = { broker, kafka, admin };
  }
  await regions.A.admin.createTopics({ topics: [{ topic: 'orders', numPartitions: PARTITIONS }], waitForLeaders: true });
  producer = regions.A.kafka.producer();
  await producer.connect();
  file = path.join(dir, 'mm2.properties');
  writeFileSync(file, `
# two regions, as an operator writes it
clusters = A, B
A.bootstrap.servers = ${regions.A.broker.bootstrap}
B.bootstrap.servers = ${regions.B.broker.bootstrap}
A->B.enabled = true
A->B.topics = orders
A->B.offset.flush.interval.ms = 500
B->A.offset.flush.interval.ms = 500
tasks.max = ${PARTITIONS}
emit.checkpoints.interval.seconds = 1
refresh.groups.interval.seconds = 1
refresh.topics.interval.seconds = 1
${REPLICATION_FACTOR_KEYS.map((key) => `${key} = 1`).join('\n')}
`);
});

afterAll(async () => {
  await producer?.disconnect();
  for (const region of Object.values(regions)) {
    await region.admin.disconnect();
    region.broker.child.kill('SIGTERM');
    await region.broker.exited;
  }
});

describe('two nodes from one file', () => {
  let first: MirrorNode;
  let second: MirrorNode;

  it('share the A->B tasks; SIGKILL of one node loses no record while producing goes on', async () => {
    first = await startNode();
    second = await startNode();
    expect(Object.keys(first.rest).sort()).toEqual(['A->B', 'B->A']);
    const rest = new ConnectRest(second.rest['A->B']!);

    const running = Array<string>(PARTITIONS).fill('RUNNING');
    await rest.untilStates('MirrorSourceConnector', { connector: 'RUNNING', tasks: running }, 60_000);
    await produce(600);
    const spread = await until(async () => {
      const status = await rest.status('MirrorSourceConnector');
      const workers = new Set(status?.tasks.map((t) => t.worker_id));
      return workers.size === 2 && status!.tasks.every((t) => t.state === 'RUNNING') ? status : undefined;
    }, { timeoutMs: 30_000, what: 'the source tasks to run on both nodes' });
    const firstWorker = new URL(first.rest['A->B']!).host;
    expect(spread.tasks.some((t) => t.worker_id === firstWorker)).toBe(true);

    // Producing goes on through the kill and the failover, paced at about 1,000 records/s.
    let producing = true;
    const producer$ = (async () => {
      while (producing) {
        await produce(20);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const replicatedSoFar = async () => (await regions.B.admin.fetchTopicOffsets('A.orders').catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
    await until(async () => await replicatedSoFar() > 600, { what: 'replication to be under way' });
    await first.kill();
    const atKill = produced;
    const secondWorker = new URL(second.rest['A->B']!).host;
    await until(async () => {
      const status = await rest.status('MirrorSourceConnector');
      return status?.tasks.length === PARTITIONS && status.tasks.every((t) => t.state === 'RUNNING' && t.worker_id === secondWorker);
    }, { timeoutMs: 60_000, what: 'every source task to run on the surviving node' });
    await until(async () => await replicatedSoFar() > atKill, { timeoutMs: 30_000, what: 'records produced after the kill to be replicated' });
    producing = false;
    await producer$;

    const replicated = await collect(regions.B.kafka, {
      topics: ['A.orders'], groupId: 'verify-replicas', done: (records) => new Set(records.map((r) => r.key)).size >= produced, timeoutMs: 60_000,
    });
    const keys = new Set(replicated.map((r) => r.key));
    const missing = Array.from({ length: produced }, (_, n) => `k${n}`).filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
    for (const r of replicated) {
      expect(r.value).toBe(r.key!.slice(1));
      expect(r.headers.seq).toBe(r.value);
    }
    const sourcePartition = new Map<string, number>();
    const original = await collect(regions.A.kafka, { topics: ['orders'], groupId: 'verify-source', done: (records) => records.length >= produced });
    for (const r of original) sourcePartition.set(r.key!, r.partition);
    expect(replicated.filter((r) => sourcePartition.get(r.key!) !== r.partition)).toEqual([]);
    // The heartbeat-only B->A herder writes heartbeats into A, the A->B herder into B.
    for (const region of [regions.A, regions.B]) {
      await until(async () => (await region.admin.fetchTopicOffsets('heartbeats').catch(() => [])).some((p) => Number(p.high) > 0),
        { what: 'heartbeats on both clusters' });
    }
    console.info(`mirror-maker nodes: ${produced} records, ${replicated.length - keys.size} re-sent after the SIGKILL`);
  }, 180_000);

  describe('translate-offsets against the checkpoints the surviving node writes', () => {
    let consumer: Consumer | undefined;
    afterAll(async () => {
      await consumer?.disconnect();
    });

    it('applies offsets at which a consumer of the group on B starts, with no record of A skipped', async () => {
      // billing reads part of every partition of orders on A and commits
      const perPartition = (records: { partition: number }[]) => Array.from({ length: PARTITIONS }, (_, p) => records.filter((r) => r.partition === p).length);
      await collect(regions.A.kafka, { topics: ['orders'], groupId: 'billing', done: (records) => perPartition(records).every((n) => n >= 300) });
      const committed = (await regions.A.admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] }))[0]!.partitions;
      const upstream = Object.fromEntries(committed.map((p) => [p.partition, Number(p.offset)]));
      await produce(300); // records billing has not read on any partition

      let last = '';
      const translated = await until(async () => {
        const run = await translateOffsets('--group', 'billing', '--from', 'A', '--to', 'B', '--config', file, '--json');
        last = run.stdout + run.stderr;
        if (run.code !== 0) return undefined;
        const body = JSON.parse(run.stdout) as { offsets: { topic: string; partition: number; offset: number; upstreamOffset: number }[] };
        const current = body.offsets.filter((o) => o.upstreamOffset === upstream[o.partition]);
        return current.length === PARTITIONS ? body.offsets : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500, what: 'checkpoints of billing\'s commits on B' }).catch((err: Error) => {
        throw new Error(`${err.message}; committed on A: ${JSON.stringify(upstream)}; translate-offsets said: ${last}`);
      });

      const table = await translateOffsets('--group', 'billing', '--from', 'A', '--to', 'B', '--config', file, '--apply');
      expect(table).toMatchObject({ code: 0, stderr: '' });
      for (const o of translated) expect(table.stdout).toMatch(new RegExp(`^A\\.orders\\s+${o.partition}\\s+${o.offset}\\s+${o.upstreamOffset}$`, 'm'));
      expect(table.stdout).toContain(`Committed ${PARTITIONS} offsets to group billing on B.`);
      const applied = (await regions.B.admin.fetchOffsets({ groupId: 'billing', topics: ['A.orders'] }))[0]!.partitions;
      expect(Object.fromEntries(applied.map((p) => [p.partition, Number(p.offset)]))).toEqual(Object.fromEntries(translated.map((o) => [o.partition, o.offset])));

      // What billing had not read on A yet, per partition.
      const unread = await collect(regions.A.kafka, {
        topics: ['orders'], groupId: 'billing-preview', fromBeginning: true, done: (records) => records.length >= produced,
      });
      const pending = new Set(unread.filter((r) => r.offset >= upstream[r.partition]!).map((r) => r.key!));

      consumer = regions.B.kafka.consumer({ groupId: 'billing', maxWaitTimeInMs: 100 });
      const firstOffsets = new Map<number, number>();
      const seen = new Set<string>();
      let reread = 0;
      await consumer.connect();
      await consumer.subscribe({ topics: ['A.orders'], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (!firstOffsets.has(partition)) firstOffsets.set(partition, Number(message.offset));
          const key = message.key!.toString();
          if (!pending.has(key)) reread++;
          seen.add(key);
        },
      });
      await until(() => [...pending].every((k) => seen.has(k)), { timeoutMs: 30_000, what: 'every record billing had not read on A' });
      expect(Object.fromEntries(firstOffsets)).toEqual(Object.fromEntries(translated.map((o) => [o.partition, o.offset])));
      console.info(`translate-offsets: ${pending.size} records pending on A all read on B, ${reread} re-read`);
    }, 120_000);
  });

  it('stops on SIGTERM, committing and leaving its groups', async () => {
    expect(await second.stop()).toBe(0);
    expect(second.output()).toContain('"msg":"mirror-maker stopped"');
  }, 60_000);
});
