/** Metadata (key 3). v0: empty topic list = all topics; v1+: null = all, empty = none. */
import { array, bool, defineApi, int16, int32, nullableArray, nullableString, string, uuid } from '../schema.js';

export const Metadata = defineApi({
  key: 3,
  name: 'Metadata',
  versions: [0, 9],
  flexibleSince: 9,
  request: {
    topics: nullableArray({
      topicId: uuid({ since: 10 }),
      name: nullableString({ nullableSince: 10 }),
    }, { nullableSince: 1 }),
    allowAutoTopicCreation: bool({ since: 4, default: true }),
    includeClusterAuthorizedOperations: bool({ since: 8, until: 10 }),
    includeTopicAuthorizedOperations: bool({ since: 8 }),
  },
  response: {
    throttleTimeMs: int32({ since: 3 }),
    brokers: array({
      nodeId: int32(),
      host: string(),
      port: int32(),
      rack: nullableString({ since: 1 }),
    }),
    clusterId: nullableString({ since: 2 }),
    controllerId: int32({ since: 1, default: -1 }),
    topics: array({
      errorCode: int16(),
      name: nullableString({ nullableSince: 12 }),
      topicId: uuid({ since: 10 }),
      isInternal: bool({ since: 1 }),
      partitions: array({
        errorCode: int16(),
        partitionIndex: int32(),
        leaderId: int32(),
        leaderEpoch: int32({ since: 7, default: -1 }),
        replicaNodes: array(int32()),
        isrNodes: array(int32()),
        offlineReplicas: array(int32(), { since: 5 }),
      }),
      topicAuthorizedOperations: int32({ since: 8, default: -2147483648 }),
    }),
    clusterAuthorizedOperations: int32({ since: 8, until: 10, default: -2147483648 }),
  },
});
