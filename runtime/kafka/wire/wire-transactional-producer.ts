/**
 * A transactional producer over the wire client, behaving like Java's KafkaProducer with a
 * transactional.id (its TransactionManager, transaction protocol v1, exactly-once.md §6.1).
 *
 * initTransactions(): FindCoordinator (key type 1) for the transactional id, then
 * InitProducerId(id, transaction.timeout.ms), retried on NOT_COORDINATOR /
 * COORDINATOR_NOT_AVAILABLE (looking the coordinator up again), COORDINATOR_LOAD_IN_PROGRESS and
 * CONCURRENT_TRANSACTIONS (the coordinator is still aborting the previous instance's open
 * transaction). This fences every earlier producer with the same id.
 *
 * beginTransaction() opens a transaction locally. The first records for a partition in each
 * transaction wait until AddPartitionsToTxn has added it (partitions asked for while an add is
 * in flight go in the next request); then they are produced in transactional batches with the
 * producer id, epoch and per-partition sequence numbers (wire-record-producer.ts).
 *
 * commitTransaction() flushes, then sends EndTxn(commit) when anything was added (Java skips
 * it otherwise: an EndTxn for an empty transaction is INVALID_TXN_STATE). abortTransaction()
 * rejects the records not yet sent, waits for those on the wire, and sends EndTxn(abort); after
 * a batch failed for good it then bumps the epoch (InitProducerId with the current producer id
 * and epoch, KIP-360, Kafka 2.5+), as sequence numbers are out of step with the broker.
 *
 * Errors, classified as Java classifies them:
 * - fatal (FatalTransactionError; every later call fails with it; close the producer):
 *   PRODUCER_FENCED and INVALID_PRODUCER_EPOCH (ProducerFencedError),
 *   TRANSACTIONAL_ID_AUTHORIZATION_FAILED (TransactionalIdAuthorizationError), INVALID_TXN_STATE,
 *   any other error InitProducerId, AddPartitionsToTxn or EndTxn does not expect;
 * - abortable (AbortableTransactionError; abortTransaction() and go on): a batch that failed
 *   for good, TOPIC_AUTHORIZATION_FAILED, UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_ID_MAPPING,
 *   TRANSACTION_ABORTABLE, an AddPartitionsToTxn that kept failing until default.api.timeout.ms;
 * - retried until default.api.timeout.ms, then thrown without a state change (the call may be
 *   made again): coordinator errors, CONCURRENT_TRANSACTIONS, broken connections.
 * Records refused because of an error reject with that error; records of an aborted
 * transaction that were not sent reject with TransactionAbortedError; records of a batch the
 * broker refused reject with the fatal error when the refusal is fatal (a Produce answered
 * INVALID_PRODUCER_EPOCH, e.g. after the coordinator aborted a transaction that outlived
 * transaction.timeout.ms, rejects with a ProducerFencedError of code 47), else with the
 * batch's own error.
 *
 * close() does not abort an open transaction: the coordinator aborts it after
 * transaction.timeout.ms, or the next producer with the same id does at initTransactions().
 */
import type { Logger } from 'pino';
import { AddPartitionsToTxn } from '../../../broker/protocol/apis/add-partitions-to-txn.js';
import { EndTxn } from '../../../broker/protocol/apis/end-txn.js';
import { InitProducerId } from '../../../broker/protocol/apis/init-producer-id.js';
import type { ProducerSettings } from '../client-settings.js';
import type { OutgoingRecord, RecordMetadata, TransactionalProducer } from '../kafka-client.js';
import { atCoordinator, byTopic } from './group-offsets.js';
import {
  AbortableTransactionError, FatalTransactionError, isRetriable, KafkaError, ProducerFencedError,
  TransactionalIdAuthorizationError, TransactionStateError,
} from './kafka-error.js';
import type { WireCluster } from './wire-cluster.js';
import { WireRecordProducer, type ProducerTransaction, type TransactionPartition, type WireRecordProducerOptions } from './wire-record-producer.js';

const TOPIC_AUTHORIZATION_FAILED = 29;
const GROUP_AUTHORIZATION_FAILED = 30;
const UNSUPPORTED_VERSION = 35;
const INVALID_PRODUCER_EPOCH = 47;
const INVALID_PRODUCER_ID_MAPPING = 49;
const CONCURRENT_TRANSACTIONS = 51;
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;
const OPERATION_NOT_ATTEMPTED = 55;
const UNKNOWN_PRODUCER_ID = 59;
const PRODUCER_FENCED = 90;
const TRANSACTION_ABORTABLE = 120;
const CLIENT_ADD_PARTITIONS_MAX_VERSION = 3;

/** Errors after which the transaction can still be aborted. */
const ABORTABLE = new Set([TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, OPERATION_NOT_ATTEMPTED, TRANSACTION_ABORTABLE]);
/** Abortable, and the producer id or epoch the broker knows is not ours any more: bump the epoch after the abort. */
const NEEDS_EPOCH_BUMP = new Set([UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_ID_MAPPING]);

/** Records of a transaction that was aborted before they were sent. */
export class TransactionAbortedError extends Error {
  override readonly name = 'TransactionAbortedError';
  readonly retriable = false;
}

/** Retried by the coordinator requests: the usual retriable errors and CONCURRENT_TRANSACTIONS. */
export function retriableAtTransactionCoordinator(error: unknown): boolean {
  return isRetriable(error) || (error instanceof KafkaError && error.code === CONCURRENT_TRANSACTIONS);
}

/** The error a coordinator or produce failure becomes for the user of a transactional producer. */
export function transactionErrorOf(error: unknown, what: string): Error {
  if (error instanceof FatalTransactionError || error instanceof AbortableTransactionError) return error;
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  if (!(error instanceof KafkaError)) {
    return isRetriable(error) ? error as Error : new FatalTransactionError(message, undefined, { cause: error });
  }
  const code = error.code;
  if (code === PRODUCER_FENCED || code === INVALID_PRODUCER_EPOCH) {
    return new ProducerFencedError(`${message} (another producer with the same transactional id has taken over, or the transaction outlived transaction.timeout.ms)`, code, { cause: error });
  }
  if (code === TRANSACTIONAL_ID_AUTHORIZATION_FAILED) return new TransactionalIdAuthorizationError(message, code, { cause: error });
  if (ABORTABLE.has(code) || NEEDS_EPOCH_BUMP.has(code)) return new AbortableTransactionError(message, code, { cause: error });
  if (retriableAtTransactionCoordinator(error)) return error;
  return new FatalTransactionError(message, code, { cause: error });
}

type State = 'uninitialized' | 'initializing' | 'ready' | 'in-transaction' | 'committing' | 'aborting' | 'abortable-error' | 'fatal-error';

export interface WireTransactionalProducerOptions extends Omit<WireRecordProducerOptions, 'transaction'> {
  readonly transactionalId: string;
  /** transaction.timeout.ms */
  readonly transactionTimeoutMs: number;
}

export class WireTransactionalProducer implements TransactionalProducer {
  readonly transactionalId: string;
  readonly #cluster: WireCluster;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #producer: WireRecordProducer;
  #state: State = 'uninitialized';
  #error: Error | undefined;
  #producerId = -1;
  #producerEpoch = -1;
  /** Ordinal of the open (or last) transaction. */
  #ordinal = 0;
  /** Some partition was added to the open transaction (so EndTxn must be sent). */
  #addedAny = false;
  #needsEpochBump = false;
  readonly #toAdd = new Set<TransactionPartition>();
  #adding: Promise<void> | undefined;

  constructor(cluster: WireCluster, settings: ProducerSettings, logger: Logger, options: WireTransactionalProducerOptions) {
    if (options.transactionalId === '') throw new TransactionStateError('transactional.id must not be empty');
    this.transactionalId = options.transactionalId;
    this.#cluster = cluster;
    this.#logger = logger.child({ transactionalId: options.transactionalId });
    this.#timeoutMs = options.transactionTimeoutMs;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the sender reads the transaction's current ids through this view
    const self = this;
    const transaction: ProducerTransaction = {
      transactionalId: options.transactionalId,
      get producerId() { return self.#producerId; },
      get producerEpoch() { return self.#producerEpoch; },
      get ordinal() { return self.#ordinal; },
      refusal: () => this.#refusal(),
      admit: (partition) => this.#admit(partition),
      batchFailed: (error) => this.#batchFailed(error),
    };
    this.#producer = new WireRecordProducer(cluster, { ...settings, idempotent: true }, logger, { ...options, transaction });
  }

  /** The producer id and epoch from InitProducerId (-1 before). */
  get producerIdAndEpoch(): { readonly producerId: number; readonly epoch: number } {
    return { producerId: this.#producerId, epoch: this.#producerEpoch };
  }

  async initTransactions(): Promise<void> {
    this.#throwIfFatal();
    if (this.#state !== 'uninitialized') throw new TransactionStateError(`initTransactions() was already called (state ${this.#state})`);
    this.#state = 'initializing';
    try {
      await this.#initProducerId(false);
      this.#state = 'ready';
    } catch (error) {
      this.#state = 'uninitialized';
      throw this.#failed(error, 'InitProducerId');
    }
  }

  beginTransaction(): void {
    this.#throwIfFatal();
    if (this.#state !== 'ready') throw new TransactionStateError(`beginTransaction() needs a producer with no open transaction (state ${this.#state})`);
    this.#ordinal++;
    this.#addedAny = false;
    this.#state = 'in-transaction';
  }

  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    return this.#producer.send(records);
  }

  flush(): Promise<void> {
    return this.#producer.flush();
  }

  async commitTransaction(): Promise<void> {
    this.#throwIfFatal();
    if (this.#state === 'abortable-error') throw this.#error!;
    if (this.#state !== 'in-transaction') throw new TransactionStateError(`commitTransaction() needs an open transaction (state ${this.#state})`);
    this.#state = 'committing';
    await this.#producer.flush();
    await this.#adding;
    if (this.#error) throw this.#error;
    try {
      if (this.#addedAny) await this.#endTxn(true);
      this.#state = 'ready';
    } catch (error) {
      if (this.#state === 'committing') this.#state = 'in-transaction';
      throw this.#failed(error, 'EndTxn(commit)');
    }
  }

  async abortTransaction(): Promise<void> {
    this.#throwIfFatal();
    const before = this.#state;
    if (before !== 'in-transaction' && before !== 'abortable-error') {
      throw new TransactionStateError(`abortTransaction() needs an open transaction (state ${before})`);
    }
    this.#state = 'aborting';
    this.#producer.failUnsent(new TransactionAbortedError(`the transaction of ${this.transactionalId} was aborted before these records were sent`));
    try {
      await this.#producer.flush();
      await this.#adding;
      this.#throwIfFatal();
      if (this.#addedAny) await this.#endTxn(false);
      if (this.#needsEpochBump) {
        await this.#initProducerId(true);
        this.#producer.resetSequences();
        this.#needsEpochBump = false;
      }
      this.#error = undefined;
      this.#state = 'ready';
    } catch (error) {
      if (this.#state === 'aborting') this.#state = before;
      throw this.#failed(error, 'EndTxn(abort)');
    }
  }

  /** Does not abort an open transaction (see the header). */
  close(): Promise<void> {
    return this.#producer.close();
  }

  #throwIfFatal(): void {
    if (this.#state === 'fatal-error') throw this.#error!;
  }

  #refusal(): Error | undefined {
    switch (this.#state) {
      case 'in-transaction': return undefined;
      case 'abortable-error': case 'fatal-error': return this.#error;
      case 'uninitialized': case 'initializing': return new TransactionStateError('call initTransactions() before sending records');
      default: return new TransactionStateError(`records can only be sent in an open transaction (state ${this.#state}): call beginTransaction() first`);
    }
  }

  /** Classifies `error`; a fatal one ends the producer, an abortable one the transaction. Returns what to throw. */
  #failed(error: unknown, what: string): Error {
    const failure = transactionErrorOf(error, `${what} for transactional id ${this.transactionalId}`);
    if (failure instanceof FatalTransactionError) {
      if (this.#state !== 'fatal-error') {
        this.#state = 'fatal-error';
        this.#error = failure;
        this.#logger.error({ err: failure }, 'transactional producer failed; it must be closed');
        this.#producer.failUnsent(failure);
      }
      return this.#error!;
    }
    if (failure instanceof AbortableTransactionError) {
      if (failure.code !== undefined && NEEDS_EPOCH_BUMP.has(failure.code)) this.#needsEpochBump = true;
      if (this.#state === 'in-transaction' || this.#state === 'committing') {
        this.#state = 'abortable-error';
        this.#error = failure;
        this.#logger.warn({ err: failure }, 'the transaction must be aborted');
        this.#producer.failUnsent(failure);
      }
      return this.#error ?? failure;
    }
    return failure;
  }

  /** The records of a fenced (or unauthorized) producer reject with its fatal error; others with the batch's own. */
  #batchFailed(error: Error): Error {
    if (error instanceof TransactionAbortedError) return error;
    if (error instanceof KafkaError && (error.code === UNSUPPORTED_VERSION || error.code === TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      || error.code === PRODUCER_FENCED || error.code === INVALID_PRODUCER_EPOCH)) {
      return this.#failed(error, 'Produce');
    }
    // Whatever else failed a batch for good left the partition's sequence numbers out of step.
    this.#needsEpochBump = true;
    this.#failed(new AbortableTransactionError(`a batch of transactional id ${this.transactionalId} could not be written: ${error.message}`,
      error instanceof KafkaError ? error.code : undefined, { cause: error }), 'Produce');
    return error;
  }

  #admit(partition: TransactionPartition): void {
    if (this.#state !== 'in-transaction' && this.#state !== 'committing') return;
    this.#toAdd.add(partition);
    this.#adding ??= this.#addPartitions().finally(() => { this.#adding = undefined; });
  }

  async #addPartitions(): Promise<void> {
    while (this.#toAdd.size > 0) {
      const ordinal = this.#ordinal;
      const partitions = [...this.#toAdd];
      this.#toAdd.clear();
      try {
        await this.#atCoordinator(async (node) => {
          const connection = await this.#cluster.nodeConnection(node);
          // v4+ is the brokers' batched form; clients send v0-3, as Java's do.
          const version = Math.min(connection.versionFor(AddPartitionsToTxn), CLIENT_ADD_PARTITIONS_MAX_VERSION);
          const response = await connection.send(AddPartitionsToTxn, {
            v3AndBelowTransactionalId: this.transactionalId,
            v3AndBelowProducerId: this.#producerId,
            v3AndBelowProducerEpoch: this.#producerEpoch,
            v3AndBelowTopics: byTopic(partitions.map((p) => ({ topic: p.topic.name, partition: p.partition })))
              .map(([name, list]) => ({ name, partitions: list.map((p) => p.partition) })),
          }, { version });
          let firstError: { code: number; where: string } | undefined;
          for (const t of response.resultsByTopicV3AndBelow) {
            for (const p of t.resultsByPartition) {
              const code = p.partitionErrorCode;
              // OPERATION_NOT_ATTEMPTED only says another partition of the request failed.
              if (code !== 0 && (firstError === undefined || firstError.code === OPERATION_NOT_ATTEMPTED)) firstError = { code, where: `${t.name}-${p.partitionIndex}` };
            }
          }
          if (firstError) throw new KafkaError(firstError.code, `AddPartitionsToTxn ${firstError.where}`);
        });
      } catch (error) {
        if (ordinal !== this.#ordinal) continue;
        const failure = transactionErrorOf(error, `AddPartitionsToTxn for transactional id ${this.transactionalId}`);
        // A coordinator that stays away fails the transaction, not the producer (Java: abortable).
        this.#failed(failure instanceof FatalTransactionError || failure instanceof AbortableTransactionError
          ? failure : new AbortableTransactionError(failure.message, undefined, { cause: failure }), 'AddPartitionsToTxn');
        return;
      }
      if (ordinal !== this.#ordinal) continue;
      for (const p of partitions) p.addedIn = ordinal;
      this.#addedAny = true;
      this.#producer.wakeSender();
    }
  }

  async #endTxn(committed: boolean): Promise<void> {
    await this.#atCoordinator(async (node) => {
      const response = await this.#cluster.sendToNode(node, EndTxn, {
        transactionalId: this.transactionalId, producerId: this.#producerId, producerEpoch: this.#producerEpoch, committed,
      });
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, `EndTxn(${committed ? 'commit' : 'abort'})`);
    });
    this.#addedAny = false;
  }

  /** InitProducerId for the transactional id; `bump`: as the current producer id and epoch (KIP-360). */
  async #initProducerId(bump: boolean): Promise<void> {
    const answer = await this.#atCoordinator(async (node) => {
      const connection = await this.#cluster.nodeConnection(node);
      const version = connection.versionFor(InitProducerId);
      if (bump && version < 3) {
        throw new FatalTransactionError('the producer epoch cannot be bumped after a failed batch: the broker does not support InitProducerId v3 (Kafka 2.5+)');
      }
      const response = await connection.send(InitProducerId, {
        transactionalId: this.transactionalId,
        transactionTimeoutMs: this.#timeoutMs,
        producerId: bump ? this.#producerId : -1,
        producerEpoch: bump ? this.#producerEpoch : -1,
      }, { version });
      if (response.errorCode !== 0) throw new KafkaError(response.errorCode, 'InitProducerId');
      return response;
    });
    this.#producerId = answer.producerId;
    this.#producerEpoch = answer.producerEpoch;
    this.#logger.debug({ producerId: answer.producerId, epoch: answer.producerEpoch }, 'transactional producer initialized');
  }

  #atCoordinator<T>(attempt: (node: number) => Promise<T>): Promise<T> {
    return atCoordinator(this.#cluster, this.transactionalId, attempt, { kind: 'transaction', shouldRetry: retriableAtTransactionCoordinator });
  }
}
