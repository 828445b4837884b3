/** LeaveGroup (key 13). v0–2 carry one memberId; v3+ a `members` batch with per-member errors. */
import { array, defineApi, int16, int32, nullableString, string } from '../schema.js';

export const LeaveGroup = defineApi({
  key: 13,
  name: 'LeaveGroup',
  versions: [0, 4],
  flexibleSince: 4,
  request: {
    groupId: string(),
    memberId: string({ until: 2 }),
    members: array({ memberId: string(), groupInstanceId: nullableString() }, { since: 3 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16(),
    members: array({ memberId: string(), groupInstanceId: nullableString(), errorCode: int16() }, { since: 3 }),
  },
});
