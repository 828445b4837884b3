/**
 * DescribeProducers (exactly-once reference §2.10, KIP-664): each partition's producer state,
 * with the first offset of a producer's open transaction (-1 when none), as
 * `kafka-transactions.sh find-hanging` reads it.
 */
import { DescribeProducers } from '../../protocol/apis/describe-producers.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function describeProducersHandler(ctx: BrokerContext): ApiHandler {
  return handler(DescribeProducers, (req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const log = ctx.topics.partition(t.name, partitionIndex);
        if (!log) return { partitionIndex, errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] };
        return {
          partitionIndex,
          errorCode: ERR.NONE,
          errorMessage: null,
          activeProducers: log.activeProducers().map((p) => ({
            producerId: p.producerId,
            producerEpoch: p.epoch,
            lastSequence: p.batches.at(-1)?.lastSeq ?? -1,
            lastTimestamp: p.lastTimestamp,
            coordinatorEpoch: p.coordinatorEpoch,
            currentTxnStartOffset: p.currentTxnFirstOffset,
          })),
        };
      }),
    })),
  }));
}
