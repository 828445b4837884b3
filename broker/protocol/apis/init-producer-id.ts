/**
 * InitProducerId (key 22). A null transactionalId asks for an idempotent producer id;
 * producerId/producerEpoch (v3+) let an existing producer bump its epoch.
 */
import { defineApi, int16, int32, int64, nullableString } from '../schema.js';

export const InitProducerId = defineApi({
  key: 22,
  name: 'InitProducerId',
  versions: [0, 4],
  flexibleSince: 2,
  request: {
    transactionalId: nullableString(),
    transactionTimeoutMs: int32(),
    producerId: int64({ since: 3, default: -1 }),
    producerEpoch: int16({ since: 3, default: -1 }),
  },
  response: {
    throttleTimeMs: int32(),
    errorCode: int16(),
    producerId: int64({ default: -1 }),
    producerEpoch: int16(),
  },
});
