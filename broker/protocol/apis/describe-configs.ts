/**
 * DescribeConfigs (key 32). resourceType 2 = topic, 4 = broker; configurationKeys null = all.
 * isDefault exists in v0 only; v1+ reports configSource instead.
 */
import { array, bool, defineApi, int8, int16, int32, nullableArray, nullableString, string } from '../schema.js';

export const DescribeConfigs = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  versions: [1, 4],
  flexibleSince: 4,
  request: {
    resources: array({ resourceType: int8(), resourceName: string(), configurationKeys: nullableArray(string()) }),
    includeSynonyms: bool({ since: 1 }),
    includeDocumentation: bool({ since: 3 }),
  },
  response: {
    throttleTimeMs: int32(),
    results: array({
      errorCode: int16(),
      errorMessage: nullableString(),
      resourceType: int8(),
      resourceName: string(),
      configs: array({
        name: string(),
        value: nullableString(),
        readOnly: bool(),
        isDefault: bool({ until: 0 }),
        configSource: int8({ since: 1, default: -1 }),
        isSensitive: bool(),
        synonyms: array({ name: string(), value: nullableString(), source: int8() }, { since: 1 }),
        configType: int8({ since: 3 }),
        documentation: nullableString({ since: 3 }),
      }),
    }),
  },
});
