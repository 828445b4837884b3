/**
 * Runs one sink task (Kafka's WorkerSinkTask): consumes the connector's topics in the group
 * `connect-{connector}`, converts and transforms each record, hands batches to `put`, and
 * commits the consumer offsets the task says are safe.
 *
 * Concurrency: every call into the task (open, put, flush, close) runs under one lock, in
 * order, never concurrently: batch handling, retries, periodic commits and rebalance
 * callbacks queue for it. The consumer delivers one batch at a time and waits for it.
 *
 * Offsets: after a batch went through `put`, its partition's current offset is the offset
 * after its last record (records skipped by error tolerance or dropped by a transform count as
 * delivered). Every offset.flush.interval.ms, on request, on revocation and on the way out,
 * `flush(currentOffsets)` runs and what it returns (or the current offsets) is committed. A
 * failing flush rewinds the partitions to their last committed offsets, so nothing is lost.
 *
 * Retries: a RetriableError from `put` keeps the batch aside, pauses every partition (the
 * consumer keeps its group membership) and puts the same batch again after a back-off;
 * partitions resume once it went through. A revocation or stop drops the kept batch: its
 * offsets were never advanced, so its records are consumed again.
 *
 * Errant records: a reported record is looked up in the last RECENT_BATCHES batches handed to
 * `put` (and the one kept for retry) and sent to the dead letter queue as it was consumed; a
 * record not found there (one the task built itself, or from an older batch) is converted back.
 *
 * Failure: anything that error tolerance does not absorb reports FAILED with its trace and
 * shuts the task down (revocation commit, consumer stop, task.stop) without waiting for `stop()`.
 */
import {
  topicPartitionKey, type ConnectHeader, type SinkRecord, type TimestampType as SinkTimestampType, type TopicPartition,
} from '../../connectors/sdk/connect-record.js';
import { isThenable, type RecordHeaders } from '../../connectors/sdk/converter.js';
import type { SchemaAndValue } from '../../connectors/sdk/data/schema-and-value.js';
import { BatchError, ConnectError, DataError } from '../../connectors/sdk/errors.js';
import type { PartitionOffsets, SinkTaskContext } from '../../connectors/sdk/sink-task.js';
import { extractPrefixed } from '../config/config-prefix.js';
import type {
  ConsumedBatch, ConsumedRecord, RevocationContext, SinkConsumer, SinkSubscription, TopicPartitionOffset,
} from '../kafka/kafka-client.js';
import { NO_TASK_METRICS, type TaskMetricsRecorder } from '../metrics/task-metrics.js';
import { consumedRecordContext } from '../pipeline/error-handling/record-context.js';
import { retryDelayMs } from '../pipeline/error-handling/retry-backoff.js';
import type { Stage } from '../pipeline/error-handling/stage.js';
import { isRetriable } from '../pipeline/error-handling/tolerance-operator.js';
import {
  buildTaskPipeline, connectorErrorPolicy, failedClassOf, openDeadLetterQueue, runTolerated, type DeadLetterQueue, type TaskPipeline,
} from './task-pipeline.js';
import type { TaskRunner } from './task-runner.js';
import type { SinkTaskRunnerDeps } from './task-runner-deps.js';
import { traceOf, type InstanceStatus } from './task-status.js';
import { withTimeout } from './with-timeout.js';

/** The headers of every record that has none: one shared, frozen list (SinkRecord headers are read-only). */
const NO_CONNECT_HEADERS: readonly ConnectHeader[] = Object.freeze([]);
const RECENT_BATCHES = 4;

type Phase = 'new' | 'starting' | 'running' | 'failed' | 'stopped';

interface PartitionOffset {
  readonly partition: TopicPartition;
  readonly offset: number;
}

/** A batch ready for `put`, with the consumed records it came from. */
interface PendingBatch {
  readonly partition: TopicPartition;
  readonly records: SinkRecord[];
  readonly originals: ConsumedRecord[];
  /** The partition's offset once the batch is delivered. */
  readonly next: number;
  attempts: number;
}

export class SinkTaskRunner implements TaskRunner {
  readonly connector: string;
  readonly task: number;
  readonly #deps: SinkTaskRunnerDeps;
  readonly #abort = new AbortController();
  readonly #taskClass: string;
  readonly #metrics: TaskMetricsRecorder;
  #phase: Phase = 'new';
  #taskStarted = false;
  #paused = false;
  #stopRequested = false;
  #pipeline: TaskPipeline<SinkRecord> | undefined;
  #deadLetterQueue: DeadLetterQueue | undefined;
  #consumer: SinkConsumer | undefined;
  #starting: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;
  #lock: Promise<void> = Promise.resolve();
  #inHandler = false;
  readonly #assignment = new Map<string, TopicPartition>();
  readonly #taskPaused = new Map<string, TopicPartition>();
  readonly #currentOffsets: PartitionOffsets = new Map();
  readonly #lastCommitted = new Map<string, PartitionOffset>();
  readonly #pendingSeeks = new Map<string, PartitionOffset>();
  /** The latest batches handed to `put`, newest last: where errant-record reports find a record's consumed original. */
  readonly #recentBatches: PendingBatch[] = [];
  #retrying: PendingBatch | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  #commitQueued = false;
  #stage: Stage = 'KEY_CONVERTER';

  constructor(deps: SinkTaskRunnerDeps) {
    this.#deps = deps;
    this.connector = deps.id.connector;
    this.task = deps.id.task;
    this.#taskClass = deps.taskConfig['task.class'] ?? deps.connectorConfig['connector.class'] ?? 'SinkTask';
    this.#metrics = deps.metrics ?? NO_TASK_METRICS;
    this.#metrics.watchPartitionCount(() => this.#assignment.size);
  }

  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  pause(): void {
    if (this.#paused || this.#stopRequested || this.#phase === 'failed') return;
    this.#paused = true;
    this.#applyPauses();
    if (this.#phase === 'running') this.#report('PAUSED');
  }

  resume(): void {
    if (!this.#paused || this.#stopRequested || this.#phase === 'failed') return;
    this.#paused = false;
    this.#applyPauses();
    if (this.#phase === 'running') this.#report('RUNNING');
  }

  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#abort.abort();
    await this.#starting;
    this.#shutdown ??= this.#close();
    await this.#shutdown;
    this.#metrics.close();
  }

  async #start(): Promise<void> {
    const deps = this.#deps;
    this.#phase = 'starting';
    let consumer: SinkConsumer;
    this.#metrics.startAttempted();
    try {
      const policy = connectorErrorPolicy('sink', deps.connectorConfig);
      if (policy.deadLetterQueue !== null) this.#deadLetterQueue = await openDeadLetterQueue(deps, policy.deadLetterQueue);
      const pipeline = buildTaskPipeline<SinkRecord>({
        deps, kind: 'sink', policy, signal: this.#abort.signal, deadLetterQueueSend: this.#deadLetterQueue?.send,
      });
      this.#pipeline = pipeline;
      this.#metrics.watchErrors(() => pipeline.errors.snapshot());
      const overrides = extractPrefixed(deps.connectorConfig, 'consumer.override.');
      consumer = deps.kafka.sinkConsumer({
        groupId: overrides['group.id'] ?? `connect-${this.connector}`,
        clientId: `connector-consumer-${this.connector}-${this.task}`,
        subscription: subscriptionOf(deps.taskConfig, deps.connectorConfig),
        overrides,
      });
      this.#consumer = consumer;
      consumer.onRebalance({
        onAssigned: (partitions) => this.#onAssigned(partitions),
        onRevoked: (partitions, context) => this.#onRevoked(partitions, context),
      });
      consumer.onFailure((error) => this.#fail(error));
      await deps.sinkTask.start(deps.taskConfig, this.#context());
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
    this.#commitTimer = setInterval(() => this.#requestCommit(), Math.max(1, deps.workerConfig.offsetFlushIntervalMs));
    this.#commitTimer.unref();
    consumer.start((batch) => this.#onBatch(batch)).catch((error: unknown) => {
      if (!this.#stopRequested) this.#fail(error);
    });
  }

  #context(): SinkTaskContext {
    const assigned = (partitions: TopicPartition[], action: string) => {
      const unknown = partitions.filter((tp) => !this.#assignment.has(topicPartitionKey(tp)));
      if (unknown.length > 0) {
        throw new ConnectError(`Sink tasks may not ${action} partitions that are not currently assigned to them: ${unknown.map(topicPartitionKey).join(', ')}`);
      }
      return partitions;
    };
    return {
      assignment: () => [...this.#assignment.values()],
      pause: (...partitions) => {
        for (const tp of assigned(partitions, 'pause')) this.#taskPaused.set(topicPartitionKey(tp), { topic: tp.topic, partition: tp.partition });
        this.#applyPauses();
      },
      resume: (...partitions) => {
        for (const tp of assigned(partitions, 'resume')) this.#taskPaused.delete(topicPartitionKey(tp));
        this.#applyPauses();
      },
      seek: (partition, offset) => this.#seek(partition, offset),
      requestCommit: () => this.#requestCommit(),
      reportErrantRecord: (record, error) => this.#reportErrantRecord(record, error),
      raiseError: (error) => this.#fail(error),
      logger: this.#deps.logger,
      kafka: this.#deps.clusters,
    };
  }

  /** Runs `operation` once every earlier locked operation has finished. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(operation);
    this.#lock = run.then(() => undefined, () => undefined);
    return run;
  }

  #onBatch(batch: ConsumedBatch): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.#isDelivering()) return;
      this.#inHandler = true;
      try {
        await this.#handle(batch);
      } catch (error) {
        this.#fail(error);
      } finally {
        this.#inHandler = false;
        this.#applySeeks();
      }
    });
  }

  #isDelivering(): boolean {
    return this.#phase === 'running' && !this.#stopRequested;
  }

  async #handle(batch: ConsumedBatch): Promise<void> {
    const partition = { topic: batch.topic, partition: batch.partition };
    const key = topicPartitionKey(partition);
    this.#metrics.recordRead(batch.records.length);
    if (!this.#assignment.has(key) || batch.records.length === 0) return;
    this.#deps.onTopicUsed?.(batch.topic);
    if (!this.#lastCommitted.has(key)) this.#lastCommitted.set(key, { partition, offset: batch.records[0]!.offset });
    const pending: PendingBatch = { partition, records: [], originals: [], next: batch.records[batch.records.length - 1]!.offset + 1, attempts: 0 };
    for (const consumed of batch.records) {
      let record: SinkRecord | null;
      try {
        const converted = this.#convert(consumed);
        record = isThenable(converted) ? await converted : converted;
      } catch (error) {
        record = await this.#convertAfterFailure(consumed, this.#stage, error);
      }
      if (record === null) continue;
      pending.records.push(record);
      pending.originals.push(consumed);
    }
    if (this.#recentBatches.push(pending) > RECENT_BATCHES) this.#recentBatches.shift();
    await this.#deliver(pending);
  }

  /**
   * The record as `put` sees it, or null when a transform dropped it; throws (or rejects) with
   * `#stage` naming the failed stage. Synchronous unless a converter answers with a promise.
   */
  #convert(consumed: ConsumedRecord): SinkRecord | null | Promise<SinkRecord | null> {
    const { converters } = this.#pipeline!;
    const rawHeaders: RecordHeaders = consumed.headers.length === 0 ? [] : [...consumed.headers];
    this.#stage = 'KEY_CONVERTER';
    const key = converters.key.toConnectData(consumed.topic, rawHeaders, consumed.key);
    if (isThenable(key)) return this.#convertAwaiting(consumed, rawHeaders, key);
    this.#stage = 'VALUE_CONVERTER';
    const value = converters.value.toConnectData(consumed.topic, rawHeaders, consumed.value);
    if (isThenable(value)) return this.#convertAwaiting(consumed, rawHeaders, key, value);
    return this.#convertRest(consumed, key, value);
  }

  /** `#convert` once a converter answered with a promise: the rest of the stages, in order. */
  async #convertAwaiting(
    consumed: ConsumedRecord, rawHeaders: RecordHeaders, pendingKey: SchemaAndValue | Promise<SchemaAndValue>, pendingValue?: Promise<SchemaAndValue>,
  ): Promise<SinkRecord | null> {
    const key = await pendingKey;
    this.#stage = 'VALUE_CONVERTER';
    const value = await (pendingValue ?? this.#pipeline!.converters.value.toConnectData(consumed.topic, rawHeaders, consumed.value));
    return this.#convertRest(consumed, key, value);
  }

  /** The header and transformation stages of `#convert`. */
  #convertRest(consumed: ConsumedRecord, key: SchemaAndValue, value: SchemaAndValue): SinkRecord | null {
    const { transforms } = this.#pipeline!;
    this.#stage = 'HEADER_CONVERTER';
    const headers = this.#headers(consumed);
    this.#stage = 'TRANSFORMATION';
    const record = sinkRecord(consumed, key.schema, key.value, value.schema, value.value, headers);
    return transforms.isEmpty ? record : transforms.apply(record);
  }

  #headers(consumed: ConsumedRecord): readonly ConnectHeader[] {
    if (consumed.headers.length === 0) return NO_CONNECT_HEADERS;
    const converter = this.#pipeline!.converters.header;
    return consumed.headers.map((h) => {
      const converted = converter.toConnectHeader(consumed.topic, h.key, h.value);
      return { key: h.key, schema: converted.schema, value: converted.value };
    });
  }

  /**
   * The slow path after `#convert` threw in `stage`: a non-retriable failure goes straight to
   * error tolerance (and the dead letter queue, with the record as consumed); a retriable one
   * runs the record through every stage again under the tolerance operator, which retries with
   * back-off. null: the record is dropped or skipped.
   */
  async #convertAfterFailure(consumed: ConsumedRecord, stage: Stage, error: unknown): Promise<SinkRecord | null> {
    const { errors, converters, transforms } = this.#pipeline!;
    const context = { record: consumedRecordContext(consumed) };
    if (!isRetriable(error)) {
      await errors.executeFailed(stage, failedClassOf(converters, stage, error, this.#taskClass), error, context);
      return null;
    }
    const rawHeaders: RecordHeaders = [...consumed.headers];
    const key = await runTolerated(errors, 'KEY_CONVERTER', converters.keyClass, () => converters.key.toConnectData(consumed.topic, rawHeaders, consumed.key), context);
    if (key === undefined) return null;
    const value = await runTolerated(errors, 'VALUE_CONVERTER', converters.valueClass, () => converters.value.toConnectData(consumed.topic, rawHeaders, consumed.value), context);
    if (value === undefined) return null;
    const headers = await runTolerated(errors, 'HEADER_CONVERTER', converters.headerClass, () => this.#headers(consumed), context);
    if (headers === undefined) return null;
    let current: SinkRecord | null = sinkRecord(consumed, key.schema, key.value, value.schema, value.value, headers);
    for (const s of transforms.stages) {
      const input: SinkRecord = current;
      const result = await errors.execute('TRANSFORMATION', s.plugin.className, () => s.apply(input), context);
      if (!result.ok || result.value === null) return null;
      current = result.value;
    }
    return current;
  }

  /**
   * Puts the batch. Delivered (or its failures tolerated): the partition's offset advances.
   * RetriableError: the batch is kept and put again after a back-off. Anything else throws.
   */
  async #deliver(batch: PendingBatch): Promise<void> {
    batch.attempts++;
    try {
      if (batch.records.length > 0) {
        const putStarted = performance.now();
        await this.#deps.sinkTask.put(batch.records);
        this.#metrics.recordPut(batch.records.length, performance.now() - putStarted);
      }
    } catch (error) {
      if (isRetriable(error)) {
        this.#keepForRetry(batch, error);
        return;
      }
      await this.#putFailed(batch, error);
    }
    this.#currentOffsets.set(topicPartitionKey(batch.partition), { partition: batch.partition, offset: batch.next });
    if (this.#retrying === batch) {
      this.#retrying = undefined;
      this.#applyPauses();
    }
  }

  /** BatchError: each named record is reported; DataError: every record of the batch is; others fail the task. */
  async #putFailed(batch: PendingBatch, error: unknown): Promise<void> {
    const errors = this.#pipeline!.errors;
    const report = (index: number, cause: unknown) => {
      const original = batch.originals[index];
      return errors.executeFailed('TASK_PUT', this.#taskClass, cause, original === undefined ? {} : { record: consumedRecordContext(original) });
    };
    if (error instanceof BatchError) {
      for (const failure of error.failures) await report(failure.index, failure.error);
      return;
    }
    if (error instanceof DataError) {
      for (let i = 0; i < batch.records.length; i++) await report(i, error);
      return;
    }
    throw new ConnectError('Exiting WorkerSinkTask due to unrecoverable exception.', { cause: error });
  }

  #keepForRetry(batch: PendingBatch, error: unknown): void {
    const delay = retryDelayMs(batch.attempts, this.#pipeline!.policy.retryDelayMaxMs);
    this.#deps.logger.warn({ err: error, connector: this.connector, task: this.task, attempts: batch.attempts },
      `Sink task put failed with a retriable error; putting the same ${batch.records.length} records again in ${delay} ms`);
    this.#retrying = batch;
    this.#applyPauses();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      void this.#exclusive(async () => {
        if (this.#retrying !== batch || !this.#isDelivering()) return;
        try {
          await this.#deliver(batch);
        } catch (failure) {
          this.#fail(failure);
        } finally {
          this.#applySeeks();
        }
      });
    }, delay);
  }

  #dropRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retrying = undefined;
  }

  /** Pauses every assigned partition while the runner is paused or a batch waits for a retry; else those the task paused. */
  #applyPauses(): void {
    const consumer = this.#consumer;
    if (consumer === undefined) return;
    const pauseAll = this.#paused || this.#retrying !== undefined;
    const wanted = pauseAll ? this.#assignment : this.#taskPaused;
    const current = new Map(consumer.paused().map((tp) => [topicPartitionKey(tp), tp]));
    const toPause = [...wanted].filter(([key]) => !current.has(key) && this.#assignment.has(key)).map(([, tp]) => tp);
    const toResume = [...current].filter(([key]) => !wanted.has(key)).map(([, tp]) => tp);
    if (toPause.length > 0) consumer.pause(toPause);
    if (toResume.length > 0) consumer.resume(toResume);
  }

  #seek(partition: TopicPartition, offset: number): void {
    const key = topicPartitionKey(partition);
    if (!this.#assignment.has(key)) throw new ConnectError(`Sink tasks may not seek partitions that are not currently assigned to them: ${key}`);
    this.#pendingSeeks.set(key, { partition: { topic: partition.topic, partition: partition.partition }, offset });
    if (!this.#inHandler) this.#applySeeks();
  }

  /** Seeks take effect after the batch in progress: the next records of the partition start there. */
  #applySeeks(): void {
    if (this.#pendingSeeks.size === 0) return;
    const seeks = [...this.#pendingSeeks];
    this.#pendingSeeks.clear();
    for (const [key, seek] of seeks) {
      if (!this.#assignment.has(key)) continue;
      if (this.#retrying !== undefined && topicPartitionKey(this.#retrying.partition) === key) this.#dropRetry();
      this.#consumer?.seek(seek.partition, seek.offset);
      this.#currentOffsets.set(key, seek);
    }
    this.#applyPauses();
  }

  #requestCommit(): void {
    if (this.#commitQueued || this.#phase !== 'running') return;
    this.#commitQueued = true;
    void this.#exclusive(async () => {
      this.#commitQueued = false;
      if (this.#phase === 'running') await this.#commit(null);
    });
  }

  /**
   * flush(currentOffsets), then commits what it returned (or the current offsets), limited to
   * `only` when given. Must run under the lock. A failing flush rewinds to the last committed
   * offsets; a failing commit is logged and retried with the next one.
   */
  async #commit(only: ReadonlySet<string> | null): Promise<void> {
    const consumer = this.#consumer;
    if (consumer === undefined || !this.#taskStarted) return;
    const current: PartitionOffsets = new Map([...this.#currentOffsets].filter(([key]) => only === null || only.has(key)));
    const log = { connector: this.connector, task: this.task };
    const started = performance.now();
    await this.#pipeline?.errors.flush();
    let committable: PartitionOffsets;
    try {
      const returned = this.#deps.sinkTask.flush ? await this.#deps.sinkTask.flush(new Map(current)) : undefined;
      committable = returned ?? current;
    } catch (err) {
      this.#metrics.recordOffsetCommit(performance.now() - started, false);
      this.#deps.logger.error({ ...log, err }, 'Offset commit failed, rewinding to last committed offsets');
      for (const [key, committed] of this.#lastCommitted) {
        if (!current.has(key) || !this.#assignment.has(key)) continue;
        consumer.seek(committed.partition, committed.offset);
        this.#currentOffsets.set(key, committed);
      }
      return;
    }
    const offsets: TopicPartitionOffset[] = [];
    for (const [key, entry] of committable) {
      if (!this.#assignment.has(key) || (only !== null && !only.has(key))) continue;
      if (this.#lastCommitted.get(key)?.offset === entry.offset) continue;
      offsets.push({ topic: entry.partition.topic, partition: entry.partition.partition, offset: entry.offset });
    }
    if (offsets.length === 0) {
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
      return;
    }
    try {
      await consumer.commit(offsets);
      for (const o of offsets) this.#lastCommitted.set(topicPartitionKey(o), { partition: { topic: o.topic, partition: o.partition }, offset: o.offset });
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
    } catch (err) {
      this.#metrics.recordOffsetCommit(performance.now() - started, false);
      this.#deps.logger.warn({ ...log, err }, 'Could not commit consumer offsets; committing again at the next interval');
    }
  }

  async #onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    await this.#exclusive(async () => {
      for (const tp of partitions) this.#assignment.set(topicPartitionKey(tp), { topic: tp.topic, partition: tp.partition });
      for (const key of [...this.#taskPaused.keys()]) if (!this.#assignment.has(key)) this.#taskPaused.delete(key);
      if (!this.#taskStarted || this.#phase === 'failed') return;
      try {
        await this.#deps.sinkTask.open?.(partitions);
      } catch (error) {
        this.#fail(error);
        return;
      }
      this.#applySeeks();
      this.#applyPauses();
    });
  }

  async #onRevoked(partitions: readonly TopicPartition[], context: RevocationContext): Promise<void> {
    await this.#exclusive(async () => {
      const keys = new Set(partitions.map(topicPartitionKey));
      if (this.#retrying !== undefined && keys.has(topicPartitionKey(this.#retrying.partition))) this.#dropRetry();
      if (this.#taskStarted) {
        if (context.beforeRejoin) await this.#commit(keys);
        try {
          await this.#deps.sinkTask.close?.(partitions);
        } catch (error) {
          this.#fail(error);
        }
      }
      for (const key of keys) {
        this.#assignment.delete(key);
        this.#currentOffsets.delete(key);
        this.#lastCommitted.delete(key);
        this.#pendingSeeks.delete(key);
      }
    });
  }

  async #reportErrantRecord(record: SinkRecord, error: Error): Promise<void> {
    const pipeline = this.#pipeline;
    if (pipeline === undefined) throw new ConnectError('The sink task is not running');
    const consumed = this.#originalOf(record) ?? await this.#reencode(record);
    await pipeline.errors.executeFailed('TASK_PUT', this.#taskClass, error, { record: consumedRecordContext(consumed) });
  }

  #originalOf(record: SinkRecord): ConsumedRecord | undefined {
    const batches = this.#retrying === undefined ? this.#recentBatches : [this.#retrying, ...this.#recentBatches];
    for (let i = batches.length - 1; i >= 0; i--) {
      const index = batches[i]!.records.lastIndexOf(record);
      if (index >= 0) return batches[i]!.originals[index];
    }
    return undefined;
  }

  /** A record the task built itself has no consumed original: its current data is converted back, as Kafka does. */
  async #reencode(record: SinkRecord): Promise<ConsumedRecord> {
    const { converters } = this.#pipeline!;
    const headers: RecordHeaders = [];
    for (const h of record.headers) headers.push({ key: h.key, value: converters.header.fromConnectHeader(record.topic, h.key, h.schema, h.value) });
    return {
      topic: record.topic,
      partition: record.kafkaPartition,
      offset: record.kafkaOffset,
      key: await converters.key.fromConnectData(record.topic, headers, record.keySchema, record.key),
      value: await converters.value.fromConnectData(record.topic, headers, record.valueSchema, record.value),
      headers,
      timestamp: record.timestamp ?? -1,
      timestampType: record.timestampType === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    };
  }

  #fail(error: unknown): void {
    if (this.#phase === 'failed' || this.#phase === 'stopped') return;
    const stopping = this.#stopRequested;
    this.#phase = 'failed';
    this.#deps.logger.error({ err: error, connector: this.connector, task: this.task },
      stopping ? 'Sink task failed while stopping' : 'Sink task failed; it will not run again until restarted');
    if (!stopping) this.#deps.onStatus({ state: 'FAILED', trace: traceOf(error) });
    this.#abort.abort();
    this.#dropRetry();
    this.#shutdown ??= this.#close();
  }

  /** Stops the consumer (its revocation flushes, commits and closes the partitions), then stops the task. */
  async #close(): Promise<void> {
    clearInterval(this.#commitTimer);
    this.#dropRetry();
    const { workerConfig, logger, sinkTask } = this.#deps;
    const graceful = workerConfig.taskShutdownGracefulTimeoutMs;
    const log = { connector: this.connector, task: this.task };
    if (this.#consumer !== undefined) {
      await withTimeout(this.#consumer.stop(), graceful, `Consumer did not stop within ${graceful} ms`)
        .catch((err: unknown) => logger.warn({ ...log, err }, 'Sink consumer failed to stop cleanly'));
    }
    if (this.#taskStarted) {
      await withTimeout(this.#exclusive(async () => sinkTask.stop()), graceful, `Sink task did not stop within ${graceful} ms`)
        .catch((err: unknown) => logger.warn({ ...log, err }, 'Sink task failed to stop cleanly'));
    }
    if (this.#deadLetterQueue !== undefined) {
      await withTimeout(this.#deadLetterQueue.close(), graceful, `Dead letter queue producer did not close within ${graceful} ms`)
        .catch((err: unknown) => logger.warn({ ...log, err }, 'Dead letter queue producer failed to close cleanly'));
    }
    await this.#deps.clusters.closeAll();
    this.#pipeline?.close();
    if (this.#phase !== 'failed') this.#phase = 'stopped';
  }

  #report(state: InstanceStatus): void {
    this.#deps.onStatus({ state, trace: null });
  }
}

function sinkRecord(
  consumed: ConsumedRecord,
  keySchema: SinkRecord['keySchema'],
  key: unknown,
  valueSchema: SinkRecord['valueSchema'],
  value: unknown,
  headers: readonly ConnectHeader[],
): SinkRecord {
  const hasTimestamp = consumed.timestamp >= 0;
  const timestampType: SinkTimestampType = hasTimestamp ? consumed.timestampType : 'NoTimestampType';
  return {
    topic: consumed.topic,
    kafkaPartition: consumed.partition,
    keySchema,
    key,
    valueSchema,
    value,
    timestamp: hasTimestamp ? consumed.timestamp : null,
    headers,
    kafkaOffset: consumed.offset,
    timestampType,
    originalTopic: consumed.topic,
    originalKafkaPartition: consumed.partition,
    originalKafkaOffset: consumed.offset,
  };
}

/** The task config's `topics` / `topics.regex` (the framework copies them there), else the connector's. */
function subscriptionOf(taskConfig: Readonly<Record<string, string>>, connectorConfig: Readonly<Record<string, string>>): SinkSubscription {
  const source = 'topics' in taskConfig || 'topics.regex' in taskConfig ? taskConfig : connectorConfig;
  const topics = (source['topics'] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (topics.length > 0) return { topics };
  const pattern = (source['topics.regex'] ?? '').trim();
  if (pattern !== '') return { pattern };
  throw new ConnectError('Sink task has neither topics nor topics.regex to consume');
}
