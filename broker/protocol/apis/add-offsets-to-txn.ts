/** AddOffsetsToTxn (key 25). Declared for transactions. */
import { defineApi, int16, int32, int64, string } from '../schema.js';

export const AddOffsetsToTxn = defineApi({
  key: 25,
  name: 'AddOffsetsToTxn',
  versions: [0, 3],
  flexibleSince: 3,
  request: {
    transactionalId: string(),
    producerId: int64(),
    producerEpoch: int16(),
    groupId: string(),
  },
  response: {
    throttleTimeMs: int32(),
    errorCode: int16(),
  },
});
