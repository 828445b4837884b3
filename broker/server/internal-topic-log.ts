/**
 * The broker's own compacted topics (`__consumer_offsets`, `__transaction_state`) as the
 * coordinators use them: keyed records appended as one batch per partition, and a replay of
 * every partition in offset order on start.
 *
 * Appends are synchronous log appends (bytes are in the page cache when `append` returns, so
 * they survive a process kill); the returned promise resolves once the partition's flush
 * policy is satisfied. Appends therefore become durable in call order. A rejected append wrote
 * nothing and carries the log's error code (`InternalAppendError.errorCode`).
 *
 * Records may belong to a producer's transaction (TxnOffsetCommit): the batch then carries the
 * producer id and epoch with the transactional bit (and a sequence of its own, see
 * nextSequence), and replay reports the producer id with each record and the markers it meets.
 */
import { batchesIn, controlRecordType, decodeBatch, encodeBatch, encodeControlBatch, type ControlRecordType } from '../protocol/record-batch.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import type { PartitionLog } from '../log/partition-log.js';

const READ_CHUNK = 4 * 1024 * 1024;

export interface TransactionalProducer {
  producerId: number;
  producerEpoch: number;
}

export type ReplayedEntry =
  | { kind: 'record'; partition: number; key: Buffer; value: Buffer | null; producerId: number; transactional: boolean }
  | { kind: 'marker'; partition: number; producerId: number; commit: boolean };

export class InternalAppendError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

export class InternalTopicLog {
  constructor(
    private readonly topics: TopicRegistry,
    readonly topic: string,
    readonly partitions: number,
    private readonly now: () => number,
  ) {}

  /** Appends the records to one partition as one batch; see the header for durability. */
  append(partition: number, records: { key: Buffer; value: Buffer | null }[], producer?: TransactionalProducer): Promise<void> {
    const batch = encodeBatch({
      records,
      now: this.now(),
      ...(producer && {
        producerId: producer.producerId, producerEpoch: producer.producerEpoch, transactional: true,
        baseSequence: this.nextSequence(partition, producer),
      }),
    });
    return this.write(partition, batch);
  }

  /**
   * The sequence the producer's next batch in this partition continues with. Kafka's
   * coordinators write without sequences; ferry's logs (recovery, the cleaner) accept producer
   * batches only with one, so the coordinator numbers its own batches per producer and epoch.
   */
  private nextSequence(partition: number, producer: TransactionalProducer): number {
    const entry = this.log(partition).producers.entry(producer.producerId);
    const last = entry?.epoch === producer.producerEpoch ? entry.batches.at(-1) : undefined;
    return last === undefined ? 0 : (last.lastSeq + 1) % 2147483648;
  }

  /** Appends a transaction marker to one partition (the coordinator's write of §4.2). */
  appendMarker(partition: number, type: ControlRecordType, producer: TransactionalProducer, coordinatorEpoch: number): Promise<void> {
    return this.write(partition, encodeControlBatch({ type, ...producer, coordinatorEpoch, now: this.now() }));
  }

  private write(partition: number, batch: Buffer): Promise<void> {
    const log = this.log(partition);
    const result = log.append(batch, { now: this.now(), logAppendTime: false });
    if (!result.ok) {
      return Promise.reject(new InternalAppendError(result.errorCode, `could not write ${this.topic}-${partition}: ${result.message}`));
    }
    return log.needsFlushBeforeAck() ? log.flush() : Promise.resolve();
  }

  /** Every keyed record and every transaction marker, partition by partition, in offset order. */
  *replay(): Generator<ReplayedEntry> {
    for (let p = 0; p < this.partitions; p++) {
      const log = this.log(p);
      let offset = log.logStartOffset;
      while (offset < log.logEndOffset) {
        const read = log.read(offset, READ_CHUNK, { minOneBatch: true });
        if ('error' in read || read.records.length === 0) break;
        for (const { at, size } of batchesIn(read.records)) {
          const { header, records } = decodeBatch(read.records.subarray(at, at + size));
          if (header.isControl) {
            const type = records[0] === undefined ? null : controlRecordType(records[0]);
            if (type === 0 || type === 1) yield { kind: 'marker', partition: p, producerId: header.producerId, commit: type === 1 };
          } else {
            for (const r of records) {
              if (r.offset >= offset && r.key) {
                yield {
                  kind: 'record', partition: p, key: Buffer.from(r.key), value: r.value ? Buffer.from(r.value) : null,
                  producerId: header.producerId, transactional: header.isTransactional,
                };
              }
            }
          }
          offset = header.nextOffset;
        }
      }
    }
  }

  log(partition: number): PartitionLog {
    const log = this.topics.partition(this.topic, partition);
    if (!log) throw new Error(`${this.topic}-${partition} is missing`);
    return log;
  }
}
