/**
 * Runs one source task (Kafka's WorkerSourceTask and, with exactly-once support, its
 * ExactlyOnceWorkerSourceTask): polls the task, transforms and converts each record, and hands
 * it to the task's SourceDelivery, which writes it and makes its source offset durable: at least
 * once (AtLeastOnceDelivery) or in Kafka transactions (TransactionalDelivery).
 *
 * Concurrency: one poll loop per runner; `poll` is never called concurrently, and the delivery
 * is driven from that loop only.
 *
 * Fairness: the loop yields to the event loop (setImmediate) after every poll. A task whose
 * poll resolves at once with data (a full queue) would otherwise convert poll after poll in
 * one macrotask, starving the producer, the worker's group heartbeats and, in `ferry start`,
 * the broker itself for seconds.
 *
 * Failure: anything that error tolerance does not absorb reports FAILED with its trace and
 * shuts the task down (final commit, task.stop, producer close) without waiting for `stop()`.
 */
import type { ConnectHeader, SourceRecord } from '../../connectors/sdk/connect-record.js';
import { isThenable, type RecordHeaders } from '../../connectors/sdk/converter.js';
import { ConnectError, DataError } from '../../connectors/sdk/errors.js';
import type { RecordMetadata as TaskRecordMetadata, SourceTaskContext } from '../../connectors/sdk/source-task.js';
import { extractPrefixed } from '../config/config-prefix.js';
import type { OutgoingRecord, RecordHeader } from '../kafka/kafka-client.js';
import { NO_TASK_METRICS, type TaskMetricsRecorder } from '../metrics/task-metrics.js';
import { sourceRecordContext } from '../pipeline/error-handling/record-context.js';
import { retryDelayMs, sleep } from '../pipeline/error-handling/retry-backoff.js';
import type { Stage } from '../pipeline/error-handling/stage.js';
import { isRetriable } from '../pipeline/error-handling/tolerance-operator.js';
import type { OffsetEntry } from '../stores/offset-store.js';
import type { SourceOffset, SourcePartition } from '../stores/source-position.js';
import { AtLeastOnceDelivery } from './at-least-once-delivery.js';
import { openConnectorOffsets, type ConnectorOffsetStore, type TaskOffsetStore } from './connector-offset-store.js';
import { TransactionalDelivery } from './transactional-delivery.js';
import { ConvertedHeaderMemo } from './converted-header-memo.js';
import type { DeliveryHost, SourceDelivery } from './source-delivery.js';
import { buildTaskPipeline, connectorErrorPolicy, failedClassOf, runTolerated, type TaskPipeline } from './task-pipeline.js';
import type { TaskRunner } from './task-runner.js';
import type { SourceTaskRunnerDeps } from './task-runner-deps.js';
import { traceOf, type InstanceStatus } from './task-status.js';
import { withTimeout } from './with-timeout.js';

const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);

type Phase = 'new' | 'starting' | 'running' | 'failed' | 'stopped';

export class SourceTaskRunner implements TaskRunner {
  readonly connector: string;
  readonly task: number;
  readonly #deps: SourceTaskRunnerDeps;
  readonly #abort = new AbortController();
  readonly #taskClass: string;
  readonly #metrics: TaskMetricsRecorder;
  #phase: Phase = 'new';
  #taskStarted = false;
  #paused = false;
  #reported: InstanceStatus | null = null;
  #stopRequested = false;
  #pipeline: TaskPipeline<SourceRecord> | undefined;
  #delivery: SourceDelivery | undefined;
  /** The connector's own offsets topic, when it has one (offsets.storage.topic). */
  #connectorOffsets: { store: ConnectorOffsetStore; close: () => Promise<void> } | undefined;
  #starting: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  readonly #headerMemo = new ConvertedHeaderMemo();
  #stage: Stage = 'TRANSFORMATION';
  readonly #host: DeliveryHost = {
    commitRecord: (record, metadata) => this.#commitRecord(record, metadata),
    taskCommit: () => this.#taskCommit(),
    recordsAcknowledged: (partition, offset) => this.#recordsAcknowledged(partition, offset),
    fail: (error) => this.#fail(error),
  };

  constructor(deps: SourceTaskRunnerDeps) {
    this.#deps = deps;
    this.connector = deps.id.connector;
    this.task = deps.id.task;
    this.#taskClass = deps.taskConfig['task.class'] ?? deps.connectorConfig['connector.class'] ?? 'SourceTask';
    this.#metrics = deps.metrics ?? NO_TASK_METRICS;
    this.#metrics.watchActiveRecords(() => this.#delivery?.activeRecords ?? 0);
  }

  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** PAUSED is reported by the loop once it parks: after the poll in flight was sent, nothing more flows. */
  pause(): void {
    if (this.#paused || this.#stopRequested || this.#phase === 'failed') return;
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused || this.#stopRequested || this.#phase === 'failed') return;
    this.#paused = false;
    this.#wakeUp();
    if (this.#phase === 'running') this.#report('RUNNING');
  }

  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#abort.abort();
    this.#wakeUp();
    await this.#starting;
    this.#shutdown ??= this.#close();
    await this.#shutdown;
    this.#metrics.close();
  }

  async #start(): Promise<void> {
    const deps = this.#deps;
    this.#phase = 'starting';
    this.#metrics.startAttempted();
    try {
      const policy = connectorErrorPolicy('source', deps.connectorConfig);
      const pipeline = buildTaskPipeline<SourceRecord>({ deps, kind: 'source', policy, signal: this.#abort.signal });
      this.#pipeline = pipeline;
      this.#metrics.watchErrors(() => pipeline.errors.snapshot());
      let offsets: TaskOffsetStore = deps.offsetStore;
      if (deps.connectorOffsetsTopic) {
        this.#connectorOffsets = await openConnectorOffsets(deps.kafka, this.connector, deps.connectorOffsetsTopic, deps.offsetStore,
          deps.logger, extractPrefixed(deps.connectorConfig, 'admin.override.'));
        offsets = this.#connectorOffsets.store;
      }
      const delivery = this.#createDelivery(pipeline, offsets);
      this.#delivery = delivery;
      await delivery.open();
      let offsetsReadable = true;
      const context: SourceTaskContext = {
        offsets: {
          offsets: async (partitions) => {
            if (!offsetsReadable) throw new ConnectError('Source offsets can only be read while the task starts');
            return offsets.get(this.connector, partitions);
          },
        },
        logger: deps.logger,
        kafka: deps.clusters,
        ...(delivery.transactionContext ? { transactionContext: delivery.transactionContext } : {}),
      };
      await deps.sourceTask.start(deps.taskConfig, context);
      offsetsReadable = false;
      this.#taskStarted = true;
      this.#metrics.startSucceeded();
    } catch (error) {
      this.#metrics.startFailed();
      this.#fail(error);
      return;
    }
    if (this.#stopRequested) return;
    this.#phase = 'running';
    this.#report(this.#paused ? 'PAUSED' : 'RUNNING');
    this.#loop = this.#run();
  }

  #createDelivery(pipeline: TaskPipeline<SourceRecord>, offsets: TaskOffsetStore): SourceDelivery {
    const deps = this.#deps;
    const request = {
      clientId: `connector-producer-${this.connector}-${this.task}`,
      role: 'connector' as const,
      overrides: extractPrefixed(deps.connectorConfig, 'producer.override.'),
    };
    const eos = deps.exactlyOnce;
    if (eos === undefined) {
      return new AtLeastOnceDelivery({
        deps, producer: deps.kafka.producer(request), offsets, errors: pipeline.errors, metrics: this.#metrics, host: this.#host,
        reportsRecordData: pipeline.policy.logEnable && pipeline.policy.logIncludeMessages,
      });
    }
    const own = this.#connectorOffsets?.store;
    return new TransactionalDelivery({
      deps, producer: deps.kafka.transactionalProducer({ ...request, transactionalId: eos.transactionalId }),
      settings: eos, metrics: this.#metrics, host: this.#host,
      ...(own ? { afterCommit: (committed: readonly OffsetEntry[]) => own.afterPrimaryCommit(this.connector, committed) } : {}),
    });
  }

  async #run(): Promise<void> {
    const task = this.#deps.sourceTask;
    const signal = this.#abort.signal;
    let retries = 0;
    try {
      while (!this.#stopRequested && this.#phase === 'running') {
        if (this.#paused) {
          this.#report('PAUSED');
          await new Promise<void>((resolve) => { this.#wake = resolve; });
          continue;
        }
        let records: SourceRecord[] | null | undefined;
        try {
          const pollStarted = performance.now();
          records = await task.poll(signal);
          if (records) this.#metrics.recordPoll(records.length, performance.now() - pollStarted);
          retries = 0;
        } catch (error) {
          if (this.#stopRequested) break;
          if (isRetriable(error)) {
            retries++;
            this.#deps.logger.warn({ err: error, connector: this.connector, task: this.task }, 'Source task poll failed with a retriable error; polling again after a back-off');
            await sleep(retryDelayMs(retries, this.#pipeline!.policy.retryDelayMaxMs), signal);
            continue;
          }
          if (!(error instanceof DataError)) throw error;
          await this.#pipeline!.errors.executeFailed('TASK_POLL', this.#taskClass, error);
          this.#skipPast(error);
          continue;
        }
        if (records && records.length > 0) await this.#dispatch(records);
        await this.#delivery!.afterPoll();
        await yieldToEventLoop();
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** A tolerated bad-data error that says where the source continues moves the committable offset past it. */
  #skipPast(error: DataError): void {
    const { sourcePartition, sourceOffset } = error as DataError & { sourcePartition?: unknown; sourceOffset?: unknown };
    if (!isPlainMap(sourcePartition) || !isPlainMap(sourceOffset)) return;
    this.#delivery!.skip({ sourcePartition: sourcePartition as SourcePartition, sourceOffset: sourceOffset as SourceOffset }, null);
  }

  /** Transforms, converts and sends one poll's records; resolves once more may be sent. */
  async #dispatch(records: readonly SourceRecord[]): Promise<void> {
    const converted: (OutgoingRecord | null)[] = [];
    try {
      for (const record of records) {
        let out: OutgoingRecord | null;
        try {
          const converted = this.#convert(record);
          out = isThenable(converted) ? await converted : converted;
        } catch (error) {
          out = await this.#convertAfterFailure(record, this.#stage, error);
        }
        converted.push(out);
      }
    } catch (error) {
      // What was converted before the failure still goes out; the failure is not held up by back-pressure.
      void this.#delivery!.send(records, converted);
      throw error;
    }
    await this.#delivery!.send(records, converted);
  }

  /**
   * The record as it is produced, or null when a transform dropped it; throws (or rejects) with
   * `#stage` naming the failed stage. Synchronous unless a converter answers with a promise.
   */
  #convert(record: SourceRecord): OutgoingRecord | null | Promise<OutgoingRecord | null> {
    const { transforms } = this.#pipeline!;
    this.#stage = 'TRANSFORMATION';
    const transformed = transforms.isEmpty ? record : transforms.apply(record);
    if (transformed === null) return null;
    this.#stage = 'HEADER_CONVERTER';
    const headers = this.#headers(transformed);
    this.#stage = 'KEY_CONVERTER';
    const key = this.#pipeline!.converters.key.fromConnectData(transformed.topic, headers, transformed.keySchema, transformed.key);
    if (isThenable(key)) return this.#convertAwaiting(transformed, headers, key);
    this.#stage = 'VALUE_CONVERTER';
    const value = this.#pipeline!.converters.value.fromConnectData(transformed.topic, headers, transformed.valueSchema, transformed.value);
    if (isThenable(value)) return this.#convertAwaiting(transformed, headers, key, value);
    return outgoingRecord(transformed, key, value, headers);
  }

  /** `#convert` once a converter answered with a promise: the key, then the value. */
  async #convertAwaiting(
    transformed: SourceRecord, headers: RecordHeaders, pendingKey: Buffer | null | Promise<Buffer | null>, pendingValue?: Promise<Buffer | null>,
  ): Promise<OutgoingRecord> {
    const key = await pendingKey;
    this.#stage = 'VALUE_CONVERTER';
    const value = await (pendingValue ?? this.#pipeline!.converters.value.fromConnectData(transformed.topic, headers, transformed.valueSchema, transformed.value));
    return outgoingRecord(transformed, key, value, headers);
  }

  #headers(record: SourceRecord): RecordHeaders {
    const headers: RecordHeader[] = [];
    const converter = this.#pipeline!.converters.header;
    const topic = record.topic;
    for (const h of record.headers ?? NO_HEADERS) {
      const value = this.#headerMemo.bytesOf(topic, h, () => converter.fromConnectHeader(topic, h.key, h.schema, h.value));
      headers.push({ key: h.key, value });
    }
    return headers;
  }

  /**
   * The slow path after `#convert` threw in `stage`: a non-retriable failure goes straight to
   * error tolerance; a retriable one runs the record through every stage again under the
   * tolerance operator, which retries with back-off. null: the record is dropped or skipped.
   */
  async #convertAfterFailure(record: SourceRecord, stage: Stage, error: unknown): Promise<OutgoingRecord | null> {
    const { errors, converters, transforms } = this.#pipeline!;
    const context = { record: sourceRecordContext(record) };
    if (!isRetriable(error)) {
      await errors.executeFailed(stage, failedClassOf(converters, stage, error, this.#taskClass), error, context);
      return null;
    }
    let current: SourceRecord | null = record;
    for (const s of transforms.stages) {
      const input: SourceRecord = current;
      const result = await errors.execute('TRANSFORMATION', s.plugin.className, () => s.apply(input), context);
      if (!result.ok || result.value === null) return null;
      current = result.value;
    }
    const transformed: SourceRecord = current;
    const headers = await runTolerated(errors, 'HEADER_CONVERTER', converters.headerClass, () => this.#headers(transformed), context);
    if (headers === undefined) return null;
    const key = await runTolerated(errors, 'KEY_CONVERTER', converters.keyClass,
      () => converters.key.fromConnectData(transformed.topic, headers, transformed.keySchema, transformed.key), context);
    if (key === undefined) return null;
    const value = await runTolerated(errors, 'VALUE_CONVERTER', converters.valueClass,
      () => converters.value.fromConnectData(transformed.topic, headers, transformed.valueSchema, transformed.value), context);
    if (value === undefined) return null;
    return outgoingRecord(transformed, key, value, headers);
  }

  #commitRecord(record: SourceRecord, metadata: TaskRecordMetadata | null): void {
    const task = this.#deps.sourceTask;
    if (task.commitRecord === undefined) return;
    try {
      task.commitRecord(record, metadata);
    } catch (err) {
      this.#deps.logger.error({ err, connector: this.connector, task: this.task }, 'Exception thrown while calling task.commitRecord()');
    }
  }

  #recordsAcknowledged(partition: SourcePartition, offset: SourceOffset): void {
    try {
      this.#deps.sourceTask.recordsAcknowledged?.(partition, offset);
    } catch (err) {
      this.#deps.logger.error({ err, connector: this.connector, task: this.task }, 'Exception thrown while calling task.recordsAcknowledged()');
    }
  }

  /** SourceTask.commit() after a successful offset commit; its failures are logged, never fatal. */
  async #taskCommit(): Promise<void> {
    const task = this.#deps.sourceTask;
    if (task.commit === undefined || !this.#taskStarted) return;
    try {
      await task.commit();
    } catch (err) {
      this.#deps.logger.error({ err, connector: this.connector, task: this.task }, 'Exception thrown while calling task.commit()');
    }
  }

  #fail(error: unknown): void {
    if (this.#phase === 'failed' || this.#phase === 'stopped') return;
    const stopping = this.#stopRequested;
    this.#phase = 'failed';
    this.#deps.logger.error({ err: error, connector: this.connector, task: this.task },
      stopping ? 'Source task failed while stopping' : 'Source task failed; it will not run again until restarted');
    if (!stopping) this.#deps.onStatus({ state: 'FAILED', trace: traceOf(error) });
    this.#abort.abort();
    this.#wakeUp();
    this.#shutdown ??= this.#close();
  }

  /** Ends the loop, lets in-flight sends finish, commits, stops the task and closes the producer. */
  async #close(): Promise<void> {
    const { workerConfig, logger, sourceTask } = this.#deps;
    const graceful = workerConfig.taskShutdownGracefulTimeoutMs;
    const log = { connector: this.connector, task: this.task };
    if (this.#loop !== undefined) {
      const ended = await withTimeout(this.#loop, graceful, '').then(() => true, () => false);
      if (!ended) logger.warn(log, `Source task poll did not return within ${graceful} ms of being stopped`);
    }
    await this.#delivery?.finish(this.#phase === 'failed')
      .catch((err: unknown) => logger.error({ ...log, err }, 'Source task could not commit its last records and offsets'));
    if (this.#taskStarted) {
      await withTimeout(Promise.resolve().then(() => sourceTask.stop()), graceful, `Source task did not stop within ${graceful} ms`)
        .catch((err: unknown) => logger.warn({ ...log, err }, 'Source task failed to stop cleanly'));
    }
    await withTimeout(this.#delivery?.close() ?? Promise.resolve(), graceful, `Producer did not close within ${graceful} ms`)
      .catch((err: unknown) => logger.warn({ ...log, err }, 'Producer failed to close cleanly'));
    await this.#connectorOffsets?.close().catch((err: unknown) => logger.warn({ ...log, err }, 'The connector offsets store failed to close cleanly'));
    await this.#deps.clusters.closeAll();
    this.#pipeline?.close();
    if (this.#phase !== 'failed') this.#phase = 'stopped';
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #report(state: InstanceStatus): void {
    if (state === this.#reported) return;
    this.#reported = state;
    this.#deps.onStatus({ state, trace: null });
  }
}

function outgoingRecord(record: SourceRecord, key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[]): OutgoingRecord {
  const timestamp = record.timestamp === null || record.timestamp === undefined || record.timestamp < 0 ? null : record.timestamp;
  return { topic: record.topic, partition: record.kafkaPartition ?? null, key, value, headers, timestamp };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isPlainMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

