/** DeleteGroups (broker notes §5.6a): one result per distinct group id. */
import { DeleteGroups } from '../../protocol/apis/delete-groups.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function deleteGroupsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DeleteGroups, async (req) => ({
    throttleTimeMs: 0,
    results: await ctx.groups.deleteGroups(req.groupsNames),
  }));
}
