/**
 * MirrorMaker's IdentityReplicationPolicy: replicated topics keep their names, and every topic
 * reports the configured source alias as its source; heartbeats are still prefixed as the default
 * policy does, so hops stay visible in heartbeat topic names. Cycles cannot be detected from
 * names under this policy: do not run active/active with it.
 */
import { DefaultReplicationPolicy } from './default-replication-policy.js';

export class IdentityReplicationPolicy extends DefaultReplicationPolicy {
  readonly #sourceClusterAlias: string;

  constructor(separator: string, internalTopicSeparatorEnabled: boolean, sourceClusterAlias: string) {
    super(separator, internalTopicSeparatorEnabled);
    this.#sourceClusterAlias = sourceClusterAlias;
  }

  override formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return this.#looksLikeHeartbeats(topic) ? super.formatRemoteTopic(sourceClusterAlias, topic) : topic;
  }

  override topicSource(topic: string): string | null {
    return this.#looksLikeHeartbeats(topic) ? super.topicSource(topic) : this.#sourceClusterAlias;
  }

  override upstreamTopic(topic: string): string | null {
    return this.#looksLikeHeartbeats(topic) ? super.upstreamTopic(topic) : topic;
  }

  #looksLikeHeartbeats(topic: string): boolean {
    return topic.endsWith(this.heartbeatsTopic());
  }
}
