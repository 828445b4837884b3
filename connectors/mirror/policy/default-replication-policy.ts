/**
 * MirrorMaker's DefaultReplicationPolicy: a remote topic is `<source alias><separator><topic>`;
 * the source of a name is the text before its first separator. With the internal-topic
 * separator flag on (KIP-690, the default) the custom separator also builds the checkpoints and
 * offset-syncs names; off, those keep dots.
 */
import type { ReplicationPolicy } from './replication-policy.js';

const HEARTBEATS = 'heartbeats';

export class DefaultReplicationPolicy implements ReplicationPolicy {
  protected readonly separator: string;
  readonly #internal: string;

  constructor(separator = '.', internalTopicSeparatorEnabled = true) {
    this.separator = separator;
    this.#internal = internalTopicSeparatorEnabled ? separator : '.';
  }

  formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return sourceClusterAlias + this.separator + topic;
  }

  /** As Java's String.split: the text before the first separator, null unless more non-empty text follows. */
  topicSource(topic: string): string | null {
    const parts = topic.split(this.separator);
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts.length < 2 ? null : parts[0];
  }

  upstreamTopic(topic: string): string | null {
    const source = this.topicSource(topic);
    return source === null ? null : topic.slice(source.length + this.separator.length);
  }

  originalTopic(topic: string): string {
    let current = topic;
    for (;;) {
      const upstream = this.upstreamTopic(current);
      if (upstream === null || upstream === current) return current;
      current = upstream;
    }
  }

  heartbeatsTopic(): string {
    return HEARTBEATS;
  }

  offsetSyncsTopic(clusterAlias: string): string {
    return `mm2-offset-syncs${this.#internal}${clusterAlias}${this.#internalSuffix()}`;
  }

  checkpointsTopic(clusterAlias: string): string {
    return clusterAlias + this.#checkpointsSuffix();
  }

  isHeartbeatsTopic(topic: string): boolean {
    return this.originalTopic(topic) === HEARTBEATS;
  }

  isCheckpointsTopic(topic: string): boolean {
    return topic.endsWith(this.#checkpointsSuffix());
  }

  isMM2InternalTopic(topic: string): boolean {
    return topic.endsWith(this.#internalSuffix());
  }

  isInternalTopic(topic: string): boolean {
    return this.isMM2InternalTopic(topic) || topic.startsWith('__') || topic.startsWith('.')
      || topic.endsWith('.internal') || topic.endsWith('-internal');
  }

  #internalSuffix(): string {
    return `${this.#internal}internal`;
  }

  #checkpointsSuffix(): string {
    return `${this.#internal}checkpoints${this.#internalSuffix()}`;
  }
}
