/**
 * LeaveGroup (broker notes §5.5). v0–2 name one member and carry one error code: the
 * group-level error, else that member's; v3+ answer per member.
 */
import { LeaveGroup } from '../../protocol/apis/leave-group.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function leaveGroupHandler(ctx: BrokerContext): ApiHandler {
  return handler(LeaveGroup, async (req, { header }) => {
    if (header.apiVersion < 3) {
      const result = await ctx.groups.leaveGroup({
        groupId: req.groupId,
        members: [{ memberId: req.memberId, groupInstanceId: null }],
      });
      return { throttleTimeMs: 0, errorCode: result.errorCode || (result.members[0]?.errorCode ?? 0) };
    }
    const result = await ctx.groups.leaveGroup({
      groupId: req.groupId,
      members: req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })),
    });
    return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members };
  });
}
