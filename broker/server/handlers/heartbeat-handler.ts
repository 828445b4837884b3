/** Heartbeat (broker notes §5.5). */
import { Heartbeat } from '../../protocol/apis/heartbeat.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function heartbeatHandler(ctx: BrokerContext): ApiHandler {
  return handler(Heartbeat, async (req) => {
    const { errorCode } = await ctx.groups.heartbeat({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
    });
    return { throttleTimeMs: 0, errorCode };
  });
}
