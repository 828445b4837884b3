/** FindCoordinator: on one node the coordinator of every group is this broker (broker notes §5.1). */
import { FindCoordinator } from '../../protocol/apis/find-coordinator.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const GROUP = 0;

export function findCoordinatorHandler(ctx: BrokerContext): ApiHandler {
  return handler(FindCoordinator, (req) => {
    const self = { nodeId: ctx.config.nodeId, host: ctx.config.advertisedHost, port: ctx.advertisedPort };
    const answer = (keyType: number) => keyType === GROUP
      ? { ...self, errorCode: 0, errorMessage: null }
      : { nodeId: -1, host: '', port: -1, errorCode: ERR.COORDINATOR_NOT_AVAILABLE, errorMessage: 'transactions are not supported by this broker' };
    return {
      throttleTimeMs: 0,
      ...answer(req.keyType),
      coordinators: req.coordinatorKeys.map((key) => ({ key, ...answer(req.keyType) })),
    };
  });
}
