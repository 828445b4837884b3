/** DeleteRecords (key 21). offset -1 means "up to the high watermark". */
import { array, defineApi, int16, int32, int64, string } from '../schema.js';

export const DeleteRecords = defineApi({
  key: 21,
  name: 'DeleteRecords',
  versions: [0, 2],
  flexibleSince: 2,
  request: {
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32(), offset: int64() }),
    }),
    timeoutMs: int32(),
  },
  response: {
    throttleTimeMs: int32(),
    topics: array({
      name: string(),
      partitions: array({ partitionIndex: int32(), lowWatermark: int64(), errorCode: int16() }),
    }),
  },
});
