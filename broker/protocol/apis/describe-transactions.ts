/** DescribeTransactions (key 65, KIP-664). Flexible in every version. */
import { array, defineApi, int16, int32, int64, string } from '../schema.js';

export const DescribeTransactions = defineApi({
  key: 65,
  name: 'DescribeTransactions',
  versions: [0, 0],
  flexibleSince: 0,
  request: {
    transactionalIds: array(string()),
  },
  response: {
    throttleTimeMs: int32(),
    transactionStates: array({
      errorCode: int16(),
      transactionalId: string(),
      transactionState: string(),
      transactionTimeoutMs: int32(),
      transactionStartTimeMs: int64(),
      producerId: int64(),
      producerEpoch: int16(),
      topics: array({
        topic: string(),
        partitions: array(int32()),
      }),
    }),
  },
});
