/** IncrementalAlterConfigs (key 44). configOperation 0 set, 1 delete, 2 append, 3 subtract. */
import { array, bool, defineApi, int8, int16, int32, nullableString, string } from '../schema.js';

export const IncrementalAlterConfigs = defineApi({
  key: 44,
  name: 'IncrementalAlterConfigs',
  versions: [0, 1],
  flexibleSince: 1,
  request: {
    resources: array({
      resourceType: int8(),
      resourceName: string(),
      configs: array({ name: string(), configOperation: int8(), value: nullableString() }),
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
