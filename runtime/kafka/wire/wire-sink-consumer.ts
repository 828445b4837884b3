/**
 * SinkConsumer on ferry's wire client: a member of a consumer group (protocol type
 * `consumer`, Java's `range` assignor, eager rebalancing like Kafka Connect's default sink
 * consumer) that fetches with a WirePartitionReader and commits with OffsetCommit. Java,
 * librdkafka and kafka-python consumers using the range assignor can share its group.
 *
 * Membership runs on the shared classic-group engine (classic-group-member.ts): heartbeats
 * go out on a timer of their own, so a slow handler never costs the session; a handler slower
 * than max.poll.interval.ms (the rebalance timeout) only delays a rebalance it is part of.
 *
 * Rebalances (eager):
 * - Before every JoinGroup while it holds partitions, the member stops delivering, waits for
 *   the batch in progress, runs onRevoked for the whole assignment with beforeRejoin = true
 *   while it still belongs to the old generation (commits made there are accepted, as in
 *   Java's onPartitionsRevoked), and forgets the partitions.
 * - After SyncGroup it reads the group's committed offsets of its new partitions (OffsetFetch;
 *   auto.offset.reset where there is none), runs onAssigned (no partition paused), then
 *   delivers. The leader assigns with the range assignor over the partition counts it reads.
 * - A lost membership (no heartbeat answered within the session, or UNKNOWN_MEMBER_ID) revokes
 *   with beforeRejoin = false: the partitions may already belong to someone else, so commits
 *   may be rejected and uncommitted records are delivered again to their next owner.
 * - Every metadata.max.age.ms, a pattern subscription lists the cluster's topics and rejoins
 *   when the matching set changed; the leader also rejoins when a subscribed topic's partition
 *   count changed since it assigned (Java's consumer does both).
 *
 * Delivery: one loop takes at most max.poll.records records of one partition from the reader
 * (synchronously, so pause/seek state is checked in the tick the handler is called) and awaits
 * the handler before the next batch. Batches, onAssigned and onRevoked run one at a time
 * (a queue). A paused partition is dropped from the reader and re-added at the offset of its
 * first undelivered record on resume; a seek re-adds it at the new offset (records buffered
 * for it are dropped). Handler errors pause everything, stop delivery (the member stays in
 * the group, so the partitions are not handed to another task) and go to onFailure listeners.
 * Do not await stop() from inside the handler or a listener: it waits for them.
 *
 * Topics named in a list subscription are created by the broker when it allows it and
 * allow.auto.create.topics is true (as the Java consumer's metadata requests do); a pattern
 * never creates topics. Internal topics match a pattern only with exclude.internal.topics=false.
 */
import type { Logger } from 'pino';
import { Metadata } from '../../../broker/protocol/apis/metadata.js';
import type { ConsumerSettings } from '../client-settings.js';
import { javaPattern } from '../java-pattern.js';
import type {
  BatchHandler, ConsumedRecord, RebalanceListener, RevocationContext, SinkConsumer, SinkConsumerOptions, TopicPartition,
  TopicPartitionOffset,
} from '../kafka-client.js';
import { ClassicGroupMember, type GroupProtocolHandler, type GroupRound, type MembershipLoss } from './classic-group-member.js';
import {
  CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, type TopicPartitions,
} from './consumer-protocol.js';
import { atCoordinator, commitOffsetsAt, fetchOffsetsAt } from './group-offsets.js';
import { RANGE_ASSIGNOR, rangeAssign } from './range-assignor.js';
import { sleep } from './retry.js';
import type { WireCluster } from './wire-cluster.js';
import { partitionReaderSettings, WirePartitionReader, type PartitionBatch } from './wire-partition-reader.js';

/** The shortest interval between two metadata checks. */
const MIN_METADATA_CHECK_MS = 100;
/** How long an idle delivery loop waits for records before looking at its state again. */
const IDLE_WAIT_MS = 1000;

const keyOf = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

interface Owned {
  readonly topic: string;
  readonly partition: number;
  paused: boolean;
  /** Bumped by pause, resume and seek: a batch taken before does not count any more. */
  epoch: number;
  /** Offset of the next record to deliver, once known (committed offset, seek, or past a delivered batch). */
  next: number | undefined;
}

export class WireSinkConsumer implements SinkConsumer {
  readonly #cluster: WireCluster;
  readonly #settings: ConsumerSettings;
  readonly #groupId: string;
  readonly #logger: Logger;
  readonly #member: ClassicGroupMember;
  readonly #reader: WirePartitionReader;
  readonly #pattern: RegExp | undefined;
  /** Sorted topics this member subscribes (the list, or what the pattern matched at the last check). */
  #topics: readonly string[];
  /** Partition counts the leader assigned with (leader only). */
  #assignedCounts: ReadonlyMap<string, number> | undefined;
  readonly #rebalanceListeners = new Set<RebalanceListener>();
  readonly #failureListeners = new Set<(error: Error) => void>();
  #owned = new Map<string, Owned>();
  #delivering = false;
  #serial: Promise<void> = Promise.resolve();
  #handler: BatchHandler | undefined;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #failure: Error | undefined;
  #firstAssignment: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #loop: Promise<void> | undefined;
  #loopWaker: AbortController | undefined;
  #metadataTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;

  /** The consumer owns `cluster` and closes it on stop. */
  constructor(cluster: WireCluster, settings: ConsumerSettings, options: SinkConsumerOptions, logger: Logger) {
    this.#cluster = cluster;
    this.#settings = settings;
    this.#groupId = options.groupId;
    this.#logger = logger;
    const subscription = options.subscription;
    this.#pattern = 'pattern' in subscription ? javaPattern(subscription.pattern) : undefined;
    this.#topics = 'topics' in subscription ? [...new Set(subscription.topics)].sort() : [];
    this.#reader = new WirePartitionReader(cluster, partitionReaderSettings(settings), logger);
    const handler: GroupProtocolHandler = {
      protocolType: CONSUMER_PROTOCOL_TYPE,
      joinProtocols: () => [{
        name: RANGE_ASSIGNOR,
        metadata: encodeSubscription({ version: 0, topics: this.#topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null }),
      }],
      beforeJoin: () => this.#revokeAll({ beforeRejoin: true }),
      assign: (_round, members) => this.#assign(members),
      apply: (round, bytes) => this.#apply(round, bytes),
      holdsWork: () => this.#owned.size > 0,
      membershipLost: (loss) => this.#lost(loss),
      fatal: (error) => this.#fail(error),
    };
    this.#member = new ClassicGroupMember({
      cluster,
      groupId: options.groupId,
      handler,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      rebalanceTimeoutMs: settings.rebalanceTimeoutMs,
      lanePrefix: 'consumer-group',
      logger,
    });
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.#state !== 'new') throw new Error('sink consumer was already started');
    this.#state = 'running';
    this.#handler = handler;
    const assigned = new Promise<void>((resolve, reject) => { this.#firstAssignment = { resolve, reject }; });
    // A stop (or failure) while joining rejects `assigned` before it is awaited; without a
    // handler that rejection would end the worker process.
    assigned.catch(() => {});
    if (this.#pattern) this.#topics = await this.#matchingTopics();
    else await this.#createListedTopics();
    if (this.#state !== 'running') throw new Error('sink consumer was stopped');
    this.#member.start();
    this.#loop = this.#deliveryLoop();
    await assigned;
    this.#scheduleMetadataCheck();
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
    return [...this.#owned.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const owned = this.#owned.get(keyOf(tp));
      if (!owned || owned.paused) continue;
      owned.paused = true;
      owned.epoch++;
      owned.next ??= this.#reader.position(tp);
      this.#reader.unassign([tp]);
    }
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const owned = this.#owned.get(keyOf(tp));
      if (!owned || !owned.paused) continue;
      owned.paused = false;
      owned.epoch++;
      this.#read(owned);
    }
    this.#wake();
  }

  paused(): TopicPartition[] {
    return [...this.#owned.values()].filter((o) => o.paused).map(({ topic, partition }) => ({ topic, partition }));
  }

  seek(partition: TopicPartition, offset: number): void {
    const owned = this.#owned.get(keyOf(partition));
    if (!owned) return;
    if (!(Number.isSafeInteger(offset) && offset >= 0)) throw new RangeError(`invalid seek offset ${offset} for ${partition.topic}-${partition.partition}`);
    owned.epoch++;
    owned.next = offset;
    if (!owned.paused) this.#read(owned);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const mine = offsets.filter((o) => this.#owned.has(keyOf(o)));
    if (mine.length === 0) return;
    const groupId = this.#groupId;
    await atCoordinator(this.#cluster, groupId, (node) => {
      const generation = this.#member.generation;
      // Without a generation the partitions may belong to another member by now: committing
      // outside the group would overwrite that member's offsets (Java fails such a commit too).
      if (generation < 0) throw new Error(`the sink consumer is not a member of group ${groupId} (rejoining after a rebalance); offsets not committed`);
      return commitOffsetsAt(this.#cluster, node, groupId, mine, { generation, memberId: this.#member.memberId });
    });
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasRunning = this.#state === 'running';
    this.#state = 'stopping';
    clearTimeout(this.#metadataTimer);
    this.#wake();
    try {
      if (wasRunning) {
        await this.#loop?.catch(() => {});
        await this.#enqueue(() => this.#revoke({ beforeRejoin: true }));
      }
    } finally {
      await this.#member.stop().catch((err: unknown) => this.#logger.warn({ err }, 'sink consumer did not leave its group cleanly'));
      await this.#reader.close().catch(() => {});
      await this.#cluster.close().catch(() => {});
      this.#state = 'stopped';
      this.#firstAssignment?.reject(new Error('sink consumer was stopped'));
      this.#firstAssignment = undefined;
    }
  }

  // ------------------------------------------------------------------ delivery

  async #deliveryLoop(): Promise<void> {
    const max = this.#settings.maxPollRecords;
    while (this.#state === 'running') {
      this.#loopWaker = new AbortController();
      const signal = this.#loopWaker.signal;
      if (!this.#delivering || this.#failure) {
        await sleep(IDLE_WAIT_MS, signal);
        continue;
      }
      const batch = this.#reader.takeBatch(max);
      if (batch === undefined) {
        await this.#reader.waitForRecords({ maxWaitMs: IDLE_WAIT_MS, signal });
        continue;
      }
      const owned = this.#owned.get(keyOf(batch));
      if (!owned || owned.paused || batch.records.length === 0) continue;
      // Until a batch is delivered, a pause must resume at its first record.
      owned.next ??= batch.records[0]!.offset;
      const epoch = owned.epoch;
      await this.#enqueue(() => this.#deliver(owned, epoch, batch));
    }
  }

  async #deliver(owned: Owned, epoch: number, batch: PartitionBatch): Promise<void> {
    // Paused, resumed, seeked or revoked since the batch was taken: those calls set where reading goes on.
    if (owned.epoch !== epoch || this.#owned.get(keyOf(owned)) !== owned || !this.#delivering || this.#failure || this.#state !== 'running') return;
    const records = batch.records as ConsumedRecord[];
    owned.next = records[records.length - 1]!.offset + 1;
    try {
      await this.#handler!({ topic: owned.topic, partition: owned.partition, records, highWatermark: batch.highWatermark });
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Starts (or restarts) reading a partition where its delivery goes on. */
  #read(owned: Owned): void {
    // Without an offset, auto.offset.reset decides (none failed the consumer before it read).
    const reset = this.#settings.autoOffsetReset === 'latest' ? 'latest' : 'earliest';
    this.#reader.assign([{ topic: owned.topic, partition: owned.partition, offset: owned.next ?? reset }]);
  }

  #wake(): void {
    this.#loopWaker?.abort();
  }

  // ------------------------------------------------------------------ group protocol

  async #assign(members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const subscriptions = members.map((m) => {
      try {
        return { memberId: m.memberId, topics: decodeSubscription(Buffer.from(m.metadata)).topics };
      } catch (err) {
        this.#logger.warn({ err, member: m.memberId }, 'undecodable consumer subscription; the member gets no partitions');
        return { memberId: m.memberId, topics: [] };
      }
    });
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))].sort();
    const counts = new Map<string, number>(topics.map((topic) => [topic, 0]));
    if (topics.length > 0) {
      for (const info of await this.#cluster.refreshMetadata(topics)) {
        if (info.errorCode === 0) counts.set(info.name, info.partitions.length);
      }
    }
    this.#assignedCounts = counts;
    const plan = rangeAssign(subscriptions, counts);
    return subscriptions.map(({ memberId }) => ({
      memberId,
      assignment: encodeAssignment({ version: 0, partitions: plan.get(memberId) ?? [], userData: null }),
    }));
  }

  async #apply(round: GroupRound, bytes: Buffer): Promise<void> {
    let partitions: readonly TopicPartitions[];
    try {
      partitions = decodeAssignment(bytes).partitions;
    } catch (err) {
      throw new Error(`undecodable consumer assignment from the group leader (${bytes.length} bytes): ${(err as Error).message}`, { cause: err });
    }
    const assigned: TopicPartition[] = [];
    for (const { topic, partitions: list } of [...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))) {
      for (const partition of [...list].sort((a, b) => a - b)) assigned.push({ topic, partition });
    }
    const committed = assigned.length > 0 ? await this.#committedOffsets(assigned) : new Map<string, number>();
    round.check();
    const unknown = assigned.filter((tp) => !committed.has(keyOf(tp)));
    if (this.#settings.autoOffsetReset === 'none' && unknown.length > 0) {
      const names = unknown.map((tp) => `${tp.topic}-${tp.partition}`).join(', ');
      this.#fail(new Error(`no committed offset for partitions ${names} of group ${this.#groupId}, and auto.offset.reset is none`));
    }
    await this.#enqueue(async () => {
      if (this.#state !== 'running') return;
      round.settle();
      this.#owned = new Map(assigned.map((tp) => [keyOf(tp), {
        topic: tp.topic, partition: tp.partition, paused: false, epoch: 0, next: committed.get(keyOf(tp)),
      }]));
      if (this.#failure) this.pause(this.assignment());
      else for (const owned of this.#owned.values()) this.#read(owned);
      this.#logger.debug({ generation: round.generation, assignment: assigned }, 'sink consumer assigned partitions');
      for (const listener of this.#rebalanceListeners) {
        try {
          await listener.onAssigned?.(assigned);
        } catch (err) {
          this.#logger.error({ err }, 'partition assignment listener failed');
        }
      }
      this.#delivering = true;
      this.#wake();
    });
    this.#firstAssignment?.resolve();
    this.#firstAssignment = undefined;
  }

  /** The group's committed next-offsets of `partitions` (none for a partition without one). */
  async #committedOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const groupId = this.#groupId;
    const committed = await atCoordinator(this.#cluster, groupId, (node) => fetchOffsetsAt(this.#cluster, node, groupId, partitions, { requireStable: true }));
    return new Map(committed.map((o) => [keyOf(o), o.offset]));
  }

  /** Before a JoinGroup: give the whole assignment up while commits are still accepted. */
  async #revokeAll(context: RevocationContext): Promise<void> {
    this.#delivering = false;
    await this.#enqueue(() => this.#revoke(context));
  }

  #lost(loss: MembershipLoss): void {
    this.#delivering = false;
    this.#logger.warn({ generation: loss.generation, reason: loss.reason }, 'sink consumer lost its group membership; its partitions may already be consumed elsewhere');
    void this.#enqueue(() => this.#revoke({ beforeRejoin: false }));
  }

  async #revoke(context: RevocationContext): Promise<void> {
    const partitions = this.assignment();
    if (partitions.length === 0) return;
    this.#logger.debug({ groupId: this.#groupId, partitions, ...context }, 'sink consumer revoking partitions');
    for (const listener of this.#rebalanceListeners) {
      try {
        await listener.onRevoked?.(partitions, context);
      } catch (err) {
        this.#logger.error({ err }, 'partition revocation listener failed');
      }
    }
    this.#reader.unassign(partitions);
    this.#owned = new Map();
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#serial.then(task, task);
    this.#serial = run.catch(() => {});
    return run;
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    clearTimeout(this.#metadataTimer);
    this.#logger.error({ err: error, groupId: this.#groupId }, 'sink consumer failed');
    this.pause(this.assignment());
    this.#firstAssignment?.reject(error);
    this.#firstAssignment = undefined;
    for (const listener of this.#failureListeners) listener(error);
  }

  // ------------------------------------------------------------------ metadata

  async #createListedTopics(): Promise<void> {
    if (!this.#settings.allowAutoCreateTopics || this.#topics.length === 0) return;
    try {
      await this.#cluster.sendToAny(Metadata, { topics: this.#topics.map((name) => ({ name })), allowAutoTopicCreation: true });
    } catch (err) {
      this.#logger.debug({ err }, 'metadata request for the subscribed topics failed; the group leader looks them up again');
    }
  }

  async #matchingTopics(): Promise<string[]> {
    const all = await this.#cluster.refreshMetadata(null);
    return all
      .filter((t) => t.errorCode === 0 && (!t.internal || !this.#settings.excludeInternalTopics) && this.#pattern!.test(t.name))
      .map((t) => t.name)
      .sort();
  }

  #scheduleMetadataCheck(): void {
    if (this.#state !== 'running' || this.#failure) return;
    this.#metadataTimer = setTimeout(() => {
      void this.#checkMetadata().finally(() => this.#scheduleMetadataCheck());
    }, Math.max(MIN_METADATA_CHECK_MS, this.#settings.metadataMaxAgeMs));
    this.#metadataTimer.unref();
  }

  /** Rejoins when the pattern's topics or (as the leader) the subscribed partition counts changed. */
  async #checkMetadata(): Promise<void> {
    try {
      if (this.#pattern) {
        const topics = await this.#matchingTopics();
        if (this.#state !== 'running') return;
        if (!sameTopics(topics, this.#topics)) {
          this.#logger.info({ groupId: this.#groupId, from: this.#topics, to: topics }, 'topics matching the sink\'s pattern changed; rejoining the group');
          this.#topics = topics;
          this.#member.requestRejoin('subscription changed');
          return;
        }
      }
      const counts = this.#assignedCounts;
      if (!this.#member.isLeader || !counts) return;
      const infos = await this.#cluster.refreshMetadata([...counts.keys()]);
      for (const info of infos) {
        const now = info.errorCode === 0 ? info.partitions.length : 0;
        if (now !== (counts.get(info.name) ?? 0)) {
          this.#logger.info({ groupId: this.#groupId, topic: info.name, from: counts.get(info.name), to: now }, 'a subscribed topic\'s partitions changed; rebalancing the group');
          this.#member.requestRejoin('partitions changed');
          return;
        }
      }
    } catch (err) {
      if (this.#state === 'running') this.#logger.warn({ err }, 'sink consumer could not read the cluster\'s metadata; trying again after metadata.max.age.ms');
    }
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, i) => topic === b[i]);
}
