/** DescribeCluster: this broker is the whole cluster and its controller. */
import { DescribeCluster } from '../../protocol/apis/describe-cluster.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function describeClusterHandler(ctx: BrokerContext): ApiHandler {
  return handler(DescribeCluster, (req) => ({
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    endpointType: req.endpointType,
    clusterId: ctx.clusterId,
    controllerId: ctx.config.nodeId,
    brokers: [{ brokerId: ctx.config.nodeId, host: ctx.config.advertisedHost, port: ctx.advertisedPort, rack: null }],
    clusterAuthorizedOperations: -2147483648,
  }));
}
