/**
 * TopicReader over the wire client: tails every partition of a topic from its log start
 * without a consumer group (kafkajs has no group-less consumer).
 *
 * Concurrency: one fetch loop per partition leader, each with at most one Fetch (long poll,
 * read_uncommitted unless options.readCommitted) in flight on this reader's own lane, so its long polls never delay other
 * requests. Loops run on the event loop and deliver a whole partition response
 * synchronously, so listeners never overlap and see each partition in offset order.
 *
 * Errors: OFFSET_OUT_OF_RANGE moves the partition to its log start offset (data was deleted,
 * or the topic was recreated). Leadership errors and broken connections park the affected
 * partitions until a metadata refresh (after backoff) finds their leader; their loops
 * restart then. Other partition errors are retried the same way and also reject the
 * readToEnd() calls that are waiting, so callers see them.
 *
 * read_committed (Kafka Connect's internal readers with exactly-once source support): fetches
 * stop at the last stable offset and records of aborted transactions are skipped; readToEnd()
 * still waits for the high watermark, as KafkaBasedLog does, so it returns only once every
 * transaction open below it was committed or aborted.
 */
import type { Logger } from 'pino';
import { Fetch } from '../../../broker/protocol/apis/fetch.js';
import { ListOffsets } from '../../../broker/protocol/apis/list-offsets.js';
import type { ConsumedRecord, TopicReader } from '../kafka-client.js';
import { readFetchedRecords, type AbortedTransaction } from './fetched-records.js';
import { KafkaError, WireConnectionError } from './kafka-error.js';
import { NodeLoops } from './node-loops.js';
import { sleep, withRetries } from './retry.js';
import type { WireCluster } from './wire-cluster.js';

export interface WireTopicReaderOptions {
  /** fetch.max.wait.ms */
  readonly maxWaitMs?: number;
  /** max.partition.fetch.bytes */
  readonly partitionMaxBytes?: number;
  /** fetch.max.bytes */
  readonly maxBytes?: number;
  /** request.timeout.ms; a fetch may take this plus maxWaitMs. */
  readonly requestTimeoutMs?: number;
  readonly logger?: Logger;
  /** stop() closes the cluster client too. */
  readonly ownsCluster?: boolean;
  /** isolation.level=read_committed */
  readonly readCommitted?: boolean;
}

interface PartitionState {
  readonly partition: number;
  position: number;
  leader: number;
  status: 'ready' | 'needs-leader' | 'resetting';
}

interface Waiter {
  readonly targets: ReadonlyMap<number, number>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const EARLIEST = -2;
const LATEST = -1;
const OFFSET_OUT_OF_RANGE = 1;

let readerIds = 0;

export class WireTopicReader implements TopicReader {
  readonly #cluster: WireCluster;
  readonly #lane: string;
  readonly #maxWaitMs: number;
  readonly #partitionMaxBytes: number;
  readonly #maxBytes: number;
  readonly #requestTimeoutMs: number;
  readonly #logger: Logger;
  readonly #ownsCluster: boolean;
  readonly #readCommitted: boolean;
  readonly #listeners = new Set<(record: ConsumedRecord) => void>();
  /** A loop that fails unexpectedly parks its partitions until their leader is looked up again. */
  readonly #loops = new NodeLoops((error, node) => this.#loopFailed(error, node));
  #partitions: PartitionState[] = [];
  #waiters: Waiter[] = [];
  #state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  #listenerError: { error: unknown } | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(cluster: WireCluster, readonly topic: string, options: WireTopicReaderOptions = {}) {
    this.#cluster = cluster;
    this.#lane = `reader-${++readerIds}-${topic}`;
    this.#maxWaitMs = options.maxWaitMs ?? 500;
    this.#partitionMaxBytes = options.partitionMaxBytes ?? 1_048_576;
    this.#maxBytes = options.maxBytes ?? 52_428_800;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#logger = (options.logger ?? cluster.logger).child({ topic });
    this.#ownsCluster = options.ownsCluster ?? false;
    this.#readCommitted = options.readCommitted ?? false;
  }

  async start(): Promise<void> {
    if (this.#state === 'stopped') throw new Error('topic reader was stopped');
    if (this.#state !== 'new') throw new Error('topic reader was already started');
    this.#state = 'starting';
    const info = await withRetries(this.#cluster.retry, () => this.#cluster.describeTopic(this.topic), { cancelled: () => this.#stopped });
    this.#partitions = info.partitions.map((p) => ({ partition: p.partition, position: 0, leader: p.leader, status: 'ready' }));
    const starts = await this.#listOffsets(EARLIEST, this.#partitions);
    for (const p of this.#partitions) p.position = starts.get(p.partition) ?? 0;
    if (this.#stopped) throw new Error('topic reader was stopped');
    this.#state = 'started';
    this.#ensureLoops();
  }

  async readToEnd(): Promise<void> {
    if (this.#state !== 'started') throw new Error('topic reader is not started');
    const targets = await this.#listOffsets(LATEST, this.#partitions);
    if (this.#state !== 'started') throw new Error('topic reader was stopped');
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { targets, resolve, reject };
      if (this.#reached(waiter)) {
        const failure = this.#takeListenerError();
        if (failure) reject(failure.error);
        else resolve();
        return;
      }
      this.#waiters.push(waiter);
    });
  }

  onRecord(listener: (record: ConsumedRecord) => void): () => void {
    const registered = (record: ConsumedRecord) => listener(record);
    this.#listeners.add(registered);
    return () => this.#listeners.delete(registered);
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#cluster.closeLane(this.#lane);
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) w.reject(new Error('topic reader was stopped'));
    await this.#loops.settled();
    if (this.#ownsCluster) await this.#cluster.close();
  }

  get #stopped(): boolean {
    return this.#state === 'stopped';
  }

  #ensureLoops(): void {
    if (this.#state !== 'started') return;
    for (const p of this.#partitions) {
      if (p.status === 'ready') this.#loops.start(p.leader, (node) => this.#fetchLoop(node), () => this.#ensureLoops());
    }
  }

  async #fetchLoop(node: number): Promise<void> {
    while (this.#state === 'started') {
      const parts = this.#partitions.filter((p) => p.leader === node && p.status === 'ready');
      if (parts.length === 0) return;
      try {
        const response = await this.#cluster.sendToNode(node, Fetch, {
          replicaId: -1,
          maxWaitMs: this.#maxWaitMs,
          minBytes: 1,
          maxBytes: this.#maxBytes,
          isolationLevel: this.#readCommitted ? 1 : 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{
            topic: this.topic,
            partitions: parts.map((p) => ({ partition: p.partition, fetchOffset: p.position, partitionMaxBytes: this.#partitionMaxBytes })),
          }],
          forgottenTopicsData: [],
          rackId: '',
        }, { lane: this.#lane, timeoutMs: this.#requestTimeoutMs + this.#maxWaitMs });
        if (this.#state !== 'started') return;
        if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `Fetch ${this.topic} from broker ${node}`);
        for (const t of response.responses) {
          for (const pr of t.partitions) {
            const p = parts.find((x) => x.partition === pr.partitionIndex);
            if (p) this.#onPartitionResponse(p, pr.errorCode, pr.records, node, pr.abortedTransactions);
          }
        }
        this.#settleWaiters();
      } catch (error) {
        if (this.#state !== 'started') return;
        this.#logger.debug({ err: error, broker: node }, 'fetch failed; refreshing metadata');
        if (!(error instanceof WireConnectionError) && !(error instanceof KafkaError && error.retriable)) this.#rejectWaiters(error);
        for (const p of parts) if (p.status === 'ready') p.status = 'needs-leader';
        await sleep(this.#cluster.retry.backoffMs);
        this.#refreshLeaders();
        return;
      }
    }
  }

  #onPartitionResponse(
    p: PartitionState, errorCode: number, records: Buffer | null, node: number, aborted: readonly AbortedTransaction[] | null,
  ): void {
    if (p.position < 0 || p.status !== 'ready' || p.leader !== node) return;
    if (errorCode === 0) {
      const fetched = readFetchedRecords(this.topic, p.partition, records, p.position, this.#readCommitted ? { aborted: aborted ?? [] } : {});
      for (const record of fetched.records) {
        for (const listener of this.#listeners) {
          try {
            listener(record);
          } catch (error) {
            this.#listenerError ??= { error };
          }
        }
        if (this.#state !== 'started') return;
      }
      p.position = fetched.nextOffset;
      return;
    }
    if (errorCode === OFFSET_OUT_OF_RANGE) {
      p.status = 'resetting';
      this.#resetToLogStart(p).catch((error: unknown) => this.#unexpected(error, 'resetting to the log start failed unexpectedly'));
      return;
    }
    const error = new KafkaError(errorCode, `Fetch ${this.topic}-${p.partition}`);
    this.#logger.debug({ err: error }, 'fetch partition error');
    if (!error.retriable) this.#rejectWaiters(error);
    p.status = 'needs-leader';
    this.#refreshLeadersAfter(this.#cluster.retry.backoffMs);
  }

  async #resetToLogStart(p: PartitionState): Promise<void> {
    try {
      const starts = await this.#listOffsets(EARLIEST, [p]);
      const start = starts.get(p.partition);
      if (start === undefined) throw new Error(`no log start offset for ${this.topic}-${p.partition}`);
      this.#logger.info({ partition: p.partition, from: p.position, to: start }, 'fetch offset out of range; resuming at the log start offset');
      p.position = start;
      p.status = 'ready';
      this.#ensureLoops();
      this.#settleWaiters();
    } catch (error) {
      if (this.#state !== 'started') return;
      this.#rejectWaiters(error);
      p.status = 'needs-leader';
      this.#refreshLeadersAfter(this.#cluster.retry.maxBackoffMs);
    }
  }

  /** Single flight: finds leaders for parked partitions, retrying until it succeeds or the reader stops. */
  #refreshLeaders(): void {
    if (this.#refreshing || this.#state !== 'started') return;
    this.#refreshing = (async () => {
      let backoff = this.#cluster.retry.backoffMs;
      while (this.#state === 'started' && this.#partitions.some((p) => p.status === 'needs-leader')) {
        try {
          const info = await this.#cluster.describeTopic(this.topic);
          for (const p of this.#partitions) {
            if (p.status !== 'needs-leader') continue;
            const meta = info.partitions.find((m) => m.partition === p.partition);
            if (meta && meta.leader >= 0) {
              p.leader = meta.leader;
              p.status = 'ready';
            }
          }
          this.#ensureLoops();
          if (!this.#partitions.some((p) => p.status === 'needs-leader')) return;
        } catch (error) {
          this.#logger.debug({ err: error }, 'metadata refresh failed');
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.#cluster.retry.maxBackoffMs);
      }
    })().catch((error: unknown) => {
      this.#unexpected(error, 'leader refresh failed unexpectedly');
    }).finally(() => {
      this.#refreshing = undefined;
    });
  }

  #refreshLeadersAfter(ms: number): void {
    sleep(ms).then(() => this.#refreshLeaders()).catch((error: unknown) => this.#unexpected(error, 'leader refresh failed unexpectedly'));
  }

  #loopFailed(error: unknown, node: number): void {
    this.#unexpected(error, 'fetch loop failed unexpectedly');
    if (this.#state !== 'started') return;
    for (const p of this.#partitions) if (p.leader === node && p.status === 'ready') p.status = 'needs-leader';
    this.#refreshLeadersAfter(this.#cluster.retry.backoffMs);
  }

  /** A background step failed where no error was expected: logged, and readToEnd callers see it, rather than an unhandled rejection. */
  #unexpected(error: unknown, what: string): void {
    this.#logger.error({ err: error }, what);
    if (this.#state === 'started') this.#rejectWaiters(error);
  }

  /** Offsets (-2 log start, -1 high watermark) of the given partitions, from their leaders. */
  #listOffsets(timestamp: number, partitions: readonly PartitionState[]): Promise<Map<number, number>> {
    const wanted = new Set(partitions.map((p) => p.partition));
    return withRetries(this.#cluster.retry, async () => {
      const info = this.#cluster.topic(this.topic) ?? await this.#cluster.describeTopic(this.topic);
      const byLeader = new Map<number, number[]>();
      for (const m of info.partitions) {
        if (!wanted.has(m.partition)) continue;
        if (m.leader < 0) throw new KafkaError(5, `ListOffsets ${this.topic}-${m.partition}`);
        byLeader.set(m.leader, [...(byLeader.get(m.leader) ?? []), m.partition]);
      }
      const result = new Map<number, number>();
      await Promise.all([...byLeader].map(async ([leader, list]) => {
        const response = await this.#cluster.sendToNode(leader, ListOffsets, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [{ name: this.topic, partitions: list.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
        });
        for (const t of response.topics) {
          for (const pr of t.partitions) {
            if (pr.errorCode !== 0) throw new KafkaError(pr.errorCode, `ListOffsets ${this.topic}-${pr.partitionIndex}`);
            result.set(pr.partitionIndex, pr.offset);
          }
        }
      }));
      for (const partition of wanted) {
        if (!result.has(partition)) throw new KafkaError(3, `ListOffsets ${this.topic}-${partition}`);
      }
      return result;
    }, {
      cancelled: () => this.#stopped,
      beforeRetry: async (error) => {
        if (error instanceof KafkaError ? error.staleMetadata : true) await this.#cluster.describeTopic(this.topic);
      },
    });
  }

  #reached(waiter: Waiter): boolean {
    for (const p of this.#partitions) {
      const target = waiter.targets.get(p.partition);
      if (target !== undefined && p.position < target) return false;
    }
    return true;
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((w) => this.#reached(w));
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    const failure = this.#takeListenerError();
    for (const w of ready) {
      if (failure) w.reject(failure.error);
      else w.resolve();
    }
  }

  #rejectWaiters(error: unknown): void {
    for (const w of this.#waiters.splice(0)) w.reject(error);
  }

  #takeListenerError(): { error: unknown } | undefined {
    const failure = this.#listenerError;
    this.#listenerError = undefined;
    return failure;
  }
}
