/** DeleteGroups (key 42). */
import { array, defineApi, int16, int32, string } from '../schema.js';

export const DeleteGroups = defineApi({
  key: 42,
  name: 'DeleteGroups',
  versions: [0, 2],
  flexibleSince: 2,
  request: {
    groupsNames: array(string()),
  },
  response: {
    throttleTimeMs: int32(),
    results: array({ groupId: string(), errorCode: int16() }),
  },
});
