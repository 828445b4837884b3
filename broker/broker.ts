/**
 * startBroker: the bundled single-node broker as one handle. Opens (and recovers) the data
 * directory, restores group offsets from __consumer_offsets and transactions from
 * __transaction_state, finishes transactions a crash left in PrepareCommit/PrepareAbort (their
 * markers are written) before accepting connections (so no client ever sees a coordinator that
 * is still loading), then listens.
 * close(): stops accepting, closes connections, stops the coordinators, and closes every
 * log cleanly (clean-shutdown marker, checkpoints, indexes).
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { BrokerConfig } from './broker-config.js';
import { TopicRegistry } from './topics/topic-registry.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { Listener } from './server/listener.js';
import type { ConnectionStream } from './protocol/connection-stream.js';
import type { ReadTarget } from './protocol/frame-assembler.js';
import { ReadBufferPool } from './log/read-buffers.js';
import type { ApiHandler } from './server/api-handler.js';
import type { BrokerContext } from './server/broker-context.js';
import { ProducerIdAllocator } from './server/producer-id-allocator.js';
import { ConsumerOffsetsStore, CONSUMER_OFFSETS_TOPIC } from './server/consumer-offsets-store.js';
import { buildHandlers } from './server/handlers/index.js';
import { TransactionCoordinator, type TransactionCoordinatorOptions } from './transactions/transaction-coordinator.js';
import { TRANSACTION_STATE_TOPIC, TransactionStateStore } from './transactions/transaction-store.js';
import { PartitionMarkerWriter } from './transactions/partition-marker-writer.js';

export interface RunningBroker {
  readonly port: number;
  readonly dataDir: string;
  readonly clusterId: string;
  readonly topics: TopicRegistry;
  /** A connection for a Kafka client in this process, served like a TCP one without the loopback hop (see Listener). */
  connectInProcess(target: ReadTarget): ConnectionStream;
  close(): Promise<void>;
}

/** Seams for tests; production passes none. */
export interface BrokerHooks {
  /** See TransactionCoordinatorOptions.beforeMarkers: lets a crash test stop between Prepare* and the markers. */
  beforeTxnMarkers?: TransactionCoordinatorOptions['beforeMarkers'];
}

export async function startBroker(config: BrokerConfig, log: Logger, hooks: BrokerHooks = {}): Promise<RunningBroker> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const topics = await TopicRegistry.open({
    dataDir: config.dataDir,
    nodeId: config.nodeId,
    settings: { 'num.partitions': config.numPartitions, ...config.logSettings },
    logger: log.child({ component: 'log' }),
  });
  topics.ensureInternalTopic(CONSUMER_OFFSETS_TOPIC, config.offsetsTopicPartitions, {
    'cleanup.policy': 'compact',
    'segment.bytes': '104857600',
  });
  const store = new ConsumerOffsetsStore(topics, topics.partitionCount(CONSUMER_OFFSETS_TOPIC)!, Date.now);
  const offsetsPartitions = topics.partitionCount(CONSUMER_OFFSETS_TOPIC)!;
  const groups = new GroupCoordinator({
    store,
    config: {
      initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      offsetsTopicPartitions: offsetsPartitions,
    },
    logger: log.child({ component: 'groups' }),
  });
  const loaded = groups.loadFrom(store.readAll());
  log.debug({ loaded }, 'restored consumer groups');

  topics.ensureInternalTopic(TRANSACTION_STATE_TOPIC, config.transactionStateLogNumPartitions, {
    'cleanup.policy': 'compact',
    'compression.type': 'uncompressed',
    'segment.bytes': String(config.transactionStateLogSegmentBytes),
  });
  const producerIds = new ProducerIdAllocator(config.dataDir);
  const txnStore = new TransactionStateStore(topics, topics.partitionCount(TRANSACTION_STATE_TOPIC)!, Date.now);
  const transactions = new TransactionCoordinator({
    store: txnStore,
    markers: new PartitionMarkerWriter(topics, CONSUMER_OFFSETS_TOPIC, groups, Date.now),
    producerIds,
    config: {
      transactionMaxTimeoutMs: config.transactionMaxTimeoutMs,
      transactionalIdExpirationMs: config.transactionalIdExpirationMs,
      abortTimedOutTransactionCleanupIntervalMs: config.transactionAbortTimedOutCleanupIntervalMs,
      removeExpiredTransactionalIdCleanupIntervalMs: config.transactionRemoveExpiredCleanupIntervalMs,
      offsetsTopicPartitions: offsetsPartitions,
    },
    logger: log.child({ component: 'transactions' }),
    beforeMarkers: hooks.beforeTxnMarkers,
  });
  const restored = transactions.loadFrom(txnStore.readAll());
  const completed = await transactions.completePrepared();
  transactions.start();
  log.debug({ ...restored, completed }, 'restored transactions');

  const ctx: BrokerContext & { advertisedPort: number } = {
    config,
    advertisedPort: config.advertisedPort ?? config.port,
    clusterId: topics.clusterId,
    topics,
    groups,
    transactions,
    producerIds,
    log,
    buffers: new ReadBufferPool(),
    now: Date.now,
  };
  const handlers = new Map<number, ApiHandler>();
  for (const h of buildHandlers(ctx, () => handlers.values())) handlers.set(h.api.key, h);
  const listener = new Listener({
    host: config.host, port: config.port, maxRequestBytes: config.maxRequestBytes, handlers, log, buffers: ctx.buffers,
  });
  let port: number;
  try {
    port = await listener.listen();
  } catch (err) {
    transactions.close();
    groups.close();
    await topics.close();
    throw err;
  }
  ctx.advertisedPort = config.advertisedPort ?? port;

  let closing: Promise<void> | undefined;
  return {
    port,
    dataDir: config.dataDir,
    clusterId: topics.clusterId,
    topics,
    connectInProcess: (target) => listener.connectInProcess(target),
    close() {
      closing ??= (async () => {
        await listener.close();
        transactions.close();
        groups.close();
        await topics.close();
      })();
      return closing;
    },
  };
}
