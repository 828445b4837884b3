/** Heartbeat (key 12). */
import { defineApi, int16, int32, nullableString, string } from '../schema.js';

export const Heartbeat = defineApi({
  key: 12,
  name: 'Heartbeat',
  versions: [0, 4],
  flexibleSince: 4,
  request: {
    groupId: string(),
    generationId: int32(),
    memberId: string(),
    groupInstanceId: nullableString({ since: 3 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16(),
  },
});
