/**
 * At-least-once delivery of a source task's records (Kafka's WorkerSourceTask without
 * exactly-once): records go out as they come and source offsets follow.
 *
 * Sends are not awaited one by one: each poll's records go out as one `send`, and up to
 * MAX_SENDS_IN_FLIGHT sends, MAX_UNACKED_RECORDS records or MAX_UNACKED_BYTES converted bytes
 * (Java's producer blocks at buffer.memory, 32 MiB) are outstanding before `send` waits, so the
 * memory a fast source holds in flight is bounded however large its records are. The producer
 * writes a partition's records in `send` order, so per-partition order is kept.
 *
 * Offsets: every record is submitted to the OffsetTracker in poll order, the records of one
 * send in one entry per run of the same source partition; an entry is acked once Kafka
 * acknowledged its send (a send is acknowledged or failed as a whole), a record at once when a
 * transform dropped it or error tolerance skipped it. Every offset.flush.interval.ms, and in
 * `finish`, each source partition's offset up to its first unacknowledged record is written to
 * the OffsetStore; a write that fails or times out is retried with the next commit. Commits run
 * one at a time, in call order. A task that implements recordsAcknowledged hears, after each
 * acknowledgement (and after its commitRecord calls), how far each partition's acknowledged
 * prefix now reaches.
 *
 * Records in flight: until its send is acknowledged, each record is kept for the task's
 * commitRecord and for the error report of a failed send. When the task has no commitRecord and
 * error reports do not print records (errors.log.include.messages off), nothing would read its
 * key, value or headers again, so only its coordinates are kept: a window of thousands of large
 * values (parsed JSON, say) would otherwise stay alive for the garbage collector to copy.
 */
import type { SourceRecord } from '../../connectors/sdk/connect-record.js';
import type { OutgoingRecord, RecordMetadata, RecordProducer } from '../kafka/kafka-client.js';
import type { TaskMetricsRecorder } from '../metrics/task-metrics.js';
import { sourceRecordContext } from '../pipeline/error-handling/record-context.js';
import type { ToleranceOperator } from '../pipeline/error-handling/tolerance-operator.js';
import type { OffsetEntry } from '../stores/offset-store.js';
import type { TaskOffsetStore } from './connector-offset-store.js';
import { OffsetTracker, partitionKey, type SourcePosition, type SubmittedRecord } from './offset-tracker.js';
import { byteSize, MAX_SENDS_IN_FLIGHT, MAX_UNACKED_BYTES, type DeliveryHost, type SourceDelivery } from './source-delivery.js';
import type { SourceTaskRunnerDeps } from './task-runner-deps.js';
import { withTimeout } from './with-timeout.js';

const MAX_UNACKED_RECORDS = 8_192;
const NO_HEADERS: readonly never[] = Object.freeze([]);
/** The class error reports name for producer failures, as Kafka does. */
const PRODUCE_CLASS = 'org.apache.kafka.connect.runtime.WorkerSourceTask';

export interface AtLeastOnceDeliveryOptions {
  readonly deps: SourceTaskRunnerDeps;
  readonly producer: RecordProducer;
  /** Where offsets are written: the worker's offsets topic, or the connector's own with the worker's as secondary. */
  readonly offsets: TaskOffsetStore;
  readonly errors: ToleranceOperator;
  readonly metrics: TaskMetricsRecorder;
  readonly host: DeliveryHost;
  /** True when error reports print the records they are about (errors.log.enable and errors.log.include.messages). */
  readonly reportsRecordData: boolean;
}

export class AtLeastOnceDelivery implements SourceDelivery {
  readonly #deps: SourceTaskRunnerDeps;
  readonly #producer: RecordProducer;
  readonly #offsets: TaskOffsetStore;
  readonly #errors: ToleranceOperator;
  readonly #metrics: TaskMetricsRecorder;
  readonly #host: DeliveryHost;
  readonly #tracker: OffsetTracker;
  /** The task implements recordsAcknowledged. */
  readonly #reportsAcknowledged: boolean;
  readonly #sends = new Set<Promise<void>>();
  #unackedBytes = 0;
  readonly #commitsRecords: boolean;
  /** False when a record in flight is kept as its coordinates alone (see the header). */
  readonly #keepsRecordData: boolean;
  #commitTimer: NodeJS.Timeout | undefined;
  #commitChain: Promise<void> = Promise.resolve();
  #commitRunning = false;
  /** Offsets taken from the tracker and not yet written, by partition. */
  readonly #unwritten = new Map<string, OffsetEntry>();

  constructor(opts: AtLeastOnceDeliveryOptions) {
    this.#deps = opts.deps;
    this.#producer = opts.producer;
    this.#offsets = opts.offsets;
    this.#errors = opts.errors;
    this.#metrics = opts.metrics;
    this.#host = opts.host;
    this.#commitsRecords = opts.deps.sourceTask.commitRecord !== undefined;
    this.#keepsRecordData = this.#commitsRecords || opts.reportsRecordData;
    this.#reportsAcknowledged = opts.deps.sourceTask.recordsAcknowledged !== undefined;
    this.#tracker = new OffsetTracker({ reportAcknowledged: this.#reportsAcknowledged });
  }

  get activeRecords(): number {
    return this.#tracker.unackedCount;
  }

  open(): Promise<void> {
    this.#commitTimer = setInterval(() => {
      if (!this.#commitRunning) void this.#commit();
    }, Math.max(1, this.#deps.workerConfig.offsetFlushIntervalMs));
    this.#commitTimer.unref();
    return Promise.resolve();
  }

  skip(position: SourcePosition, record: SourceRecord | null): void {
    this.#tracker.ack(this.#tracker.submit(position));
    if (record !== null) this.#host.commitRecord(record, null);
    this.#reportAcknowledged();
  }

  async send(sources: readonly SourceRecord[], converted: readonly (OutgoingRecord | null)[]): Promise<void> {
    const outgoing: OutgoingRecord[] = [];
    const sent: SourceRecord[] = [];
    /** The tracker's entries for this send: consecutive records of one source partition share one. */
    const entries: SubmittedRecord[] = [];
    let entry: SubmittedRecord | undefined;
    let bytes = 0;
    for (let i = 0; i < converted.length; i++) {
      const source = sources[i]!;
      const record = converted[i];
      if (record === null || record === undefined) {
        this.skip(source, source);
        continue;
      }
      outgoing.push(record);
      bytes += byteSize(record);
      sent.push(this.#keepsRecordData ? source : coordinatesOf(source));
      const submitted = this.#tracker.submit(source, entry);
      if (submitted !== entry) entries.push((entry = submitted));
    }
    if (outgoing.length > 0) {
      this.#unackedBytes += bytes;
      const sending = this.#producer.send(outgoing).finally(() => { this.#unackedBytes -= bytes; }).then(
        (metadata) => this.#acknowledged(sent, entries, metadata),
        (error: unknown) => this.#sendFailed(error, sent, entries),
      );
      this.#sends.add(sending);
      void sending.finally(() => this.#sends.delete(sending));
    }
    while (this.#sends.size > 0 && (this.#sends.size >= MAX_SENDS_IN_FLIGHT || this.#tracker.unackedCount >= MAX_UNACKED_RECORDS
      || this.#unackedBytes >= MAX_UNACKED_BYTES)) {
      await Promise.race(this.#sends);
    }
  }

  afterPoll(): Promise<void> {
    return Promise.resolve();
  }

  /** Commits whether or not the task failed: what Kafka acknowledged is written, and its offsets are right. */
  async finish(): Promise<void> {
    clearInterval(this.#commitTimer);
    const { workerConfig, logger } = this.#deps;
    if (!(await this.#tracker.awaitAllAcked(workerConfig.offsetFlushTimeoutMs))) {
      logger.warn({ connector: this.#deps.id.connector, task: this.#deps.id.task, unacked: this.#tracker.unackedCount },
        'Some records were not acknowledged in time; their offsets are not committed');
    }
    await this.#commit();
  }

  close(): Promise<void> {
    clearInterval(this.#commitTimer);
    return this.#producer.close();
  }

  #acknowledged(sources: SourceRecord[], entries: SubmittedRecord[], metadata: RecordMetadata[]): void {
    this.#metrics.recordWrite(sources.length);
    for (const entry of entries) this.#tracker.ack(entry);
    const onTopicUsed = this.#deps.onTopicUsed;
    if (onTopicUsed || this.#commitsRecords) {
      let lastTopic: string | undefined;
      for (let i = 0; i < sources.length; i++) {
        if (this.#commitsRecords) this.#host.commitRecord(sources[i]!, metadata[i] ?? null);
        const topic = metadata[i]?.topic;
        if (onTopicUsed && topic !== undefined && topic !== lastTopic) onTopicUsed((lastTopic = topic));
      }
    }
    this.#reportAcknowledged();
  }

  /** SourceTask.recordsAcknowledged for each partition whose acknowledged prefix grew; after commitRecord, which may read the records. */
  #reportAcknowledged(): void {
    if (!this.#reportsAcknowledged) return;
    for (const { partition, offset } of this.#tracker.takeAcknowledged()) {
      if (partition !== null && offset !== null) this.#host.recordsAcknowledged(partition, offset);
    }
  }

  /** Under errors.tolerance=all each record is reported and skipped; otherwise the task fails. */
  async #sendFailed(error: unknown, sources: SourceRecord[], entries: SubmittedRecord[]): Promise<void> {
    try {
      for (const source of sources) {
        await this.#errors.executeFailed('KAFKA_PRODUCE', PRODUCE_CLASS, error, { record: sourceRecordContext(source) });
        this.#host.commitRecord(source, null);
      }
      for (const entry of entries) this.#tracker.ack(entry);
      this.#reportAcknowledged();
    } catch (failure) {
      this.#host.fail(failure);
    }
  }

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
    const { workerConfig, logger, id } = this.#deps;
    const started = performance.now();
    for (const { partition, offset } of this.#tracker.committableOffsets().offsets) {
      if (partition !== null) this.#unwritten.set(partitionKey(partition), { partition, offset });
    }
    if (this.#unwritten.size === 0) {
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
      await this.#host.taskCommit();
      return;
    }
    await this.#errors.flush();
    const batch = [...this.#unwritten];
    const timeoutMs = workerConfig.offsetFlushTimeoutMs;
    try {
      await withTimeout(this.#offsets.set(id.connector, batch.map(([, entry]) => entry)), timeoutMs,
        `Timed out after ${timeoutMs} ms writing source offsets`);
      for (const [key, entry] of batch) if (this.#unwritten.get(key) === entry) this.#unwritten.delete(key);
      this.#metrics.recordOffsetCommit(performance.now() - started, true);
    } catch (err) {
      this.#metrics.recordOffsetCommit(performance.now() - started, false);
      logger.error({ err, connector: id.connector, task: id.task }, 'Failed to commit source offsets; retrying with the next commit');
      return;
    }
    await this.#host.taskCommit();
  }
}

/** A record without its key, value and headers: what a failed send's report needs of it when it does not print records. */
function coordinatesOf(record: SourceRecord): SourceRecord {
  return {
    topic: record.topic, kafkaPartition: record.kafkaPartition, timestamp: record.timestamp,
    keySchema: null, key: null, valueSchema: null, value: null, headers: NO_HEADERS,
    sourcePartition: record.sourcePartition, sourceOffset: record.sourceOffset,
  };
}
