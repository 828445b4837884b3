/**
 * FindCoordinator (key 10). keyType 0 = group, 1 = transaction. v0–3 look up one `key`;
 * v4 batches them in coordinatorKeys and answers with one `coordinators` entry per key.
 */
import { array, defineApi, int8, int16, int32, nullableString, string } from '../schema.js';

export const FindCoordinator = defineApi({
  key: 10,
  name: 'FindCoordinator',
  versions: [0, 4],
  flexibleSince: 3,
  request: {
    key: string({ until: 3 }),
    keyType: int8({ since: 1 }),
    coordinatorKeys: array(string(), { since: 4 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16({ until: 3 }),
    errorMessage: nullableString({ since: 1, until: 3 }),
    nodeId: int32({ until: 3 }),
    host: string({ until: 3 }),
    port: int32({ until: 3 }),
    coordinators: array({
      key: string(),
      nodeId: int32(),
      host: string(),
      port: int32(),
      errorCode: int16(),
      errorMessage: nullableString(),
    }, { since: 4 }),
  },
});
