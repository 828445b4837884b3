/** OffsetDelete: removes a group's committed offsets for some partitions (used to reset sink connectors). */
import { OffsetDelete } from '../../protocol/apis/offset-delete.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function offsetDeleteHandler(ctx: BrokerContext): ApiHandler {
  return handler(OffsetDelete, async (req) => {
    const result = await ctx.groups.deleteOffsets(
      req.groupId,
      req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
    );
    return { errorCode: result.errorCode, throttleTimeMs: 0, topics: result.topics };
  });
}
