/**
 * Decides which offset syncs a MirrorSource task writes, and writes them (connectors.md §6.5).
 *
 * For every record the target acknowledged, the task reports (upstream offset u, downstream
 * offset d) of its partition. A sync is sent at once when the partition has had none in this
 * task's lifetime, when translating with the last sync would be at least `offset.lag.max`
 * behind d, when u does not follow the previous upstream offset (compaction, transaction
 * markers, a seek), or when d went backwards (the target topic was truncated or recreated).
 * Otherwise the newest (u, d) is held back and sent at the next offset commit (`flushDelayed`),
 * so an idle partition still ends with an exact sync.
 *
 * Concurrency: at most MAX_SENDS_IN_FLIGHT sends are outstanding; syncs queued meanwhile wait
 * and all go with the next send. Unlike Java's writer, which keeps only the newest waiting sync
 * per partition, every urgent sync is kept (up to MAX_QUEUED_SYNCS): dropping the older ones
 * during a burst left the early part of a partition without any sync, so a consumer group that
 * was behind could not be translated at all. A failed send is logged and only delays
 * translation: the partition's next report or commit sends a newer sync.
 */
import type { ClusterProducer } from '../../sdk/kafka-clusters.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { encodeOffsetSync, type OffsetSync } from '../records/offset-sync.js';

const MAX_SENDS_IN_FLIGHT = 10;
/** Urgent syncs waiting for a send slot; beyond this the oldest are dropped (translation only gets coarser). */
const MAX_QUEUED_SYNCS = 100_000;

interface PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  /** Downstream offset of the last sync sent (or queued to send) in this lifetime; -1 none. */
  lastSyncDownstream: number;
  previousUpstream: number;
  previousDownstream: number;
}

export class OffsetSyncWriter {
  readonly #producer: ClusterProducer;
  readonly #topic: string;
  readonly #offsetLagMax: number;
  readonly #logger: TaskLogger;
  readonly #progress = new Map<string, PartitionProgress>();
  /** Syncs to send now, in the order they were decided. */
  #pending: OffsetSync[] = [];
  /** Syncs held until the next commit, by partition key. */
  readonly #delayed = new Map<string, OffsetSync>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(producer: ClusterProducer, options: { topic: string; offsetLagMax: number; logger: TaskLogger }) {
    this.#producer = producer;
    this.#topic = options.topic;
    this.#offsetLagMax = options.offsetLagMax;
    this.#logger = options.logger;
  }

  /** Syncs waiting to be sent (now or at the next commit). */
  get queued(): number {
    return this.#pending.length + this.#delayed.size;
  }

  /** A record of `topic`/`partition` at upstream offset `upstream` was written downstream at `downstream`. */
  recordWritten(key: string, topic: string, partition: number, upstream: number, downstream: number): void {
    let progress = this.#progress.get(key);
    if (progress === undefined) {
      progress = { topic, partition, lastSyncDownstream: -1, previousUpstream: -1, previousDownstream: -1 };
      this.#progress.set(key, progress);
    }
    const urgent = progress.lastSyncDownstream === -1
      || downstream - (progress.lastSyncDownstream + 1) >= this.#offsetLagMax
      || upstream !== progress.previousUpstream + 1
      || downstream < progress.previousDownstream;
    progress.previousUpstream = upstream;
    progress.previousDownstream = downstream;
    const sync: OffsetSync = { topic, partition, upstreamOffset: upstream, downstreamOffset: downstream };
    if (urgent) {
      progress.lastSyncDownstream = downstream;
      this.#delayed.delete(key);
      this.#queue(sync);
      this.#sendPending();
    } else {
      this.#delayed.set(key, sync);
    }
  }

  /** At an offset commit: the held-back syncs are sent too. */
  flushDelayed(): void {
    for (const [key, sync] of this.#delayed) {
      this.#queue(sync);
      const progress = this.#progress.get(key);
      if (progress) progress.lastSyncDownstream = sync.downstreamOffset;
    }
    this.#delayed.clear();
    this.#sendPending();
  }

  /** Sends what is pending or delayed and waits for every send; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.flushDelayed();
    while (this.#inFlight.size > 0 || this.#pending.length > 0) {
      if (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
      this.#sendPending();
    }
    this.#closed = true;
  }

  #queue(sync: OffsetSync): void {
    this.#pending.push(sync);
    if (this.#pending.length > MAX_QUEUED_SYNCS) this.#pending.splice(0, this.#pending.length - MAX_QUEUED_SYNCS);
  }

  #sendPending(): void {
    if (this.#closed || this.#pending.length === 0 || this.#inFlight.size >= MAX_SENDS_IN_FLIGHT) return;
    const records = this.#pending.map((sync) => ({ topic: this.#topic, partition: 0, ...encodeOffsetSync(sync) }));
    this.#pending = [];
    const sent: Promise<void> = this.#producer.send(records).then(
      () => undefined,
      (err: unknown) => { this.#logger.warn({ err, topic: this.#topic }, 'Could not write offset syncs; consumer offset translation waits for the next one'); },
    ).finally(() => {
      this.#inFlight.delete(sent);
      this.#sendPending();
    });
    this.#inFlight.add(sent);
  }
}
