/**
 * The group coordinator's store, backed by the compacted `__consumer_offsets` topic: each
 * record goes to partition partitionFor(groupId), in call order (transactional commits as a
 * transactional batch of their producer). `readAll` replays the topic in offset order,
 * markers included, to restore committed and pending offsets.
 *
 * Plain appends (offset commits, group metadata, tombstones) made in one turn of the event
 * loop are coalesced: the records bound for one partition wait in an open batch, written as
 * one log batch once the turn's I/O callbacks have run (setImmediate), as Kafka's coordinator
 * runtime lingers to batch its writes. A hundred members committing at once then cost one
 * batch encoding, one log append and one write instead of a hundred. Nothing is acknowledged
 * before its batch is in the log (and flushed, where the partition's flush policy asks), so
 * an answered commit is as durable as before. Invariants:
 * - call order per partition: an open batch is written before anything appended after it
 *   (a later call's records join it or follow it; a transactional append writes every open
 *   batch first, so a plain commit never lands after a later transactional one);
 * - one call's records for a partition stay in one batch, so a rejected call wrote none of
 *   them. The log refuses a plain batch only as a whole (a closed log, a storage error),
 *   which every call in it shares, so a refused batch rejects all of its calls;
 * - an open batch holds at most COALESCE_MAX_BYTES of keys and values, so a burst of
 *   commits still makes batches of ordinary size; one call may exceed it alone.
 */
import type { GroupStore, GroupStoreEntry, GroupStoreProducer, GroupStoreWrite } from '../groups/group-store.js';
import { partitionFor } from '../groups/partition-for.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import { InternalTopicLog } from './internal-topic-log.js';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

/** Keys plus values an open batch may collect before it is written at once. */
export const COALESCE_MAX_BYTES = 64 * 1024;

type LogRecord = { key: Buffer; value: Buffer | null };

/** One append call's records for one partition, and how to answer it. */
interface Waiting {
  records: LogRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface OpenBatch {
  calls: Waiting[];
  bytes: number;
}

const recordBytes = (records: LogRecord[]): number =>
  records.reduce((n, r) => n + r.key.length + (r.value?.length ?? 0), 0);

export class ConsumerOffsetsStore implements GroupStore {
  readonly log: InternalTopicLog;
  private readonly open = new Map<number, OpenBatch>();
  private writeScheduled = false;

  constructor(topics: TopicRegistry, partitions: number, now: () => number) {
    this.log = new InternalTopicLog(topics, CONSUMER_OFFSETS_TOPIC, partitions, now);
  }

  append(records: GroupStoreWrite[], producer?: GroupStoreProducer): Promise<void> {
    const byPartition = new Map<number, LogRecord[]>();
    for (const r of records) {
      const p = partitionFor(r.groupId, this.log.partitions);
      let list = byPartition.get(p);
      if (!list) {
        list = [];
        byPartition.set(p, list);
      }
      list.push({ key: r.key, value: r.value });
    }
    if (producer) {
      this.writeOpenBatches();
      return settleAll([...byPartition].map(([p, list]) => this.appendNow(p, list, producer)));
    }
    const done: Promise<void>[] = [];
    for (const [p, list] of byPartition) done.push(this.enqueue(p, list));
    return settleAll(done);
  }

  private enqueue(partition: number, records: LogRecord[]): Promise<void> {
    const bytes = recordBytes(records);
    const current = this.open.get(partition);
    if (current && current.bytes + bytes > COALESCE_MAX_BYTES) this.writeBatch(partition);
    return new Promise((resolve, reject) => {
      let batch = this.open.get(partition);
      if (!batch) {
        batch = { calls: [], bytes: 0 };
        this.open.set(partition, batch);
      }
      batch.calls.push({ records, resolve, reject });
      batch.bytes += bytes;
      if (!this.writeScheduled) {
        this.writeScheduled = true;
        setImmediate(() => {
          this.writeScheduled = false;
          this.writeOpenBatches();
        });
      }
    });
  }

  private writeOpenBatches(): void {
    for (const partition of [...this.open.keys()]) this.writeBatch(partition);
  }

  private writeBatch(partition: number): void {
    const batch = this.open.get(partition);
    if (!batch) return;
    this.open.delete(partition);
    const { calls } = batch;
    const records = calls.length === 1 ? calls[0]!.records : calls.flatMap((c) => c.records);
    this.appendNow(partition, records).then(
      () => { for (const c of calls) c.resolve(); },
      (err: unknown) => { for (const c of calls) c.reject(err); },
    );
  }

  /** One log batch now; the promise settles once it is durable (or refused). */
  private appendNow(partition: number, records: LogRecord[], producer?: GroupStoreProducer): Promise<void> {
    try {
      return this.log.append(partition, records, producer);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  *readAll(): Generator<GroupStoreEntry> {
    for (const e of this.log.replay()) {
      if (e.kind === 'marker') {
        yield { marker: { producerId: e.producerId, partition: e.partition, commit: e.commit } };
      } else {
        yield { key: e.key, value: e.value, ...(e.transactional && { txn: { producerId: e.producerId, partition: e.partition } }) };
      }
    }
  }
}

function settleAll(done: Promise<void>[]): Promise<void> {
  return done.length === 1 ? done[0]! : Promise.all(done).then(() => undefined);
}
