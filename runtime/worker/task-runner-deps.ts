/**
 * What a source or sink task runner is built from. The worker's runner factory fills it from
 * its own state (Kafka client, offset store, converter and transform registries, worker
 * config) plus the task at hand; runners own nothing here but `clusters`, and close only the
 * clients they create from `kafka` and what the task left open in `clusters`.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import type { SinkTask } from '../../connectors/sdk/sink-task.js';
import type { SourceTask } from '../../connectors/sdk/source-task.js';
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { WorkerCommonConfig } from '../config/worker-config.js';
import type { OwnedKafkaClusters } from '../kafka/connector-clusters.js';
import type { KafkaClient } from '../kafka/kafka-client.js';
import type { TaskMetricsRecorder } from '../metrics/task-metrics.js';
import type { ConverterRegistry } from '../pipeline/converters/converter-registry.js';
import type { PluginRegistries } from '../pipeline/transform-chain.js';
import type { OffsetStore } from '../stores/offset-store.js';
import type { TaskId } from '../stores/task-id.js';
import type { ConnectorOffsetsTopic } from './connector-offset-store.js';
import type { ExactlyOnceSettings } from './source-delivery.js';
import type { StatusListener } from './task-status.js';

/** The worker settings runners read (a parsed standalone or distributed worker config has them all). */
export type WorkerTaskSettings = Pick<WorkerCommonConfig,
  | 'keyConverter'
  | 'valueConverter'
  | 'headerConverter'
  | 'offsetFlushIntervalMs'
  | 'offsetFlushTimeoutMs'
  | 'taskShutdownGracefulTimeoutMs'>;

export interface TaskRunnerDeps {
  readonly id: TaskId;
  /** The connector's config with config-provider placeholders resolved. */
  readonly connectorConfig: RawConfig;
  /** The task's config as stored (with `task.class`, and for sinks `topics` / `topics.regex`). */
  readonly taskConfig: RawConfig;
  readonly workerConfig: WorkerTaskSettings;
  /** The worker's raw properties, for the prefixed keys (`key.converter.*`, `value.converter.*`, `header.converter.*`). */
  readonly workerProperties: RawConfig;
  readonly kafka: KafkaClient;
  /** The task's clients for other clusters (SourceTaskContext.kafka, SinkTaskContext.kafka); closed when the task stops. */
  readonly clusters: OwnedKafkaClusters;
  readonly converters: ConverterRegistry;
  /** Transform and predicate plugins; the built-in ones when absent. */
  readonly transformPlugins?: PluginRegistries;
  readonly onStatus: StatusListener;
  /**
   * Told the topic of records the task produced (source, once Kafka acknowledged them) or
   * consumed (sink), for topic tracking (KIP-558). Called often: it must be cheap and not throw.
   */
  readonly onTopicUsed?: (topic: string) => void;
  readonly logger: TaskLogger;
  /** Receives the task's counts and timings; none recorded when absent. */
  readonly metrics?: TaskMetricsRecorder;
}

export interface SourceTaskRunnerDeps extends TaskRunnerDeps {
  /** A new, unstarted instance from the plugin's `createTask()`. */
  readonly sourceTask: SourceTask;
  /** Started; shared by the worker's source tasks (read committed when the worker is exactly-once). */
  readonly offsetStore: OffsetStore;
  /** Present when the task's records are written exactly once (TransactionalDelivery). */
  readonly exactlyOnce?: ExactlyOnceSettings;
  /** The connector's own offsets topic (offsets.storage.topic): the task's primary offsets store, `offsetStore` the secondary. */
  readonly connectorOffsetsTopic?: ConnectorOffsetsTopic;
}

export interface SinkTaskRunnerDeps extends TaskRunnerDeps {
  /** A new, unstarted instance from the plugin's `createTask()`. */
  readonly sinkTask: SinkTask;
}

