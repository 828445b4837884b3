/**
 * CreateTopics (key 19). numPartitions / replicationFactor -1 = broker default; the v5+
 * response echoes the resulting partition count, replication factor and configs.
 */
import { array, bool, defineApi, int8, int16, int32, nullableArray, nullableString, string, uuid } from '../schema.js';

export const CreateTopics = defineApi({
  key: 19,
  name: 'CreateTopics',
  versions: [2, 7],
  flexibleSince: 5,
  request: {
    topics: array({
      name: string(),
      numPartitions: int32(),
      replicationFactor: int16(),
      assignments: array({
        partitionIndex: int32(),
        brokerIds: array(int32()),
      }),
      configs: array({ name: string(), value: nullableString() }),
    }),
    timeoutMs: int32({ default: 60000 }),
    validateOnly: bool({ since: 1 }),
  },
  response: {
    throttleTimeMs: int32({ since: 2 }),
    topics: array({
      name: string(),
      topicId: uuid({ since: 7 }),
      errorCode: int16(),
      errorMessage: nullableString({ since: 1 }),
      topicConfigErrorCode: int16({ since: 5, tag: 0 }),
      numPartitions: int32({ since: 5, default: -1 }),
      replicationFactor: int16({ since: 5, default: -1 }),
      configs: nullableArray({
        name: string(),
        value: nullableString(),
        readOnly: bool(),
        configSource: int8({ default: -1 }),
        isSensitive: bool(),
      }, { since: 5 }),
    }),
  },
});
