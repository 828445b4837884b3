/** ListGroups (key 16). statesFilter and groupState exist from v4. */
import { array, defineApi, int16, int32, string } from '../schema.js';

export const ListGroups = defineApi({
  key: 16,
  name: 'ListGroups',
  versions: [0, 4],
  flexibleSince: 3,
  request: {
    statesFilter: array(string(), { since: 4 }),
  },
  response: {
    throttleTimeMs: int32({ since: 1 }),
    errorCode: int16(),
    groups: array({ groupId: string(), protocolType: string(), groupState: string({ since: 4 }) }),
  },
});
