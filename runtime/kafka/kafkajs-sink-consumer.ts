/**
 * SinkConsumer over a kafkajs consumer (group protocol type "consumer", kafkajs's range
 * assigner, eager rebalancing like Kafka Connect's default sink consumer).
 *
 * Delivery: kafkajs runs eachBatch with one partition's fetched batch at a time
 * (partitionsConsumedConcurrently 1). This class splits it into chunks of max.poll.records,
 * awaits the handler per chunk, and after each chunk resolves the chunk's last offset (the
 * consumer position: kafkajs fetches from there next) and heartbeats. It stops a batch early
 * when the partition is paused, seeked (kafkajs marks the batch stale) or the consumer stops.
 * Auto-commit is off; only commit() commits.
 *
 * Rebalance reporting, within what kafkajs allows (it has no callback that runs before it
 * rejoins a group):
 * - A rebalance noticed by the heartbeat this class sends after each chunk is handled before
 *   kafkajs hears of it: onRevoked runs with beforeRejoin = true while the member still
 *   belongs to the old generation, so its commits are accepted (as in Java's
 *   onPartitionsRevoked); then the error goes to kafkajs, which rejoins.
 * - A rebalance kafkajs notices itself (its heartbeat while idle, or a restart after a crash)
 *   is reported from its REBALANCING/CRASH event while it already rejoins: onRevoked runs with
 *   beforeRejoin = false and commits may be rejected; the next owner re-reads from the last
 *   committed offset (at-least-once, duplicates possible).
 * - stop() revokes with beforeRejoin = true before leaving the group.
 * - After every join, onAssigned runs before the generation's first batch, with no
 *   partition paused.
 * Listener calls and batches are serialized: a batch waits for pending listener calls.
 *
 * Handler errors never reach kafkajs (it would retry or restart): the consumer pauses every
 * partition, stops delivering and reports the error to onFailure listeners. Do not await
 * stop() from inside the handler or a listener: it waits for them.
 */
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConsumerSettings } from './client-settings.js';
import type {
  BatchHandler, ConsumedRecord, RebalanceListener, RecordHeader, RevocationContext, SinkConsumer, SinkConsumerOptions,
  TopicPartition, TopicPartitionOffset,
} from './kafka-client.js';
import { consumerConfig } from './kafkajs-config.js';

const LOG_APPEND_TIME = 1;

const key = (tp: TopicPartition) => `${tp.partition}\0${tp.topic}`;

export class KafkajsSinkConsumer implements SinkConsumer {
  readonly #consumer: Consumer;
  readonly #settings: ConsumerSettings;
  readonly #options: SinkConsumerOptions;
  readonly #logger: Logger;
  readonly #rebalanceListeners = new Set<RebalanceListener>();
  readonly #failureListeners = new Set<(error: Error) => void>();
  #assigned = new Map<string, TopicPartition>();
  readonly #paused = new Map<string, TopicPartition>();
  #serial: Promise<void> = Promise.resolve();
  #handler: BatchHandler | undefined;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #failure: Error | undefined;
  #revokedBeforeRejoin = false;
  #firstJoin: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #delivering: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(kafka: Kafka, settings: ConsumerSettings, options: SinkConsumerOptions, logger: Logger) {
    this.#settings = settings;
    this.#options = options;
    this.#logger = logger;
    this.#consumer = kafka.consumer(consumerConfig(settings, options.groupId));
    const events = this.#consumer.events;
    this.#consumer.on(events.GROUP_JOIN, (event) => this.#onJoin(event.payload.memberAssignment));
    this.#consumer.on(events.REBALANCING, () => this.#onRebalancing());
    this.#consumer.on(events.CRASH, (event) => this.#onCrash(event.payload.error, event.payload.restart));
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.#state !== 'new') throw new Error('sink consumer was already started');
    this.#state = 'running';
    this.#handler = handler;
    const joined = new Promise<void>((resolve, reject) => { this.#firstJoin = { resolve, reject }; });
    await this.#consumer.connect();
    const fromBeginning = this.#settings.autoOffsetReset === 'earliest';
    const subscription = this.#options.subscription;
    await this.#consumer.subscribe({
      topics: 'topics' in subscription ? [...subscription.topics] : [javaPattern(subscription.pattern)],
      fromBeginning,
    });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    await joined;
  }

  onRebalance(listener: RebalanceListener): () => void {
    this.#rebalanceListeners.add(listener);
    return () => this.#rebalanceListeners.delete(listener);
  }

  onFailure(listener: (error: Error) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  assignment(): TopicPartition[] {
    return [...this.#assigned.values()];
  }

  pause(partitions: readonly TopicPartition[]): void {
    const mine = partitions.filter((tp) => this.#assigned.has(key(tp)));
    for (const tp of mine) this.#paused.set(key(tp), { topic: tp.topic, partition: tp.partition });
    this.#kafkajs(() => this.#consumer.pause(groupByTopic(mine)));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.delete(key(tp));
    this.#kafkajs(() => this.#consumer.resume(groupByTopic(partitions)));
  }

  paused(): TopicPartition[] {
    return [...this.#paused.values()];
  }

  seek(partition: TopicPartition, offset: number): void {
    if (!this.#assigned.has(key(partition))) return;
    this.#kafkajs(() => this.#consumer.seek({ topic: partition.topic, partition: partition.partition, offset: String(offset) }));
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const mine = offsets.filter((o) => this.#assigned.has(key(o)));
    if (mine.length === 0) return;
    await this.#consumer.commitOffsets(mine.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })));
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasRunning = this.#state === 'running';
    this.#state = 'stopping';
    try {
      if (wasRunning) {
        await this.#delivering?.catch(() => {});
        const current = this.assignment();
        if (current.length > 0) await this.#enqueue(() => this.#revoke(current, { beforeRejoin: true }));
      }
    } finally {
      await this.#consumer.disconnect().catch((err: unknown) => this.#logger.warn({ err }, 'sink consumer did not leave its group cleanly'));
      this.#state = 'stopped';
      this.#firstJoin?.reject(new Error('sink consumer was stopped'));
    }
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const run = this.#deliver(payload);
    this.#delivering = run;
    try {
      await run;
    } finally {
      if (this.#delivering === run) this.#delivering = undefined;
    }
  }

  async #deliver({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    let pending: Promise<void>;
    do {
      pending = this.#serial;
      await pending;
    } while (pending !== this.#serial);
    const tp = { topic: batch.topic, partition: batch.partition };
    const usable = () => this.#state === 'running' && !this.#failure && isRunning() && !isStale()
      && this.#assigned.has(key(tp)) && !this.#paused.has(key(tp));
    const max = this.#settings.maxPollRecords;
    const messages = batch.messages;
    const highWatermark = Number(batch.highWatermark);
    for (let i = 0; i < messages.length && usable(); i += max) {
      const records = messages.slice(i, i + max).map((m) => toRecord(batch.topic, batch.partition, m));
      try {
        await this.#handler!({ topic: batch.topic, partition: batch.partition, records, highWatermark });
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (isStale() || !isRunning()) return;
      resolveOffset(messages[Math.min(i + max, messages.length) - 1]!.offset);
      await this.#heartbeat(heartbeat);
    }
  }

  async #heartbeat(heartbeat: () => Promise<void>): Promise<void> {
    try {
      await heartbeat();
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'REBALANCE_IN_PROGRESS' && this.#assigned.size > 0 && this.#state === 'running') {
        const current = this.assignment();
        this.#revokedBeforeRejoin = true;
        await this.#enqueue(() => this.#revoke(current, { beforeRejoin: true }));
      }
      throw error;
    }
  }

  #onJoin(memberAssignment: Record<string, number[]>): void {
    const next: TopicPartition[] = [];
    for (const [topic, partitions] of Object.entries(memberAssignment)) {
      for (const partition of [...partitions].sort((a, b) => a - b)) next.push({ topic, partition });
    }
    this.#revokedBeforeRejoin = false;
    this.#enqueue(async () => {
      if (this.#assigned.size > 0) await this.#revoke(this.assignment(), { beforeRejoin: false });
      const stale = [...this.#paused.values()];
      this.#paused.clear();
      if (stale.length > 0) this.#kafkajs(() => this.#consumer.resume(groupByTopic(stale)));
      this.#assigned = new Map(next.map((tp) => [key(tp), tp]));
      this.#logger.debug({ groupId: this.#options.groupId, assignment: next }, 'sink consumer assigned partitions');
      for (const listener of this.#rebalanceListeners) {
        try {
          await listener.onAssigned?.(next);
        } catch (err) {
          this.#logger.error({ err }, 'partition assignment listener failed');
        }
      }
    }).then(() => {
      this.#firstJoin?.resolve();
      this.#firstJoin = undefined;
    }, (error: unknown) => this.#taskFailed(error));
  }

  #onRebalancing(): void {
    if (this.#revokedBeforeRejoin) {
      this.#revokedBeforeRejoin = false;
      return;
    }
    this.#enqueue(async () => {
      if (this.#assigned.size > 0) await this.#revoke(this.assignment(), { beforeRejoin: false });
    }).catch((error: unknown) => this.#taskFailed(error));
  }

  #onCrash(error: Error, restart: boolean): void {
    if (!restart) {
      this.#fail(error);
      return;
    }
    this.#logger.warn({ err: error }, 'sink consumer crashed; kafkajs restarts it');
    this.#enqueue(async () => {
      if (this.#assigned.size > 0) await this.#revoke(this.assignment(), { beforeRejoin: false });
    }).catch((failure: unknown) => this.#taskFailed(failure));
  }

  async #revoke(partitions: TopicPartition[], context: RevocationContext): Promise<void> {
    this.#logger.debug({ groupId: this.#options.groupId, partitions, ...context }, 'sink consumer revoking partitions');
    for (const listener of this.#rebalanceListeners) {
      try {
        await listener.onRevoked?.(partitions, context);
      } catch (err) {
        this.#logger.error({ err }, 'partition revocation listener failed');
      }
    }
    for (const tp of partitions) {
      this.#assigned.delete(key(tp));
      this.#paused.delete(key(tp));
    }
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#serial.then(task, task);
    this.#serial = run.catch(() => {});
    return run;
  }

  /** A rebalance step nobody awaits failed (listeners' errors are caught, so this is unexpected): the consumer fails instead of the process. */
  #taskFailed(error: unknown): void {
    this.#fail(error instanceof Error ? error : new Error(String(error)));
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#logger.error({ err: error, groupId: this.#options.groupId }, 'sink consumer failed');
    const all = this.assignment();
    if (all.length > 0) this.#kafkajs(() => this.#consumer.pause(groupByTopic(all)));
    this.#firstJoin?.reject(error);
    this.#firstJoin = undefined;
    for (const listener of this.#failureListeners) listener(error);
  }

  /** kafkajs throws from pause/resume/seek while it is between runs (restarting); the call is moot then. */
  #kafkajs(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.#logger.debug({ err }, 'kafkajs consumer call skipped');
    }
  }
}

/** A Java regex for whole topic names as a JS RegExp (a leading (?i) becomes the i flag). */
export function javaPattern(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const source = insensitive ? pattern.slice(4) : pattern;
  return new RegExp(`^(?:${source})$`, insensitive ? 'i' : '');
}

function groupByTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const map = new Map<string, number[]>();
  for (const tp of partitions) map.set(tp.topic, [...(map.get(tp.topic) ?? []), tp.partition]);
  return [...map].map(([topic, list]) => ({ topic, partitions: list }));
}

function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  const context = (m as { batchContext?: { timestampType?: number } }).batchContext;
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key,
    value: m.value,
    headers: toHeaders(m.headers),
    timestamp: Number(m.timestamp),
    timestampType: context?.timestampType === LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
  };
}

function toHeaders(headers: IHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push({ key: name, value: v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)) });
    }
  }
  return out;
}

