/** OffsetDelete (key 47). */
import { array, defineApi, int16, int32, string } from '../schema.js';

export const OffsetDelete = defineApi({
  key: 47,
  name: 'OffsetDelete',
  versions: [0, 0],
  request: {
    groupId: string(),
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32() }),
    }),
  },
  response: {
    errorCode: int16(),
    throttleTimeMs: int32(),
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32(), errorCode: int16() }),
    }),
  },
});
