/**
 * InitProducerId for idempotent producers (no transactional id): a fresh producer id with
 * epoch 0. Transactions are not offered (their APIs are not advertised), so a transactional
 * id is refused rather than half-served.
 */
import { InitProducerId } from '../../protocol/apis/init-producer-id.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const MAX_EPOCH = 32766;

export function initProducerIdHandler(ctx: BrokerContext): ApiHandler {
  return handler(InitProducerId, (req) => {
    if (req.transactionalId !== null) {
      return { throttleTimeMs: 0, errorCode: ERR.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1, producerEpoch: -1 };
    }
    if (req.producerId >= 0 && req.producerEpoch >= 0 && req.producerEpoch < MAX_EPOCH) {
      return { throttleTimeMs: 0, errorCode: 0, producerId: req.producerId, producerEpoch: req.producerEpoch + 1 };
    }
    return { throttleTimeMs: 0, errorCode: 0, producerId: ctx.producerIds.allocate(), producerEpoch: 0 };
  });
}
