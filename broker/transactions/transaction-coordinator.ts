/**
 * The transaction coordinator of the single-node broker (exactly-once reference §2): one
 * TransactionMetadata per transactional id, persisted in `__transaction_state`, and the
 * decision tables of InitProducerId (§2.5), AddPartitionsToTxn/AddOffsetsToTxn (§2.6) and
 * EndTxn (§2.7), plus produce verification (§2.8), timeouts and id expiration (§2.9) and the
 * read-only views (§2.10). Transaction protocol v1 only (no epoch bump per transaction).
 *
 * Discipline: every transition is prepared in memory (`pendingState` set), appended to the
 * store, and applied only once the append succeeded; a request that finds a pending state gets
 * CONCURRENT_TRANSACTIONS. Ending a transaction is PrepareCommit/PrepareAbort (durable) →
 * one marker per partition of the transaction (offsets partitions included) → CompleteCommit/
 * CompleteAbort, all before EndTxn is answered, so the producer's next transaction never meets
 * CONCURRENT_TRANSACTIONS. While the markers are written the state is Prepare*, which every
 * other request answers with CONCURRENT_TRANSACTIONS.
 *
 * Concurrency: all decisions run synchronously on the event loop between awaits; after an
 * await, code only touches the metadata it holds, whose Prepare* or pending state keeps other
 * requests out. A restart finds Prepare* transactions in the log and finishes them in
 * `completePrepared` before clients are served; Ongoing ones are aborted by the timeout scan
 * once their (persisted) start time plus timeout has passed.
 *
 * Fencing: InitProducerId against an Ongoing transaction and the timeout scan bump the epoch
 * and abort with the bumped epoch (PrepareEpochFence → PrepareAbort), so markers carry the new
 * epoch and the old producer is refused on every partition of the transaction.
 */
import { ERR } from '../protocol/error-codes.js';
import { systemTimers, type TimerHandle, type Timers } from '../groups/timers.js';
import { decodeTxnRecord } from './transaction-log.js';
import {
  MAX_USABLE_EPOCH, NO_PRODUCER_EPOCH, TXN_STATE_NAMES, TransactionMetadata, TxnState, isIdle, isPreparing,
  sortedPartitions, type TopicPartitions, type TxnSnapshot,
} from './transaction-state.js';
import type { StoredTxnRecord, TransactionStore } from './transaction-store.js';

/** Not in ferry's shared table: verification's "not in the transaction" (Produce < 11 gets INVALID_TXN_STATE). */
export const TRANSACTION_ABORTABLE = 120;
/** One node: the coordinator epoch never changes, so every marker carries the same one. */
export const COORDINATOR_EPOCH = 0;
const MARKER_RETRY_MS = 1000;

export interface TransactionCoordinatorConfig {
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms */
  transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  abortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms */
  removeExpiredTransactionalIdCleanupIntervalMs: number;
  /** offsets.topic.num.partitions: AddOffsetsToTxn adds partition partitionFor(group) of __consumer_offsets. */
  offsetsTopicPartitions: number;
}

export const DEFAULT_TRANSACTION_COORDINATOR_CONFIG: TransactionCoordinatorConfig = {
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  abortTimedOutTransactionCleanupIntervalMs: 10_000,
  removeExpiredTransactionalIdCleanupIntervalMs: 3_600_000,
  offsetsTopicPartitions: 50,
};

/** Appends the transaction markers (control batches) to the partitions. */
export interface MarkerWriter {
  /** Resolves with 0 once the marker is in the partition, else the partition's error code. */
  writeMarker(topic: string, partition: number, producerId: number, producerEpoch: number, commit: boolean,
    coordinatorEpoch: number): Promise<number>;
}

export interface TransactionLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface TransactionCoordinatorOptions {
  store: TransactionStore;
  markers: MarkerWriter;
  /** Unique producer ids (the broker's persisted allocator). */
  producerIds: { allocate(): number };
  config?: Partial<TransactionCoordinatorConfig>;
  clock?: () => number;
  timers?: Timers;
  logger?: TransactionLogger;
  /**
   * Test seam: called once a PrepareCommit/PrepareAbort record is durable and before any marker
   * is written; the markers wait for the returned promise. Crash tests use it to stop a broker
   * with a transaction in Prepare*. Not set in production.
   */
  beforeMarkers?: (transactionalId: string, state: 'PrepareCommit' | 'PrepareAbort') => Promise<void> | void;
}

export interface InitProducerIdResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export interface DescribedTransaction {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

export interface ListedTransactions {
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: { transactionalId: string; producerId: number; transactionState: string }[];
}

const NO_LOGGER: TransactionLogger = { info() {}, warn() {} };

function failed(errorCode: number): InitProducerIdResult {
  return { errorCode, producerId: -1, producerEpoch: -1 };
}

/** Store append errors as the coordinator answers them (§2.4). */
function appendError(err: unknown): number {
  const code = (err as { errorCode?: unknown }).errorCode;
  if (code === ERR.KAFKA_STORAGE_ERROR || code === ERR.NOT_LEADER_OR_FOLLOWER) return ERR.NOT_COORDINATOR;
  if (code === ERR.MESSAGE_TOO_LARGE) return ERR.UNKNOWN_SERVER_ERROR;
  return ERR.COORDINATOR_NOT_AVAILABLE;
}

export class TransactionCoordinator {
  private readonly store: TransactionStore;
  private readonly markers: MarkerWriter;
  private readonly producerIds: { allocate(): number };
  private readonly config: TransactionCoordinatorConfig;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly logger: TransactionLogger;
  private readonly beforeMarkers: TransactionCoordinatorOptions['beforeMarkers'];
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly timerHandles = new Set<TimerHandle>();
  /** Resolvers of marker-retry pauses, run on close so no EndTxn waits forever. */
  private readonly wakeups = new Set<() => void>();
  private closed = false;

  constructor(options: TransactionCoordinatorOptions) {
    this.store = options.store;
    this.markers = options.markers;
    this.producerIds = options.producerIds;
    this.config = { ...DEFAULT_TRANSACTION_COORDINATOR_CONFIG, ...options.config };
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? NO_LOGGER;
    this.beforeMarkers = options.beforeMarkers;
  }

  // ---------------------------------------------------------------- loading

  /**
   * Rebuilds the metadata from the store's records in append order (last value per id wins,
   * tombstones delete, unknown key versions are skipped; an unknown value version throws).
   * Call before serving; then `completePrepared` and `start`.
   */
  loadFrom(records: Iterable<StoredTxnRecord>): { transactionalIds: number; skippedRecords: number } {
    const latest = new Map<string, TxnSnapshot | null>();
    let skippedRecords = 0;
    for (const r of records) {
      const decoded = decodeTxnRecord(r.key, r.value);
      if (decoded.type === 'unknown') {
        skippedRecords++;
        continue;
      }
      latest.set(decoded.transactionalId, decoded.value);
    }
    this.txns.clear();
    for (const [id, value] of latest) if (value !== null) this.txns.set(id, new TransactionMetadata(id, value));
    return { transactionalIds: this.txns.size, skippedRecords };
  }

  /** Writes the markers of every transaction found in PrepareCommit/PrepareAbort and completes it. */
  async completePrepared(): Promise<number> {
    const prepared = [...this.txns.values()].filter((md) => isPreparing(md.state));
    for (const md of prepared) {
      this.logger.info({ transactionalId: md.transactionalId, state: TXN_STATE_NAMES[md.state] }, 'completing a prepared transaction found on start');
      await this.finishPrepared(md);
    }
    return prepared.length;
  }

  /** Starts the periodic scans (timed-out transactions, expired transactional ids). */
  start(): void {
    this.every(this.config.abortTimedOutTransactionCleanupIntervalMs, () => this.abortTimedOutTransactions());
    this.every(this.config.removeExpiredTransactionalIdCleanupIntervalMs, () => this.expireTransactionalIds());
  }

  close(): void {
    this.closed = true;
    for (const wake of [...this.wakeups]) wake();
    for (const h of this.timerHandles) this.timers.clearTimeout(h);
    this.timerHandles.clear();
  }

  private every(ms: number, task: () => Promise<unknown>): void {
    if (ms <= 0 || this.closed) return;
    const handle = this.timers.setTimeout(() => {
      this.timerHandles.delete(handle);
      if (this.closed) return;
      void task().catch((err: unknown) => this.logger.warn({ err }, 'transaction coordinator scan failed'))
        .finally(() => this.every(ms, task));
    }, ms);
    this.timerHandles.add(handle);
  }

  // ---------------------------------------------------------------- InitProducerId (§2.5)

  /**
   * InitProducerId for a non-null transactional id. `producerId`/`producerEpoch` are the
   * expected pair of a KIP-360 resume (-1/-1 when absent; exactly one of them -1 is the
   * caller's INVALID_REQUEST). Answers PRODUCER_FENCED; the handler down-converts it.
   */
  async initProducerId(transactionalId: string, transactionTimeoutMs: number, producerId: number, producerEpoch: number): Promise<InitProducerIdResult> {
    if (this.closed) return failed(ERR.COORDINATOR_NOT_AVAILABLE);
    if (transactionalId === '') return failed(ERR.INVALID_REQUEST);
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > this.config.transactionMaxTimeoutMs) {
      return failed(ERR.INVALID_TRANSACTION_TIMEOUT);
    }
    const now = this.clock();
    let md = this.txns.get(transactionalId);
    if (!md) {
      md = new TransactionMetadata(transactionalId, {
        producerId: this.producerIds.allocate(), previousProducerId: -1, nextProducerId: -1, producerEpoch: NO_PRODUCER_EPOCH,
        txnTimeoutMs: transactionTimeoutMs, state: TxnState.Empty, partitions: [], txnLastUpdateTimestamp: now, txnStartTimestamp: -1,
      });
      this.txns.set(transactionalId, md);
    }
    if (md.pendingState !== null) return failed(ERR.CONCURRENT_TRANSACTIONS);
    const expected = producerId >= 0 ? { producerId, producerEpoch } : null;
    if (expected && !(md.producerEpoch === NO_PRODUCER_EPOCH || expected.producerId === md.producerId
      || (expected.producerId === md.previousProducerId && expected.producerEpoch >= MAX_USABLE_EPOCH))) {
      return failed(ERR.PRODUCER_FENCED);
    }
    if (isPreparing(md.state)) return failed(ERR.CONCURRENT_TRANSACTIONS);
    if (md.state === TxnState.Ongoing) {
      // Row 15: fence the current producer and abort its transaction with the bumped epoch;
      // the client retries and gets its own bump once the abort is complete.
      const error = await this.fenceAndAbort(md);
      return failed(error === ERR.NONE ? ERR.CONCURRENT_TRANSACTIONS : error);
    }
    if (!isIdle(md.state)) return failed(ERR.UNKNOWN_SERVER_ERROR);

    const base = { ...md.snapshot(), txnTimeoutMs: transactionTimeoutMs, state: TxnState.Empty, partitions: [],
      txnStartTimestamp: -1, txnLastUpdateTimestamp: now };
    let target: TxnSnapshot;
    let lastEpoch: number;
    if (md.producerEpoch >= MAX_USABLE_EPOCH && (!expected || expected.producerEpoch === md.producerEpoch)) {
      // Row 10: epoch exhausted, rotate the producer id.
      target = { ...base, producerId: this.producerIds.allocate(), previousProducerId: md.producerId, producerEpoch: 0 };
      lastEpoch = expected ? md.producerEpoch : NO_PRODUCER_EPOCH;
    } else if (!expected) {
      target = { ...base, producerEpoch: md.producerEpoch + 1 };
      lastEpoch = NO_PRODUCER_EPOCH;
    } else if (expected.producerEpoch === md.producerEpoch || md.producerEpoch === NO_PRODUCER_EPOCH) {
      target = { ...base, producerEpoch: md.producerEpoch + 1 };
      lastEpoch = md.producerEpoch;
    } else if (expected.producerEpoch === md.lastProducerEpoch) {
      return { errorCode: ERR.NONE, producerId: md.producerId, producerEpoch: md.producerEpoch };
    } else {
      return failed(ERR.PRODUCER_FENCED);
    }
    const error = await this.transition(md, target, lastEpoch);
    if (error !== ERR.NONE) return failed(error);
    return { errorCode: ERR.NONE, producerId: md.producerId, producerEpoch: md.producerEpoch };
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn / AddOffsetsToTxn (§2.6)

  /** Adds partitions to the producer's transaction (Empty/Complete* → Ongoing). */
  async addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: TopicPartitions[]): Promise<number> {
    if (this.closed) return ERR.COORDINATOR_NOT_AVAILABLE;
    const md = this.txns.get(transactionalId);
    if (!md || md.producerId !== producerId) return ERR.INVALID_PRODUCER_ID_MAPPING;
    if (md.producerEpoch !== producerEpoch) return ERR.PRODUCER_FENCED;
    if (md.pendingState !== null || isPreparing(md.state)) return ERR.CONCURRENT_TRANSACTIONS;
    if (md.state === TxnState.Ongoing && md.containsAll(partitions)) return ERR.NONE;
    const union = new Map<string, Set<number>>();
    for (const [topic, set] of md.partitions) union.set(topic, new Set(set));
    for (const tp of partitions) {
      const set = union.get(tp.topic) ?? new Set<number>();
      for (const p of tp.partitions) set.add(p);
      union.set(tp.topic, set);
    }
    const now = this.clock();
    return this.transition(md, {
      ...md.snapshot(),
      state: TxnState.Ongoing,
      partitions: sortedPartitions(union),
      txnStartTimestamp: isIdle(md.state) ? now : md.txnStartTimestamp,
      txnLastUpdateTimestamp: now,
    }, md.lastProducerEpoch);
  }

  // ---------------------------------------------------------------- EndTxn (§2.7)

  async endTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): Promise<number> {
    if (this.closed) return ERR.COORDINATOR_NOT_AVAILABLE;
    const md = this.txns.get(transactionalId);
    if (!md || md.producerId !== producerId) return ERR.INVALID_PRODUCER_ID_MAPPING;
    if (md.producerEpoch !== producerEpoch) return ERR.PRODUCER_FENCED;
    if (md.pendingState !== null) return ERR.CONCURRENT_TRANSACTIONS;
    switch (md.state) {
      case TxnState.Ongoing: {
        const state = commit ? TxnState.PrepareCommit : TxnState.PrepareAbort;
        const error = await this.transition(md, { ...md.snapshot(), state, txnLastUpdateTimestamp: this.clock() }, md.lastProducerEpoch);
        if (error !== ERR.NONE) return error;
        await this.finishPrepared(md);
        return ERR.NONE;
      }
      case TxnState.CompleteCommit:
        return commit ? ERR.NONE : ERR.INVALID_TXN_STATE;
      case TxnState.CompleteAbort:
        return commit ? ERR.INVALID_TXN_STATE : ERR.NONE;
      case TxnState.PrepareCommit:
        return commit ? ERR.CONCURRENT_TRANSACTIONS : ERR.INVALID_TXN_STATE;
      case TxnState.PrepareAbort:
        return commit ? ERR.INVALID_TXN_STATE : ERR.CONCURRENT_TRANSACTIONS;
      case TxnState.Empty:
        return ERR.INVALID_TXN_STATE;
      default:
        return ERR.UNKNOWN_SERVER_ERROR;
    }
  }

  // ---------------------------------------------------------------- verification (§2.8)

  /**
   * May a transactional write of (producerId, producerEpoch) start on this partition? NONE when
   * the partition is in the id's Ongoing transaction; otherwise INVALID_PRODUCER_ID_MAPPING,
   * PRODUCER_FENCED, CONCURRENT_TRANSACTIONS (Prepare*) or TRANSACTION_ABORTABLE. Callers map
   * these to their API's codes.
   */
  verify(transactionalId: string, producerId: number, producerEpoch: number, topic: string, partition: number): number {
    if (this.closed) return ERR.COORDINATOR_NOT_AVAILABLE;
    const md = this.txns.get(transactionalId);
    if (!md || md.producerId !== producerId) return ERR.INVALID_PRODUCER_ID_MAPPING;
    if (md.producerEpoch !== producerEpoch) return ERR.PRODUCER_FENCED;
    if (isPreparing(md.state)) return ERR.CONCURRENT_TRANSACTIONS;
    if (md.state === TxnState.Ongoing && md.hasPartition(topic, partition)) return ERR.NONE;
    return TRANSACTION_ABORTABLE;
  }

  // ---------------------------------------------------------------- timeouts and expiration (§2.9)

  /** Aborts, with an epoch bump, every Ongoing transaction older than its timeout. Returns how many. */
  async abortTimedOutTransactions(): Promise<number> {
    const now = this.clock();
    const expired = [...this.txns.values()].filter((md) => md.state === TxnState.Ongoing && md.pendingState === null
      && md.txnStartTimestamp + md.txnTimeoutMs < now);
    for (const md of expired) {
      this.logger.info({ transactionalId: md.transactionalId, producerId: md.producerId, timeoutMs: md.txnTimeoutMs },
        'aborting a transaction that exceeded its timeout');
      await this.fenceAndAbort(md);
    }
    return expired.length;
  }

  /** Forgets ids idle in Empty/Complete* for transactional.id.expiration.ms (tombstone first). */
  async expireTransactionalIds(): Promise<number> {
    const now = this.clock();
    let n = 0;
    for (const md of [...this.txns.values()]) {
      if (!isIdle(md.state) || md.pendingState !== null) continue;
      if (md.txnLastUpdateTimestamp + this.config.transactionalIdExpirationMs > now) continue;
      md.pendingState = TxnState.Dead;
      try {
        await this.store.append(md.transactionalId, null);
        if (this.txns.get(md.transactionalId) === md) this.txns.delete(md.transactionalId);
        n++;
      } catch (err) {
        this.logger.warn({ err, transactionalId: md.transactionalId }, 'could not expire a transactional id');
      } finally {
        md.pendingState = null;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- read-only views (§2.10)

  describe(transactionalIds: string[]): DescribedTransaction[] {
    return transactionalIds.map((transactionalId) => {
      const base = {
        transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1,
        producerEpoch: -1, topics: [],
      };
      if (this.closed) return { ...base, errorCode: ERR.COORDINATOR_NOT_AVAILABLE };
      if (transactionalId === '') return { ...base, errorCode: ERR.INVALID_REQUEST };
      const md = this.txns.get(transactionalId);
      if (!md || md.state === TxnState.Dead) return { ...base, errorCode: ERR.TRANSACTIONAL_ID_NOT_FOUND };
      return {
        errorCode: ERR.NONE,
        transactionalId,
        transactionState: TXN_STATE_NAMES[md.state],
        transactionTimeoutMs: md.txnTimeoutMs,
        transactionStartTimeMs: md.txnStartTimestamp,
        producerId: md.producerId,
        producerEpoch: md.producerEpoch,
        topics: sortedPartitions(md.partitions),
      };
    });
  }

  list(stateFilters: string[], producerIdFilters: number[], durationFilterMs = -1): ListedTransactions {
    if (this.closed) return { errorCode: ERR.COORDINATOR_NOT_AVAILABLE, unknownStateFilters: [], transactionStates: [] };
    const known = new Set(Object.values(TXN_STATE_NAMES));
    const unknownStateFilters = stateFilters.filter((s) => !known.has(s));
    const states = new Set(stateFilters);
    const pids = new Set(producerIdFilters);
    const now = this.clock();
    const transactionStates = [...this.txns.values()]
      .filter((md) => md.state !== TxnState.Dead)
      .filter((md) => states.size === 0 || states.has(TXN_STATE_NAMES[md.state]))
      .filter((md) => pids.size === 0 || pids.has(md.producerId))
      .filter((md) => durationFilterMs < 0 || (md.txnStartTimestamp >= 0 && now - md.txnStartTimestamp > durationFilterMs))
      .map((md) => ({ transactionalId: md.transactionalId, producerId: md.producerId, transactionState: TXN_STATE_NAMES[md.state] }));
    return { errorCode: ERR.NONE, unknownStateFilters, transactionStates };
  }

  /** The id's current state name, or undefined when unknown (tests, metrics). */
  stateOf(transactionalId: string): string | undefined {
    const md = this.txns.get(transactionalId);
    return md ? TXN_STATE_NAMES[md.state] : undefined;
  }

  // ---------------------------------------------------------------- transitions

  /** Prepare → append → apply. Returns the append's error as the coordinator answers it. */
  private async transition(md: TransactionMetadata, target: TxnSnapshot, lastProducerEpoch: number): Promise<number> {
    md.pendingState = target.state;
    try {
      await this.store.append(md.transactionalId, target);
    } catch (err) {
      md.pendingState = null;
      this.logger.warn({ err, transactionalId: md.transactionalId }, 'transaction state append failed');
      return appendError(err);
    }
    md.pendingState = null;
    if (this.closed) return ERR.NOT_COORDINATOR;
    md.apply(target, lastProducerEpoch);
    return ERR.NONE;
  }

  /** Ongoing → (PrepareEpochFence) → PrepareAbort with epoch + 1 → markers → CompleteAbort. */
  private async fenceAndAbort(md: TransactionMetadata): Promise<number> {
    const epoch = md.producerEpoch < 32767 ? md.producerEpoch + 1 : md.producerEpoch;
    const error = await this.transition(md, {
      ...md.snapshot(), producerEpoch: epoch, state: TxnState.PrepareAbort, txnLastUpdateTimestamp: this.clock(),
    }, NO_PRODUCER_EPOCH);
    if (error !== ERR.NONE) return error;
    await this.finishPrepared(md);
    return ERR.NONE;
  }

  /**
   * Writes the markers of a Prepare* transaction to every partition still waiting for one, then
   * writes Complete*. A partition whose log refuses the marker's epoch (a newer epoch is already
   * there) makes the coordinator give up: the transaction stays in Prepare* (§2.7). Other
   * failures are retried every second until they succeed or the coordinator closes.
   */
  private async finishPrepared(md: TransactionMetadata): Promise<void> {
    const commit = md.state === TxnState.PrepareCommit;
    await this.beforeMarkers?.(md.transactionalId, commit ? 'PrepareCommit' : 'PrepareAbort');
    for (;;) {
      let retry = false;
      for (const [topic, set] of [...md.partitions]) {
        for (const partition of [...set]) {
          if (this.closed) return;
          const code = await this.markers.writeMarker(topic, partition, md.producerId, md.producerEpoch, commit, COORDINATOR_EPOCH);
          if (code === ERR.NONE || code === ERR.UNKNOWN_TOPIC_OR_PARTITION) {
            set.delete(partition);
            if (set.size === 0) md.partitions.delete(topic);
          } else if (code === ERR.INVALID_PRODUCER_EPOCH || code === ERR.TRANSACTION_COORDINATOR_FENCED) {
            this.logger.warn({ transactionalId: md.transactionalId, topic, partition, code }, 'marker refused; leaving the transaction prepared');
            return;
          } else {
            this.logger.warn({ transactionalId: md.transactionalId, topic, partition, code }, 'marker write failed; will retry');
            retry = true;
          }
        }
      }
      if (!retry) {
        if (await this.complete(md, commit)) return;
      }
      if (this.closed) return;
      await this.pause(MARKER_RETRY_MS);
    }
  }

  /** Resolves after `ms`, or at once when the coordinator closes. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.timers.clearTimeout(h);
        this.timerHandles.delete(h);
        this.wakeups.delete(done);
        resolve();
      };
      const h = this.timers.setTimeout(done, ms);
      this.timerHandles.add(h);
      this.wakeups.add(done);
    });
  }

  private async complete(md: TransactionMetadata, commit: boolean): Promise<boolean> {
    const error = await this.transition(md, {
      ...md.snapshot(),
      state: commit ? TxnState.CompleteCommit : TxnState.CompleteAbort,
      partitions: [],
      txnLastUpdateTimestamp: this.clock(),
    }, md.lastProducerEpoch);
    return error === ERR.NONE || this.closed;
  }
}
