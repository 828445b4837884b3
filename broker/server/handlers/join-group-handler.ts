/**
 * JoinGroup (broker notes §5.3). The request parks inside the coordinator until the join
 * phase completes. v0 has no rebalance timeout (the coordinator falls back to the session
 * timeout); protocolName cannot be null before v7, so an error answer carries ''.
 */
import { JoinGroup } from '../../protocol/apis/join-group.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function joinGroupHandler(ctx: BrokerContext): ApiHandler {
  return handler(JoinGroup, async (req, { header, clientHost }) => {
    const version = header.apiVersion;
    const result = await ctx.groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: version >= 5 ? req.groupInstanceId : null,
      protocolType: req.protocolType,
      protocols: req.protocols,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? req.rebalanceTimeoutMs : undefined,
      clientId: header.clientId,
      clientHost,
      requestVersion: version,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      protocolName: result.protocolName ?? (version >= 7 ? null : ''),
      leader: result.leader,
      memberId: result.memberId,
      members: result.members,
    };
  });
}
