/** DeleteRecords (broker notes §6.4): moves a partition's log start offset; -1 means the high watermark. */
import { DeleteRecords } from '../../protocol/apis/delete-records.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function deleteRecordsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DeleteRecords, (req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = ctx.topics.partition(t.name, p.partitionIndex);
        if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION };
        const result = log.deleteRecords(p.offset === -1 ? log.highWatermark : p.offset);
        if ('errorCode' in result) return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: result.errorCode };
        return { partitionIndex: p.partitionIndex, lowWatermark: result.lowWatermark, errorCode: 0 };
      }),
    })),
  }));
}
