/**
 * Writes transaction markers into the broker's own partitions (what WriteTxnMarkers does
 * between brokers, done in-process): one control batch (record-batch.ts encodeControlBatch,
 * bytes as in exactly-once reference §4.2) appended to the partition's log, whose producer
 * state then closes the transaction (last stable offset, aborted-transaction index) and wakes
 * parked fetches. A marker in a `__consumer_offsets` partition also ends the producer's pending
 * transactional offset commits there, in the same synchronous step as the append, so an
 * OffsetFetch never sees the marker without its effect.
 */
import { ERR } from '../protocol/error-codes.js';
import { encodeControlBatch, ControlRecordType } from '../protocol/record-batch.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import type { MarkerWriter } from './transaction-coordinator.js';

export interface OffsetsTransactionListener {
  completeTransaction(producerId: number, offsetsPartition: number, commit: boolean): unknown;
}

export class PartitionMarkerWriter implements MarkerWriter {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly offsetsTopic: string,
    private readonly groups: OffsetsTransactionListener,
    private readonly now: () => number,
  ) {}

  async writeMarker(topic: string, partition: number, producerId: number, producerEpoch: number, commit: boolean,
    coordinatorEpoch: number): Promise<number> {
    const log = this.topics.partition(topic, partition);
    if (!log) return ERR.UNKNOWN_TOPIC_OR_PARTITION;
    const now = this.now();
    const marker = encodeControlBatch({
      type: commit ? ControlRecordType.Commit : ControlRecordType.Abort, producerId, producerEpoch, coordinatorEpoch, now,
    });
    const result = log.append(marker, { now, logAppendTime: log.config.logAppendTime });
    if (!result.ok) return result.errorCode;
    if (topic === this.offsetsTopic) this.groups.completeTransaction(producerId, partition, commit);
    if (log.needsFlushBeforeAck()) await log.flush();
    return ERR.NONE;
  }
}
