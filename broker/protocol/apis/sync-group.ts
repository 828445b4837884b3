/** SyncGroup (key 14). Only the leader sends assignments; assignment bytes are opaque. */
import { array, bytes, defineApi, int16, int32, nullableString, string } from '../schema.js';

export const SyncGroup = defineApi({
  key: 14,
  name: 'SyncGroup',
  versions: [0, 5],
  flexibleSince: 4,
  request: {
    groupId: string(),
    generationId: int32(),
    memberId: string(),
    groupInstanceId: nullableString({ since: 3 }),
    protocolType: nullableString({ since: 5 }),
    protocolName: nullableString({ since: 5 }),
    assignments: array({ memberId: string(), assignment: bytes() }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16(),
    protocolType: nullableString({ since: 5 }),
    protocolName: nullableString({ since: 5 }),
    assignment: bytes(),
  },
});
