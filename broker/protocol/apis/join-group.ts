/**
 * JoinGroup (key 11). Advertised from v0 like Kafka. `members` is filled only in the
 * leader's response; protocol metadata bytes are opaque to the broker. protocolName defaults to ''
 * (Kafka's implicit string default) because v0–6 cannot carry null.
 */
import { array, bytes, defineApi, int16, int32, nullableString, string } from '../schema.js';

export const JoinGroup = defineApi({
  key: 11,
  name: 'JoinGroup',
  versions: [0, 7],
  flexibleSince: 6,
  request: {
    groupId: string(),
    sessionTimeoutMs: int32(),
    rebalanceTimeoutMs: int32({ since: 1, default: -1 }),
    memberId: string(),
    groupInstanceId: nullableString({ since: 5 }),
    protocolType: string(),
    protocols: array({ name: string(), metadata: bytes() }),
  },
  response: {
    throttleTimeMs: int32({ since: 2 }),
    errorCode: int16(),
    generationId: int32({ default: -1 }),
    protocolType: nullableString({ since: 7 }),
    protocolName: nullableString({ nullableSince: 7, default: '' }),
    leader: string(),
    memberId: string(),
    members: array({ memberId: string(), groupInstanceId: nullableString({ since: 5 }), metadata: bytes() }),
  },
});
