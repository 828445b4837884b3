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
  /** transaction.max.timeout.ms: the largest transaction.timeout.ms a producer may ask for. */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms: idle transactional ids are forgotten after this long. */
  transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: how often timed-out transactions are looked for. */
  transactionAbortTimedOutCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms: how often expired transactional ids are looked for. */
  transactionRemoveExpiredCleanupIntervalMs: number;
  /** transaction.state.log.num.partitions: partitions of __transaction_state (fixed once created). */
  transactionStateLogNumPartitions: number;
  /** transaction.state.log.segment.bytes */
  transactionStateLogSegmentBytes: number;
  /** Topic config defaults and log settings by their broker names (log.segment.bytes, ...). */
  logSettings: Record<string, string>;
}

/** The BrokerConfig fields that `--set` may give by their Kafka names (the rest are log settings). */
export const BROKER_SETTINGS: Readonly<Record<string, keyof BrokerConfig>> = {
  'transaction.max.timeout.ms': 'transactionMaxTimeoutMs',
  'transactional.id.expiration.ms': 'transactionalIdExpirationMs',
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': 'transactionAbortTimedOutCleanupIntervalMs',
  'transaction.remove.expired.transaction.cleanup.interval.ms': 'transactionRemoveExpiredCleanupIntervalMs',
  'transaction.state.log.num.partitions': 'transactionStateLogNumPartitions',
  'transaction.state.log.segment.bytes': 'transactionStateLogSegmentBytes',
  'max.incremental.fetch.session.cache.slots': 'maxIncrementalFetchSessionCacheSlots',
  'min.incremental.fetch.session.eviction.ms': 'minIncrementalFetchSessionEvictionMs',
};

/** BROKER_SETTINGS that may be 0 (max.incremental.fetch.session.cache.slots=0 turns fetch sessions off). */
const ZERO_ALLOWED = new Set(['max.incremental.fetch.session.cache.slots', 'min.incremental.fetch.session.eviction.ms']);

/**
 * Splits settings given by Kafka name: those in BROKER_SETTINGS become BrokerConfig fields
 * (positive integers), everything else stays a log setting.
 */
export function splitBrokerSettings(settings: Record<string, string>): { fields: Partial<BrokerConfig>; logSettings: Record<string, string> } {
  const fields: Record<string, number> = {};
  const logSettings: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    const field = BROKER_SETTINGS[name];
    if (field === undefined) {
      logSettings[name] = value;
      continue;
    }
    const n = Number(value);
    const zeroAllowed = ZERO_ALLOWED.has(name);
    if (!Number.isSafeInteger(n) || n < (zeroAllowed ? 0 : 1)) {
      throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got '${value}'`);
    }
    fields[field] = n;
  }
  return { fields: fields as Partial<BrokerConfig>, logSettings };
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
  transactionMaxTimeoutMs: 900000,
  transactionalIdExpirationMs: 604800000,
  transactionAbortTimedOutCleanupIntervalMs: 10000,
  transactionRemoveExpiredCleanupIntervalMs: 3600000,
  transactionStateLogNumPartitions: 50,
  transactionStateLogSegmentBytes: 104857600,
  logSettings: {},
};
