/** SyncGroup (broker notes §5.4): followers park until the leader's assignments arrive. */
import { SyncGroup } from '../../protocol/apis/sync-group.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function syncGroupHandler(ctx: BrokerContext): ApiHandler {
  return handler(SyncGroup, async (req) => {
    const result = await ctx.groups.syncGroup({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      protocolType: req.protocolType,
      protocolName: req.protocolName,
      assignments: req.assignments,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      protocolType: result.protocolType,
      protocolName: result.protocolName,
      assignment: result.assignment,
    };
  });
}
