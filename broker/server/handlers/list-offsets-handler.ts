/** ListOffsets (broker notes §4.4): -1 latest, -2 earliest, -3 max timestamp, else by time. */
import { ListOffsets } from '../../protocol/apis/list-offsets.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const READ_COMMITTED = 1;

export function listOffsetsHandler(ctx: BrokerContext): ApiHandler {
  return handler(ListOffsets, (req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = ctx.topics.partition(t.name, p.partitionIndex);
        const base = { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: -1, leaderEpoch: 0 };
        if (!log) return { ...base, errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION, leaderEpoch: -1 };
        switch (p.timestamp) {
          case LATEST:
            return { ...base, offset: req.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark };
          case EARLIEST:
            return { ...base, offset: log.logStartOffset };
          case MAX_TIMESTAMP: {
            const found = log.maxTimestamp();
            return found ? { ...base, offset: found.offset, timestamp: found.timestamp } : base;
          }
          default: {
            if (p.timestamp < 0) return { ...base, errorCode: ERR.INVALID_REQUEST };
            const found = log.offsetForTimestamp(p.timestamp);
            return found ? { ...base, offset: found.offset, timestamp: found.timestamp } : base;
          }
        }
      }),
    })),
  }));
}
