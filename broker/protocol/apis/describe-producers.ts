/** DescribeProducers (key 61). Flexible in every version. */
import { array, defineApi, int16, int32, int64, nullableString, string } from '../schema.js';

export const DescribeProducers = defineApi({
  key: 61,
  name: 'DescribeProducers',
  versions: [0, 0],
  flexibleSince: 0,
  request: {
    topics: array({
      name: string(),
      partitionIndexes: array(int32()),
    }),
  },
  response: {
    throttleTimeMs: int32(),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        errorCode: int16(),
        errorMessage: nullableString(),
        activeProducers: array({
          producerId: int64(),
          producerEpoch: int32(),
          lastSequence: int32({ default: -1 }),
          lastTimestamp: int64({ default: -1 }),
          coordinatorEpoch: int32(),
          currentTxnStartOffset: int64({ default: -1 }),
        }),
      }),
    }),
  },
});
