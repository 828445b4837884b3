/**
 * The state of one transactional id as the coordinator keeps it (exactly-once reference §2.2,
 * §2.3): the producer id/epoch pair, the open transaction's partitions and timestamps, and the
 * transaction state machine with Kafka's state ids (persisted in `__transaction_state`) and
 * names (DescribeTransactions, ListTransactions).
 *
 * Invariants: `partitions` is empty in Empty, CompleteCommit and CompleteAbort;
 * `txnStartTimestamp` is -1 exactly when no transaction was started since the last Complete*.
 * Dead and PrepareEpochFence are never persisted (PrepareEpochFence is turned into PrepareAbort
 * with the bumped epoch before anything is written).
 */

export enum TxnState {
  Empty = 0,
  Ongoing = 1,
  PrepareCommit = 2,
  PrepareAbort = 3,
  CompleteCommit = 4,
  CompleteAbort = 5,
  Dead = 6,
  PrepareEpochFence = 7,
}

export const TXN_STATE_NAMES: Readonly<Record<TxnState, string>> = {
  [TxnState.Empty]: 'Empty',
  [TxnState.Ongoing]: 'Ongoing',
  [TxnState.PrepareCommit]: 'PrepareCommit',
  [TxnState.PrepareAbort]: 'PrepareAbort',
  [TxnState.CompleteCommit]: 'CompleteCommit',
  [TxnState.CompleteAbort]: 'CompleteAbort',
  [TxnState.Dead]: 'Dead',
  [TxnState.PrepareEpochFence]: 'PrepareEpochFence',
};

/** States a transition into the key may start from (§2.3). */
const VALID_PREVIOUS: Readonly<Record<TxnState, readonly TxnState[]>> = {
  [TxnState.Empty]: [TxnState.Empty, TxnState.CompleteCommit, TxnState.CompleteAbort],
  [TxnState.Ongoing]: [TxnState.Ongoing, TxnState.Empty, TxnState.CompleteCommit, TxnState.CompleteAbort],
  [TxnState.PrepareCommit]: [TxnState.Ongoing],
  [TxnState.PrepareAbort]: [TxnState.Ongoing, TxnState.PrepareEpochFence],
  [TxnState.CompleteCommit]: [TxnState.PrepareCommit],
  [TxnState.CompleteAbort]: [TxnState.PrepareAbort],
  [TxnState.Dead]: [TxnState.Empty, TxnState.CompleteAbort, TxnState.CompleteCommit],
  [TxnState.PrepareEpochFence]: [TxnState.Ongoing],
};

export function isValidTransition(from: TxnState, to: TxnState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** Empty, CompleteCommit or CompleteAbort: no transaction is open. */
export function isIdle(state: TxnState): boolean {
  return state === TxnState.Empty || state === TxnState.CompleteCommit || state === TxnState.CompleteAbort;
}

export function isPreparing(state: TxnState): boolean {
  return state === TxnState.PrepareCommit || state === TxnState.PrepareAbort;
}

/** Epochs are int16; Short.MAX_VALUE - 1 is "exhausted", so a fence can always add one. */
export const MAX_USABLE_EPOCH = 32766;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** What one `__transaction_state` value holds (lastProducerEpoch is not persisted). */
export interface TxnSnapshot {
  producerId: number;
  /** Tagged field 0 of value v1; -1 when none. */
  previousProducerId: number;
  /** Tagged field 1 of value v1; -1 when none. */
  nextProducerId: number;
  producerEpoch: number;
  txnTimeoutMs: number;
  state: TxnState;
  /** Sorted by topic, partitions ascending. */
  partitions: TopicPartitions[];
  txnLastUpdateTimestamp: number;
  txnStartTimestamp: number;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

/** Mutable metadata of one transactional id. Transitions go through `TransactionCoordinator`. */
export class TransactionMetadata {
  producerId: number;
  previousProducerId: number;
  nextProducerId: number;
  producerEpoch: number;
  /** Epoch before the last bump by an InitProducerId that named the current epoch; -1 otherwise. */
  lastProducerEpoch = NO_PRODUCER_EPOCH;
  txnTimeoutMs: number;
  state: TxnState;
  /** topic -> partitions of the open transaction (while Prepare*: those still waiting for markers). */
  readonly partitions = new Map<string, Set<number>>();
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
  /** Target state of a transition whose log append is in flight; other requests get CONCURRENT_TRANSACTIONS. */
  pendingState: TxnState | null = null;

  constructor(readonly transactionalId: string, s: TxnSnapshot) {
    this.producerId = s.producerId;
    this.previousProducerId = s.previousProducerId;
    this.nextProducerId = s.nextProducerId;
    this.producerEpoch = s.producerEpoch;
    this.txnTimeoutMs = s.txnTimeoutMs;
    this.state = s.state;
    this.txnStartTimestamp = s.txnStartTimestamp;
    this.txnLastUpdateTimestamp = s.txnLastUpdateTimestamp;
    for (const tp of s.partitions) this.partitions.set(tp.topic, new Set(tp.partitions));
  }

  hasPartition(topic: string, partition: number): boolean {
    return this.partitions.get(topic)?.has(partition) ?? false;
  }

  containsAll(topics: TopicPartitions[]): boolean {
    return topics.every((t) => t.partitions.every((p) => this.hasPartition(t.topic, p)));
  }

  get partitionCount(): number {
    let n = 0;
    for (const s of this.partitions.values()) n += s.size;
    return n;
  }

  snapshot(): TxnSnapshot {
    return {
      producerId: this.producerId,
      previousProducerId: this.previousProducerId,
      nextProducerId: this.nextProducerId,
      producerEpoch: this.producerEpoch,
      txnTimeoutMs: this.txnTimeoutMs,
      state: this.state,
      partitions: sortedPartitions(this.partitions),
      txnLastUpdateTimestamp: this.txnLastUpdateTimestamp,
      txnStartTimestamp: this.txnStartTimestamp,
    };
  }

  /** Applies a transition whose record is durable. */
  apply(target: TxnSnapshot, lastProducerEpoch: number): void {
    if (this.state !== target.state && !isValidTransition(this.state, target.state)) {
      throw new Error(`transactional id ${this.transactionalId}: illegal transition ${TXN_STATE_NAMES[this.state]} -> ${TXN_STATE_NAMES[target.state]}`);
    }
    this.producerId = target.producerId;
    this.previousProducerId = target.previousProducerId;
    this.nextProducerId = target.nextProducerId;
    this.producerEpoch = target.producerEpoch;
    this.lastProducerEpoch = lastProducerEpoch;
    this.txnTimeoutMs = target.txnTimeoutMs;
    this.state = target.state;
    this.txnStartTimestamp = target.txnStartTimestamp;
    this.txnLastUpdateTimestamp = target.txnLastUpdateTimestamp;
    this.partitions.clear();
    for (const tp of target.partitions) this.partitions.set(tp.topic, new Set(tp.partitions));
  }
}

export function sortedPartitions(map: ReadonlyMap<string, ReadonlySet<number>>): TopicPartitions[] {
  return [...map]
    .filter(([, set]) => set.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, set]) => ({ topic, partitions: [...set].sort((a, b) => a - b) }));
}
