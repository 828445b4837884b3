/**
 * The seam between the Connect runtime and Kafka: everything the runtime does with a Kafka
 * cluster goes through these interfaces, so the worker runs unchanged against the bundled
 * broker, Apache Kafka 3.x/4.x, MSK or Redpanda. create-kafka-client.ts builds the
 * implementations, all on ferry's own wire client (./wire, on the broker's protocol codecs):
 * producers, group-less topic readers, admin clients and sink consumer group members.
 *
 * Offsets, partitions and timestamps are numbers (exact up to 2^53). Committed offsets are
 * "next offsets": the offset of the next record to read, as in Kafka.
 */
import type { Logger } from 'pino';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface OutgoingRecord {
  readonly topic: string;
  /** null/absent: keyed records go to murmur2(key) % partitions (Java's default), others spread. */
  readonly partition?: number | null;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  /** Milliseconds since the epoch; null/absent: the time of sending. */
  readonly timestamp?: number | null;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the producer does not wait for acknowledgements (acks=0). */
  readonly offset: number;
}

/**
 * Sends records. Records of concurrent `send` calls are coalesced into few produce requests;
 * records for one partition are written in the order of the `send` calls (and of the array).
 */
export interface RecordProducer {
  /** Resolves with one metadata per record, in order, once all are acknowledged; rejects if any failed. */
  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]>;
  /** Sends what is buffered now (ignoring linger.ms) and resolves once every earlier send settled. */
  flush(): Promise<void>;
  /** flush(), then disconnects. Later sends reject. */
  close(): Promise<void>;
}

/**
 * A producer with a transactional.id (wire/wire-transactional-producer.ts; Java's
 * transactional KafkaProducer): records are sent only inside a transaction and become
 * visible to read_committed readers together when it commits, or never when it aborts.
 *
 * Errors: FatalTransactionError (ProducerFencedError: another producer with the id took over
 * or the transaction outlived transaction.timeout.ms; TransactionalIdAuthorizationError) ends
 * the producer, every later call fails with it; AbortableTransactionError ends only the
 * transaction: call abortTransaction() and begin the next. All in wire/kafka-error.ts.
 */
export interface TransactionalProducer extends RecordProducer {
  readonly transactionalId: string;
  /** Claims the transactional id (fencing earlier producers with it and aborting their open transaction). Once. */
  initTransactions(): Promise<void>;
  beginTransaction(): void;
  /** Flushes, then commits; throws AbortableTransactionError if some record could not be written. */
  commitTransaction(): Promise<void>;
  /** Rejects unsent records, waits for those on the wire, aborts. */
  abortTransaction(): Promise<void>;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly timestamp: number;
  readonly timestampType: TimestampType;
}

/**
 * A group-less reader of every partition of one topic from the beginning (Kafka Connect's
 * KafkaBasedLog consumer), used for the internal topics.
 *
 * - Listeners run one at a time, synchronously, in offset order per partition, from the
 *   reader's own delivery loop. Reads are read_uncommitted (as Kafka Connect's internal
 *   consumers without exactly-once support) unless the request asks for read_committed;
 *   control records are never delivered.
 * - `readToEnd()` resolves once every record below the end offsets (high watermarks) taken
 *   at the time of the call has been delivered. A listener that throws does not stop
 *   delivery; the error rejects the readToEnd() calls waiting at that point, or the next one.
 * - Partitions are those the topic has at `start()`; start() keeps retrying a missing topic
 *   until default.api.timeout.ms.
 */
export interface TopicReader {
  readonly topic: string;
  /** Looks the topic up and starts fetching from each partition's log start; does not wait for data. */
  start(): Promise<void>;
  readToEnd(): Promise<void>;
  /** Returns a function that removes the listener. Register before start() to see every record. */
  onRecord(listener: (record: ConsumedRecord) => void): () => void;
  /** Stops fetching; pending readToEnd() calls reject. */
  stop(): Promise<void>;
}

export interface NewTopic {
  readonly name: string;
  /** -1: the broker's default (num.partitions). */
  readonly partitions: number;
  /** -1: the broker's default (default.replication.factor). */
  readonly replicationFactor: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicAdmin {
  /** Creates the topic if it does not exist; resolves once every partition has a leader. */
  ensureTopic(topic: NewTopic): Promise<{ created: boolean }>;
  /** Every config of the topic (defaults included); values of sensitive configs are null. Throws KafkaError (UNKNOWN_TOPIC_OR_PARTITION) for a missing topic. */
  describeTopicConfigs(name: string): Promise<Record<string, string | null>>;
  /** undefined when the topic does not exist. */
  partitionCount(name: string): Promise<number | undefined>;
  /** High watermark of every partition. */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Log start offset of every partition. */
  beginningOffsets(topic: string): Promise<Map<number, number>>;
  /** Every committed offset of the group (none for an unknown group). */
  groupOffsets(groupId: string): Promise<TopicPartitionOffset[]>;
  /** Commits offsets outside any generation; the group must have no active members (UNKNOWN_MEMBER_ID otherwise). */
  alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Removes the committed offsets of some partitions (OffsetDelete, Kafka 2.4+); the group must not consume those topics. */
  deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void>;
  /** Removes every committed offset by deleting the (inactive) group, as Kafka Connect does for sink offset resets. */
  resetGroupOffsets(groupId: string): Promise<void>;
  /**
   * Fences the producers using these transactional ids (Java's Admin.fenceProducers): their
   * epochs are bumped and their open transactions aborted, so their next write fails with
   * PRODUCER_FENCED. Rejects if any id could not be fenced.
   */
  fenceProducers(transactionalIds: readonly string[]): Promise<void>;
  /** Names of every non-internal topic. */
  listTopics(): Promise<string[]>;
  clusterId(): Promise<string>;
  close(): Promise<void>;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  /** At least one record, in offset order; at most max.poll.records. */
  readonly records: readonly ConsumedRecord[];
  readonly highWatermark: number;
}

export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface RevocationContext {
  /**
   * true: the consumer is still a member of the old generation and has not rejoined; commits
   * made before the listener resolves are accepted (rebalance noticed during a batch, or stop()).
   * false: the membership was lost (no heartbeat answered within session.timeout.ms, or the
   * coordinator no longer knows the member); the partitions may already belong to another
   * member, commits for them are rejected, and uncommitted records will be delivered again to
   * their next owner (at-least-once).
   */
  readonly beforeRejoin: boolean;
}

export interface RebalanceListener {
  /** After joining a generation, before its first batch. Pause state starts empty. */
  onAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>;
  /** Every rebalance revokes the whole assignment first (eager protocol, like Kafka Connect's default assignors). */
  onRevoked?(partitions: readonly TopicPartition[], context: RevocationContext): void | Promise<void>;
}

export type SinkSubscription =
  | { readonly topics: readonly string[] }
  /**
   * A Java regex matched against whole topic names (internal topics excluded unless
   * exclude.internal.topics=false), evaluated at start and again every metadata.max.age.ms:
   * a change in the matching topics rebalances the group onto them (wire-sink-consumer.ts).
   */
  | { readonly pattern: string };

export interface SinkConsumerOptions {
  /** connect-{connector} unless consumer.override.group.id says otherwise. */
  readonly groupId: string;
  /** connector-consumer-{connector}-{task} */
  readonly clientId: string;
  readonly subscription: SinkSubscription;
  /** consumer.override.* (layered over the worker's consumer.* properties). */
  readonly overrides?: Readonly<Record<string, string>>;
}

/**
 * A sink task's consumer group member (wire/wire-sink-consumer.ts). Batches are delivered one at a
 * time; the handler's promise settles before the next batch is delivered. Positions advance
 * past delivered records; nothing is committed unless commit() is called.
 */
export interface SinkConsumer {
  /** Joins the group and starts delivering; resolves after the first assignment. */
  start(handler: BatchHandler): Promise<void>;
  onRebalance(listener: RebalanceListener): () => void;
  /** The consumer stopped for good (a fatal error, or a handler that threw). */
  onFailure(listener: (error: Error) => void): () => void;
  assignment(): TopicPartition[];
  /** Stops delivering the partitions until resumed (also mid-batch). */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  /** The next batch of the partition starts at `offset`; the rest of a batch in progress is dropped. */
  seek(partition: TopicPartition, offset: number): void;
  /** Commits next-offsets of assigned partitions (others are ignored). */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Revokes the assignment (listeners run, commits still accepted), then leaves the group. */
  stop(): Promise<void>;
}

/** Who a client works for; decides which property layer applies (kafka-connect.md §3.4). */
export type ClientRole = 'internal' | 'connector';

export interface ProducerRequest {
  readonly clientId: string;
  /** internal: un-prefixed worker settings, idempotence off, acks=all, one request in flight. */
  readonly role: ClientRole;
  /** producer.override.* (connector role only). */
  readonly overrides?: Readonly<Record<string, string>>;
}

export interface TransactionalProducerRequest extends ProducerRequest {
  /** Forced over any transactional.id property; enable.idempotence is forced to true. */
  readonly transactionalId: string;
}

export interface AdminRequest {
  readonly clientId: string;
  readonly role: ClientRole;
  /** admin.override.* (connector role only). */
  readonly overrides?: Readonly<Record<string, string>>;
}

export interface TopicReaderRequest {
  readonly topic: string;
  readonly clientId: string;
  /**
   * isolation.level=read_committed (Kafka Connect's offsets and config readers with
   * exactly-once source support): only committed transactions' records are delivered, and
   * readToEnd() waits until every transaction open below the end is decided.
   */
  readonly readCommitted?: boolean;
}

export interface KafkaClient {
  producer(request: ProducerRequest): RecordProducer;
  /** A producer with the request's properties layered as producer() does, made transactional. */
  transactionalProducer(request: TransactionalProducerRequest): TransactionalProducer;
  /** Reads with the internal (un-prefixed) settings. */
  topicReader(request: TopicReaderRequest): TopicReader;
  admin(request: AdminRequest): TopicAdmin;
  sinkConsumer(options: SinkConsumerOptions): SinkConsumer;
  /** Stops and closes everything this client created. */
  close(): Promise<void>;
}

export interface KafkaClientOptions {
  /** bootstrap.servers: a comma-separated string or a list of host:port. */
  readonly bootstrapServers: string | readonly string[];
  /** Worker client.id; prefixes nothing, used when a request has none. */
  readonly clientId: string;
  /** Un-prefixed worker properties: the settings of internal-topic clients (security.protocol, sasl.*, ssl.*, ...). */
  readonly properties?: Readonly<Record<string, string>>;
  /** producer.* worker properties without the prefix: the base of connector producers. */
  readonly producer?: Readonly<Record<string, string>>;
  /** consumer.* worker properties without the prefix: the base of sink consumers. */
  readonly consumer?: Readonly<Record<string, string>>;
  /** admin.* worker properties without the prefix: the base of connector admin clients. */
  readonly admin?: Readonly<Record<string, string>>;
  readonly logger: Logger;
}
