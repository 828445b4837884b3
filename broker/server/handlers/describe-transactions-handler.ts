/** DescribeTransactions (exactly-once reference §2.10). */
import { DescribeTransactions } from '../../protocol/apis/describe-transactions.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function describeTransactionsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DescribeTransactions, (req) => ({
    throttleTimeMs: 0,
    transactionStates: ctx.transactions.describe(req.transactionalIds),
  }));
}
