/**
 * Fencing transactional producers, as Java's Admin.fenceProducers does it
 * (FenceProducersHandler, exactly-once.md §7.6): per transactional id, FindCoordinator (key
 * type 1), then InitProducerId(id, producer id -1, epoch -1). The coordinator bumps the id's
 * epoch (and aborts its open transaction), so the live producer's next AddPartitionsToTxn,
 * Produce or EndTxn fails with PRODUCER_FENCED. An id the coordinator has never seen gets a
 * producer id of its own, which fences whoever uses the id later as much as nothing does.
 *
 * Retried until default.api.timeout.ms: COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and
 * COORDINATOR_NOT_AVAILABLE (looking the coordinator up again), broken connections, and
 * CONCURRENT_TRANSACTIONS (answered while the coordinator aborts the open transaction; Kafka
 * 3.7.1+ retries it too, KAFKA-16570). The transaction timeout sent is the admin's
 * request.timeout.ms (Kafka 3.7.1+; earlier clients sent 1 ms, KAFKA-16047).
 */
import { InitProducerId } from '../../../broker/protocol/apis/init-producer-id.js';
import { atCoordinator } from './group-offsets.js';
import { KafkaError } from './kafka-error.js';
import type { WireCluster } from './wire-cluster.js';
import { retriableAtTransactionCoordinator, transactionErrorOf } from './wire-transactional-producer.js';

export interface FencedProducer {
  readonly transactionalId: string;
  readonly producerId: number;
  /** The epoch the id now has; producers with a lower one are fenced. */
  readonly epoch: number;
}

/**
 * Fences every id in parallel; resolves once all are fenced, or rejects with the first id's
 * failure (a TransactionalIdAuthorizationError, or the KafkaError / connection error that
 * outlasted the retries) after every id was tried.
 */
export async function fenceProducers(
  cluster: WireCluster, transactionalIds: readonly string[], options: { readonly transactionTimeoutMs: number },
): Promise<FencedProducer[]> {
  const outcomes = await Promise.allSettled(transactionalIds.map((id) => atCoordinator(cluster, id, async (node) => {
    const response = await cluster.sendToNode(node, InitProducerId, {
      transactionalId: id, transactionTimeoutMs: options.transactionTimeoutMs, producerId: -1, producerEpoch: -1,
    });
    if (response.errorCode !== 0) throw new KafkaError(response.errorCode, 'InitProducerId');
    return { transactionalId: id, producerId: response.producerId, epoch: response.producerEpoch };
  }, { kind: 'transaction', shouldRetry: retriableAtTransactionCoordinator })));
  const fenced: FencedProducer[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i]!;
    if (outcome.status === 'rejected') throw transactionErrorOf(outcome.reason, `fencing producers with transactional id ${transactionalIds[i]!}`);
    fenced.push(outcome.value);
  }
  return fenced;
}
