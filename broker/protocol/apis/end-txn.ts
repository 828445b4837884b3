/** EndTxn (key 26). committed = true commits, false aborts. */
import { bool, defineApi, int16, int32, int64, string } from '../schema.js';

export const EndTxn = defineApi({
  key: 26,
  name: 'EndTxn',
  versions: [0, 3],
  flexibleSince: 3,
  request: {
    transactionalId: string(),
    producerId: int64(),
    producerEpoch: int16(),
    committed: bool(),
  },
  response: {
    throttleTimeMs: int32(),
    errorCode: int16(),
  },
});
