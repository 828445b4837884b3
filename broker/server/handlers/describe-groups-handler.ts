/**
 * DescribeGroups (broker notes §5.6a). Authorized operations are never computed: the field
 * always carries Kafka's "not provided" value.
 */
import { DescribeGroups } from '../../protocol/apis/describe-groups.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const NOT_PROVIDED = -2147483648;

export function describeGroupsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DescribeGroups, async (req, { header }) => {
    const described = await ctx.groups.describeGroups(req.groups, header.apiVersion);
    return {
      throttleTimeMs: 0,
      groups: described.map((g) => ({
        errorCode: g.errorCode,
        groupId: g.groupId,
        groupState: g.groupState,
        protocolType: g.protocolType,
        protocolData: g.protocolData,
        members: g.members,
        authorizedOperations: NOT_PROVIDED,
      })),
    };
  });
}
