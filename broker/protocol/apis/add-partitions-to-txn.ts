/**
 * AddPartitionsToTxn (key 24). Only the client form of v0–3; the v4+ batched broker form
 * is not served. Kafka prefixes the v0–3 field names with "V3AndBelow"; kept for cross-checking.
 */
import { array, defineApi, int16, int32, int64, string } from '../schema.js';

export const AddPartitionsToTxn = defineApi({
  key: 24,
  name: 'AddPartitionsToTxn',
  versions: [0, 3],
  flexibleSince: 3,
  request: {
    v3AndBelowTransactionalId: string({ until: 3 }),
    v3AndBelowProducerId: int64({ until: 3 }),
    v3AndBelowProducerEpoch: int16({ until: 3 }),
    v3AndBelowTopics: array({
      name: string(),
      partitions: array(int32()),
    }, { until: 3 }),
  },
  response: {
    throttleTimeMs: int32(),
    resultsByTopicV3AndBelow: array({
      name: string(),
      resultsByPartition: array({ partitionIndex: int32(), partitionErrorCode: int16() }),
    }, { until: 3 }),
  },
});
