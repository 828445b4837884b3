/**
 * The group coordinator's store, backed by the compacted `__consumer_offsets` topic: each
 * record goes to partition partitionFor(groupId), one batch per partition per append, in
 * call order (transactional commits as a transactional batch of their producer). `readAll`
 * replays the topic in offset order, markers included, to restore committed and pending offsets.
 */
import type { GroupStore, GroupStoreEntry, GroupStoreProducer, GroupStoreWrite } from '../groups/group-store.js';
import { partitionFor } from '../groups/partition-for.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import { InternalTopicLog } from './internal-topic-log.js';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

export class ConsumerOffsetsStore implements GroupStore {
  readonly log: InternalTopicLog;

  constructor(topics: TopicRegistry, partitions: number, now: () => number) {
    this.log = new InternalTopicLog(topics, CONSUMER_OFFSETS_TOPIC, partitions, now);
  }

  async append(records: GroupStoreWrite[], producer?: GroupStoreProducer): Promise<void> {
    const byPartition = new Map<number, GroupStoreWrite[]>();
    for (const r of records) {
      const p = partitionFor(r.groupId, this.log.partitions);
      const list = byPartition.get(p) ?? [];
      list.push(r);
      byPartition.set(p, list);
    }
    const flushes: Promise<void>[] = [];
    for (const [p, list] of byPartition) {
      flushes.push(this.log.append(p, list.map((r) => ({ key: r.key, value: r.value })), producer));
    }
    await Promise.all(flushes);
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
