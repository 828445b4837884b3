/**
 * The sink consumer as a consumer group member, as a sink task sees it: rebalances between
 * members, pause/resume, seek, commits around revocations, a broker restart, and a group shared
 * with consumers nobody here wrote (kafka-python and librdkafka, each with the range assignor).
 * Consumers come from client.sinkConsumer(...), so these run against whatever createKafkaClient
 * builds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConsumedRecord, KafkaClient, RecordProducer, RevocationContext, SinkConsumer, TopicAdmin, TopicPartition, TopicPartitionOffset,
} from '../../../runtime/kafka/kafka-client.js';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { spawnBroker, startTestBroker, type BrokerProcess, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { createTopic, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;
let producer: RecordProducer;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'group-test-admin', role: 'connector' });
  producer = client.producer({ clientId: 'group-test-producer', role: 'connector' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

/** `count` more records in each of `partitions`, sent together. */
async function fill(to: RecordProducer, topic: string, partitions: readonly number[], count: number, label = 'r'): Promise<void> {
  const records = partitions.flatMap((partition) => Array.from({ length: count }, (_, i) => ({
    topic, partition, key: null, value: Buffer.from(`${label}${partition}/${i}`), headers: [],
  })));
  await to.send(records);
}

interface Member {
  readonly consumer: SinkConsumer;
  /** Every record delivered, in delivery order. */
  readonly records: ConsumedRecord[];
  /** 'assigned 0,1' and 'revoked 0,1 beforeRejoin=true', in order. */
  readonly events: string[];
  readonly revocations: RevocationContext[];
  /** records.length at each onAssigned: where each generation's deliveries start. */
  readonly assignedAt: number[];
  readonly failures: Error[];
  /** Offsets committed from onRevoked (accepted ones only). */
  readonly revokeCommits: TopicPartitionOffset[][];
}

interface MemberOptions {
  readonly overrides?: Record<string, string>;
  readonly clientId?: string;
  /**
   * What onRevoked commits while commits are accepted (beforeRejoin): 'delivered' commits the
   * next offsets of what was delivered since the last assignment, as SinkTaskRunner does; a
   * function chooses the offsets; undefined commits nothing.
   */
  readonly onRevokedCommit?: 'delivered' | ((partitions: readonly TopicPartition[]) => TopicPartitionOffset[] | undefined);
}

function member(on: KafkaClient, groupId: string, topics: string[], options: MemberOptions = {}): Member {
  const consumer = on.sinkConsumer({ groupId, clientId: options.clientId ?? 'group-test', subscription: { topics }, overrides: options.overrides ?? {} });
  const m: Member = { consumer, records: [], events: [], revocations: [], assignedAt: [], failures: [], revokeCommits: [] };
  consumer.onFailure((error) => m.failures.push(error));
  consumer.onRebalance({
    onAssigned: (parts) => {
      m.events.push(`assigned ${names(parts)}`);
      m.assignedAt.push(m.records.length);
    },
    onRevoked: async (parts, context) => {
      m.events.push(`revoked ${names(parts)} beforeRejoin=${context.beforeRejoin}`);
      m.revocations.push(context);
      if (!context.beforeRejoin || options.onRevokedCommit === undefined) return;
      const offsets = options.onRevokedCommit === 'delivered' ? deliveredSinceAssigned(m, parts) : options.onRevokedCommit(parts);
      if (offsets === undefined || offsets.length === 0) return;
      await consumer.commit(offsets);
      m.revokeCommits.push(offsets);
    },
  });
  return m;
}

function deliveredSinceAssigned(m: Member, parts: readonly TopicPartition[]): TopicPartitionOffset[] {
  const since = m.records.slice(m.assignedAt.at(-1) ?? 0);
  return parts.flatMap((p) => {
    const mine = since.filter((r) => r.topic === p.topic && r.partition === p.partition);
    return mine.length === 0 ? [] : [{ topic: p.topic, partition: p.partition, offset: mine.at(-1)!.offset + 1 }];
  });
}

const collect = (m: Member) => async (batch: { records: readonly ConsumedRecord[] }) => {
  m.records.push(...batch.records);
};

const names = (parts: readonly TopicPartition[]) => parts.map((p) => p.partition).sort((a, b) => a - b).join(',');
const partitionsOf = (consumer: SinkConsumer) => consumer.assignment().map((p) => p.partition).sort((a, b) => a - b);
const id = (r: { partition: number; offset: number }) => `${r.partition}/${r.offset}`;
const offsetsIn = (records: readonly ConsumedRecord[], partition: number) => records.filter((r) => r.partition === partition).map((r) => r.offset);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Records delivered more than once, counting every member's deliveries. */
function deliveredTwice(...members: Member[]): string[] {
  const seen = new Map<string, number>();
  for (const r of members.flatMap((m) => m.records)) seen.set(id(r), (seen.get(id(r)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key).sort();
}

const distinct = (...members: Member[]) => new Set(members.flatMap((m) => m.records.map(id))).size;

const byPartition = (offsets: readonly TopicPartitionOffset[]) => [...offsets].sort((a, b) => a.partition - b.partition);

interface PythonClient {
  readonly name: string;
  /** The script in test/clients whose `member` sub-command runs the member. */
  readonly script: string;
  /** Sorts after the ferry member's client id, so the ferry member's id comes first. */
  readonly clientId: string;
}

/** The consumers nobody here wrote that share a group with a ferry member, run by /usr/bin/python3. */
const PYTHON_MEMBERS: readonly PythonClient[] = [
  { name: 'kafka-python', script: 'kafka_python_client.py', clientId: 'zz-kafka-python' },
  { name: 'confluent-kafka (librdkafka)', script: 'confluent_kafka_client.py', clientId: 'zz-librdkafka' },
];

describe('sink consumer as a group member', () => {
  it('splits the partitions when a second member joins and takes them all back when it stops, delivering every record once while members commit on revocation', async () => {
    const topic = await createTopic(admin, topicName('rebalance'), 4);
    const all = [0, 1, 2, 3];
    const group = topicName('connect-rebalance');
    const one = member(client, group, [topic], { onRevokedCommit: 'delivered', clientId: 'rebalance-one' });
    const two = member(client, group, [topic], { onRevokedCommit: 'delivered', clientId: 'rebalance-two' });

    await fill(producer, topic, all, 5, 'a');
    await one.consumer.start(collect(one));
    expect(partitionsOf(one.consumer)).toEqual(all);
    await until(() => one.records.length === 20, { what: 'the first member reading every partition' });

    await two.consumer.start(collect(two));
    await until(() => one.consumer.assignment().length === 2 && two.consumer.assignment().length === 2, { what: 'the partitions split between the members' });
    expect([...partitionsOf(one.consumer), ...partitionsOf(two.consumer)].sort()).toEqual(all);
    await fill(producer, topic, all, 5, 'b');
    await until(() => distinct(one, two) === 40, { what: 'the records produced after the split' });
    const ownerOf = (partition: number) => (partitionsOf(one.consumer).includes(partition) ? one : two);
    for (const partition of all) {
      const owner = ownerOf(partition);
      const other = owner === one ? two : one;
      expect(offsetsIn(owner.records.slice(owner.assignedAt.at(-1)), partition).filter((o) => o >= 5), `partition ${partition}`).toEqual(range(5, 9));
      expect(offsetsIn(other.records.slice(other.assignedAt.at(-1)), partition), `partition ${partition} at the other member`).toEqual([]);
    }

    await one.consumer.stop();
    await until(() => two.consumer.assignment().length === 4, { what: 'the remaining member taking every partition' });
    await fill(producer, topic, all, 5, 'c');
    await until(() => distinct(one, two) === 60, { what: 'the records produced after the first member stopped' });
    for (const partition of all) expect(offsetsIn(two.records, partition).filter((o) => o >= 10), `partition ${partition}`).toEqual(range(10, 14));
    await two.consumer.stop();

    expect(deliveredTwice(one, two), `events: one ${JSON.stringify(one.events)}, two ${JSON.stringify(two.events)}`).toEqual([]);
    expect(distinct(one, two)).toBe(60);
    expect(await admin.groupOffsets(group)).toEqual(all.map((partition) => ({ topic, partition, offset: 15 })));
    expect([...one.failures, ...two.failures]).toEqual([]);
  });

  it('stops delivering a paused partition while the others flow, and resumes exactly where it stopped', async () => {
    const topic = await createTopic(admin, topicName('pause'), 2);
    const p0 = { topic, partition: 0 };
    const m = member(client, topicName('connect-pause'), [topic], { overrides: { 'max.poll.records': '2' } });
    await fill(producer, topic, [0, 1], 10);
    await m.consumer.start(async (batch) => {
      m.records.push(...batch.records);
      // Mid-stream: the partition still has records fetched or fetchable beyond this batch.
      if (batch.partition === 0 && batch.records.some((r) => r.offset === 3)) m.consumer.pause([p0]);
    });
    await until(() => offsetsIn(m.records, 0).includes(3) && offsetsIn(m.records, 1).length === 10, { what: 'records up to the pause' });
    expect(m.consumer.paused()).toEqual([p0]);

    await fill(producer, topic, [0], 5);
    await fill(producer, topic, [1], 5);
    await until(() => offsetsIn(m.records, 1).length === 15, { what: 'the other partition\'s new records' });
    await fill(producer, topic, [1], 1);
    await until(() => offsetsIn(m.records, 1).length === 16, { what: 'one more record of the other partition' });
    expect(offsetsIn(m.records, 0)).toEqual(range(0, 3));
    expect(offsetsIn(m.records, 1)).toEqual(range(0, 15));
    expect(m.consumer.paused()).toEqual([p0]);

    m.consumer.resume([p0]);
    expect(m.consumer.paused()).toEqual([]);
    await until(() => offsetsIn(m.records, 0).includes(14), { what: 'the paused partition\'s records after resume' });
    await fill(producer, topic, [0], 1);
    await until(() => offsetsIn(m.records, 0).includes(15), { what: 'one more record of the resumed partition' });
    expect(offsetsIn(m.records, 0)).toEqual(range(0, 15));
    expect(m.failures).toEqual([]);
    await m.consumer.stop();
  });

  it('re-delivers from an earlier offset, skips to a later one, and ignores a seek on a partition it does not own', async () => {
    const topic = await createTopic(admin, topicName('seek'), 1);
    const other = await createTopic(admin, topicName('seek-other'), 1);
    await fill(producer, other, [0], 3);
    const tp = { topic, partition: 0 };
    const m = member(client, topicName('connect-seek'), [topic], { overrides: { 'max.poll.records': '2' } });
    let seekAt: { offset: number; to: number } | undefined;
    let seekBatchEnd: number | undefined;
    await fill(producer, topic, [0], 10);
    await m.consumer.start(async (batch) => {
      m.records.push(...batch.records);
      if (seekAt && batch.records.some((r) => r.offset === seekAt!.offset)) {
        m.consumer.seek(tp, seekAt.to);
        seekBatchEnd = batch.records.at(-1)!.offset;
        seekAt = undefined;
      }
    });
    await until(() => m.records.length === 10, { what: 'the first records' });

    m.consumer.seek(tp, 3);
    await until(() => m.records.length === 17, { what: 'the records from the earlier offset' });
    expect(m.records.map((r) => r.offset)).toEqual([...range(0, 9), ...range(3, 9)]);

    // Forwards from inside the handler, with the skipped records already in the log (a seek past the end would be out of range).
    seekAt = { offset: 12, to: 16 };
    await fill(producer, topic, [0], 10);
    await until(() => m.records.some((r) => r.offset === 19), { what: 'the records from the later offset' });
    expect(seekBatchEnd).toBeLessThan(16);
    expect(m.records.slice(17).map((r) => r.offset)).toEqual([...range(10, seekBatchEnd!), ...range(16, 19)]);

    const before = m.records.length;
    m.consumer.seek({ topic: other, partition: 0 }, 0);
    m.consumer.seek({ topic, partition: 5 }, 0);
    await fill(producer, topic, [0], 1);
    await until(() => m.records.some((r) => r.offset === 20), { what: 'a record after the ignored seeks' });
    expect(m.records.slice(before).map((r) => `${r.topic}/${r.partition}/${r.offset}`)).toEqual([`${topic}/0/20`]);
    expect(m.consumer.assignment()).toEqual([tp]);
    expect(m.failures).toEqual([]);
    await m.consumer.stop();
  });

  it('accepts commits made in onRevoked before rejoining, the next owner starting exactly there, and ignores commits of partitions no longer assigned', async () => {
    const topic = await createTopic(admin, topicName('revoke-commit'), 2);
    const group = topicName('connect-revoke-commit');
    let revokeOffset: number | undefined;
    const one = member(client, group, [topic], {
      clientId: 'revoke-one',
      onRevokedCommit: (parts) => (revokeOffset === undefined ? undefined : parts.map((p) => ({ ...p, offset: revokeOffset! }))),
    });
    const two = member(client, group, [topic], { clientId: 'revoke-two' });
    await fill(producer, topic, [0, 1], 10);
    await one.consumer.start(collect(one));
    await until(() => one.records.length === 20, { what: 'the first member reading both partitions' });
    await one.consumer.commit([{ topic, partition: 0, offset: 2 }, { topic, partition: 1, offset: 2 }]);
    expect(await admin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 2 }, { topic, partition: 1, offset: 2 }]);

    // A second member joins: the first one's revocation commits 4 if commits are still accepted then.
    revokeOffset = 4;
    await two.consumer.start(collect(two));
    await until(() => one.consumer.assignment().length === 1 && two.consumer.assignment().length === 1, { what: 'the partitions split between the members' });
    revokeOffset = undefined;
    expect(one.revocations.length).toBeGreaterThan(0);
    const start = one.revocations[0]!.beforeRejoin ? 4 : 2;
    const kept = one.consumer.assignment()[0]!.partition;
    const lost = two.consumer.assignment()[0]!.partition;
    expect([kept, lost].sort()).toEqual([0, 1]);
    await until(() => offsetsIn(two.records, lost).includes(9) && offsetsIn(one.records.slice(one.assignedAt.at(-1)), kept).includes(9), { what: 'both partitions read again' });
    expect(offsetsIn(two.records, lost), 'the new owner').toEqual(range(start, 9));
    expect(offsetsIn(one.records.slice(one.assignedAt.at(-1)), kept), 'the member that kept the partition').toEqual(range(start, 9));
    expect(byPartition(await admin.groupOffsets(group))).toEqual([{ topic, partition: 0, offset: start }, { topic, partition: 1, offset: start }]);

    // After the revocation: the partition the first member lost is ignored, the one it kept is committed.
    await expect(one.consumer.commit([{ topic, partition: lost, offset: 8 }])).resolves.toBeUndefined();
    await one.consumer.commit([{ topic, partition: lost, offset: 9 }, { topic, partition: kept, offset: 7 }]);
    expect(byPartition(await admin.groupOffsets(group))).toEqual(byPartition([{ topic, partition: lost, offset: start }, { topic, partition: kept, offset: 7 }]));

    // The first member stops: its revocation (beforeRejoin) commits 6, and the remaining member starts the partition exactly there.
    revokeOffset = 6;
    await one.consumer.stop();
    expect(one.revocations.at(-1)).toEqual({ beforeRejoin: true });
    expect(one.revokeCommits.at(-1)).toEqual([{ topic, partition: kept, offset: 6 }]);
    expect(byPartition(await admin.groupOffsets(group))).toEqual(byPartition([{ topic, partition: lost, offset: start }, { topic, partition: kept, offset: 6 }]));
    await until(() => two.consumer.assignment().length === 2 && offsetsIn(two.records.slice(two.assignedAt.at(-1)), kept).includes(9), { what: 'the remaining member reading the partition' });
    expect(offsetsIn(two.records.slice(two.assignedAt.at(-1)), kept)).toEqual(range(6, 9));
    expect([...one.failures, ...two.failures]).toEqual([]);
    await two.consumer.stop();
  });

  it('keeps consuming across a broker SIGKILL and restart on the same port and data, re-delivering only what was not committed', async () => {
    const dataDir = tempDir('ferry-sink-restart-');
    const first = await spawnBroker(dataDir);
    reapAfterFile(first.child);
    let second: BrokerProcess | undefined;
    const before = testClient(first.bootstrap);
    let after: KafkaClient | undefined;
    try {
      const firstAdmin = before.admin({ clientId: 'restart-admin', role: 'connector' });
      const firstProducer = before.producer({ clientId: 'restart-producer', role: 'connector' });
      const topic = await createTopic(firstAdmin, topicName('restart'), 2);
      const group = topicName('connect-restart');
      const m = member(before, group, [topic], { clientId: 'restart' });
      await fill(firstProducer, topic, [0, 1], 5);
      await m.consumer.start(collect(m));
      await until(() => m.records.length === 10, { what: 'the first records' });
      await m.consumer.commit([{ topic, partition: 0, offset: 5 }, { topic, partition: 1, offset: 5 }]);
      await fill(firstProducer, topic, [0, 1], 3);
      await until(() => m.records.length === 16, { what: 'records delivered but not committed' });

      const seenBefore = m.records.length;
      first.child.kill('SIGKILL');
      await first.exited;
      second = await spawnBroker(dataDir, first.port);
      reapAfterFile(second.child);
      after = testClient(second.bootstrap);
      const secondAdmin = after.admin({ clientId: 'restart-admin-2', role: 'connector' });
      expect(await secondAdmin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 5 }, { topic, partition: 1, offset: 5 }]);
      await fill(after.producer({ clientId: 'restart-producer-2', role: 'connector' }), topic, [0, 1], 3);
      await until(() => [0, 1].every((p) => offsetsIn(m.records.slice(seenBefore), p).includes(10)), { what: 'the records produced after the restart' });

      for (const partition of [0, 1]) {
        const again = offsetsIn(m.records.slice(seenBefore), partition);
        // Whatever is delivered again is contiguous up to the new records and starts no earlier than the committed offset.
        expect(again[0], `partition ${partition}: ${again.join(',')}`).toBeGreaterThanOrEqual(5);
        expect(again[0], `partition ${partition}: ${again.join(',')}`).toBeLessThanOrEqual(8);
        expect(again).toEqual(range(again[0]!, 10));
      }
      expect(m.failures).toEqual([]);
      await m.consumer.commit([{ topic, partition: 0, offset: 11 }, { topic, partition: 1, offset: 11 }]);
      await m.consumer.stop();
      expect(await secondAdmin.groupOffsets(group)).toEqual([{ topic, partition: 0, offset: 11 }, { topic, partition: 1, offset: 11 }]);
    } finally {
      await before.close();
      await after?.close();
      if (second && second.child.exitCode === null && second.child.signalCode === null) {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    }
  });

  for (const other of PYTHON_MEMBERS) {
    for (const leader of ['other', 'ferry'] as const) {
      const title = leader === 'other'
        ? `shares a group with a ${other.name} consumer using the range assignor: the partitions are split by range and together they read every record`
        : `leads a group a ${other.name} consumer joins: its range assignment reaches that consumer, and together they read every record`;
      it(title, async () => {
        const topic = await createTopic(admin, topicName('interop'), 4);
        const group = topicName('connect-interop');
        // The broker names members `${client.id}-${uuid}` and range gives the first member id the lower partitions;
        // the member that joins an empty group first is its leader and computes the assignment.
        const m = member(client, group, [topic], { clientId: 'interop-ferry', onRevokedCommit: 'delivered' });
        let joined = false;
        let joinError: unknown;
        const startFerry = () => {
          void m.consumer.start(collect(m)).then(() => { joined = true; }, (error: unknown) => { joinError = error ?? 'rejected'; });
        };
        if (leader === 'ferry') {
          startFerry();
          await until(() => joined || joinError !== undefined, { what: 'the ferry member leading the group' });
          if (joinError !== undefined) throw joinError;
          expect(partitionsOf(m.consumer)).toEqual([0, 1, 2, 3]);
        }
        const python = pythonMember(other, broker.bootstrap, topic, group);
        try {
          if (leader === 'other') {
            await until(() => python.failed() || python.assigned.at(-1)?.length === 4, { what: `the ${other.name} member's first assignment` });
            python.check();
            startFerry();
            await until(() => joined || joinError !== undefined || python.failed(), { timeoutMs: 10_000, what: `the ferry member joining the group of the ${other.name} member` });
            python.check();
            if (joinError !== undefined) throw joinError;
          }
          await until(() => python.failed() || (m.consumer.assignment().length === 2 && python.assigned.at(-1)?.length === 2), {
            what: 'the partitions split between the members',
          });
          python.check();
          expect(partitionsOf(m.consumer)).toEqual([0, 1]);
          expect(python.assigned.at(-1)).toEqual([2, 3]);

          await fill(producer, topic, [0, 1, 2, 3], 5);
          const seen = () => [...m.records.map(id), ...python.records.map(id)];
          await until(() => python.failed() || new Set(seen()).size === 20, { what: 'every record at one of the members' });
          python.check();
          expect(seen().sort()).toEqual([0, 1, 2, 3].flatMap((p) => range(0, 4).map((o) => `${p}/${o}`)).sort());
          expect(m.records.every((r) => r.partition < 2)).toBe(true);
          expect(python.records.every((r) => r.partition >= 2)).toBe(true);
          expect(m.failures).toEqual([]);
        } finally {
          await python.close();
          await m.consumer.stop().catch(() => {});
        }
      });
    }
  }
});

interface PythonMember {
  /** Each assignment, as partition numbers. */
  readonly assigned: number[][];
  readonly records: { partition: number; offset: number }[];
  /** true once the script reported an error or exited. */
  failed(): boolean;
  /** Throws with the script's output if it failed. */
  check(): void;
  /** Closes its standard input (it leaves the group) and waits for it to exit. */
  close(): Promise<void>;
}

function pythonMember(client: PythonClient, bootstrap: string, topic: string, group: string): PythonMember {
  const script = path.resolve(import.meta.dirname, '../../clients', client.script);
  const child = spawn('/usr/bin/python3', [script, 'member', bootstrap, topic, group, client.clientId], { stdio: ['pipe', 'pipe', 'pipe'] });
  reapAfterFile(child);
  const assigned: number[][] = [];
  const records: { partition: number; offset: number }[] = [];
  const errors: string[] = [];
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`;
    if (!line.startsWith('{')) return;
    const row = JSON.parse(line) as { assigned?: number[]; error?: string; partition?: number; offset?: number };
    if (row.assigned) assigned.push(row.assigned);
    else if (row.error !== undefined) errors.push(row.error);
    else if (row.partition !== undefined && row.offset !== undefined) records.push({ partition: row.partition, offset: row.offset });
  });
  const failed = () => errors.length > 0 || exited;
  return {
    assigned,
    records,
    failed,
    check: () => {
      if (failed()) throw new Error(`the ${client.name} member failed (${errors.join('; ') || 'exited'}):\n${output}`);
    },
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
