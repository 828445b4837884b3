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
 *
 * Pattern subscriptions (topics.regex) follow the cluster's topics as the Java consumer does,
 * which kafkajs cannot (it matches a RegExp once, at subscribe, and never drops a topic):
 * - The consumer subscribes to the names that match the whole pattern, listed through the
 *   TopicLister (ferry's wire admin, on the consumer's own connection settings). Internal
 *   topics (__consumer_offsets, __transaction_state) are left out unless
 *   exclude.internal.topics=false, as in Java. No topic need match at start: the member
 *   joins with an empty assignment. A pattern subscription never auto-creates topics.
 * - While running, the topics are listed again every metadata.max.age.ms (as resolved from
 *   the worker's consumer.* and the connector's consumer.override.*; at least 100 ms). A
 *   listing that fails is logged and retried at the next interval.
 * - When the matching set changed (a topic created or deleted), the consumer re-subscribes,
 *   which kafkajs only allows on a fresh consumer: delivery stops after the chunk in progress
 *   (a cut batch's remaining records were never delivered, so the task's offsets do not
 *   cover them), the whole assignment is revoked with beforeRejoin = true while the old
 *   member still belongs to its generation (commits accepted, exactly as stop() does), the
 *   old member leaves the group, and a new kafkajs consumer joins with the new topics;
 *   onAssigned reports its assignment as after any join. It resumes every partition from the
 *   group's committed offsets (auto.offset.reset for partitions without one, so a new topic
 *   is read from its start by default): nothing is skipped, and what is delivered again is
 *   only what the task had not committed, as on any rebalance. Other members of the group
 *   rebalance too (eager protocol); each re-subscribes on its own check, so members of one
 *   group agree on the topics within one interval (until then a member drops partitions of
 *   topics it does not subscribe, kafkajs's rule, and they are consumed after the next
 *   rebalance). Revoking a deleted topic's partitions can hold the re-subscribe up: a commit
 *   for them fails only once kafkajs's retries (about default.api.timeout.ms) run out.
 * - A replaced kafkajs consumer is inert: its events and batches are ignored, kafkajs may not
 *   restart it after a crash, and one it restarted anyway (a crash just before the swap) is
 *   made to leave at its first batch. stop() waits for a re-subscribe in progress; a re-subscribe
 *   that fails (e.g. a listed topic deleted before the new consumer subscribed) fails the
 *   consumer like any fatal error.
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
/** The shortest interval between two topic listings of a pattern subscription. */
const MIN_TOPIC_CHECK_MS = 100;

const key = (tp: TopicPartition) => `${tp.partition}\0${tp.topic}`;

/** Lists a cluster's topics for a pattern subscription (WireTopicAdmin fits). */
export interface TopicLister {
  /** Sorted names of the cluster's topics; internal topics only with `internal: true`. */
  listTopics(options: { readonly internal?: boolean }): Promise<string[]>;
  close(): Promise<void>;
}

export class KafkajsSinkConsumer implements SinkConsumer {
  readonly #kafka: Kafka;
  /** The live kafkajs consumer; a re-subscribe replaces it. */
  #consumer: Consumer;
  readonly #settings: ConsumerSettings;
  readonly #options: SinkConsumerOptions;
  readonly #logger: Logger;
  readonly #pattern: RegExp | undefined;
  readonly #lister: TopicLister | undefined;
  /** Topics the live consumer subscribed (pattern subscriptions only). */
  #subscribed: readonly string[] = [];
  #topicCheck: NodeJS.Timeout | undefined;
  #resubscribing: Promise<void> | undefined;
  /** Set from the start of a re-subscribe until the old consumer is replaced: no batch is delivered. */
  #replacing = false;
  /** The replaced consumer while it leaves the group. */
  #retiring: Consumer | undefined;
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

  /** `lister` is required for a pattern subscription; the consumer closes it on stop. */
  constructor(kafka: Kafka, settings: ConsumerSettings, options: SinkConsumerOptions, logger: Logger, lister?: TopicLister) {
    this.#kafka = kafka;
    this.#settings = settings;
    this.#options = options;
    this.#logger = logger;
    if ('pattern' in options.subscription) {
      if (!lister) throw new Error('a pattern subscription needs a topic lister');
      this.#pattern = javaPattern(options.subscription.pattern);
      this.#lister = lister;
    }
    this.#consumer = this.#newConsumer();
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.#state !== 'new') throw new Error('sink consumer was already started');
    this.#state = 'running';
    this.#handler = handler;
    const joined = new Promise<void>((resolve, reject) => { this.#firstJoin = { resolve, reject }; });
    // A stop (or crash) while the subscription below is still being set up rejects `joined`
    // before it is awaited; without a handler that rejection would end the worker process.
    joined.catch(() => {});
    const subscription = this.#options.subscription;
    await this.#run(this.#consumer, 'topics' in subscription ? [...subscription.topics] : await this.#matchingTopics());
    await joined;
    this.#scheduleTopicCheck();
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
    clearTimeout(this.#topicCheck);
    try {
      if (wasRunning) {
        await this.#resubscribing;
        await this.#delivering?.catch(() => {});
        const current = this.assignment();
        if (current.length > 0) await this.#enqueue(() => this.#revoke(current, { beforeRejoin: true }));
      }
    } finally {
      await this.#consumer.disconnect().catch((err: unknown) => this.#logger.warn({ err }, 'sink consumer did not leave its group cleanly'));
      await this.#lister?.close().catch((err: unknown) => this.#logger.debug({ err }, 'topic lister did not close cleanly'));
      this.#state = 'stopped';
      this.#firstJoin?.reject(new Error('sink consumer was stopped'));
    }
  }

  /** A kafkajs consumer whose events and batches count only while it is the live one. */
  #newConsumer(): Consumer {
    const config = consumerConfig(this.#settings, this.#options.groupId);
    const consumer: Consumer = this.#kafka.consumer({
      ...config,
      ...(this.#pattern ? { allowAutoTopicCreation: false } : {}),
      retry: { ...config.retry, restartOnFailure: () => Promise.resolve(consumer === this.#consumer) },
    });
    const live = () => consumer === this.#consumer;
    const events = consumer.events;
    consumer.on(events.GROUP_JOIN, (event) => { if (live()) this.#onJoin(event.payload.memberAssignment); });
    consumer.on(events.REBALANCING, () => { if (live()) this.#onRebalancing(); });
    consumer.on(events.CRASH, (event) => { if (live()) this.#onCrash(event.payload.error, event.payload.restart); });
    return consumer;
  }

  /** Connects, subscribes and runs; resolves once kafkajs joined (or crashed and restarts). */
  async #run(consumer: Consumer, topics: string[]): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.#settings.autoOffsetReset === 'earliest' });
    if (this.#pattern) this.#subscribed = topics;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => {
        if (consumer === this.#consumer) return this.#eachBatch(payload);
        // A replaced consumer that kafkajs restarted anyway (a crash just before it was replaced) must leave the group.
        if (consumer !== this.#retiring) void consumer.disconnect().catch(() => {});
        return Promise.resolve();
      },
    });
  }

  async #matchingTopics(): Promise<string[]> {
    const all = await this.#lister!.listTopics({ internal: !this.#settings.excludeInternalTopics });
    return all.filter((topic) => this.#pattern!.test(topic)).sort();
  }

  #scheduleTopicCheck(): void {
    if (!this.#pattern || this.#state !== 'running' || this.#failure) return;
    this.#topicCheck = setTimeout(() => {
      void this.#checkTopics().finally(() => this.#scheduleTopicCheck());
    }, Math.max(MIN_TOPIC_CHECK_MS, this.#settings.metadataMaxAgeMs));
    this.#topicCheck.unref();
  }

  async #checkTopics(): Promise<void> {
    let topics: string[];
    try {
      topics = await this.#matchingTopics();
    } catch (err) {
      if (this.#state === 'running') this.#logger.warn({ err }, 'sink consumer could not list the topics its pattern may match; trying again after metadata.max.age.ms');
      return;
    }
    if (this.#state !== 'running' || this.#failure || sameTopics(topics, this.#subscribed)) return;
    this.#logger.info({ groupId: this.#options.groupId, from: this.#subscribed, to: topics }, 'topics matching the sink\'s pattern changed; re-subscribing');
    this.#resubscribing = this.#resubscribe(topics).finally(() => { this.#resubscribing = undefined; });
    await this.#resubscribing;
  }

  /** Revokes like stop() (commits still accepted), leaves the group, and joins again on a fresh kafkajs consumer. */
  async #resubscribe(topics: string[]): Promise<void> {
    this.#replacing = true;
    try {
      await this.#delivering?.catch(() => {});
      const current = this.assignment();
      if (current.length > 0) await this.#enqueue(() => this.#revoke(current, { beforeRejoin: true }));
      const retired = this.#consumer;
      this.#consumer = this.#newConsumer();
      this.#replacing = false;
      this.#retiring = retired;
      await retired.disconnect().catch((err: unknown) => this.#logger.warn({ err }, 'sink consumer did not leave its group cleanly'));
      this.#retiring = undefined;
      if (this.#state !== 'running' || this.#failure) return;
      await this.#run(this.#consumer, topics);
    } catch (error) {
      this.#taskFailed(error);
    } finally {
      this.#replacing = false;
      this.#retiring = undefined;
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
    const usable = () => this.#state === 'running' && !this.#failure && !this.#replacing && isRunning() && !isStale()
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
    clearTimeout(this.#topicCheck);
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

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, i) => topic === b[i]);
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

/** A record without headers (kafkajs gives it `{}`): one shared, frozen, empty list rather than an array per record. */
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

function toHeaders(headers: IHeaders | undefined): readonly RecordHeader[] {
  if (!headers || !hasOwnKey(headers)) return NO_HEADERS;
  const out: RecordHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push({ key: name, value: v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)) });
    }
  }
  return out;
}

function hasOwnKey(object: object): boolean {
  for (const name in object) if (Object.prototype.hasOwnProperty.call(object, name)) return true;
  return false;
}
