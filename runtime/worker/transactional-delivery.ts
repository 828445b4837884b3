/**
 * Exactly-once delivery of a source task's records (Kafka's ExactlyOnceWorkerSourceTask,
 * KIP-618; exactly-once.md §7.5): the task's records and their source offsets are written by one
 * transactional producer (`{group.id}-{connector}-{task}`) and become visible to read_committed
 * readers together, or not at all.
 *
 * Transactions: the first record after a commit begins one. Where it ends is the connector's
 * `transaction.boundary`:
 * - `poll`: after every poll that returned records;
 * - `interval`: after the first poll that ends once `transaction.boundary.interval.ms` (default
 *   offset.flush.interval.ms) have passed since the transaction began;
 * - `connector`: where the task asks through its TransactionContext, after the batch or right
 *   after a given record (a record-level request wins); an abort still commits the offsets of
 *   the aborted records, in a transaction of their own, so they are not read again.
 *
 * Commit: the staged offsets (the last one per source partition) are sent as offset records to
 * the offsets topic with the same producer, then the transaction commits (the producer flushes
 * first). Only then does the task hear commitRecord for each record (metadata null for records
 * a transform dropped), recordsAcknowledged with each staged offset, and commit().
 *
 * Failure: a record Kafka refuses fails the transaction and the task ("Failed to flush offsets
 * and/or records for task ..."), as Kafka does: skipping it would commit its offset. A fenced
 * producer (another instance took over, or the transaction outlived transaction.timeout.ms)
 * fails the task with Kafka's messages. Nothing of a failed transaction becomes visible.
 *
 * Stop: the open transaction commits (poll and interval boundaries) or aborts (connector
 * boundary: the task did not ask), unless the task failed, when it is left to abort.
 */
import type { SourceRecord } from '../../connectors/sdk/connect-record.js';
import { ConnectError } from '../../connectors/sdk/errors.js';
import type { TransactionContext } from '../../connectors/sdk/source-task.js';
import type { OutgoingRecord, RecordMetadata, TransactionalProducer } from '../kafka/kafka-client.js';
import { FatalTransactionError, ProducerFencedError } from '../kafka/wire/kafka-error.js';
import type { TaskMetricsRecorder } from '../metrics/task-metrics.js';
import type { OffsetEntry } from '../stores/offset-store.js';
import { encodeOffsetKey, encodeOffsetValue } from '../stores/topic/offset-records.js';
import { PartitionKeys, partitionKey, type SourcePosition } from './offset-tracker.js';
import { byteSize, MAX_SENDS_IN_FLIGHT, MAX_UNACKED_BYTES, type DeliveryHost, type ExactlyOnceSettings, type SourceDelivery } from './source-delivery.js';
import type { SourceTaskRunnerDeps } from './task-runner-deps.js';

export type TransactionBoundary = ExactlyOnceSettings['boundary'];


export interface TransactionalDeliveryOptions {
  readonly deps: SourceTaskRunnerDeps;
  readonly producer: TransactionalProducer;
  readonly settings: ExactlyOnceSettings;
  /** After a commit: what to do with the offsets that committed (copy them to a secondary store). */
  readonly afterCommit?: (offsets: readonly OffsetEntry[]) => Promise<void>;
  readonly metrics: TaskMetricsRecorder;
  readonly host: DeliveryHost;
  readonly clock?: () => number;
}

/**
 * The records of one send (or one skipped record) of the open transaction, for commitRecord
 * after the commit. Kept only for tasks that implement commitRecord: a transaction of a second
 * at a few hundred thousand records a second would otherwise hold them all.
 */
interface Sent {
  readonly sources: readonly SourceRecord[];
  /** null: records that were not written (a transform dropped them). */
  readonly written: Promise<RecordMetadata[]> | null;
}

type Request = 'commit' | 'abort';

export class TransactionalDelivery implements SourceDelivery {
  readonly #deps: SourceTaskRunnerDeps;
  readonly #producer: TransactionalProducer;
  readonly #settings: ExactlyOnceSettings;
  readonly #afterCommit: ((offsets: readonly OffsetEntry[]) => Promise<void>) | undefined;
  readonly #offsetsTopic: string;
  readonly #boundary: TransactionBoundary;
  readonly #intervalMs: number;
  readonly #metrics: TaskMetricsRecorder;
  readonly #host: DeliveryHost;
  readonly #clock: () => number;
  #open = false;
  #openedAt = 0;
  /** Offsets of the records in the open transaction, the last one per source partition. */
  readonly #staged = new Map<string, OffsetEntry>();
  readonly #keys = new PartitionKeys();
  #sent: Sent[] = [];
  readonly #commitsRecords: boolean;
  /** The task implements recordsAcknowledged: told the positions of each committed transaction. */
  readonly #reportsAcknowledged: boolean;
  /** Topics written in the open transaction, for topic tracking once it commits. */
  readonly #topics = new Set<string>();
  #recordCount = 0;
  readonly #inFlight = new Set<Promise<unknown>>();
  #unackedBytes = 0;
  #unackedRecords = 0;
  /** The task's requests (connector boundary): for the current batch, and after given records. */
  #batchRequest: Request | null = null;
  readonly #recordRequests = new Map<SourceRecord, Request>();
  /** A send failure, thrown by the next commit. */
  #sendFailure: unknown = null;
  readonly transactionContext: TransactionContext | undefined;

  constructor(opts: TransactionalDeliveryOptions) {
    this.#deps = opts.deps;
    this.#producer = opts.producer;
    this.#settings = opts.settings;
    this.#afterCommit = opts.afterCommit;
    this.#offsetsTopic = opts.settings.offsetsTopic;
    this.#boundary = opts.settings.boundary;
    this.#intervalMs = opts.settings.boundaryIntervalMs;
    this.#metrics = opts.metrics;
    this.#host = opts.host;
    this.#clock = opts.clock ?? Date.now;
    this.#commitsRecords = opts.deps.sourceTask.commitRecord !== undefined;
    this.#reportsAcknowledged = opts.deps.sourceTask.recordsAcknowledged !== undefined;
    this.transactionContext = this.#boundary === 'connector' ? this.#context() : undefined;
  }

  get activeRecords(): number {
    return this.#unackedRecords;
  }

  /**
   * Kafka Connect's start order (exactly-once.md §7.5): the leader fences the connector's earlier
   * task generation; the task claims its transactional id (fencing an earlier instance of itself
   * and aborting what it left open); then its configs must still be the current ones.
   */
  async open(): Promise<void> {
    if (this.#settings.fenceZombies) {
      try {
        await this.#settings.fenceZombies();
      } catch (error) {
        throw new ConnectError('Failed to perform zombie fencing', { cause: error });
      }
    }
    await this.#producer.initTransactions();
    await this.#settings.checkCurrent?.();
  }

  skip(position: SourcePosition, record: SourceRecord | null): void {
    this.#begin();
    this.#stage(position);
    if (record !== null && this.#commitsRecords) this.#sent.push({ sources: [record], written: null });
  }

  async send(sources: readonly SourceRecord[], converted: readonly (OutgoingRecord | null)[]): Promise<void> {
    let outgoing: OutgoingRecord[] = [];
    let kept: SourceRecord[] = [];
    for (let i = 0; i < converted.length; i++) {
      const source = sources[i]!;
      const record = converted[i];
      this.#begin();
      this.#stage(source);
      if (record === null || record === undefined) {
        if (this.#commitsRecords) this.#sent.push({ sources: [source], written: null });
      } else {
        if (record.topic === this.#offsetsTopic) {
          throw new ConnectError('Source tasks may not produce to their own offsets topics when exactly-once support is enabled');
        }
        outgoing.push(record);
        kept.push(source);
      }
      const request = this.#recordRequests.get(source);
      if (request !== undefined) {
        this.#recordRequests.delete(source);
        this.#write(outgoing, kept);
        outgoing = [];
        kept = [];
        await this.#end(request);
      }
    }
    this.#write(outgoing, kept);
    while (this.#inFlight.size > 0 && (this.#inFlight.size >= MAX_SENDS_IN_FLIGHT || this.#unackedBytes >= MAX_UNACKED_BYTES)) {
      await Promise.race(this.#inFlight);
    }
  }

  async afterPoll(): Promise<void> {
    switch (this.#boundary) {
      case 'poll':
        if (this.#open) await this.#commit();
        return;
      case 'interval':
        if (this.#open && this.#clock() - this.#openedAt >= this.#intervalMs) await this.#commit();
        return;
      case 'connector': {
        const request = this.#batchRequest;
        this.#batchRequest = null;
        if (request !== null) await this.#end(request);
      }
    }
  }

  async finish(failed: boolean): Promise<void> {
    if (failed || !this.#open) return;
    if (this.#boundary === 'connector' && this.#batchRequest !== 'commit') {
      await this.#abortOpen();
      return;
    }
    await this.#commit();
  }

  close(): Promise<void> {
    return this.#producer.close();
  }

  #context(): TransactionContext {
    const request = (kind: Request, record?: SourceRecord) => {
      if (record === undefined) this.#batchRequest = kind;
      else this.#recordRequests.set(record, kind);
    };
    return {
      commitTransaction: (record?: SourceRecord) => request('commit', record),
      abortTransaction: (record?: SourceRecord) => request('abort', record),
    };
  }

  #begin(): void {
    if (this.#open) return;
    this.#producer.beginTransaction();
    this.#open = true;
    this.#openedAt = this.#clock();
  }

  #stage(position: SourcePosition): void {
    const partition = position.sourcePartition;
    if (partition === null) return;
    this.#staged.set(this.#keys.keyOf(partition), { partition, offset: position.sourceOffset });
  }

  #write(outgoing: OutgoingRecord[], sources: SourceRecord[]): void {
    if (outgoing.length === 0) return;
    let bytes = 0;
    for (const record of outgoing) bytes += byteSize(record);
    this.#unackedBytes += bytes;
    this.#unackedRecords += outgoing.length;
    this.#recordCount += outgoing.length;
    const written = this.#producer.send(outgoing);
    const settled = written.then(() => undefined, (error: unknown) => { this.#sendFailure ??= error; }).finally(() => {
      this.#unackedBytes -= bytes;
      this.#unackedRecords -= outgoing.length;
      this.#inFlight.delete(settled);
    });
    this.#inFlight.add(settled);
    if (this.#commitsRecords) this.#sent.push({ sources, written });
    if (this.#deps.onTopicUsed) for (const record of outgoing) this.#topics.add(record.topic);
  }

  async #end(request: Request): Promise<void> {
    if (request === 'commit') await this.#commit();
    else await this.#abortOpen();
  }

  /** Writes the staged offsets and commits; then commitRecord for every record of the transaction, and task.commit(). */
  async #commit(): Promise<void> {
    if (!this.#open && this.#staged.size === 0) {
      await this.#host.taskCommit();
      return;
    }
    const started = performance.now();
    this.#begin();
    try {
      this.#writeOffsets();
      await Promise.all(this.#inFlight);
      if (this.#sendFailure !== null) throw this.#sendFailure;
      await this.#producer.commitTransaction();
    } catch (error) {
      this.#metrics.recordOffsetCommit(performance.now() - started, false);
      throw this.#failure(error);
    }
    this.#metrics.recordOffsetCommit(performance.now() - started, true);
    const sent = this.#sent;
    const records = this.#recordCount;
    const topics = [...this.#topics];
    const offsets = this.#afterCommit || this.#reportsAcknowledged ? [...this.#staged.values()] : [];
    this.#reset();
    if (this.#afterCommit && offsets.length > 0) await this.#afterCommit(offsets);
    this.#metrics.recordWrite(records);
    for (const topic of topics) this.#deps.onTopicUsed?.(topic);
    await this.#acknowledge(sent);
    // After commitRecord, which may read the records: from now on nothing reads them.
    if (this.#reportsAcknowledged) {
      for (const { partition, offset } of offsets) if (offset !== null) this.#host.recordsAcknowledged(partition, offset);
    }
    await this.#host.taskCommit();
  }

  /** The task asked to abort: its records are dropped, their offsets committed in a transaction of their own. */
  async #abortOpen(): Promise<void> {
    if (this.#recordCount === 0) {
      this.#deps.logger.info({ connector: this.#deps.id.connector, task: this.#deps.id.task },
        'Ignoring request by task to abort transaction as the current transaction is empty');
      if (this.#staged.size === 0) return;
    }
    try {
      await Promise.all(this.#inFlight);
      await this.#producer.abortTransaction();
    } catch (error) {
      throw this.#failure(error);
    }
    const staged = [...this.#staged.values()];
    this.#reset();
    for (const entry of staged) this.#staged.set(partitionKey(entry.partition), entry);
    await this.#commit();
  }

  #writeOffsets(): void {
    if (this.#staged.size === 0) return;
    const connector = this.#deps.id.connector;
    const records: OutgoingRecord[] = [];
    for (const { partition, offset } of this.#staged.values()) {
      records.push({
        topic: this.#offsetsTopic, partition: null, key: encodeOffsetKey(connector, partition),
        value: encodeOffsetValue(offset), headers: [], timestamp: null,
      });
    }
    const written = this.#producer.send(records).then(() => undefined, (error: unknown) => { this.#sendFailure ??= error; });
    this.#inFlight.add(written);
  }

  #reset(): void {
    this.#open = false;
    this.#staged.clear();
    this.#sent = [];
    this.#topics.clear();
    this.#recordCount = 0;
    this.#sendFailure = null;
    this.#inFlight.clear();
  }

  async #acknowledge(sent: readonly Sent[]): Promise<void> {
    for (const { sources, written } of sent) {
      const metadata = written === null ? null : await written;
      for (let i = 0; i < sources.length; i++) this.#host.commitRecord(sources[i]!, metadata?.[i] ?? null);
    }
  }

  /** The error a failed commit or abort fails the task with, in Kafka's words. */
  #failure(error: unknown): Error {
    const { connector, task } = this.#deps.id;
    const id = `${connector}-${task}`;
    if (error instanceof ProducerFencedError && error.code === 47) {
      return new Error(`The task ${id} was unable to finish writing records to Kafka before its producer transaction expired. `
        + 'It may be necessary to reconfigure this connector in order for it to run healthily with exactly-once support. '
        + 'Options for this include: tune the connector\'s producer configuration for higher throughput, increase the '
        + 'transaction timeout for the connector\'s producers, decrease the offset commit interval (if using interval-based '
        + 'transaction boundaries), or use the \'poll\' transaction boundary (if the connector is not already configured to use it).',
      { cause: error });
    }
    if (error instanceof FatalTransactionError) return error;
    this.#deps.logger.error({ err: error, connector, task }, 'Failed to commit producer transaction');
    return new Error(`Failed to flush offsets and/or records for task ${id}`, { cause: error });
  }
}
