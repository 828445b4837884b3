/**
 * ListOffsets (key 2). Timestamps -1 (latest), -2 (earliest), -3 (max timestamp, v7+).
 * v0 (maxNumOffsets, oldStyleOffsets) is declared but not served.
 */
import { array, defineApi, int8, int16, int32, int64, string } from '../schema.js';

export const ListOffsets = defineApi({
  key: 2,
  name: 'ListOffsets',
  versions: [1, 7],
  flexibleSince: 6,
  request: {
    replicaId: int32(),
    isolationLevel: int8({ since: 2 }),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        currentLeaderEpoch: int32({ since: 4, default: -1 }),
        timestamp: int64(),
        maxNumOffsets: int32({ until: 0, default: 1 }),
      }),
    }),
  },
  response: {
    throttleTimeMs: int32({ since: 2 }),
    topics: array({
      name: string(),
      partitions: array({
        partitionIndex: int32(),
        errorCode: int16(),
        oldStyleOffsets: array(int64(), { until: 0 }),
        timestamp: int64({ since: 1, default: -1 }),
        offset: int64({ since: 1, default: -1 }),
        leaderEpoch: int32({ since: 4, default: -1 }),
      }),
    }),
  },
});
