/**
 * DescribeGroups (key 15). groupState uses Kafka's exact spellings (Empty, Stable, Dead, ...);
 * authorizedOperations -2147483648 = not requested.
 */
import { array, bool, bytes, defineApi, int16, int32, nullableString, string } from '../schema.js';

export const DescribeGroups = defineApi({
  key: 15,
  name: 'DescribeGroups',
  versions: [0, 5],
  flexibleSince: 5,
  request: {
    groups: array(string()),
    includeAuthorizedOperations: bool({ since: 3 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    groups: array({
      errorCode: int16(),
      groupId: string(),
      groupState: string(),
      protocolType: string(),
      protocolData: string(),
      members: array({
        memberId: string(),
        groupInstanceId: nullableString({ since: 4 }),
        clientId: string(),
        clientHost: string(),
        memberMetadata: bytes(),
        memberAssignment: bytes(),
      }),
      authorizedOperations: int32({ since: 3, default: -2147483648 }),
    }),
  },
});
