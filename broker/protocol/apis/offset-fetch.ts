/**
 * OffsetFetch (key 9). v1–7 ask for one group at top level; v8 batches groups in `groups`.
 * A null topic list (v2+) means every partition with a committed offset.
 */
import { array, bool, defineApi, int16, int32, int64, nullableArray, nullableString, string } from '../schema.js';

export const OffsetFetch = defineApi({
  key: 9,
  name: 'OffsetFetch',
  versions: [1, 8],
  flexibleSince: 6,
  request: {
    groupId: string({ until: 7 }),
    topics: nullableArray({
      name: string(),
      partitionIndexes: array(int32()),
    }, { until: 7, nullableSince: 2 }),
    groups: array({
      groupId: string(),
      topics: nullableArray({
        name: string(),
        partitionIndexes: array(int32()),
      }),
    }, { since: 8 }),
    requireStable: bool({ since: 7 }),
  },
  response: {
    throttleTimeMs: int32({ since: 3 }),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        committedOffset: int64(),
        committedLeaderEpoch: int32({ since: 5, default: -1 }),
        metadata: nullableString(),
        errorCode: int16(),
      }),
    }, { until: 7 }),
    errorCode: int16({ since: 2, until: 7 }),
    groups: array({
      groupId: string(),
      topics: array({
        name: string(),
        partitions: array({
          partitionIndex: int32(),
          committedOffset: int64(),
          committedLeaderEpoch: int32({ default: -1 }),
          metadata: nullableString(),
          errorCode: int16(),
        }),
      }),
      errorCode: int16(),
    }, { since: 8 }),
  },
});
