/**
 * The `__consumer_offsets` store as the log sees it: plain appends made in one event-loop
 * turn land as one batch per partition, in call order, and are answered only once they are
 * in the log; a transactional append never overtakes plain appends made before it; replay returns
 * every record in the order the calls were made.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TopicRegistry } from '../../../broker/topics/topic-registry.js';
import { batchesIn, decodeBatch } from '../../../broker/protocol/record-batch.js';
import { ConsumerOffsetsStore, COALESCE_MAX_BYTES, CONSUMER_OFFSETS_TOPIC } from '../../../broker/server/consumer-offsets-store.js';
import { partitionFor } from '../../../broker/groups/partition-for.js';
import type { GroupStoreRecord } from '../../../broker/groups/group-store.js';
import { tempDir } from '../../helpers/temp-dir.js';

const PARTITIONS = 4;

let topics: TopicRegistry;
let store: ConsumerOffsetsStore;

beforeEach(async () => {
  topics = await TopicRegistry.open({ dataDir: tempDir('ferry-offsets-store-'), logger: pino({ level: 'silent' }), scheduler: false });
  topics.ensureInternalTopic(CONSUMER_OFFSETS_TOPIC, PARTITIONS, { 'cleanup.policy': 'compact' });
  store = new ConsumerOffsetsStore(topics, PARTITIONS, () => 1_700_000_000_000);
});

afterEach(async () => {
  await topics.close();
});

/** A group id that lands in `partition` of the offsets topic. */
function groupIn(partition: number, n = 0): string {
  for (let i = 0; ; i++) {
    const id = `g-${n}-${i}`;
    if (partitionFor(id, PARTITIONS) === partition) return id;
  }
}

const write = (groupId: string, key: string, value = 'v') => ({ groupId, key: Buffer.from(key), value: Buffer.from(value) });

/** Batches of one offsets partition: each batch's keys (and whether it is transactional). */
function batches(partition: number): { keys: string[]; transactional: boolean }[] {
  const log = topics.partition(CONSUMER_OFFSETS_TOPIC, partition)!;
  const read = log.read(0, 1 << 24, { minOneBatch: true });
  if ('error' in read) throw new Error(read.error);
  return [...batchesIn(read.records)].map(({ at, size }) => {
    const { header, records } = decodeBatch(read.records.subarray(at, at + size));
    return { keys: records.map((r) => r.key!.toString()), transactional: header.isTransactional };
  });
}

describe('ConsumerOffsetsStore', () => {
  it('writes the appends of one turn as one batch per partition, in call order, before answering them', async () => {
    const a = groupIn(0, 1);
    const b = groupIn(0, 2);
    const c = groupIn(1, 3);
    /** What the log held when each call was answered. */
    const seen = new Map<string, number>();
    const answered = (name: string) => () => { seen.set(name, batches(0).length + batches(1).length); };
    const calls = [
      store.append([write(a, 'a1')]).then(answered('a1')),
      store.append([write(b, 'b1'), write(c, 'c1')]).then(answered('b1+c1')),
      store.append([write(a, 'a2')]).then(answered('a2')),
    ];
    await Promise.resolve();
    expect(seen.size).toBe(0);
    expect(batches(0)).toEqual([]);
    await Promise.all(calls);
    expect(Object.fromEntries(seen)).toEqual({ 'a1': 2, 'b1+c1': 2, 'a2': 2 });
    expect(batches(0)).toEqual([{ keys: ['a1', 'b1', 'a2'], transactional: false }]);
    expect(batches(1)).toEqual([{ keys: ['c1'], transactional: false }]);

    await store.append([write(a, 'a3')]);
    expect(batches(0).map((x) => x.keys)).toEqual([['a1', 'b1', 'a2'], ['a3']]);
  });

  it('writes the open batch before a transactional append, so a later transactional commit lands after it', async () => {
    const g = groupIn(2);
    const plain = store.append([write(g, 'plain')]);
    const txn = store.append([write(g, 'txn')], { producerId: 7, producerEpoch: 0 });
    await Promise.all([plain, txn]);
    expect(batches(2)).toEqual([{ keys: ['plain'], transactional: false }, { keys: ['txn'], transactional: true }]);
    const replayed = [...store.readAll()].filter((e): e is GroupStoreRecord => 'key' in e);
    expect(replayed.map((e) => [e.key.toString(), e.txn?.producerId])).toEqual([['plain', undefined], ['txn', 7]]);
  });

  it('starts another batch once the open one holds COALESCE_MAX_BYTES, keeping one call in one batch', async () => {
    const g = groupIn(3);
    const value = 'x'.repeat(COALESCE_MAX_BYTES / 4);
    await Promise.all([
      store.append([write(g, 'k1', value), write(g, 'k2', value)]),
      store.append([write(g, 'k3', value), write(g, 'k4', value)]),
      store.append([write(g, 'k5', value)]),
    ]);
    expect(batches(3).map((x) => x.keys)).toEqual([['k1', 'k2'], ['k3', 'k4', 'k5']]);
  });

  it('rejects every call of a batch the log refuses (nothing of it written)', async () => {
    const g = groupIn(0);
    const first = store.append([write(g, 'k1')]);
    const second = store.append([write(g, 'k2')]);
    const closing = topics.partition(CONSUMER_OFFSETS_TOPIC, 0)!.close();
    await expect(first).rejects.toThrow(/closed/);
    await expect(second).rejects.toThrow(/closed/);
    await closing;
    expect(topics.partition(CONSUMER_OFFSETS_TOPIC, 0)!.logEndOffset).toBe(0);
  });
});
