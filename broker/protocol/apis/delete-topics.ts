/** DeleteTopics (key 20). v1–5 name topics in topicNames; v6 in `topics` (name or topic id). */
import { array, defineApi, int16, int32, nullableString, string, uuid } from '../schema.js';

export const DeleteTopics = defineApi({
  key: 20,
  name: 'DeleteTopics',
  versions: [1, 6],
  flexibleSince: 4,
  request: {
    topics: array({ name: nullableString(), topicId: uuid() }, { since: 6 }),
    topicNames: array(string(), { until: 5 }),
    timeoutMs: int32(),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    responses: array({
      name: nullableString({ nullableSince: 6 }),
      topicId: uuid({ since: 6 }),
      errorCode: int16(),
      errorMessage: nullableString({ since: 5 }),
    }),
  },
});
