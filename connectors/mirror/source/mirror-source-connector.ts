/**
 * MirrorSourceConnector: finds the source topics to replicate, keeps their remote topics on the
 * target in step, creates the offset-syncs topic, and deals the source partitions out to tasks.
 *
 * Background work runs on timers and never overlaps itself: topics are listed again every
 * `refresh.topics.interval.seconds` (new topics and added partitions lead to new task configs,
 * after their remote topics exist, so no record is produced to a topic the broker would create
 * with the wrong partition count), and configs are synced every
 * `sync.topic.configs.interval.seconds`. A cluster that cannot be reached is retried with
 * back-off and logged; the connector keeps its last known partitions meanwhile. A mistake the
 * cluster reports (a replication factor above its broker count) fails the connector with a
 * message naming the key instead.
 *
 * Exactly-once (KIP-618, exactly-once.md §8): the worker commits the replicated records and
 * their source offsets in one transaction on the target, which is exactly once only if the
 * records read are exactly the committed ones of the source, so exactlyOnceSupport answers
 * SUPPORTED iff the source consumer reads with isolation.level=read_committed. With
 * `exactly.once.support=required` and another level, validation says so on that key in
 * MirrorMaker's words. The tasks never end transactions themselves (no connector boundary).
 */
import type { FieldIssue } from '../../sdk/config/config-spec.js';
import {
  ConnectorTransactionBoundaries, ExactlyOnceSupport, type Connector, type ConnectorContext, type RawConfig,
} from '../../sdk/connector.js';
import { ConnectError } from '../../sdk/errors.js';
import type { ClusterClient, ClusterPartition } from '../../sdk/kafka-clusters.js';
import { BackgroundJobs } from '../background-jobs.js';
import { clientProperties } from '../config/client-properties.js';
import { createInternalTopic } from '../config/internal-topic.js';
import { mirrorSourceSettings, type MirrorSourceSettings } from '../config/mirror-source-config.js';
import { ASSIGNED_PARTITIONS, formatAssignedPartitions, spreadPartitions } from './assigned-partitions.js';
import { RemoteTopics } from './remote-topics.js';

export const READ_COMMITTED_REQUIRED = 'MirrorSourceConnector can only provide exactly-once guarantees when its source consumer '
  + 'is configured with isolation.level set to \'read_committed\'; otherwise, records from aborted and uncommitted transactions '
  + 'will be replicated from the source cluster to the target cluster.';

/** Whether the source consumer this config gives the tasks reads committed records only (the precedence of client-properties.ts). */
export function sourceConsumerReadsCommitted(config: RawConfig): boolean {
  return clientProperties(config, 'source', 'consumer')['isolation.level']?.trim().toLowerCase() === 'read_committed';
}

/** How long the first taskConfigs call waits for the first topic listing before answering with what is known. */
const FIRST_LISTING_WAIT_MS = 5_000;

export class MirrorSourceConnector implements Connector {
  #config: RawConfig = {};
  #settings: MirrorSourceSettings | undefined;
  #context: ConnectorContext | undefined;
  #clients: ClusterClient[] = [];
  #topics: RemoteTopics | undefined;
  #known: ClusterPartition[] = [];
  #firstListing: Promise<void> | undefined;
  #jobs: BackgroundJobs | undefined;

  start(config: RawConfig, context: ConnectorContext): void {
    const settings = mirrorSourceSettings(config);
    this.#config = config;
    this.#settings = settings;
    this.#context = context;
    if (!settings.enabled) return;
    const id = `${settings.sourceClusterAlias}->${settings.targetClusterAlias}|${config['name'] ?? 'MirrorSourceConnector'}`;
    const source = context.kafka.connect(settings.sourceAdminProps, { clientId: `${id}|source-admin` });
    const target = context.kafka.connect(settings.targetAdminProps, { clientId: `${id}|target-admin` });
    this.#clients = [source, target];
    this.#topics = new RemoteTopics(settings, { source: source.admin(), target: target.admin() }, context.logger);
    const jobs = new BackgroundJobs(context.logger);
    this.#jobs = jobs;
    this.#firstListing = jobs.serialized(async () => {
      if (settings.emitOffsetSyncsEnabled) await jobs.retrying('create the offset-syncs topic', () => this.#createOffsetSyncsTopic(source, target));
      await jobs.retrying('list the source topics', () => this.#refresh());
    }).catch((err: unknown) => this.#failOn(err));
    if (settings.refreshTopicsEnabled) jobs.every(settings.refreshTopicsIntervalMs, 'refresh the source topics', () => this.#refresh().catch((err: unknown) => this.#failOn(err)));
    if (settings.syncTopicConfigsEnabled) {
      jobs.every(settings.syncTopicConfigsIntervalMs, 'sync topic configs', () => this.#topics!.syncConfigs(new Set(this.#known.map((p) => p.topic))));
    }
  }

  async taskConfigs(maxTasks: number): Promise<RawConfig[]> {
    if (this.#firstListing) await Promise.race([this.#firstListing, this.#jobs!.sleep(FIRST_LISTING_WAIT_MS)]);
    if (!this.#settings?.enabled || this.#known.length === 0) return [];
    return spreadPartitions(this.#known, maxTasks).map((partitions) => ({ ...this.#config, [ASSIGNED_PARTITIONS]: formatAssignedPartitions(partitions) }));
  }

  exactlyOnceSupport(config: RawConfig): ExactlyOnceSupport {
    return sourceConsumerReadsCommitted(config) ? ExactlyOnceSupport.SUPPORTED : ExactlyOnceSupport.UNSUPPORTED;
  }

  canDefineTransactionBoundaries(): ConnectorTransactionBoundaries {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }

  /** MirrorMaker's own reason next to the runtime's preflight checks, on `exactly.once.support`. */
  validate(config: RawConfig): FieldIssue[] {
    const required = config['exactly.once.support']?.trim().toLowerCase() === 'required';
    return required && !sourceConsumerReadsCommitted(config) ? [{ name: 'exactly.once.support', message: READ_COMMITTED_REQUIRED }] : [];
  }

  async stop(): Promise<void> {
    this.#jobs?.stop();
    await Promise.allSettled(this.#clients.map((c) => c.close()));
  }

  async #refresh(): Promise<void> {
    const topics = this.#topics!;
    const counts = await topics.sourcePartitionCounts();
    const ready = await topics.ensureRemoteTopics(counts);
    if (samePartitions(ready, this.#known)) return;
    this.#context!.logger.info({ partitions: ready.length, topics: counts.size },
      `Replicating ${counts.size} topics (${ready.length} partitions) from ${this.#settings!.sourceClusterAlias}`);
    this.#known = ready;
    this.#context!.requestTaskReconfiguration();
  }

  async #createOffsetSyncsTopic(source: ClusterClient, target: ClusterClient): Promise<void> {
    const s = this.#settings!;
    await createInternalTopic((s.offsetSyncsTopicLocation === 'source' ? source : target).admin(), {
      name: s.offsetSyncsTopic,
      replicationFactor: s.offsetSyncsTopicReplicationFactor,
      replicationFactorKey: 'offset-syncs.topic.replication.factor',
      cluster: s.offsetSyncsTopicLocation,
    });
  }

  /** A ConnectError is a mistake retrying cannot fix (a replication factor the cluster cannot meet): the connector fails with it. Others are rethrown for the next interval. */
  #failOn(err: unknown): void {
    if (err instanceof ConnectError) {
      if (!this.#jobs?.stopped) this.#context!.raiseError(err);
      return;
    }
    throw err;
  }
}

function samePartitions(a: readonly ClusterPartition[], b: readonly ClusterPartition[]): boolean {
  return a.length === b.length && a.every((p, i) => p.topic === b[i]!.topic && p.partition === b[i]!.partition);
}
