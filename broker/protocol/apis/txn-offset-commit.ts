/** TxnOffsetCommit (key 28). Offsets become visible when the transaction commits. */
import { array, defineApi, int16, int32, int64, nullableString, string } from '../schema.js';

export const TxnOffsetCommit = defineApi({
  key: 28,
  name: 'TxnOffsetCommit',
  versions: [0, 3],
  flexibleSince: 3,
  request: {
    transactionalId: string(),
    groupId: string(),
    producerId: int64(),
    producerEpoch: int16(),
    generationId: int32({ since: 3, default: -1 }),
    memberId: string({ since: 3 }),
    groupInstanceId: nullableString({ since: 3 }),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        committedOffset: int64(),
        committedLeaderEpoch: int32({ since: 2, default: -1 }),
        committedMetadata: nullableString(),
      }),
    }),
  },
  response: {
    throttleTimeMs: int32(),
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32(), errorCode: int16() }),
    }),
  },
});
