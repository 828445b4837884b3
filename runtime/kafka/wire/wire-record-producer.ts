/**
 * RecordProducer over the wire client: Java's accumulate-then-send producer, with ferry's own
 * record batch codec.
 *
 * Accumulator: send() puts each record in its topic-partition's FIFO at once (no encoding).
 * A partition's records are encoded into one batch (encodeBatch, compression.type applied)
 * when the batch goes out, up to batch.size bytes of records (ferry's default 1 MiB, not
 * Java's 16 KiB: with one request in flight per partition, the batch size bounds a
 * partition's throughput per round trip). A partition is ready when its records reach
 * batch.size, linger.ms has passed since they started waiting, or a flush/close is running;
 * sending runs from setImmediate, so the records of sends made in the same turn of the event
 * loop (and everything queued while a partition is in flight) ride the same batch.
 *
 * Sealing: while a partition has a batch in flight, each batch.size of records queued behind
 * it is encoded at once into a sealed batch that waits its turn (producers without a
 * transaction; a transactional batch carries its epoch and sequence, which may change before it
 * goes out). So the records a fast caller keeps queued (a source task may have megabytes
 * unacknowledged) are bytes outside the JavaScript heap, not objects: objects that stay queued
 * for a round trip outlive the young generation's collections, which then copy and promote
 * every one of them. No batch keeps its records either: the rare batch that must be split
 * (below) is decoded again from its bytes.
 *
 * Buffers: batches are encoded into buffers from a BufferPool (connectors/sdk/buffer-pool.ts
 * says why) of batch.size slabs. A batch's buffer goes back when the broker acknowledges the
 * batch: the broker answers only after reading the whole request, so no socket write still
 * reads it. A batch that is retried, split (its records are decoded into views of its bytes) or
 * failed never gives its buffer back.
 *
 * Partitioning: an explicit partition wins; keyed records go to
 * toPositive(murmur2(key)) % partitions like Java's default partitioner; unkeyed records
 * stick to one partition until its batch fills or is sent, then move to the next partition
 * (round robin over partitions with a leader), as Java's built-in sticky partitioner does.
 *
 * Sending and ordering: one Produce request per leader carries the ready batches of the
 * partitions it leads (one batch per partition, up to max.request.size). A partition has at
 * most one batch in flight; a batch that fails with a retriable error (leadership moved,
 * topic still being created, timeout, broken connection) keeps that slot, waits
 * retry.backoff.ms (doubling up to retry.backoff.max.ms), triggers a metadata refresh and is
 * resent as the same bytes, so later records never overtake it. Partitions of other leaders,
 * and other partitions of the same leader up to max.in.flight.requests.per.connection
 * requests, go on in parallel. Retries stop at `retries` attempts or delivery.timeout.ms
 * after the batch was built; the sends of a batch that fails for good reject with its error.
 * MESSAGE_TOO_LARGE on a batch of several records splits it (the partition's batch limit
 * halves from then on); a single record that is too large rejects with KafkaError
 * (retriable false), as does a record above max.request.size before it is queued.
 *
 * Metadata: topics are looked up when first used, with a second Metadata request that has
 * allowAutoTopicCreation set when the broker does not know the topic (Java's producer does
 * the same), and again after stale-metadata errors and every metadata.max.age.ms. Records of
 * a topic wait (in order) while the topic has no metadata, up to delivery.timeout.ms.
 *
 * Limits: acks=0 is sent on the wire as acks=1, because BrokerConnection needs a response
 * for every request; the sends resolve (offset -1) as soon as the request is written and
 * the answer is only used to free the partition's slot. enable.idempotence=true is rejected
 * unless the producer is transactional (ferry's Connect producers run without it). Timestamps
 * left empty get the time the batch is built.
 *
 * Transactions (options.transaction, wire-transactional-producer.ts): batches carry the
 * producer id, epoch, the partition's next sequence number and the transactional flag, and
 * Produce carries the transactional id. A partition's records wait until the transaction
 * has added the partition (AddPartitionsToTxn); the transaction learns of batches that fail
 * for good. Sequence numbers are safe with one batch in flight per partition: a retried batch
 * is the same bytes, a split one is rebuilt from its first sequence number. Without
 * options.transaction none of this runs.
 */
import type { Logger } from 'pino';
import { Metadata } from '../../../broker/protocol/apis/metadata.js';
import { Produce } from '../../../broker/protocol/apis/produce.js';
import { BATCH_HEADER_SIZE, CompressionCodec } from '../../../broker/protocol/batch-header.js';
import type { RecordInput } from '../../../broker/protocol/record.js';
import { decodeBatch, encodeBatch } from '../../../broker/protocol/record-batch.js';
import { BufferPool } from '../../../connectors/sdk/buffer-pool.js';
import { DEFAULT_BATCH_SIZE_BYTES, KafkaClientConfigError, type Compression, type ProducerSettings } from '../client-settings.js';
import type { OutgoingRecord, RecordMetadata, RecordProducer } from '../kafka-client.js';
import { isRetriable, KafkaError, WireConnectionError } from './kafka-error.js';
import { keyedPartition } from './partitioner.js';
import { SingleFlight } from './single-flight.js';
import type { TopicInfo, WireCluster } from './wire-cluster.js';

export interface WireRecordProducerOptions {
  /** batch.size: record bytes per partition batch. */
  readonly batchSizeBytes?: number;
  /** close() closes the cluster client too. */
  readonly ownsCluster?: boolean;
  /** How long close() waits for unacknowledged records before failing them. */
  readonly closeTimeoutMs?: number;
  /** Makes the producer transactional (wire-transactional-producer.ts). */
  readonly transaction?: ProducerTransaction;
}

/** A partition as the transaction sees it. */
export interface TransactionPartition {
  readonly topic: { readonly name: string };
  readonly partition: number;
  /** The ordinal of the transaction that has added the partition (-1: none yet). */
  addedIn: number;
}

/** What a transactional producer's transaction tells the sender, and hears from it. */
export interface ProducerTransaction {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Ordinal of the open transaction: partitions with that `addedIn` may send. */
  readonly ordinal: number;
  /** Why send() must refuse records now, if it must (no open transaction, an error state). */
  refusal(): Error | undefined;
  /** The partition has records to send and is not in the open transaction yet; wakeSender() follows once it is. */
  admit(partition: TransactionPartition): void;
  /** A batch failed for good with `error`; returns the error its records are rejected with. */
  batchFailed(error: Error): Error;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

const PRODUCE_LANE = 'produce';
/** Request header, Produce fields and slack; a partition adds its index, length and topic. */
const REQUEST_OVERHEAD = 256;
const PARTITION_OVERHEAD = 16;
/** A record's framing beyond key, value and headers (length, attributes, deltas, lengths). */
const RECORD_OVERHEAD = 21;
const HEADER_OVERHEAD = 10;
/** Batch buffers kept for reuse while the producer idles: at most this many bytes (and two buffers). */
const POOLED_BATCH_BYTES = 16 * 1024 * 1024;

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const MESSAGE_TOO_LARGE = 10;
/** The broker already has the batch (a retry of one it wrote): Java completes it without offsets. */
const DUPLICATE_SEQUENCE_NUMBER = 46;
const MAX_SEQUENCE = 0x7fffffff;
const WIRE_ACKS_FOR_ACKS_0 = 1;

const CODECS: Record<Compression, CompressionCodec> = {
  none: CompressionCodec.None,
  gzip: CompressionCodec.Gzip,
  snappy: CompressionCodec.Snappy,
  lz4: CompressionCodec.Lz4,
  zstd: CompressionCodec.Zstd,
};

/** Records that could not be delivered in time (delivery.timeout.ms), or before close. */
export class ProducerTimeoutError extends Error {
  override readonly name = 'ProducerTimeoutError';
  readonly retriable = true;
}

/** A record the producer refuses before sending it (bad partition). */
export class InvalidPartitionError extends Error {
  override readonly name = 'InvalidPartitionError';
  readonly retriable = false;
}

interface Job {
  readonly results: RecordMetadata[];
  remaining: number;
  settled: boolean;
  readonly resolve: (results: RecordMetadata[]) => void;
  readonly reject: (error: Error) => void;
  watchers: (() => void)[] | undefined;
}

interface Waiting {
  readonly record: OutgoingRecord;
  readonly job: Job;
  readonly slot: number;
  readonly size: number;
  readonly since: number;
}

class TopicState {
  /** 0 until the topic's metadata is known. */
  count = 0;
  leaders: number[] = [];
  readonly queues: PartitionQueue[] = [];
  /** Records held (in send order) until the topic's metadata is known. */
  waiting: Waiting[] = [];
  sticky = -1;
  nextSticky = Math.floor(Math.random() * 0x7fffffff);
  metadataError: Error | undefined;
  warned = false;
  readonly overhead: number;

  constructor(readonly name: string) {
    this.overhead = PARTITION_OVERHEAD + Buffer.byteLength(name);
  }

  leaderOf(partition: number): number {
    return this.leaders[partition] ?? -1;
  }
}

/** What a record's slot in a PartitionQueue holds once the record was taken into a batch. */
const TAKEN: OutgoingRecord = Object.freeze({ topic: '', key: null, value: null, headers: [] });

/** A partition's records not yet in a batch, as parallel FIFO arrays read from `head`. */
class PartitionQueue {
  records: OutgoingRecord[] = [];
  jobs: Job[] = [];
  slots: number[] = [];
  sizes: number[] = [];
  head = 0;
  pendingBytes = 0;
  /** When the oldest pending record started waiting (linger.ms, delivery.timeout.ms). */
  firstAt = 0;
  /** The batch in flight or waiting to be resent; at most one per partition. */
  batch: Batch | undefined;
  /** Batches built while `batch` was in flight, oldest first, to go out after it (see Sealing). */
  sealed: Batch[] = [];
  /** A request carrying `batch` is on the wire. */
  sending = false;
  /** Lowered after MESSAGE_TOO_LARGE; 0 = the producer's batch limit. */
  splitLimit = 0;
  /** Transactional producers: the next batch's base sequence, and the transaction that added the partition. */
  sequence = 0;
  addedIn = -1;

  constructor(readonly topic: TopicState, readonly partition: number) {}

  get pending(): number {
    return this.records.length - this.head;
  }

  /** Something to send: a batch to (re)send, sealed batches or pending records. */
  get hasWork(): boolean {
    return this.batch !== undefined || this.sealed.length > 0 || this.pending > 0;
  }

  push(record: OutgoingRecord, job: Job, slot: number, size: number, now: number): void {
    if (this.head === this.records.length) this.firstAt = now;
    this.records.push(record);
    this.jobs.push(job);
    this.slots.push(slot);
    this.sizes.push(size);
    this.pendingBytes += size;
  }

  /** Takes records from the head up to `limit` bytes (at least one). */
  take(limit: number): { records: OutgoingRecord[]; jobs: Job[]; slots: number[]; bytes: number } {
    const { head, sizes } = this;
    const end = this.records.length;
    let at = head;
    let bytes = 0;
    while (at < end && (at === head || bytes + sizes[at]! <= limit)) bytes += sizes[at++]!;
    const taken = {
      records: this.records.slice(head, at), jobs: this.jobs.slice(head, at), slots: this.slots.slice(head, at), bytes,
    };
    this.pendingBytes -= bytes;
    if (at === end) {
      this.records = [];
      this.jobs = [];
      this.slots = [];
      this.sizes = [];
      this.head = 0;
    } else if (at > 4096 && at * 2 > end) {
      this.records = this.records.slice(at);
      this.jobs = this.jobs.slice(at);
      this.slots = this.slots.slice(at);
      this.sizes = this.sizes.slice(at);
      this.head = 0;
    } else {
      // The taken records' slots are cleared: the queue must not keep them alive (see Sealing).
      this.records.fill(TAKEN, head, at);
      this.head = at;
    }
    return taken;
  }

  /**
   * Puts the records of `batches` (in order) back in front of the pending ones, decoded from
   * their bytes (after a split; see Sealing).
   */
  unshift(batches: readonly Batch[], now: number): void {
    const records: OutgoingRecord[] = [];
    const jobs: Job[] = [];
    const slots: number[] = [];
    const sizes: number[] = [];
    for (const batch of batches) {
      for (const r of decodeBatch(batch.bytes).records) {
        const outgoing: OutgoingRecord = {
          topic: this.topic.name, partition: this.partition, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp,
        };
        records.push(outgoing);
        sizes.push(sizeOf(outgoing));
      }
      jobs.push(...batch.jobs);
      slots.push(...batch.slots);
      this.pendingBytes += batch.recordBytes;
    }
    const rest = this.head;
    this.records = records.concat(this.records.slice(rest));
    this.jobs = jobs.concat(this.jobs.slice(rest));
    this.slots = slots.concat(this.slots.slice(rest));
    this.sizes = sizes.concat(this.sizes.slice(rest));
    this.head = 0;
    this.firstAt = now;
  }

  /** Removes every pending record, for failing them. */
  clear(): { jobs: Job[]; slots: number[] } {
    const out = { jobs: this.jobs.slice(this.head), slots: this.slots.slice(this.head) };
    this.records = [];
    this.jobs = [];
    this.slots = [];
    this.sizes = [];
    this.head = 0;
    this.pendingBytes = 0;
    return out;
  }
}

interface Batch {
  readonly queue: PartitionQueue;
  /** The sends of its records, and each record's place in its send. */
  readonly jobs: Job[];
  readonly slots: number[];
  readonly recordBytes: number;
  readonly bytes: Buffer;
  /** Transactional producers: the batch's first sequence number. */
  readonly baseSequence: number;
  readonly deadline: number;
  attempts: number;
  retryAt: number;
  lastError: unknown;
  /** The request the batch rides; answers are matched against it. */
  request: object | undefined;
}

export class WireRecordProducer implements RecordProducer {
  readonly #cluster: WireCluster;
  readonly #settings: ProducerSettings;
  readonly #logger: Logger;
  readonly #ownsCluster: boolean;
  readonly #closeTimeoutMs: number;
  readonly #codec: CompressionCodec;
  readonly #batchLimit: number;
  readonly #buffers: BufferPool;
  readonly #allocateBatch = (size: number): Buffer => this.#buffers.take(size);
  readonly #maxRecordBytes: number;
  readonly #txn: ProducerTransaction | undefined;
  readonly #topics = new Map<string, TopicState>();
  /** Partitions with pending records or a batch to resend, and no request on the wire. */
  readonly #ready = new Set<PartitionQueue>();
  readonly #nodeRequests = new Map<number, number>();
  readonly #unsettled = new Set<Job>();
  #idleWaiters: (() => void)[] = [];
  /** Records accepted and not yet acknowledged or failed. */
  #outstanding = 0;
  #requestsInFlight = 0;
  #flushing = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  /** An unexpected failure is logged; the next record or batch that needs metadata asks again. */
  readonly #metadata = new SingleFlight(() => this.#refreshMetadata(),
    (error) => this.#logger.error({ err: error }, 'producer metadata refresh failed unexpectedly'));
  #metadataAt = 0;
  #metadataBackoff: number;
  #lastTopic: TopicState | undefined;
  /** Produce requests sent. */
  requests = 0;

  /** Bytes of batch buffers the producer holds, in use or for reuse (like Java's buffer-total-bytes). */
  get batchBufferBytes(): number {
    return this.#buffers.allocatedBytes;
  }

  constructor(cluster: WireCluster, settings: ProducerSettings, logger: Logger, options: WireRecordProducerOptions = {}) {
    this.#txn = options.transaction;
    if (settings.idempotent && !this.#txn) {
      throw new KafkaClientConfigError('enable.idempotence=true is not supported by ferry\'s producer; leave it unset or set it to false');
    }
    this.#cluster = cluster;
    this.#settings = settings;
    this.#logger = logger;
    this.#ownsCluster = options.ownsCluster ?? false;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#codec = CODECS[settings.compression];
    this.#maxRecordBytes = settings.maxRequestBytes - REQUEST_OVERHEAD - BATCH_HEADER_SIZE;
    this.#batchLimit = Math.max(1, Math.min(options.batchSizeBytes ?? DEFAULT_BATCH_SIZE_BYTES, this.#maxRecordBytes));
    const batchCapacity = this.#batchLimit + BATCH_HEADER_SIZE;
    this.#buffers = new BufferPool({ minCapacity: batchCapacity, maxFreeBytes: Math.max(2 * batchCapacity, POOLED_BATCH_BYTES) });
    this.#metadataBackoff = settings.retry.backoffMs;
  }

  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (this.#closed) return Promise.reject(new Error('producer is closed'));
    if (this.#txn !== undefined) {
      const refusal = this.#txn.refusal();
      if (refusal) return Promise.reject(refusal);
    }
    if (records.length === 0) return Promise.resolve([]);
    const n = records.length;
    const sizes = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const record = records[i]!;
      const size = sizeOf(record);
      if (size > this.#maxRecordBytes) {
        return Promise.reject(new KafkaError(MESSAGE_TOO_LARGE, `record ${i} for topic ${record.topic}`,
          `the record is ${size + BATCH_HEADER_SIZE} bytes when serialized, more than max.request.size (${this.#settings.maxRequestBytes})`));
      }
      const p = record.partition;
      if (p !== undefined && p !== null && !(Number.isInteger(p) && p >= 0)) {
        return Promise.reject(new InvalidPartitionError(`invalid partition ${p} given with record ${i} for topic ${record.topic}`));
      }
      sizes[i] = size;
    }
    return new Promise((resolve, reject) => {
      const job: Job = { results: new Array<RecordMetadata>(n), remaining: n, settled: false, resolve, reject, watchers: undefined };
      this.#unsettled.add(job);
      this.#outstanding += n;
      const now = Date.now();
      for (let i = 0; i < n; i++) {
        const record = records[i]!;
        let topic = this.#lastTopic;
        if (topic === undefined || topic.name !== record.topic) topic = this.#lastTopic = this.#topic(record.topic);
        if (topic.count === 0 || topic.waiting.length > 0) {
          topic.waiting.push({ record, job, slot: i, size: sizes[i]!, since: now });
          if (!this.#metadata.running) this.#needMetadata();
        } else {
          this.#place(topic, record, job, i, sizes[i]!, now);
        }
      }
      this.#wake();
    });
  }

  async flush(): Promise<void> {
    const jobs = [...this.#unsettled];
    if (jobs.length === 0) return;
    this.#flushing++;
    this.#wake();
    try {
      await Promise.all(jobs.map((job) => job.settled ? undefined : new Promise<void>((resolve) => (job.watchers ??= []).push(resolve))));
    } finally {
      this.#flushing--;
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    if (this.#outstanding > 0 || this.#requestsInFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), this.#closeTimeoutMs); });
      const outcome = await Promise.race([idle, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        this.#failEverything(new ProducerTimeoutError(`the producer closed before ${this.#outstanding} record(s) were acknowledged`));
      }
    }
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#clearTimer();
    if (this.#ownsCluster) await this.#cluster.close();
  }

  /**
   * Transactional producers: rejects every record not yet in a batch (waiting for metadata, a
   * partition add or their turn) with `error`; batches already built still complete.
   */
  failUnsent(error: Error): void {
    for (const topic of this.#topics.values()) {
      this.#failWaitingOf(topic, error);
      for (const queue of topic.queues) {
        if (!queue || queue.pending === 0) continue;
        const { jobs } = queue.clear();
        this.#failRecords(jobs, error);
        this.#outstanding -= jobs.length;
        if (!queue.batch) this.#ready.delete(queue);
      }
    }
    this.#checkIdle();
  }

  /** Transactional producers: sequences start again at 0 (after the producer epoch changed). */
  resetSequences(): void {
    for (const topic of this.#topics.values()) for (const queue of topic.queues) if (queue) queue.sequence = 0;
  }

  /** Transactional producers: partitions were added to the transaction; send what waited for it. */
  wakeSender(): void {
    this.#wake();
  }

  #topic(name: string): TopicState {
    let topic = this.#topics.get(name);
    if (!topic) {
      topic = new TopicState(name);
      this.#topics.set(name, topic);
      this.#needMetadata();
    }
    return topic;
  }

  /** Appends a record to its partition; the topic's metadata is known. */
  #place(topic: TopicState, record: OutgoingRecord, job: Job, slot: number, size: number, now: number): void {
    let partition = record.partition;
    if (partition === undefined || partition === null) {
      partition = record.key === null ? this.#stickyPartition(topic) : keyedPartition(record.key, topic.count);
    } else if (partition >= topic.count) {
      topic.waiting.push({ record, job, slot, size, since: now });
      this.#needMetadata();
      return;
    }
    const queue = topic.queues[partition] ??= new PartitionQueue(topic, partition);
    queue.push(record, job, slot, size, now);
    if (queue.batch !== undefined && this.#txn === undefined && queue.pendingBytes >= this.#limitOf(queue)) this.#seal(queue, now);
    if (!queue.sending) this.#ready.add(queue);
  }

  /** Encodes a batch's worth of the partition's pending records to go out after the batch in flight (see Sealing). */
  #seal(queue: PartitionQueue, now: number): void {
    const batch = this.#encode(queue, this.#limitOf(queue), now);
    if (batch) queue.sealed.push(batch);
  }

  #stickyPartition(topic: TopicState): number {
    const current = topic.sticky;
    if (current >= 0 && current < topic.count) {
      const queue = topic.queues[current];
      if (queue === undefined || queue.pendingBytes < this.#batchLimit) return current;
    }
    for (let tries = 0; tries < topic.count; tries++) {
      const candidate = topic.nextSticky++ % topic.count;
      if (topic.nextSticky > 0x3fffffff) topic.nextSticky = 0;
      if (candidate !== current && topic.leaderOf(candidate) >= 0) return topic.sticky = candidate;
    }
    return topic.sticky = topic.nextSticky++ % topic.count;
  }

  #wake(): void {
    if (this.#immediate) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#run();
    });
  }

  #wakeAt(at: number): void {
    if (this.#timer && this.#timerAt <= at) return;
    this.#clearTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#run();
    }, Math.max(0, at - Date.now()));
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Sends every ready partition whose leader can take another request. */
  #run(): void {
    const now = Date.now();
    if (this.#metadataAt > 0 && now - this.#metadataAt >= this.#settings.metadataMaxAgeMs) this.#needMetadata();
    const urgent = this.#flushing > 0 || this.#closed;
    const linger = this.#settings.lingerMs;
    let wakeAt = Infinity;
    const byNode = new Map<number, PartitionQueue[]>();
    const txn = this.#txn;
    for (const queue of this.#ready) {
      if (txn !== undefined && queue.addedIn !== txn.ordinal) {
        txn.admit(queue);
        continue;
      }
      const batch = queue.batch;
      if (batch) {
        if (batch.retryAt > now) {
          wakeAt = Math.min(wakeAt, batch.retryAt);
          continue;
        }
      } else if (!queue.hasWork) {
        this.#ready.delete(queue);
        continue;
      } else if (!urgent && linger > 0 && queue.sealed.length === 0 && queue.pendingBytes < this.#limitOf(queue) && now < queue.firstAt + linger) {
        wakeAt = Math.min(wakeAt, queue.firstAt + linger);
        continue;
      }
      const leader = queue.topic.leaderOf(queue.partition);
      if (leader < 0) {
        this.#needMetadata();
        this.#expireIfLate(queue, now);
        continue;
      }
      if ((this.#nodeRequests.get(leader) ?? 0) >= this.#settings.maxInFlight) continue;
      let list = byNode.get(leader);
      if (!list) byNode.set(leader, list = []);
      list.push(queue);
    }
    for (const [node, queues] of byNode) this.#sendTo(node, queues, now);
    if (wakeAt < Infinity) this.#wakeAt(wakeAt);
    this.#checkIdle();
  }

  #limitOf(queue: PartitionQueue): number {
    return queue.splitLimit > 0 ? Math.min(queue.splitLimit, this.#batchLimit) : this.#batchLimit;
  }

  /** Builds requests for one leader: each up to max.request.size, while it may take more. */
  #sendTo(node: number, queues: PartitionQueue[], now: number): void {
    const maxBytes = this.#settings.maxRequestBytes;
    let i = 0;
    while (i < queues.length && (this.#nodeRequests.get(node) ?? 0) < this.#settings.maxInFlight) {
      const batches: Batch[] = [];
      let bytes = REQUEST_OVERHEAD;
      for (; i < queues.length; i++) {
        const queue = queues[i]!;
        let batch: Batch | undefined = queue.batch ?? queue.sealed[0];
        if (batch) {
          if (batches.length > 0 && bytes + batch.bytes.length + queue.topic.overhead > maxBytes) break;
          if (batch !== queue.batch) {
            queue.sealed.shift();
            queue.batch = batch;
          }
        } else {
          const room = maxBytes - bytes - queue.topic.overhead - BATCH_HEADER_SIZE;
          const limit = this.#limitOf(queue);
          if (batches.length > 0 && room < Math.min(queue.pendingBytes, limit)) break;
          batch = this.#build(queue, Math.max(1, Math.min(limit, room)), now);
          if (!batch) continue;
        }
        batches.push(batch);
        bytes += batch.bytes.length + queue.topic.overhead;
        this.#ready.delete(queue);
        queue.sending = true;
      }
      // #produce settles its batches itself; this catch only keeps a bug from ending the process.
      if (batches.length > 0) this.#produce(node, batches).catch((error: unknown) => this.#logger.error({ err: error, node }, 'produce failed unexpectedly'));
    }
  }

  /** The partition's next batch, to go out now. */
  #build(queue: PartitionQueue, limit: number, now: number): Batch | undefined {
    const batch = this.#encode(queue, limit, now);
    if (batch) queue.batch = batch;
    return batch;
  }

  /** Encodes pending records from the head of the partition's queue, up to `limit` bytes, into a batch. */
  #encode(queue: PartitionQueue, limit: number, now: number): Batch | undefined {
    const taken = queue.take(limit);
    if (queue.topic.sticky === queue.partition) queue.topic.sticky = -1;
    let bytes: Buffer;
    const txn = this.#txn;
    const baseSequence = queue.sequence;
    try {
      const allocate = this.#allocateBatch;
      bytes = encodeBatch(txn === undefined
        ? { records: taken.records as unknown as RecordInput[], compression: this.#codec, now, allocate }
        : {
          records: taken.records as unknown as RecordInput[], compression: this.#codec, now, allocate,
          producerId: txn.producerId, producerEpoch: txn.producerEpoch, baseSequence, transactional: true,
        });
    } catch (error) {
      this.#failRecords(taken.jobs, error as Error);
      this.#outstanding -= taken.records.length;
      if (!queue.hasWork) this.#ready.delete(queue);
      return undefined;
    }
    if (txn !== undefined) queue.sequence = nextSequence(baseSequence, taken.records.length);
    return {
      queue, jobs: taken.jobs, slots: taken.slots, recordBytes: taken.bytes, bytes, baseSequence,
      deadline: now + this.#settings.deliveryTimeoutMs, attempts: 0, retryAt: 0, lastError: undefined, request: undefined,
    };
  }

  async #produce(node: number, batches: Batch[]): Promise<void> {
    const request = {};
    this.#nodeRequests.set(node, (this.#nodeRequests.get(node) ?? 0) + 1);
    this.#requestsInFlight++;
    this.requests++;
    const byTopic = new Map<string, { name: string; partitionData: { index: number; records: Buffer }[] }>();
    for (const batch of batches) {
      batch.attempts++;
      batch.request = request;
      const name = batch.queue.topic.name;
      let entry = byTopic.get(name);
      if (!entry) byTopic.set(name, entry = { name, partitionData: [] });
      entry.partitionData.push({ index: batch.queue.partition, records: batch.bytes });
    }
    const sent = new Map<PartitionQueue, Batch>();
    for (const batch of batches) sent.set(batch.queue, batch);
    const acks = this.#settings.acks;
    try {
      const connection = await this.#cluster.nodeConnection(node, PRODUCE_LANE);
      const answer = connection.send(Produce, {
        transactionalId: this.#txn === undefined ? null : this.#txn.transactionalId,
        acks: acks === 0 ? WIRE_ACKS_FOR_ACKS_0 : acks,
        timeoutMs: this.#settings.requestTimeoutMs,
        topicData: [...byTopic.values()],
      });
      if (acks === 0) for (const batch of batches) this.#complete(batch, -1);
      const response = await answer;
      const now = Date.now();
      for (const topicResponse of response.responses) {
        const topic = this.#topics.get(topicResponse.name);
        for (const p of topicResponse.partitionResponses) {
          const queue = topic?.queues[p.index];
          const batch = queue && sent.get(queue);
          if (!batch || batch.request !== request) continue;
          batch.request = undefined;
          if (p.errorCode === 0) {
            this.#complete(batch, p.baseOffset);
            // Answered: the request was read in full, and an acknowledged batch is never read again.
            this.#buffers.give(batch.bytes);
          } else if (p.errorCode === DUPLICATE_SEQUENCE_NUMBER && this.#txn !== undefined) {
            this.#complete(batch, -1);
          } else {
            const detail = [p.errorMessage, ...p.recordErrors.map((e) => `record ${e.batchIndex}: ${e.batchIndexErrorMessage ?? ''}`)]
              .filter((s) => s).join('; ');
            this.#failed(batch, new KafkaError(p.errorCode, `Produce to ${topicResponse.name}-${p.index}`, detail || null), now);
          }
        }
      }
      for (const batch of batches) {
        if (batch.request !== request) continue;
        batch.request = undefined;
        this.#failed(batch, new WireConnectionError(`the Produce response had no answer for ${batch.queue.topic.name}-${batch.queue.partition}`), now);
      }
    } catch (error) {
      const now = Date.now();
      this.#logger.debug({ err: error, node }, 'produce request failed');
      for (const batch of batches) {
        if (batch.request !== request) continue;
        batch.request = undefined;
        this.#failed(batch, error, now);
      }
    } finally {
      this.#nodeRequests.set(node, this.#nodeRequests.get(node)! - 1);
      this.#requestsInFlight--;
      for (const batch of batches) {
        const queue = batch.queue;
        queue.sending = false;
        if (queue.hasWork) this.#ready.add(queue);
      }
      this.#wake();
    }
  }

  /** The batch was acknowledged (or, with acks=0, written). */
  #complete(batch: Batch, baseOffset: number): void {
    const queue = batch.queue;
    if (queue.batch === batch) queue.batch = undefined;
    if (batch.attempts < 0) return;
    batch.attempts = -1;
    const topic = queue.topic.name;
    const partition = queue.partition;
    const { jobs, slots } = batch;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      if (job.settled) continue;
      job.results[slots[i]!] = { topic, partition, offset: baseOffset < 0 ? -1 : baseOffset + i };
      if (--job.remaining === 0) this.#settle(job, undefined);
    }
    this.#outstanding -= jobs.length;
  }

  #failed(batch: Batch, error: unknown, now: number): void {
    const queue = batch.queue;
    if (batch.attempts < 0) {
      if (queue.batch === batch) queue.batch = undefined;
      this.#logger.debug({ err: error, topic: queue.topic.name, partition: queue.partition }, 'produce failed after its records were settled (acks=0 or close)');
      return;
    }
    if (error instanceof KafkaError && error.code === MESSAGE_TOO_LARGE && batch.jobs.length > 1) {
      queue.batch = undefined;
      queue.splitLimit = Math.max(1, Math.floor(Math.min(batch.recordBytes, this.#limitOf(queue)) / 2));
      // The sealed batches were built at the old limit and come after the split records: all go back to the queue.
      queue.unshift([batch, ...queue.sealed.splice(0)], now);
      queue.sequence = batch.baseSequence;
      this.#logger.debug({ topic: queue.topic.name, partition: queue.partition, limit: queue.splitLimit }, 'batch too large for the topic; splitting');
      return;
    }
    const backoff = Math.min(this.#settings.retry.backoffMs * 2 ** Math.min(batch.attempts - 1, 20), this.#settings.retry.maxBackoffMs);
    if (isRetriable(error) && batch.attempts <= this.#settings.retries && now + backoff < batch.deadline && !this.#cluster.closed) {
      batch.retryAt = now + backoff;
      batch.lastError = error;
      if (!(error instanceof KafkaError) || error.staleMetadata) this.#needMetadata();
      this.#logger.debug({ err: error, topic: queue.topic.name, partition: queue.partition, attempt: batch.attempts }, 'retrying produce');
      return;
    }
    queue.batch = undefined;
    let failure = error instanceof Error ? error : new Error(String(error));
    if (this.#txn !== undefined) failure = this.#txn.batchFailed(failure);
    this.#failRecords(batch.jobs, failure);
    this.#outstanding -= batch.jobs.length;
  }

  /** A partition without a leader: fails what has waited longer than delivery.timeout.ms. */
  #expireIfLate(queue: PartitionQueue, now: number): void {
    const batch = queue.batch;
    const where = `${queue.topic.name}-${queue.partition}`;
    if (batch && now >= batch.deadline) {
      queue.batch = undefined;
      const reason = batch.lastError instanceof Error ? `: ${batch.lastError.message}` : '';
      let failure: Error = new ProducerTimeoutError(`${batch.jobs.length} record(s) for ${where} expired after delivery.timeout.ms${reason}`);
      if (this.#txn !== undefined) failure = this.#txn.batchFailed(failure);
      this.#failRecords(batch.jobs, failure);
      this.#outstanding -= batch.jobs.length;
    }
    const expireUnsent = (jobs: Job[]): void => {
      this.#failRecords(jobs, new ProducerTimeoutError(`${jobs.length} record(s) for ${where} expired after delivery.timeout.ms: the partition has no leader`));
      this.#outstanding -= jobs.length;
    };
    while (!queue.batch && queue.sealed.length > 0 && now >= queue.sealed[0]!.deadline) expireUnsent(queue.sealed.shift()!.jobs);
    if (!queue.batch && queue.sealed.length === 0 && queue.pending > 0 && now >= queue.firstAt + this.#settings.deliveryTimeoutMs) {
      expireUnsent(queue.clear().jobs);
    }
    if (!queue.hasWork) this.#ready.delete(queue);
  }

  #failRecords(jobs: readonly Job[], error: Error): void {
    for (const job of jobs) if (!job.settled) this.#settle(job, error);
  }

  #settle(job: Job, error: Error | undefined): void {
    job.settled = true;
    this.#unsettled.delete(job);
    if (error) job.reject(error);
    else job.resolve(job.results);
    if (job.watchers) for (const watcher of job.watchers) watcher();
  }

  #checkIdle(): void {
    if (this.#outstanding > 0 || this.#requestsInFlight > 0 || this.#idleWaiters.length === 0) return;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  #failEverything(error: Error): void {
    for (const topic of this.#topics.values()) {
      this.#failRecords(topic.waiting.map((w) => w.job), error);
      topic.waiting = [];
      for (const queue of topic.queues) {
        if (!queue) continue;
        this.#failRecords(queue.clear().jobs, error);
        for (const sealed of queue.sealed.splice(0)) this.#failRecords(sealed.jobs, error);
        if (queue.batch) {
          this.#failRecords(queue.batch.jobs, error);
          queue.batch.attempts = -1;
        }
        queue.batch = undefined;
      }
    }
    this.#ready.clear();
    this.#failRecords([...this.#unsettled], error);
    this.#outstanding = 0;
  }

  #needMetadata(): void {
    this.#metadata.request();
  }

  /** Refreshes the producer's topics until none is missing what its records need (or the producer is closed). */
  async #refreshMetadata(): Promise<void> {
    for (;;) {
      this.#metadata.again = false;
      let wanted: boolean;
      try {
        const infos = await this.#cluster.refreshMetadata([...this.#topics.keys()]);
        this.#metadataAt = Date.now();
        const missing: string[] = [];
        for (const info of infos) {
          this.#apply(info);
          const topic = this.#topics.get(info.name);
          if (info.errorCode === UNKNOWN_TOPIC_OR_PARTITION && topic && hasWork(topic)) missing.push(info.name);
        }
        if (missing.length > 0) {
          await this.#cluster.sendToAny(Metadata, { topics: missing.map((name) => ({ name })), allowAutoTopicCreation: true });
        }
        wanted = this.#expireWaiting(Date.now());
      } catch (error) {
        this.#logger.debug({ err: error }, 'producer metadata refresh failed');
        wanted = true;
        if (!isRetriable(error)) this.#failWaiting(error as Error);
        // delivery.timeout.ms holds while no broker answers too, not only once metadata arrives.
        else this.#expireWaiting(Date.now());
      }
      this.#wake();
      if (this.#cluster.closed || (this.#closed && this.#outstanding === 0)) return;
      if (!wanted && !this.#metadata.again) {
        this.#metadataBackoff = this.#settings.retry.backoffMs;
        return;
      }
      if (wanted) {
        await sleep(this.#metadataBackoff);
        this.#metadataBackoff = Math.min(this.#metadataBackoff * 2, this.#settings.retry.maxBackoffMs);
      }
    }
  }

  #apply(info: TopicInfo): void {
    const topic = this.#topics.get(info.name);
    if (!topic) return;
    if (info.errorCode !== 0) {
      const error = new KafkaError(info.errorCode, `metadata for topic ${info.name}`);
      topic.metadataError = error;
      topic.leaders = [];
      if (!error.retriable) {
        this.#failWaitingOf(topic, error);
      } else if (!topic.warned && info.errorCode === UNKNOWN_TOPIC_OR_PARTITION && hasWork(topic)) {
        topic.warned = true;
        this.#logger.warn({ topic: info.name }, 'topic does not exist yet; asked the broker to create it (auto-create) and waiting for it');
      }
      return;
    }
    topic.metadataError = undefined;
    topic.warned = false;
    const leaders: number[] = [];
    for (const p of info.partitions) leaders[p.partition] = p.leader;
    topic.leaders = leaders;
    topic.count = leaders.length;
    if (topic.waiting.length === 0) return;
    const waiting = topic.waiting;
    topic.waiting = [];
    for (const w of waiting) {
      const partition = w.record.partition;
      if (partition !== undefined && partition !== null && partition >= topic.count) {
        if (!w.job.settled) {
          this.#settle(w.job, new InvalidPartitionError(
            `invalid partition ${partition} given with record ${w.slot} for topic ${topic.name}: it has partitions 0…${topic.count - 1}`));
        }
        this.#outstanding--;
        continue;
      }
      this.#place(topic, w.record, w.job, w.slot, w.size, w.since);
    }
  }

  /** Fails waiting records past delivery.timeout.ms; true while some topic still waits for metadata or a leader. */
  #expireWaiting(now: number): boolean {
    let wanted = false;
    for (const topic of this.#topics.values()) {
      if (topic.waiting.length > 0) {
        const timeout = this.#settings.deliveryTimeoutMs;
        const late = topic.waiting.filter((w) => now >= w.since + timeout);
        if (late.length > 0) {
          topic.waiting = topic.waiting.filter((w) => now < w.since + timeout);
          const reason = topic.metadataError ? `: ${topic.metadataError.message}` : '';
          this.#failRecords(late.map((w) => w.job),
            new ProducerTimeoutError(`topic ${topic.name} not present in metadata after ${timeout} ms${reason}`));
          this.#outstanding -= late.length;
        }
        if (topic.waiting.length > 0) wanted = true;
      }
      if (!wanted) {
        for (const queue of topic.queues) {
          if (queue && queue.hasWork && topic.leaderOf(queue.partition) < 0) {
            wanted = true;
            break;
          }
        }
      }
    }
    return wanted;
  }

  #failWaiting(error: Error): void {
    for (const topic of this.#topics.values()) this.#failWaitingOf(topic, error);
  }

  #failWaitingOf(topic: TopicState, error: Error): void {
    if (topic.waiting.length === 0) return;
    this.#failRecords(topic.waiting.map((w) => w.job), error);
    this.#outstanding -= topic.waiting.length;
    topic.waiting = [];
  }
}

function hasWork(topic: TopicState): boolean {
  return topic.waiting.length > 0 || topic.queues.some((q) => q !== undefined && q.hasWork);
}

/** Kafka's sequence arithmetic: wraps from Integer.MAX_VALUE to 0. */
function nextSequence(sequence: number, count: number): number {
  return sequence > MAX_SEQUENCE - count ? count - (MAX_SEQUENCE - sequence) - 1 : sequence + count;
}

function sizeOf(record: OutgoingRecord): number {
  let n = RECORD_OVERHEAD + (record.key === null ? 0 : record.key.length) + (record.value === null ? 0 : record.value.length);
  const headers = record.headers;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    n += HEADER_OVERHEAD + Buffer.byteLength(h.key) + (h.value === null ? 0 : h.value.length);
  }
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
