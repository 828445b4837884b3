/**
 * Fetch (key 1). Capped at v12: v13+ names topics by id. The divergingEpoch, currentLeader and
 * snapshotId tags serve followers and stay absent (null) for consumers.
 */
import { array, defineApi, int8, int16, int32, int64, nullableArray, nullableString, records, string, struct } from '../schema.js';

export const Fetch = defineApi({
  key: 1,
  name: 'Fetch',
  versions: [4, 12],
  flexibleSince: 12,
  request: {
    clusterId: nullableString({ since: 12, tag: 0 }),
    replicaId: int32({ until: 14, default: -1 }),
    maxWaitMs: int32(),
    minBytes: int32(),
    maxBytes: int32({ since: 3, default: 2147483647 }),
    isolationLevel: int8({ since: 4 }),
    sessionId: int32({ since: 7 }),
    sessionEpoch: int32({ since: 7, default: -1 }),
    topics: array({
      topic: string({ until: 12 }),
      partitions: array({
        partition: int32(),
        currentLeaderEpoch: int32({ since: 9, default: -1 }),
        fetchOffset: int64(),
        lastFetchedEpoch: int32({ since: 12, default: -1 }),
        logStartOffset: int64({ since: 5, default: -1 }),
        partitionMaxBytes: int32(),
      }),
    }),
    forgottenTopicsData: array({
      topic: string({ until: 12 }),
      partitions: array(int32()),
    }, { since: 7 }),
    rackId: string({ since: 11 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16({ since: 7 }),
    sessionId: int32({ since: 7 }),
    responses: array({
      topic: string({ until: 12 }),
      partitions: array({
        partitionIndex: int32(),
        errorCode: int16(),
        highWatermark: int64(),
        lastStableOffset: int64({ since: 4, default: -1 }),
        logStartOffset: int64({ since: 5, default: -1 }),
        divergingEpoch: struct({
          epoch: int32({ default: -1 }),
          endOffset: int64({ default: -1 }),
        }, { since: 12, tag: 0 }),
        currentLeader: struct({
          leaderId: int32({ default: -1 }),
          leaderEpoch: int32({ default: -1 }),
        }, { since: 12, tag: 1 }),
        snapshotId: struct({ endOffset: int64({ default: -1 }), epoch: int32({ default: -1 }) }, { since: 12, tag: 2 }),
        abortedTransactions: nullableArray({ producerId: int64(), firstOffset: int64() }, { since: 4 }),
        preferredReadReplica: int32({ since: 11, default: -1 }),
        records: records(),
      }),
    }),
  },
});
