/**
 * Produce (key 0). Served from v3 (record batches only) but advertised from v0, as Kafka 4.x does
 * (old librdkafka gates compression on it). A request with acks = 0 gets no response at all.
 */
import { array, defineApi, int16, int32, int64, nullableString, records, string } from '../schema.js';

export const Produce = defineApi({
  key: 0,
  name: 'Produce',
  versions: [3, 8],
  advertisedMin: 0,
  flexibleSince: 9,
  request: {
    transactionalId: nullableString({ since: 3 }),
    acks: int16(),
    timeoutMs: int32(),
    topicData: array({
      name: string(),
      partitionData: array({ index: int32(), records: records() }),
    }),
  },
  response: {
    responses: array({
      name: string(),
      partitionResponses: array({
        index: int32(),
        errorCode: int16(),
        baseOffset: int64(),
        logAppendTimeMs: int64({ since: 2, default: -1 }),
        logStartOffset: int64({ since: 5, default: -1 }),
        recordErrors: array({ batchIndex: int32(), batchIndexErrorMessage: nullableString() }, { since: 8 }),
        errorMessage: nullableString({ since: 8 }),
      }),
    }),
    throttleTimeMs: int32({ since: 1 }),
  },
});
