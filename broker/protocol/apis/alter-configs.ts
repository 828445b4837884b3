/** AlterConfigs (key 33). Replaces the whole config set of each resource. */
import { array, bool, defineApi, int8, int16, int32, nullableString, string } from '../schema.js';

export const AlterConfigs = defineApi({
  key: 33,
  name: 'AlterConfigs',
  versions: [0, 2],
  flexibleSince: 2,
  request: {
    resources: array({
      resourceType: int8(),
      resourceName: string(),
      configs: array({ name: string(), value: nullableString() }),
    }),
    validateOnly: bool(),
  },
  response: {
    throttleTimeMs: int32(),
    responses: array({
      errorCode: int16(),
      errorMessage: nullableString(),
      resourceType: int8(),
      resourceName: string(),
    }),
  },
});
