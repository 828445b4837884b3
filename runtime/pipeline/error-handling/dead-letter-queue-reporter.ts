/**
 * Sends each failed consumed record to the sink connector's dead letter queue topic (Kafka's
 * DeadLetterQueueReporter). The record sent is the one consumed, untouched: raw key and value
 * bytes, its headers in order and its timestamp (none when it had none, so the producer
 * stamps it); no partition is chosen. With errors.deadletterqueue.context.headers.enable the
 * `__connect.errors.*` headers follow the original ones, in Kafka's order, values as UTF-8
 * text (partition, offset and task number in decimal; see java-stack-trace.ts for the
 * exception headers). The topic/partition/offset headers name the record as consumed.
 *
 * Failures to send are counted and logged and never fail the task. A failure with no consumed
 * record (e.g. a whole put() failed) is counted as a request and a failure and not sent, as in
 * Kafka.
 */
import type { TaskLogger } from '../../../connectors/sdk/task-logger.js';
import type { RecordHeader, TopicAdmin } from '../../kafka/kafka-client.js';
import type { TaskId } from '../../stores/task-id.js';
import type { ErrorHandlingMetrics } from './error-metrics.js';
import type { DeadLetterQueuePolicy } from './error-policy.js';
import type { ErrorReporter, ProcessingFailure } from './error-reporter.js';
import { describeThrown, javaStackTrace } from './java-stack-trace.js';

export const ERROR_HEADER_PREFIX = '__connect.errors.';
export const ERROR_HEADER_ORIG_TOPIC = `${ERROR_HEADER_PREFIX}topic`;
export const ERROR_HEADER_ORIG_PARTITION = `${ERROR_HEADER_PREFIX}partition`;
export const ERROR_HEADER_ORIG_OFFSET = `${ERROR_HEADER_PREFIX}offset`;
export const ERROR_HEADER_CONNECTOR_NAME = `${ERROR_HEADER_PREFIX}connector.name`;
export const ERROR_HEADER_TASK_ID = `${ERROR_HEADER_PREFIX}task.id`;
export const ERROR_HEADER_STAGE = `${ERROR_HEADER_PREFIX}stage`;
export const ERROR_HEADER_EXECUTING_CLASS = `${ERROR_HEADER_PREFIX}class.name`;
export const ERROR_HEADER_EXCEPTION = `${ERROR_HEADER_PREFIX}exception.class.name`;
export const ERROR_HEADER_EXCEPTION_MESSAGE = `${ERROR_HEADER_PREFIX}exception.message`;
export const ERROR_HEADER_EXCEPTION_STACK_TRACE = `${ERROR_HEADER_PREFIX}exception.stacktrace`;

/** What is produced to the dead letter queue; structurally a producer's OutgoingRecord. */
export interface DeadLetterQueueRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  /** Epoch ms; null lets the producer stamp it. */
  readonly timestamp: number | null;
}

/** Produces one record; resolves once it is acknowledged, rejects if it could not be written. */
export type DeadLetterQueueSend = (record: DeadLetterQueueRecord) => Promise<void>;

export interface DeadLetterQueueReporterOptions {
  readonly taskId: TaskId;
  readonly policy: DeadLetterQueuePolicy;
  readonly send: DeadLetterQueueSend;
  readonly metrics: ErrorHandlingMetrics;
  readonly logger: TaskLogger;
}

function text(value: string | null): Buffer | null {
  return value === null ? null : Buffer.from(value, 'utf8');
}

function contextHeaders(taskId: TaskId, failure: ProcessingFailure): RecordHeader[] {
  const headers: RecordHeader[] = [];
  const add = (key: string, value: string | null) => headers.push({ key, value: text(value) });
  if (failure.record?.kind === 'consumed') {
    const r = failure.record.record;
    add(ERROR_HEADER_ORIG_TOPIC, r.topic);
    add(ERROR_HEADER_ORIG_PARTITION, String(r.partition));
    add(ERROR_HEADER_ORIG_OFFSET, String(r.offset));
  }
  add(ERROR_HEADER_CONNECTOR_NAME, taskId.connector);
  add(ERROR_HEADER_TASK_ID, String(taskId.task));
  add(ERROR_HEADER_STAGE, failure.stage);
  add(ERROR_HEADER_EXECUTING_CLASS, failure.className);
  const thrown = describeThrown(failure.error);
  add(ERROR_HEADER_EXCEPTION, thrown.className);
  add(ERROR_HEADER_EXCEPTION_MESSAGE, thrown.message);
  add(ERROR_HEADER_EXCEPTION_STACK_TRACE, javaStackTrace(failure.error));
  return headers;
}

/** The record to send for `failure`, or null when it has no consumed record. */
export function deadLetterQueueRecord(taskId: TaskId, policy: DeadLetterQueuePolicy, failure: ProcessingFailure): DeadLetterQueueRecord | null {
  if (failure.record?.kind !== 'consumed') return null;
  const original = failure.record.record;
  const headers = [...original.headers];
  if (policy.contextHeaders) headers.push(...contextHeaders(taskId, failure));
  return {
    topic: policy.topic,
    key: original.key,
    value: original.value,
    headers,
    timestamp: original.timestamp >= 0 ? original.timestamp : null,
  };
}

export class DeadLetterQueueReporter implements ErrorReporter {
  readonly #options: DeadLetterQueueReporterOptions;

  constructor(options: DeadLetterQueueReporterOptions) {
    this.#options = options;
  }

  async report(failure: ProcessingFailure): Promise<void> {
    const { taskId, policy, send, metrics, logger } = this.#options;
    metrics.recordDeadLetterQueueProduceRequest();
    const record = deadLetterQueueRecord(taskId, policy, failure);
    if (record === null) {
      metrics.recordDeadLetterQueueProduceFailed();
      return;
    }
    try {
      await send(record);
    } catch (err) {
      metrics.recordDeadLetterQueueProduceFailed();
      logger.error({ err, connector: taskId.connector, task: taskId.task, topic: policy.topic },
        `Could not produce message to dead letter queue. topic=${policy.topic}`);
    }
  }
}

/** Creates the dead letter queue topic when missing: one partition, the configured replication factor. */
export async function ensureDeadLetterQueueTopic(admin: Pick<TopicAdmin, 'ensureTopic'>, policy: DeadLetterQueuePolicy): Promise<void> {
  await admin.ensureTopic({ name: policy.topic, partitions: 1, replicationFactor: policy.replicationFactor });
}
