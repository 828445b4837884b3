/**
 * The per-task record pipeline around a connector task: its key, value and header converters,
 * its transformation chain and its error handler, built from the connector config and the
 * worker config the way Kafka Connect's Worker builds them for a WorkerTask.
 *
 * Converters: when the connector config names a class (`value.converter=...`), that class is
 * configured with the connector's `value.converter.*` keys only; otherwise the worker's class
 * with the worker's `value.converter.*` keys. The two sources are never mixed, as in Kafka.
 *
 * Every instance is new and belongs to one task; `close()` closes them all, quietly.
 */
import type { ConnectRecord } from '../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../connectors/sdk/connector.js';
import type { Converter, HeaderConverter } from '../../connectors/sdk/converter.js';
import { extractPrefixed } from '../config/config-prefix.js';
import { sinkConnectorSpec, sourceConnectorSpec } from '../config/connector-config.js';
import type { RecordProducer } from '../kafka/kafka-client.js';
import { ensureDeadLetterQueueTopic, type DeadLetterQueueSend } from '../pipeline/error-handling/dead-letter-queue-reporter.js';
import { errorPolicyFromConfig, type DeadLetterQueuePolicy, type ErrorPolicy } from '../pipeline/error-handling/error-policy.js';
import { createTaskErrorHandler } from '../pipeline/error-handling/task-error-handler.js';
import type { Stage } from '../pipeline/error-handling/stage.js';
import type { ExecuteContext, ToleranceOperator } from '../pipeline/error-handling/tolerance-operator.js';
import { buildTransformChain, TransformationError, type TransformChain } from '../pipeline/transform-chain.js';
import type { TaskRunnerDeps } from './task-runner-deps.js';

export type TaskKind = 'source' | 'sink';
export type ConverterUse = 'key' | 'value' | 'header';

export interface ConverterSettings {
  /** The class name as configured (a Kafka class name or an alias). */
  readonly className: string;
  /** The `<use>.converter.` keys with the prefix stripped. */
  readonly configs: Record<string, string>;
  readonly source: 'connector' | 'worker';
}

export interface TaskConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  /** Resolved Kafka class names, as error reports name them. */
  readonly keyClass: string;
  readonly valueClass: string;
  readonly headerClass: string;
}

export interface TaskPipeline<R extends ConnectRecord> {
  readonly converters: TaskConverters;
  readonly transforms: TransformChain<R>;
  readonly errors: ToleranceOperator;
  readonly policy: ErrorPolicy;
  close(): void;
}

export interface TaskPipelineOptions {
  readonly deps: TaskRunnerDeps;
  readonly kind: TaskKind;
  /** The error policy, from `connectorErrorPolicy`. */
  readonly policy: ErrorPolicy;
  /** Aborted when the task stops: ends retries early. */
  readonly signal: AbortSignal;
  /** Sink tasks with a dead letter queue. */
  readonly deadLetterQueueSend?: DeadLetterQueueSend;
}

/** The connector's `errors.*` settings; throws ConfigError when the connector config is invalid. */
export function connectorErrorPolicy(kind: TaskKind, connectorConfig: RawConfig): ErrorPolicy {
  const parsed = kind === 'sink' ? sinkConnectorSpec.parse(connectorConfig) : sourceConnectorSpec.parse(connectorConfig);
  return errorPolicyFromConfig(parsed);
}

/** Which class and settings the task's `use` converter gets. */
export function converterSettings(use: ConverterUse, deps: Pick<TaskRunnerDeps, 'connectorConfig' | 'workerConfig' | 'workerProperties'>): ConverterSettings {
  const key = `${use}.converter`;
  const own = deps.connectorConfig[key];
  if (own !== undefined && own.trim() !== '') {
    return { className: own.trim(), configs: extractPrefixed(deps.connectorConfig, `${key}.`), source: 'connector' };
  }
  const worker = use === 'key' ? deps.workerConfig.keyConverter : use === 'value' ? deps.workerConfig.valueConverter : deps.workerConfig.headerConverter;
  return { className: worker, configs: extractPrefixed(deps.workerProperties, `${key}.`), source: 'worker' };
}

/** Creates and configures the converters, the transformation chain and the error handler. Throws on any configuration error, closing what it created. */
export function buildTaskPipeline<R extends ConnectRecord>(options: TaskPipelineOptions): TaskPipeline<R> {
  const { deps } = options;
  const created: { close?(): void }[] = [];
  try {
    const make = <T extends { close?(): void }>(instance: T): T => {
      created.push(instance);
      return instance;
    };
    const keySettings = converterSettings('key', deps);
    const valueSettings = converterSettings('value', deps);
    const headerSettings = converterSettings('header', deps);
    const classOf = (settings: ConverterSettings) => deps.converters.resolve(settings.className)?.className ?? settings.className;
    const converters: TaskConverters = {
      key: make(deps.converters.createConverter(keySettings.className, keySettings.configs, true)),
      value: make(deps.converters.createConverter(valueSettings.className, valueSettings.configs, false)),
      header: make(deps.converters.createHeaderConverter(headerSettings.className, headerSettings.configs)),
      keyClass: classOf(keySettings),
      valueClass: classOf(valueSettings),
      headerClass: classOf(headerSettings),
    };
    const transforms = make(buildTransformChain<R>(deps.connectorConfig, deps.transformPlugins));
    const errors = createTaskErrorHandler({
      taskId: deps.id,
      policy: options.policy,
      logger: deps.logger,
      deadLetterQueueSend: options.deadLetterQueueSend,
      signal: options.signal,
    });
    return {
      converters,
      transforms,
      errors,
      policy: options.policy,
      close: () => closeAll(created),
    };
  } catch (error) {
    closeAll(created);
    throw error;
  }
}

function closeAll(closeables: readonly { close?(): void }[]): void {
  for (const c of closeables) {
    try {
      c.close?.();
    } catch {
      // Closing is best effort.
    }
  }
}

export interface DeadLetterQueue {
  readonly send: DeadLetterQueueSend;
  close(): Promise<void>;
}

/**
 * Creates the dead letter queue topic when missing (one partition, the configured replication
 * factor) and a producer for it, `connector-dlq-producer-{connector}-{task}`.
 */
export async function openDeadLetterQueue(deps: Pick<TaskRunnerDeps, 'id' | 'kafka' | 'connectorConfig'>, policy: DeadLetterQueuePolicy): Promise<DeadLetterQueue> {
  const { connector, task } = deps.id;
  const admin = deps.kafka.admin({
    clientId: `connector-dlq-adminclient-${connector}`,
    role: 'connector',
    overrides: extractPrefixed(deps.connectorConfig, 'admin.override.'),
  });
  try {
    await ensureDeadLetterQueueTopic(admin, policy);
  } finally {
    await admin.close().catch(() => {});
  }
  const producer: RecordProducer = deps.kafka.producer({
    clientId: `connector-dlq-producer-${connector}-${task}`,
    role: 'connector',
    overrides: extractPrefixed(deps.connectorConfig, 'producer.override.'),
  });
  return {
    send: async (record) => {
      await producer.send([record]);
    },
    close: () => producer.close(),
  };
}

/** The class a failure in `stage` is reported under (Kafka's error reporters name the converter, the transform or the task). */
export function failedClassOf(converters: TaskConverters, stage: Stage, error: unknown, taskClass: string): string {
  switch (stage) {
    case 'TRANSFORMATION':
      return error instanceof TransformationError ? error.className : 'TransformationChain';
    case 'HEADER_CONVERTER':
      return converters.headerClass;
    case 'KEY_CONVERTER':
      return converters.keyClass;
    case 'VALUE_CONVERTER':
      return converters.valueClass;
    default:
      return taskClass;
  }
}

/** One pipeline operation (synchronous or not) under the tolerance operator; undefined when error tolerance skipped it. */
export async function runTolerated<T>(
  errors: ToleranceOperator, stage: Stage, className: string, operation: () => T | Promise<T>, context: ExecuteContext,
): Promise<T | undefined> {
  const result = await errors.execute(stage, className, operation, context);
  return result.ok ? result.value : undefined;
}
