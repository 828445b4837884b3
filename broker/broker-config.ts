/**
 * Settings of the bundled broker, with Kafka's names where Kafka has the setting
 * (auto.create.topics.enable, num.partitions, socket.request.max.bytes, ...).
 */
export interface BrokerConfig {
  /** Address to bind. */
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** Host clients are told to connect to (Metadata, FindCoordinator). */
  advertisedHost: string;
  /** Port clients are told to connect to; defaults to the bound port. */
  advertisedPort?: number;
  dataDir: string;
  nodeId: number;
  /** auto.create.topics.enable */
  autoCreateTopics: boolean;
  /** num.partitions */
  numPartitions: number;
  /** socket.request.max.bytes */
  maxRequestBytes: number;
  /** offsets.topic.num.partitions */
  offsetsTopicPartitions: number;
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /**
   * max.incremental.fetch.session.cache.slots: fetch sessions (KIP-227) the broker keeps; 0
   * turns sessions off (every fetch is answered sessionless).
   */
  maxIncrementalFetchSessionCacheSlots: number;
  /** min.incremental.fetch.session.eviction.ms: a fetch session unused this long is dropped. */
  minIncrementalFetchSessionEvictionMs: number;
  /** Topic config defaults and log settings by their broker names (log.segment.bytes, ...). */
  logSettings: Record<string, string>;
}

export const DEFAULT_BROKER_CONFIG: Omit<BrokerConfig, 'dataDir'> = {
  host: '127.0.0.1',
  port: 9092,
  advertisedHost: '127.0.0.1',
  nodeId: 1,
  autoCreateTopics: true,
  numPartitions: 1,
  maxRequestBytes: 104857600,
  offsetsTopicPartitions: 50,
  groupInitialRebalanceDelayMs: 3000,
  /**
   * Kafka's floor is 6000; ferry's is 1000 so Connect workers can use their 3000 ms default
   * session (distributed-defaults.ts) and fail over in about 4 s instead of 7.
   */
  groupMinSessionTimeoutMs: 1000,
  groupMaxSessionTimeoutMs: 1800000,
  maxIncrementalFetchSessionCacheSlots: 1000,
  minIncrementalFetchSessionEvictionMs: 120000,
  logSettings: {},
};
