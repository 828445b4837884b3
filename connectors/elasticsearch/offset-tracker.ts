/**
 * Which offsets are safe to commit: per partition, the offset of the first record handed to the
 * sink that Elasticsearch has not acknowledged yet (or, when all are acknowledged, one past the
 * last). Records are tracked in put order, which within a partition is offset order; tickets are
 * marked done in any order as bulk answers arrive.
 *
 * A record at or below the last tracked offset of its partition means the consumer was rewound:
 * the partition's state starts over (tickets of the older sends still complete, harmlessly).
 */
import { topicPartitionKey, type SinkRecord, type TopicPartition } from '../sdk/connect-record.js';
import type { PartitionOffsets } from '../sdk/sink-task.js';

export interface Ticket {
  readonly offset: number;
  done: boolean;
  readonly state: PartitionState;
}

interface PartitionState {
  readonly partition: TopicPartition;
  queue: Ticket[];
  head: number;
  /** One past the last tracked offset. */
  next: number;
  open: boolean;
}

export class OffsetTracker {
  readonly #partitions = new Map<string, PartitionState>();
  #pending = 0;

  /** Records handed over and not yet acknowledged, over all partitions. */
  get pending(): number {
    return this.#pending;
  }

  track(record: SinkRecord): Ticket {
    const key = topicPartitionKey({ topic: record.topic, partition: record.kafkaPartition });
    let state = this.#partitions.get(key);
    if (state !== undefined && record.kafkaOffset < state.next) {
      this.#forget(state);
      state = undefined;
    }
    if (state === undefined) {
      state = { partition: { topic: record.topic, partition: record.kafkaPartition }, queue: [], head: 0, next: record.kafkaOffset, open: true };
      this.#partitions.set(key, state);
    }
    const ticket: Ticket = { offset: record.kafkaOffset, done: false, state };
    state.queue.push(ticket);
    state.next = record.kafkaOffset + 1;
    this.#pending++;
    return ticket;
  }

  /** Marks the ticket's record acknowledged (or handled otherwise: skipped, dead-lettered). */
  done(ticket: Ticket): void {
    if (ticket.done) return;
    ticket.done = true;
    if (!ticket.state.open) return;
    this.#pending--;
    const state = ticket.state;
    while (state.head < state.queue.length && state.queue[state.head]!.done) state.head++;
    if (state.head > 1024 && state.head * 2 > state.queue.length) {
      state.queue = state.queue.slice(state.head);
      state.head = 0;
    }
  }

  /** The committable offset of every tracked partition. */
  offsets(): PartitionOffsets {
    const out: PartitionOffsets = new Map();
    for (const [key, state] of this.#partitions) {
      const offset = state.head < state.queue.length ? state.queue[state.head]!.offset : state.next;
      out.set(key, { partition: state.partition, offset });
    }
    return out;
  }

  /** Forgets partitions taken away from the task. */
  close(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const key = topicPartitionKey(tp);
      const state = this.#partitions.get(key);
      if (state === undefined) continue;
      this.#forget(state);
      this.#partitions.delete(key);
    }
  }

  #forget(state: PartitionState): void {
    for (let i = state.head; i < state.queue.length; i++) if (!state.queue[i]!.done) this.#pending--;
    state.open = false;
  }
}
