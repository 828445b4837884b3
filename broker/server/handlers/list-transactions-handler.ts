/** ListTransactions (exactly-once reference §2.10): filters by state name, producer id and (v1) running time. */
import { ListTransactions } from '../../protocol/apis/list-transactions.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function listTransactionsHandler(ctx: BrokerContext): ApiHandler {
  return handler(ListTransactions, (req) => ({
    throttleTimeMs: 0,
    ...ctx.transactions.list(req.stateFilters, req.producerIdFilters, req.durationFilter),
  }));
}
