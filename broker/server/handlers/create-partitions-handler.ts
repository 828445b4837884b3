/** CreatePartitions: grows a topic; a count not above the current one gets 37. */
import { CreatePartitions } from '../../protocol/apis/create-partitions.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function createPartitionsHandler(ctx: BrokerContext): ApiHandler {
  return handler(CreatePartitions, (req) => ({
    throttleTimeMs: 0,
    results: req.topics.map((t) => {
      const result = ctx.topics.createPartitions(t.name, t.count, { validateOnly: req.validateOnly });
      return { name: t.name, errorCode: result.errorCode, errorMessage: 'errorMessage' in result ? result.errorMessage : null };
    }),
  }));
}
