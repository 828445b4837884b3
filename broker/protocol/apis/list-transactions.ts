/** ListTransactions (key 66, KIP-664). Flexible in every version; v1 adds durationFilter (KIP-994). */
import { array, defineApi, int16, int32, int64, string } from '../schema.js';

export const ListTransactions = defineApi({
  key: 66,
  name: 'ListTransactions',
  versions: [0, 1],
  flexibleSince: 0,
  request: {
    stateFilters: array(string()),
    producerIdFilters: array(int64()),
    durationFilter: int64({ since: 1, default: -1 }),
  },
  response: {
    throttleTimeMs: int32(),
    errorCode: int16(),
    unknownStateFilters: array(string()),
    transactionStates: array({
      transactionalId: string(),
      producerId: int64(),
      transactionState: string(),
    }),
  },
});
