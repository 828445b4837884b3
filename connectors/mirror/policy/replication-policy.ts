/**
 * How MirrorMaker names topics across clusters (Kafka's ReplicationPolicy): the remote name of a
 * replicated topic, where a name came from, and which topics are internal and never replicated.
 * `replication.policy.class` picks DefaultReplicationPolicy (prefix with the source alias) or
 * IdentityReplicationPolicy (keep names), by full Java class name or simple name.
 */
import { DefaultReplicationPolicy } from './default-replication-policy.js';
import { IdentityReplicationPolicy } from './identity-replication-policy.js';

export interface ReplicationPolicy {
  /** The name `topic` of cluster `sourceClusterAlias` gets on the target. */
  formatRemoteTopic(sourceClusterAlias: string, topic: string): string;
  /** The alias this topic was replicated from, null if it is local. */
  topicSource(topic: string): string | null;
  /** The topic's name one hop upstream, null if it is local. */
  upstreamTopic(topic: string): string | null;
  /** The name before any replication hop. */
  originalTopic(topic: string): string;
  heartbeatsTopic(): string;
  /** The offset-syncs topic for the cluster alias (the target alias when it lives on the source). */
  offsetSyncsTopic(clusterAlias: string): string;
  /** The checkpoints topic for the source cluster alias. */
  checkpointsTopic(clusterAlias: string): string;
  isHeartbeatsTopic(topic: string): boolean;
  isCheckpointsTopic(topic: string): boolean;
  isMM2InternalTopic(topic: string): boolean;
  /** Never replicated: MirrorMaker's, Connect's and Kafka's own topics (§6.3). */
  isInternalTopic(topic: string): boolean;
}

export interface ReplicationPolicySettings {
  readonly className: string;
  readonly separator: string;
  /** KIP-690: the separator also applies to the checkpoints and offset-syncs topic names. */
  readonly internalTopicSeparatorEnabled: boolean;
  /** The alias IdentityReplicationPolicy reports as every topic's source. */
  readonly sourceClusterAlias: string;
}

const PACKAGE = 'org.apache.kafka.connect.mirror.';

const POLICIES: Readonly<Record<string, (s: ReplicationPolicySettings) => ReplicationPolicy>> = {
  DefaultReplicationPolicy: (s) => new DefaultReplicationPolicy(s.separator, s.internalTopicSeparatorEnabled),
  IdentityReplicationPolicy: (s) => new IdentityReplicationPolicy(s.separator, s.internalTopicSeparatorEnabled, s.sourceClusterAlias),
};

/** Every name `replication.policy.class` accepts: the Java class names and their simple names. */
export const REPLICATION_POLICY_CLASS_NAMES: readonly string[] = Object.freeze(
  Object.keys(POLICIES).flatMap((simple) => [PACKAGE + simple, simple]),
);

export const DEFAULT_REPLICATION_POLICY_CLASS = `${PACKAGE}DefaultReplicationPolicy`;

export function createReplicationPolicy(s: ReplicationPolicySettings): ReplicationPolicy {
  const simple = s.className.startsWith(PACKAGE) ? s.className.slice(PACKAGE.length) : s.className;
  const make = Object.prototype.hasOwnProperty.call(POLICIES, simple) ? POLICIES[simple] : undefined;
  if (make === undefined) {
    throw new Error(`Unknown replication policy ${s.className}; ferry has ${REPLICATION_POLICY_CLASS_NAMES.join(', ')}`);
  }
  if (s.separator === '') throw new Error('The replication policy separator must not be empty');
  return make(s);
}

/**
 * True when `topic` came, at some hop, from `targetClusterAlias`: sending it there again would
 * loop. Identity naming cannot see hops, so with it only the configured source alias is checked.
 */
export function isCycle(policy: ReplicationPolicy, topic: string, targetClusterAlias: string): boolean {
  const seen = new Set<string>();
  for (let current = topic; !seen.has(current); ) {
    seen.add(current);
    const source = policy.topicSource(current);
    if (source === null) return false;
    if (source === targetClusterAlias) return true;
    const upstream = policy.upstreamTopic(current);
    if (upstream === null) return false;
    current = upstream;
  }
  return false;
}
