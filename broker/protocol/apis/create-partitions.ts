/** CreatePartitions (key 37). `count` is the new total partition count. */
import { array, bool, defineApi, int16, int32, nullableArray, nullableString, string } from '../schema.js';

export const CreatePartitions = defineApi({
  key: 37,
  name: 'CreatePartitions',
  versions: [0, 3],
  flexibleSince: 2,
  request: {
    topics: array({
      name: string(),
      count: int32(),
      assignments: nullableArray({
        brokerIds: array(int32()),
      }),
    }),
    timeoutMs: int32(),
    validateOnly: bool(),
  },
  response: {
    throttleTimeMs: int32(),
    results: array({ name: string(), errorCode: int16(), errorMessage: nullableString() }),
  },
});
