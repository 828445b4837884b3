/**
 * EndTxn (exactly-once reference §2.7): answered once the markers are in every partition of
 * the transaction and the transaction is CompleteCommit/CompleteAbort.
 */
import { EndTxn } from '../../protocol/apis/end-txn.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { forVersion } from './txn-errors.js';

const FENCED_SINCE = 2;

export function endTxnHandler(ctx: BrokerContext): ApiHandler {
  return handler(EndTxn, async (req, { header }) => {
    if (!req.transactionalId) return { throttleTimeMs: 0, errorCode: ERR.INVALID_REQUEST };
    const code = await ctx.transactions.endTransaction(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode: forVersion(code, header.apiVersion, FENCED_SINCE) };
  });
}
