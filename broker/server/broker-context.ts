/**
 * What request handlers share: the broker's settings, its topics, its group and transaction
 * coordinators, producer-id allocator and buffer pool. One instance per running broker.
 */
import type { Logger } from 'pino';
import type { BrokerConfig } from '../broker-config.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import type { GroupCoordinator } from '../groups/group-coordinator.js';
import type { ProducerIdAllocator } from './producer-id-allocator.js';
import type { TransactionCoordinator } from '../transactions/transaction-coordinator.js';
import type { ReadBufferPool } from '../log/read-buffers.js';

export interface BrokerContext {
  readonly config: BrokerConfig;
  /** The port clients are told to connect to. */
  readonly advertisedPort: number;
  readonly clusterId: string;
  readonly topics: TopicRegistry;
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  readonly producerIds: ProducerIdAllocator;
  readonly log: Logger;
  /** Buffers that fetch reads and large request frames borrow (a fresh one costs page faults). */
  readonly buffers: ReadBufferPool;
  now(): number;
}
