/**
 * FindCoordinator: on one node this broker coordinates every group (key type 0, broker notes
 * §5.1) and every transactional id (key type 1, exactly-once reference §2.1); an empty
 * transactional id is INVALID_REQUEST.
 */
import { FindCoordinator } from '../../protocol/apis/find-coordinator.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const GROUP = 0;
const TRANSACTION = 1;

export function findCoordinatorHandler(ctx: BrokerContext): ApiHandler {
  return handler(FindCoordinator, (req) => {
    const self = { nodeId: ctx.config.nodeId, host: ctx.config.advertisedHost, port: ctx.advertisedPort, errorCode: 0, errorMessage: null };
    const refused = (errorCode: number, errorMessage: string) => ({ nodeId: -1, host: '', port: -1, errorCode, errorMessage });
    const answer = (key: string) => {
      if (req.keyType === GROUP) return self;
      if (req.keyType !== TRANSACTION) return refused(ERR.INVALID_REQUEST, `unknown coordinator key type ${req.keyType}`);
      return key === '' ? refused(ERR.INVALID_REQUEST, 'empty transactional id') : self;
    };
    return {
      throttleTimeMs: 0,
      ...answer(req.key),
      coordinators: req.coordinatorKeys.map((key) => ({ key, ...answer(key) })),
    };
  });
}
