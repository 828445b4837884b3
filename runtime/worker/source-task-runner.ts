/**
 * Runs one source task (Kafka's WorkerSourceTask, without exactly-once): polls the task,
 * transforms and converts each record, produces it, and commits source offsets.
 *
 * Concurrency: one poll loop per runner; `poll` is never called concurrently. Sends are not
 * awaited one by one: each poll's records go out as one `send`, and up to MAX_SENDS_IN_FLIGHT
 * sends, MAX_UNACKED_RECORDS records or MAX_UNACKED_BYTES converted bytes (Java's producer
 * blocks at buffer.memory, 32 MiB) are outstanding before the loop waits, so the memory a
 * fast source holds in flight is bounded however large its records are. The producer writes
 * a partition's records in `send` order, so per-partition order is kept.
 *
 * Fairness: the loop yields to the event loop (setImmediate) after every poll. A task whose
 * poll resolves at once with data (a full queue) would otherwise convert poll after poll in
 * one macrotask, starving the producer, the worker's group heartbeats and, in `ferry start`,
 * the broker itself for seconds.
 *
 * Offsets: every record is submitted to the OffsetTracker in poll order, the records of one
 * send in one entry per run of the same source partition; an entry is acked once Kafka
 * acknowledged its send (a send is acknowledged or failed as a whole), a record at once when a
 * transform dropped it or error tolerance skipped it. Every offset.flush.interval.ms, and on the way out, each source partition's
 * offset up to its first unacknowledged record is written to the OffsetStore; a write that
 * fails or times out is retried with the next commit.
 *
 * Failure: anything that error tolerance does not absorb reports FAILED with its trace and
 * shuts the task down (commit, task.stop, producer close) without waiting for `stop()`.
 */
import type { ConnectHeader, SourceRecord } from '../../connectors/sdk/connect-record.js';
import type { RecordHeaders } from '../../connectors/sdk/converter.js';
import { ConnectError, DataError } from '../../connectors/sdk/errors.js';
import type { RecordMetadata as TaskRecordMetadata, SourceTaskContext } from '../../connectors/sdk/source-task.js';
import { extractPrefixed } from '../config/config-prefix.js';
import type { OutgoingRecord, RecordHeader, RecordMetadata, RecordProducer } from '../kafka/kafka-client.js';
import { NO_TASK_METRICS, type TaskMetricsRecorder } from '../metrics/task-metrics.js';
import { sourceRecordContext, type SourceRecordContext } from '../pipeline/error-handling/record-context.js';
import { retryDelayMs, sleep } from '../pipeline/error-handling/retry-backoff.js';
import type { Stage } from '../pipeline/error-handling/stage.js';
import { isRetriable } from '../pipeline/error-handling/tolerance-operator.js';
import { TransformationError } from '../pipeline/transform-chain.js';
import type { OffsetEntry } from '../stores/offset-store.js';
import type { SourceOffset, SourcePartition } from '../stores/source-position.js';
import { ConvertedHeaderMemo } from './converted-header-memo.js';
import { OffsetTracker, type SubmittedRecord } from './offset-tracker.js';
import { buildTaskPipeline, connectorErrorPolicy, type TaskPipeline } from './task-pipeline.js';
import type { TaskRunner } from './task-runner.js';
import type { SourceTaskRunnerDeps } from './task-runner-deps.js';
import { traceOf, type InstanceStatus } from './task-status.js';
import { withTimeout } from './with-timeout.js';

const MAX_SENDS_IN_FLIGHT = 64;
const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);
const MAX_UNACKED_RECORDS = 8_192;
/** Key, value and header bytes of the records sent and not yet acknowledged or failed. */
const MAX_UNACKED_BYTES = 16 * 1024 * 1024;
/** The class error reports name for producer failures, as Kafka does. */
const PRODUCE_CLASS = 'org.apache.kafka.connect.runtime.WorkerSourceTask';

type Phase = 'new' | 'starting' | 'running' | 'failed' | 'stopped';

export class SourceTaskRunner implements TaskRunner {
  readonly connector: string;
  readonly task: number;
  readonly #deps: SourceTaskRunnerDeps;
  readonly #tracker = new OffsetTracker();
  readonly #abort = new AbortController();
  readonly #taskClass: string;
  readonly #metrics: TaskMetricsRecorder;
  #phase: Phase = 'new';
  #taskStarted = false;
  #paused = false;
  #reported: InstanceStatus | null = null;
  #stopRequested = false;
  #pipeline: TaskPipeline<SourceRecord> | undefined;
  #producer: RecordProducer | undefined;
  #starting: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  readonly #sends = new Set<Promise<void>>();
  #unackedBytes = 0;
  readonly #headerMemo = new ConvertedHeaderMemo();
  #commitTimer: NodeJS.Timeout | undefined;
  #commitChain: Promise<void> = Promise.resolve();
  #commitRunning = false;
  /** Offsets taken from the tracker and not yet written, by partition. */
  readonly #unwritten = new Map<string, OffsetEntry>();
  #stage: Stage = 'TRANSFORMATION';

  constructor(deps: SourceTaskRunnerDeps) {
    this.#deps = deps;
    this.connector = deps.id.connector;
    this.task = deps.id.task;
    this.#taskClass = deps.taskConfig['task.class'] ?? deps.connectorConfig['connector.class'] ?? 'SourceTask';
    this.#metrics = deps.metrics ?? NO_TASK_METRICS;
    this.#metrics.watchActiveRecords(() => this.#tracker.unackedCount);
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
      this.#producer = deps.kafka.producer({
        clientId: `connector-producer-${this.connector}-${this.task}`,
        role: 'connector',
        overrides: extractPrefixed(deps.connectorConfig, 'producer.override.'),
      });
      let offsetsReadable = true;
      const context: SourceTaskContext = {
        offsets: {
          offsets: async (partitions) => {
            if (!offsetsReadable) throw new ConnectError('Source offsets can only be read while the task starts');
            return deps.offsetStore.get(this.connector, partitions);
          },
        },
        logger: deps.logger,
        kafka: deps.clusters,
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
    this.#commitTimer = setInterval(() => this.#periodicCommit(), Math.max(1, deps.workerConfig.offsetFlushIntervalMs));
    this.#commitTimer.unref();
    this.#loop = this.#run();
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
    this.#tracker.ack(this.#tracker.submit({ sourcePartition: sourcePartition as SourcePartition, sourceOffset: sourceOffset as SourceOffset }));
  }

  /** Transforms, converts and sends one poll's records; resolves once more may be sent. */
  async #dispatch(records: readonly SourceRecord[]): Promise<void> {
    const outgoing: OutgoingRecord[] = [];
    const sources: SourceRecord[] = [];
    /** The tracker's entries for this send: consecutive records of one source partition share one. */
    const entries: SubmittedRecord[] = [];
    let entry: SubmittedRecord | undefined;
    let bytes = 0;
    try {
      for (const record of records) {
        let out: OutgoingRecord | null;
        try {
          out = this.#convert(record);
        } catch (error) {
          out = await this.#convertAfterFailure(record, this.#stage, error);
        }
        if (out === null) {
          this.#tracker.ack(this.#tracker.submit(record));
          this.#commitRecord(record, null);
          continue;
        }
        outgoing.push(out);
        bytes += byteSize(out);
        sources.push(record);
        const submitted = this.#tracker.submit(record, entry);
        if (submitted !== entry) entries.push((entry = submitted));
      }
    } finally {
      if (outgoing.length > 0) this.#send(outgoing, sources, entries, bytes);
    }
    while (this.#sends.size > 0 && (this.#sends.size >= MAX_SENDS_IN_FLIGHT || this.#tracker.unackedCount >= MAX_UNACKED_RECORDS
      || this.#unackedBytes >= MAX_UNACKED_BYTES)) {
      await Promise.race(this.#sends);
    }
  }

  /** The record as it is produced, or null when a transform dropped it; throws with `#stage` naming the failed stage. */
  #convert(record: SourceRecord): OutgoingRecord | null {
    const { transforms } = this.#pipeline!;
    this.#stage = 'TRANSFORMATION';
    const transformed = transforms.isEmpty ? record : transforms.apply(record);
    if (transformed === null) return null;
    this.#stage = 'HEADER_CONVERTER';
    const headers = this.#headers(transformed);
    this.#stage = 'KEY_CONVERTER';
    const key = this.#pipeline!.converters.key.fromConnectData(transformed.topic, headers, transformed.keySchema, transformed.key);
    this.#stage = 'VALUE_CONVERTER';
    const value = this.#pipeline!.converters.value.fromConnectData(transformed.topic, headers, transformed.valueSchema, transformed.value);
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
      await errors.executeFailed(stage, this.#classOf(stage, error), error, context);
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
    const headers = await this.#run1('HEADER_CONVERTER', converters.headerClass, () => this.#headers(transformed), context);
    if (headers === undefined) return null;
    const key = await this.#run1('KEY_CONVERTER', converters.keyClass,
      () => converters.key.fromConnectData(transformed.topic, headers, transformed.keySchema, transformed.key), context);
    if (key === undefined) return null;
    const value = await this.#run1('VALUE_CONVERTER', converters.valueClass,
      () => converters.value.fromConnectData(transformed.topic, headers, transformed.valueSchema, transformed.value), context);
    if (value === undefined) return null;
    return outgoingRecord(transformed, key, value, headers);
  }

  /** One operation under the tolerance operator; undefined when it was skipped. */
  async #run1<T>(stage: Stage, className: string, operation: () => T, context: { record: SourceRecordContext }): Promise<T | undefined> {
    const result = await this.#pipeline!.errors.execute(stage, className, operation, context);
    return result.ok ? result.value : undefined;
  }

  #classOf(stage: Stage, error: unknown): string {
    const { converters } = this.#pipeline!;
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
        return this.#taskClass;
    }
  }

  /** Sends one dispatch's records; `entries` are their tracker entries, acknowledged together when the send is. */
  #send(outgoing: OutgoingRecord[], sources: SourceRecord[], entries: SubmittedRecord[], bytes: number): void {
    this.#unackedBytes += bytes;
    const sent = this.#producer!.send(outgoing).finally(() => { this.#unackedBytes -= bytes; }).then(
      (metadata) => this.#acknowledged(sources, entries, metadata),
      (error: unknown) => this.#sendFailed(error, sources, entries),
    );
    this.#sends.add(sent);
    void sent.finally(() => this.#sends.delete(sent));
  }

  #acknowledged(sources: SourceRecord[], entries: SubmittedRecord[], metadata: RecordMetadata[]): void {
    this.#metrics.recordWrite(sources.length);
    for (const entry of entries) this.#tracker.ack(entry);
    const onTopicUsed = this.#deps.onTopicUsed;
    const commitsRecords = this.#deps.sourceTask.commitRecord !== undefined;
    if (!onTopicUsed && !commitsRecords) return;
    let lastTopic: string | undefined;
    for (let i = 0; i < sources.length; i++) {
      if (commitsRecords) this.#commitRecord(sources[i]!, metadata[i] ?? null);
      const topic = metadata[i]?.topic;
      if (onTopicUsed && topic !== undefined && topic !== lastTopic) onTopicUsed((lastTopic = topic));
    }
  }

  /** Under errors.tolerance=all each record is reported and skipped; otherwise the task fails. */
  async #sendFailed(error: unknown, sources: SourceRecord[], entries: SubmittedRecord[]): Promise<void> {
    try {
      for (const source of sources) {
        await this.#pipeline!.errors.executeFailed('KAFKA_PRODUCE', PRODUCE_CLASS, error, { record: sourceRecordContext(source) });
        this.#commitRecord(source, null);
      }
      for (const entry of entries) this.#tracker.ack(entry);
    } catch (failure) {
      this.#fail(failure);
    }
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

  #periodicCommit(): void {
    if (this.#commitRunning) return;
    void this.#commit();
  }

  /** Writes the committable offsets; commits run one at a time, in call order. */
  #commit(): Promise<void> {
    const run = this.#commitChain.then(async () => {
      this.#commitRunning = true;
      try {
        await this.#commitNow();
      } finally {
        this.#commitRunning = false;
      }
    });
    this.#commitChain = run;
    return run;
  }

  async #commitNow(): Promise<void> {
    const started = performance.now();
    for (const { partition, offset } of this.#tracker.committableOffsets().offsets) {
      if (partition !== null) this.#unwritten.set(partitionKey(partition), { partition, offset });
    }
    if (this.#unwritten.size === 0) {
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
      await this.#taskCommit();
      return;
    }
    await this.#pipeline?.errors.flush();
    const batch = [...this.#unwritten];
    const timeoutMs = this.#deps.workerConfig.offsetFlushTimeoutMs;
    try {
      await withTimeout(this.#deps.offsetStore.set(this.connector, batch.map(([, entry]) => entry)), timeoutMs,
        `Timed out after ${timeoutMs} ms writing source offsets`);
      for (const [key, entry] of batch) if (this.#unwritten.get(key) === entry) this.#unwritten.delete(key);
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
    } catch (err) {
      this.#metrics.recordOffsetCommit(performance.now() - started, false);
      this.#deps.logger.error({ err, connector: this.connector, task: this.task }, 'Failed to commit source offsets; retrying with the next commit');
      return;
    }
    await this.#taskCommit();
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
    clearInterval(this.#commitTimer);
    const { workerConfig, logger, sourceTask } = this.#deps;
    const graceful = workerConfig.taskShutdownGracefulTimeoutMs;
    const log = { connector: this.connector, task: this.task };
    if (this.#loop !== undefined) {
      const ended = await withTimeout(this.#loop, graceful, '').then(() => true, () => false);
      if (!ended) logger.warn(log, `Source task poll did not return within ${graceful} ms of being stopped`);
    }
    if (!(await this.#tracker.awaitAllAcked(workerConfig.offsetFlushTimeoutMs))) {
      logger.warn({ ...log, unacked: this.#tracker.unackedCount }, 'Some records were not acknowledged in time; their offsets are not committed');
    }
    await this.#commit();
    if (this.#taskStarted) {
      await withTimeout(Promise.resolve().then(() => sourceTask.stop()), graceful, `Source task did not stop within ${graceful} ms`)
        .catch((err: unknown) => logger.warn({ ...log, err }, 'Source task failed to stop cleanly'));
    }
    await withTimeout(this.#producer?.close() ?? Promise.resolve(), graceful, `Producer did not close within ${graceful} ms`)
      .catch((err: unknown) => logger.warn({ ...log, err }, 'Producer failed to close cleanly'));
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

function byteSize(record: OutgoingRecord): number {
  let n = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += h.value?.length ?? 0;
  return n;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isPlainMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function partitionKey(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
