/**
 * Builds the worker's TaskRunnerFactory: a source or sink runner per task, wired to this
 * worker's Kafka client, offset store, converters and settings.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import { ConnectError } from '../../connectors/sdk/errors.js';
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { KafkaClustersFactory } from '../kafka/connector-clusters.js';
import type { KafkaClient } from '../kafka/kafka-client.js';
import type { TaskMetricsFactory } from '../metrics/task-metrics.js';
import type { ConverterRegistry } from '../pipeline/converters/converter-registry.js';
import type { PluginRegistries } from '../pipeline/transform-chain.js';
import type { OffsetStore } from '../stores/offset-store.js';
import type { ConfigStore } from '../stores/config-store.js';
import type { StatusStore } from '../stores/status-store.js';
import { ActiveTopicRecorder } from './active-topic-recorder.js';
import { SinkTaskRunner } from './sink-task-runner.js';
import type { ExactlyOnceSettings } from './source-delivery.js';
import { SourceTaskRunner } from './source-task-runner.js';
import type { WorkerTaskSettings } from './task-runner-deps.js';
import type { TaskRunnerFactory } from './worker.js';

export interface TaskRunnerFactoryOptions {
  kafka: KafkaClient;
  /** Gives each task its clients for other clusters (SourceTaskContext.kafka, SinkTaskContext.kafka). */
  kafkaClusters: KafkaClustersFactory;
  offsets: OffsetStore;
  converters: ConverterRegistry;
  /** The transforms and predicates tasks may name; the runtime's built-in ones when absent. */
  transformPlugins?: PluginRegistries;
  workerConfig: WorkerTaskSettings;
  workerProperties: RawConfig;
  logger: TaskLogger;
  /** Resolves config-provider placeholders; identity when none are configured. */
  resolveConfig?: (config: RawConfig) => RawConfig | Promise<RawConfig>;
  /** Where tasks record the topics they use (topic.tracking.enable); nothing is recorded when absent. */
  activeTopics?: StatusStore;
  /** Gives each runner its metrics recorder; none when absent. */
  metrics?: TaskMetricsFactory;
  /** Set when the worker's exactly.once.source.support is `enabled` (distributed mode): source tasks write in transactions. */
  exactlyOnce?: ExactlyOnceWorker;
  /**
   * The worker's offsets topic layout (distributed mode): a source connector naming an offsets
   * topic of its own (offsets.storage.topic) gets it created like this one.
   */
  offsetsTopic?: { readonly name: string; readonly partitions: number; readonly replicationFactor: number };
}

/** What an exactly-once worker gives its source tasks. */
export interface ExactlyOnceWorker {
  readonly groupId: string;
  readonly offsetsTopic: string;
  /** Zombie fencing of a connector's earlier tasks by the leader (WorkerControl.fenceZombies). */
  readonly fenceZombies?: (connector: string) => Promise<void>;
  /** The config topic: a task checks, once it claimed its transactional id, that its task configs are still current. */
  readonly configs?: Pick<ConfigStore, 'readToEnd' | 'snapshot'>;
}

export function createTaskRunnerFactory(opts: TaskRunnerFactoryOptions): TaskRunnerFactory {
  const topics = opts.activeTopics && new ActiveTopicRecorder(opts.activeTopics, opts.logger);
  return (request) => {
    const common = {
      id: { connector: request.connector, task: request.task },
      connectorConfig: request.connectorConfig,
      taskConfig: request.taskConfig,
      workerConfig: opts.workerConfig,
      workerProperties: opts.workerProperties,
      kafka: opts.kafka,
      clusters: opts.kafkaClusters({ connector: request.connector, task: request.task }),
      converters: opts.converters,
      transformPlugins: opts.transformPlugins,
      onStatus: request.onStatus,
      onTopicUsed: topics?.forTask({ connector: request.connector, task: request.task }),
      logger: request.logger,
    };
    if (request.plugin.kind === 'source') {
      const sourceTask = request.plugin.createTask();
      const own = request.connectorConfig['offsets.storage.topic']?.trim();
      const connectorOffsetsTopic = opts.offsetsTopic && own && own !== opts.offsetsTopic.name ? {
        topic: own, partitions: opts.offsetsTopic.partitions, replicationFactor: opts.offsetsTopic.replicationFactor,
        readCommitted: opts.exactlyOnce !== undefined,
      } : undefined;
      const exactlyOnce = opts.exactlyOnce && exactlyOnceSettings(opts.exactlyOnce, request.connector, request.task,
        request.connectorConfig, opts.workerConfig.offsetFlushIntervalMs, connectorOffsetsTopic?.topic);
      return new SourceTaskRunner({
        ...common, sourceTask, offsetStore: opts.offsets, metrics: opts.metrics?.task(common.id, 'source'),
        ...(exactlyOnce ? { exactlyOnce } : {}), ...(connectorOffsetsTopic ? { connectorOffsetsTopic } : {}),
      });
    }
    const sinkTask = request.plugin.createTask();
    return new SinkTaskRunner({ ...common, sinkTask, metrics: opts.metrics?.task(common.id, 'sink') });
  };
}

/** A source task's exactly-once settings: Kafka Connect's transactional id, the connector's transaction boundary, the start checks. */
function exactlyOnceSettings(
  worker: ExactlyOnceWorker, connector: string, task: number, config: RawConfig, offsetFlushIntervalMs: number,
  connectorOffsetsTopic: string | undefined,
): ExactlyOnceSettings {
  const boundary = (config['transaction.boundary'] ?? 'poll').trim().toLowerCase();
  const interval = config['transaction.boundary.interval.ms'];
  const configs = worker.configs;
  const generation = configs?.snapshot().taskConfigGeneration(connector);
  const fence = worker.fenceZombies;
  return {
    transactionalId: `${worker.groupId}-${connector}-${task}`,
    offsetsTopic: connectorOffsetsTopic ?? worker.offsetsTopic,
    boundary: boundary === 'interval' || boundary === 'connector' ? boundary : 'poll',
    boundaryIntervalMs: interval === undefined || interval.trim() === '' ? offsetFlushIntervalMs : Number(interval),
    ...(fence ? { fenceZombies: () => fence(connector) } : {}),
    ...(configs ? {
      checkCurrent: async () => {
        await configs.readToEnd();
        if (configs.snapshot().taskConfigGeneration(connector) !== generation) {
          throw new ConnectError(`Cannot start source task ${connector}-${task} with exactly-once support as the connector has `
            + 'already generated a new set of task configs');
        }
      },
    } : {}),
  };
}
