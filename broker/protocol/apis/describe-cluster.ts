/** DescribeCluster (key 60). Flexible in every version; endpointType 1 = brokers. */
import { array, bool, defineApi, int8, int16, int32, nullableString, string } from '../schema.js';

export const DescribeCluster = defineApi({
  key: 60,
  name: 'DescribeCluster',
  versions: [0, 1],
  flexibleSince: 0,
  request: {
    includeClusterAuthorizedOperations: bool(),
    endpointType: int8({ since: 1, default: 1 }),
  },
  response: {
    throttleTimeMs: int32(),
    errorCode: int16(),
    errorMessage: nullableString(),
    endpointType: int8({ since: 1, default: 1 }),
    clusterId: string(),
    controllerId: int32({ default: -1 }),
    brokers: array({
      brokerId: int32(),
      host: string(),
      port: int32(),
      rack: nullableString(),
    }),
    clusterAuthorizedOperations: int32({ default: -2147483648 }),
  },
});
