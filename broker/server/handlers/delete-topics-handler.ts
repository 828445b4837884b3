/** DeleteTopics: by name (v1–5) or by name or topic id (v6). Unknown topics get 3. */
import { DeleteTopics } from '../../protocol/apis/delete-topics.js';
import { ZERO_UUID } from '../../protocol/schema.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

export function deleteTopicsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DeleteTopics, async (req, { header }) => {
    const wanted = header.apiVersion >= 6
      ? req.topics.map((t) => ({ name: t.name ?? ctx.topics.topicById(t.topicId)?.name ?? null, topicId: t.topicId }))
      : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const responses = [];
    for (const { name, topicId } of wanted) {
      const info = name === null ? undefined : ctx.topics.topic(name);
      if (!info) {
        responses.push({ name, topicId, errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic.' });
        continue;
      }
      if (info.internal) {
        responses.push({ name, topicId: info.id, errorCode: ERR.INVALID_TOPIC_EXCEPTION, errorMessage: `${name} is an internal topic` });
        continue;
      }
      const result = await ctx.topics.deleteTopic(info.name);
      if (result.errorCode === 0) ctx.log.info({ topic: info.name }, 'deleted topic');
      responses.push({
        name: info.name,
        topicId: info.id,
        errorCode: result.errorCode,
        errorMessage: 'errorMessage' in result ? result.errorMessage : null,
      });
    }
    return { throttleTimeMs: 0, responses };
  });
}
