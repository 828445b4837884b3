/** ListGroups (broker notes §5.6a): v4+ filter by state, case-insensitively. */
import { ListGroups } from '../../protocol/apis/list-groups.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function listGroupsHandler(ctx: BrokerContext): ApiHandler {
  return handler(ListGroups, async (req) => {
    const result = await ctx.groups.listGroups({ statesFilter: req.statesFilter });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      groups: result.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState })),
    };
  });
}
