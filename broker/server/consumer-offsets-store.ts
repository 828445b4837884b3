/**
 * The group coordinator's store, backed by the compacted `__consumer_offsets` topic: each
 * record goes to partition partitionFor(groupId), one batch per partition per append, in
 * call order. `readAll` replays the topic in offset order to restore committed offsets.
 */
import type { GroupStore, GroupStoreRecord, GroupStoreWrite } from '../groups/group-store.js';
import { partitionFor } from '../groups/partition-for.js';
import { batchesIn, decodeBatch, encodeBatch } from '../protocol/record-batch.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import type { PartitionLog } from '../log/partition-log.js';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
const READ_CHUNK = 4 * 1024 * 1024;

export class ConsumerOffsetsStore implements GroupStore {
  constructor(private readonly topics: TopicRegistry, private readonly partitions: number, private readonly now: () => number) {}

  async append(records: GroupStoreWrite[]): Promise<void> {
    const byPartition = new Map<number, GroupStoreWrite[]>();
    for (const r of records) {
      const p = partitionFor(r.groupId, this.partitions);
      const list = byPartition.get(p) ?? [];
      list.push(r);
      byPartition.set(p, list);
    }
    const flushes: Promise<void>[] = [];
    for (const [p, list] of byPartition) {
      const log = this.log(p);
      const batch = encodeBatch({ records: list.map((r) => ({ key: r.key, value: r.value })), now: this.now() });
      const result = log.append(batch, { now: this.now(), logAppendTime: false });
      if (!result.ok) throw new Error(`could not write ${CONSUMER_OFFSETS_TOPIC}-${p}: ${result.message}`);
      if (log.needsFlushBeforeAck()) flushes.push(log.flush());
    }
    await Promise.all(flushes);
  }

  *readAll(): Generator<GroupStoreRecord> {
    for (let p = 0; p < this.partitions; p++) {
      const log = this.log(p);
      let offset = log.logStartOffset;
      while (offset < log.logEndOffset) {
        const read = log.read(offset, READ_CHUNK, { minOneBatch: true });
        if ('error' in read || read.records.length === 0) break;
        for (const { at, size } of batchesIn(read.records)) {
          const { header, records } = decodeBatch(read.records.subarray(at, at + size));
          for (const r of records) {
            if (r.offset >= offset && r.key) yield { key: Buffer.from(r.key), value: r.value ? Buffer.from(r.value) : null };
          }
          offset = header.nextOffset;
        }
      }
    }
  }

  private log(partition: number): PartitionLog {
    const log = this.topics.partition(CONSUMER_OFFSETS_TOPIC, partition);
    if (!log) throw new Error(`${CONSUMER_OFFSETS_TOPIC}-${partition} is missing`);
    return log;
  }
}
