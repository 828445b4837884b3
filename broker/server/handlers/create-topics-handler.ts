/** CreateTopics (broker notes §6.7 "CreateTopics details"); v5+ echoes the resulting configs. */
import { CreateTopics } from '../../protocol/apis/create-topics.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function createTopicsHandler(ctx: BrokerContext): ApiHandler {
  return handler(CreateTopics, (req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => {
      const configs: Record<string, string | null> = {};
      for (const c of t.configs) configs[c.name] = c.value;
      const result = ctx.topics.createTopic(t.name, {
        partitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        assignments: t.assignments,
        configs,
        validateOnly: req.validateOnly,
      });
      if (!('topic' in result)) {
        return { name: t.name, errorCode: result.errorCode, errorMessage: result.errorMessage, configs: null };
      }
      if (!req.validateOnly) ctx.log.info({ topic: t.name, partitions: result.topic.partitions }, 'created topic');
      return {
        name: t.name,
        topicId: result.topic.id,
        errorCode: 0,
        errorMessage: null,
        numPartitions: result.topic.partitions,
        replicationFactor: result.replicationFactor,
        configs: result.configs.map((c) => ({
          name: c.name, value: c.value, readOnly: c.readOnly, configSource: c.source, isSensitive: c.isSensitive,
        })),
      };
    }),
  }));
}
