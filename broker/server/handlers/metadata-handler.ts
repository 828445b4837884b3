/**
 * Metadata (broker notes §6.7 "Metadata for a single node"): this broker leads every
 * partition. v0: empty topic list means all topics; v1+: null means all, empty means none.
 * Unknown topics are created when auto-creation is on and the request allows it (v4+ flag;
 * always implied before v4), synchronously, so the answer already carries real metadata.
 */
import { Metadata } from '../../protocol/apis/metadata.js';
import { ERR } from '../../protocol/error-codes.js';
import type { TopicInfo } from '../../topics/topic-registry.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

const NOT_REQUESTED = -2147483648;

export function metadataHandler(ctx: BrokerContext): ApiHandler {
  return handler(Metadata, (req, { header }) => {
    const node = ctx.config.nodeId;
    const describe = (t: TopicInfo) => ({
      errorCode: 0,
      name: t.name,
      topicId: t.id,
      isInternal: t.internal,
      partitions: Array.from({ length: t.partitions }, (_, i) => ({
        errorCode: 0,
        partitionIndex: i,
        leaderId: node,
        leaderEpoch: 0,
        replicaNodes: [node],
        isrNodes: [node],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: NOT_REQUESTED,
    });
    const wantsAll = req.topics === null || (header.apiVersion === 0 && req.topics.length === 0);
    const mayCreate = ctx.config.autoCreateTopics && (header.apiVersion < 4 || req.allowAutoTopicCreation);
    const topics = wantsAll
      ? ctx.topics.topics().map(describe)
      : req.topics!.map(({ name }) => {
        const topicName = name ?? '';
        const known = ctx.topics.topic(topicName);
        if (known) return describe(known);
        if (!mayCreate) return missing(topicName, ERR.UNKNOWN_TOPIC_OR_PARTITION);
        const created = ctx.topics.createTopic(topicName, {});
        if (created.errorCode !== 0) {
          return missing(topicName, created.errorCode === ERR.INVALID_TOPIC_EXCEPTION ? ERR.INVALID_TOPIC_EXCEPTION : ERR.UNKNOWN_TOPIC_OR_PARTITION);
        }
        ctx.log.info({ topic: topicName }, 'auto-created topic');
        return describe(ctx.topics.topic(topicName)!);
      });
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: node, host: ctx.config.advertisedHost, port: ctx.advertisedPort, rack: null }],
      clusterId: ctx.clusterId,
      controllerId: node,
      topics,
      clusterAuthorizedOperations: NOT_REQUESTED,
    };
  });
}

function missing(name: string, errorCode: number) {
  return { errorCode, name, isInternal: false, partitions: [], topicAuthorizedOperations: NOT_REQUESTED };
}
