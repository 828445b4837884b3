/**
 * Source offsets of a connector with an offsets topic of its own (`offsets.storage.topic`,
 * KIP-618; exactly-once.md §7.4). The connector's topic is the primary store, the worker's
 * offsets topic the secondary:
 * - reads merge both, the primary winning, so a connector that moved to a topic of its own
 *   keeps the offsets it had in the worker's;
 * - writes go to the primary, then, best effort, to the secondary (a failure there is logged:
 *   the primary is what the task resumes from);
 * - deletions (null offsets) go to the secondary first, and a failure there fails the write
 *   (KAFKA-15018: otherwise the merged read would bring the deleted offset back), then to the
 *   primary, then to the secondary again.
 * An exactly-once task writes the primary inside its transactions itself and calls
 * `afterPrimaryCommit` with what committed.
 */
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { KafkaClient } from '../kafka/kafka-client.js';
import { kafkaCompactedTopic } from '../kafka/topic-compacted-topic.js';
import { OffsetStore, type OffsetEntry } from '../stores/offset-store.js';
import type { SourceOffset, SourcePartition } from '../stores/source-position.js';
import { ensureInternalTopic } from './internal-topics.js';

/** What a source task reads and writes its offsets through. */
export interface TaskOffsetStore {
  get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset>>;
  set(connector: string, entries: Iterable<OffsetEntry>): Promise<void>;
}

/** A connector offsets topic as the worker creates it: compacted, with the worker's offset.storage.* layout. */
export interface ConnectorOffsetsTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Exactly-once workers read committed offsets only. */
  readonly readCommitted: boolean;
}

export class ConnectorOffsetStore implements TaskOffsetStore {
  constructor(
    readonly primary: OffsetStore,
    private readonly secondary: TaskOffsetStore,
    private readonly logger: TaskLogger,
  ) {}

  async get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset>> {
    const [secondary, primary] = await Promise.all([this.secondary.get(connector, partitions), this.primary.get(connector, partitions)]);
    for (const [partition, offset] of primary) secondary.set(partition, offset);
    return secondary;
  }

  async set(connector: string, entries: Iterable<OffsetEntry>): Promise<void> {
    const all = [...entries];
    const deletions = all.filter((e) => e.offset === null);
    if (deletions.length > 0) await this.secondary.set(connector, deletions);
    await this.primary.set(connector, all);
    await this.afterPrimaryCommit(connector, all);
  }

  /** Copies offsets the primary holds to the secondary, best effort. */
  async afterPrimaryCommit(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    await this.secondary.set(connector, entries).catch((err: unknown) => {
      this.logger.error({ err, connector }, 'Failed to write offsets to secondary backing store');
    });
  }
}

/** Creates the connector's offsets topic when missing and opens a store on it; `close` stops the store. */
export async function openConnectorOffsets(
  kafka: KafkaClient, connector: string, spec: ConnectorOffsetsTopic, secondary: TaskOffsetStore, logger: TaskLogger,
  adminOverrides: Readonly<Record<string, string>>,
): Promise<{ store: ConnectorOffsetStore; close: () => Promise<void> }> {
  const admin = kafka.admin({ clientId: `connector-adminclient-${connector}`, role: 'connector', overrides: adminOverrides });
  try {
    await ensureInternalTopic(admin, {
      property: 'offset.storage.topic', name: spec.topic, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: {},
    });
  } finally {
    await admin.close();
  }
  const primary = new OffsetStore(kafkaCompactedTopic(kafka, { topic: spec.topic, clientId: `connector-offsets-${connector}`, readCommitted: spec.readCommitted }));
  await primary.start();
  return { store: new ConnectorOffsetStore(primary, secondary, logger), close: () => primary.stop() };
}
