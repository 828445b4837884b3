/**
 * Kafka clusters a connector reaches with clients of its own, besides the worker's cluster that
 * the runtime produces source records to (MirrorMaker's source and target clusters). The
 * runtime implements this on ferry's wire client; connectors see only these interfaces.
 *
 * Rules:
 * - `connect` does not contact the cluster; the first operation does. The caller closes the
 *   client it opened (the runtime also closes what a task or connector left open when it stops).
 * - Admin operations retry retriable errors (unreachable brokers, leader moves, coordinator
 *   loading) with back-off until `default.api.timeout.ms` (60 s) and then reject with the
 *   broker's error name in the message.
 * - A PartitionReader never gives up: while a broker is unreachable it retries in the
 *   background with back-off and `poll` returns what it has (maybe nothing); reading resumes at
 *   the same positions when the broker is back.
 * - Offsets are numbers (exact up to 2^53). Reader positions and committed offsets are "next
 *   offsets", as in Kafka.
 */

/** Kafka client properties as Java clients take them (`bootstrap.servers`, `security.protocol`, `sasl.*`, `ssl.*`, `client.id`, `fetch.*`, `batch.size`, `linger.ms`, `acks`, ...). Properties a client does not use are ignored. */
export type ClientProperties = Readonly<Record<string, string>>;

export interface KafkaClusters {
  connect(properties: ClientProperties, options: { readonly clientId: string }): ClusterClient;
}

export interface ClusterClient {
  /** One admin client per cluster client, created on first use. */
  admin(): ClusterAdmin;
  /** A new producer with the properties' producer settings (acks=all unless set). */
  producer(): ClusterProducer;
  /** A new group-less reader with the properties' consumer settings (`auto.offset.reset`, `fetch.max.bytes`, `max.partition.fetch.bytes`, `fetch.max.wait.ms`, `fetch.min.bytes`). */
  reader(): PartitionReader;
  /** Closes every admin, producer and reader made from this client. */
  close(): Promise<void>;
}

export interface ClusterRecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record as read: key, value and header values are views into the fetched bytes, not copies. */
export interface ClusterRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly ClusterRecordHeader[];
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
}

export interface ClusterPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ClusterPartitionOffset extends ClusterPartition {
  readonly offset: number;
}

export interface CommittedOffset extends ClusterPartitionOffset {
  readonly metadata: string;
}

export interface NewClusterTopic {
  readonly name: string;
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/** Kafka's consumer group states (ListGroups/DescribeGroups), 'Unknown' for anything else. */
export type GroupState = 'Empty' | 'Stable' | 'PreparingRebalance' | 'CompletingRebalance' | 'Dead' | 'Unknown';

export interface ClusterAdmin {
  /** Every topic name, internal topics (`__consumer_offsets`, `__transaction_state`) included. */
  listTopics(): Promise<string[]>;
  /** Partition counts of the named topics; topics that do not exist are absent. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Creates the topic; false when it already existed. Resolves once every partition has a leader. */
  createTopic(topic: NewClusterTopic): Promise<boolean>;
  /** Grows the topic to `totalPartitions` (CreatePartitions); nothing happens if it has that many already. */
  createPartitions(topic: string, totalPartitions: number): Promise<void>;
  /** Configs set on the topic itself (DescribeConfigs source TOPIC_CONFIG, not broker defaults); sensitive ones left out. */
  topicConfigOverrides(topic: string): Promise<Record<string, string>>;
  /** Every config of the topic as it applies (set on the topic, or the broker's default); sensitive ones and those without a value left out. */
  topicConfigs(topic: string): Promise<Record<string, string>>;
  /** Sets these configs on the topic (IncrementalAlterConfigs SET), leaving the others as they are. */
  alterTopicConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void>;
  /** Ids of the consumer groups the cluster knows (ListGroups on every broker; protocol type `consumer` or empty). */
  listGroups(): Promise<string[]>;
  /** States of the given groups (DescribeGroups); a group the cluster does not know is 'Dead'. */
  groupStates(groups: readonly string[]): Promise<Map<string, GroupState>>;
  /** Every committed offset of the group (none for an unknown group). */
  groupOffsets(group: string): Promise<CommittedOffset[]>;
  /** Commits offsets outside any generation; rejects when the group has active members. */
  alterGroupOffsets(group: string, offsets: readonly (ClusterPartitionOffset & { readonly metadata?: string })[]): Promise<void>;
  /** Log end offset (high watermark) of every partition of the topic. */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Log start offset of every partition of the topic. */
  beginningOffsets(topic: string): Promise<Map<number, number>>;
}

export interface ClusterOutgoingRecord {
  readonly topic: string;
  /** Absent: murmur2(key) for keyed records, spread otherwise. */
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly ClusterRecordHeader[];
  /** Absent: the time of sending. */
  readonly timestamp?: number;
}

export interface ClusterProducer {
  /** Resolves with each record's partition and offset, in order, once all are acknowledged. */
  send(records: readonly ClusterOutgoingRecord[]): Promise<ClusterPartitionOffset[]>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Where reading a partition starts: a next offset, or the log start or end. */
export type StartOffset = number | 'earliest' | 'latest';

/**
 * A group-less consumer of assigned partitions (KafkaConsumer.assign + seek). It fetches ahead
 * in the background, with one fetch per broker in flight and at most `fetch.max.bytes` (50 MiB
 * default) of fetched records waiting for `poll`, so the caller's processing overlaps the next
 * fetch. An offset out of range moves the partition by `auto.offset.reset` (earliest default;
 * `none` leaves it parked and logs).
 */
export interface PartitionReader {
  /** Adds partitions (a partition already assigned is repositioned). */
  assign(partitions: readonly (ClusterPartition & { readonly offset: StartOffset })[]): void;
  /** Stops reading these partitions; records of them not yet polled are dropped. */
  unassign(partitions: readonly ClusterPartition[]): void;
  assignment(): ClusterPartition[];
  /**
   * Records fetched since the last poll, in offset order per partition, at most `maxRecords`.
   * Waits up to `maxWaitMs` for some when there are none; resolves [] on timeout or abort.
   * After close, polls resolve [] once `maxWaitMs` passed (or on abort), never at once, so a
   * poll loop that missed the close does not spin.
   */
  poll(options: { readonly maxWaitMs: number; readonly maxRecords?: number; readonly signal?: AbortSignal }): Promise<ClusterRecord[]>;
  /** The next offset `poll` returns for the partition; undefined while not assigned or still being resolved. */
  position(partition: ClusterPartition): number | undefined;
  close(): Promise<void>;
}
