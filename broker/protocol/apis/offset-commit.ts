/**
 * OffsetCommit (key 8). generationIdOrMemberEpoch -1 with an empty memberId is a "simple"
 * commit outside a group. retentionTimeMs (v2–4) is ignored; v0–1 fields are declared but not served.
 */
import { array, defineApi, int16, int32, int64, nullableString, string } from '../schema.js';

export const OffsetCommit = defineApi({
  key: 8,
  name: 'OffsetCommit',
  versions: [2, 8],
  flexibleSince: 8,
  request: {
    groupId: string(),
    generationIdOrMemberEpoch: int32({ since: 1, default: -1 }),
    memberId: string({ since: 1 }),
    groupInstanceId: nullableString({ since: 7 }),
    retentionTimeMs: int64({ since: 2, until: 4, default: -1 }),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        committedOffset: int64(),
        committedLeaderEpoch: int32({ since: 6, default: -1 }),
        commitTimestamp: int64({ since: 1, until: 1, default: -1 }),
        committedMetadata: nullableString(),
      }),
    }),
  },
  response: {
    throttleTimeMs: int32({ since: 3 }),
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32(), errorCode: int16() }),
    }),
  },
});
