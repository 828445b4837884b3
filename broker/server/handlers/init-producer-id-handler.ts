/**
 * InitProducerId (exactly-once reference §2.5). Without a transactional id: a fresh producer id
 * with epoch 0 (or the next epoch of the pid/epoch an idempotent producer names); with one, the
 * transaction coordinator's decision table. Exactly one of producer id / epoch at -1 is
 * INVALID_REQUEST; PRODUCER_FENCED is down-converted for v0-3.
 */
import { InitProducerId } from '../../protocol/apis/init-producer-id.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { forVersion } from './txn-errors.js';

const MAX_EPOCH = 32766;
const FENCED_SINCE = 4;

export function initProducerIdHandler(ctx: BrokerContext): ApiHandler {
  return handler(InitProducerId, async (req, { header }) => {
    if ((req.producerId === -1) !== (req.producerEpoch === -1)) {
      return { throttleTimeMs: 0, errorCode: ERR.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
    }
    if (req.transactionalId === null) {
      if (req.producerId >= 0 && req.producerEpoch >= 0 && req.producerEpoch < MAX_EPOCH) {
        return { throttleTimeMs: 0, errorCode: 0, producerId: req.producerId, producerEpoch: req.producerEpoch + 1 };
      }
      return { throttleTimeMs: 0, errorCode: 0, producerId: ctx.producerIds.allocate(), producerEpoch: 0 };
    }
    const r = await ctx.transactions.initProducerId(req.transactionalId, req.transactionTimeoutMs, req.producerId, req.producerEpoch);
    return { throttleTimeMs: 0, errorCode: forVersion(r.errorCode, header.apiVersion, FENCED_SINCE), producerId: r.producerId, producerEpoch: r.producerEpoch };
  });
}
