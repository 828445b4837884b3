/**
 * In-memory Kafka clusters behind the SDK's KafkaClusters interface, for unit tests of mirror
 * connectors and tasks: topics with partitions of records, consumer groups with states and
 * committed offsets, readers that wait for records, and switches to make operations fail.
 * A client reaches the cluster its `bootstrap.servers` names.
 */
import type {
  ClientProperties, ClusterAdmin, ClusterClient, ClusterOutgoingRecord, ClusterPartition, ClusterPartitionOffset, ClusterProducer,
  ClusterRecord, CommittedOffset, GroupState, KafkaClusters, NewClusterTopic, PartitionReader, StartOffset,
} from '../../../../connectors/sdk/kafka-clusters.js';

interface FakeTopic {
  readonly partitions: ClusterRecord[][];
  readonly replicationFactor: number;
  readonly configs: Record<string, string>;
}

interface FakeGroup {
  state: GroupState;
  readonly offsets: Map<string, { offset: number; metadata: string }>;
}

export class FakeCluster {
  readonly topics = new Map<string, FakeTopic>();
  readonly groups = new Map<string, FakeGroup>();
  /** Thrown by createTopic when set. */
  createTopicError: Error | undefined;
  /** Every admin call throws this while set (an unreachable cluster). */
  unreachable: Error | undefined;
  /** The most records one poll returns (to expose code that acts before reading to the end). */
  maxRecordsPerPoll = 500;
  readonly calls: string[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(readonly name: string) {}

  createTopic(name: string, partitions: number, options: { replicationFactor?: number; configs?: Record<string, string> } = {}): void {
    if (this.topics.has(name)) return;
    this.topics.set(name, { partitions: Array.from({ length: partitions }, () => []), replicationFactor: options.replicationFactor ?? 1, configs: { ...options.configs } });
  }

  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp = Date.now()): number {
    if (!this.topics.has(topic)) this.createTopic(topic, partition + 1);
    const log = this.topics.get(topic)!.partitions[partition];
    if (log === undefined) throw new Error(`${this.name}: ${topic} has no partition ${partition}`);
    const offset = log.length;
    log.push({ topic, partition, offset, key, value, headers: [], timestamp, timestampType: 'CreateTime' });
    for (const l of this.#listeners) l();
    return offset;
  }

  records(topic: string, partition = 0): ClusterRecord[] {
    return this.topics.get(topic)?.partitions[partition] ?? [];
  }

  commit(group: string, topic: string, partition: number, offset: number, metadata = ''): void {
    this.#group(group).offsets.set(`${topic}\u0000${partition}`, { offset, metadata });
  }

  setGroupState(group: string, state: GroupState): void {
    this.#group(group).state = state;
  }

  committed(group: string): Map<string, number> {
    const g = this.groups.get(group);
    return new Map([...(g?.offsets ?? [])].map(([k, v]) => [k.replace('\u0000', '-'), v.offset]));
  }

  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #group(group: string): FakeGroup {
    let g = this.groups.get(group);
    if (!g) {
      g = { state: 'Empty', offsets: new Map() };
      this.groups.set(group, g);
    }
    return g;
  }

  admin(): ClusterAdmin {
    const check = (what: string) => {
      this.calls.push(what);
      if (this.unreachable) throw this.unreachable;
    };
    return {
      listTopics: async () => { check('listTopics'); return [...this.topics.keys()]; },
      partitionCounts: async (topics) => {
        check('partitionCounts');
        return new Map(topics.filter((t) => this.topics.has(t)).map((t) => [t, this.topics.get(t)!.partitions.length]));
      },
      createTopic: async (t: NewClusterTopic) => {
        check(`createTopic ${t.name}`);
        if (this.createTopicError) throw this.createTopicError;
        if (this.topics.has(t.name)) return false;
        this.createTopic(t.name, t.partitions, { replicationFactor: t.replicationFactor, configs: { ...t.configs } });
        return true;
      },
      createPartitions: async () => { check('createPartitions'); },
      topicConfigOverrides: async (topic) => { check('topicConfigOverrides'); return { ...this.topics.get(topic)?.configs }; },
      topicConfigs: async (topic) => { check('topicConfigs'); return { ...this.topics.get(topic)?.configs }; },
      alterTopicConfigs: async () => { check('alterTopicConfigs'); },
      listGroups: async () => { check('listGroups'); return [...this.groups.keys()]; },
      groupStates: async (groups) => { check('groupStates'); return new Map(groups.map((g) => [g, this.groups.get(g)?.state ?? 'Dead'])); },
      groupOffsets: async (group): Promise<CommittedOffset[]> => {
        check(`groupOffsets ${group}`);
        return [...(this.groups.get(group)?.offsets ?? [])].map(([k, v]) => {
          const [topic, partition] = k.split('\u0000');
          return { topic: topic!, partition: Number(partition), offset: v.offset, metadata: v.metadata };
        });
      },
      alterGroupOffsets: async (group, offsets) => {
        check(`alterGroupOffsets ${group}`);
        const state = this.groups.get(group)?.state;
        if (state !== undefined && state !== 'Empty' && state !== 'Dead') throw new Error(`UNKNOWN_MEMBER_ID: group ${group} has active members`);
        for (const o of offsets) this.commit(group, o.topic, o.partition, o.offset, o.metadata ?? '');
        this.#group(group).state = 'Empty';
      },
      endOffsets: async (topic) => {
        check('endOffsets');
        const t = this.topics.get(topic);
        if (!t) throw new Error(`UNKNOWN_TOPIC_OR_PARTITION: ${topic}`);
        return new Map(t.partitions.map((p, i) => [i, p.length]));
      },
      beginningOffsets: async (topic) => {
        check('beginningOffsets');
        return new Map((this.topics.get(topic)?.partitions ?? []).map((_, i) => [i, 0]));
      },
    };
  }

  reader(): PartitionReader {
    const positions = new Map<string, { topic: string; partition: number; next: number }>();
    let closed = false;
    const key = (p: ClusterPartition) => `${p.topic}\u0000${p.partition}`;
    const available = () => {
      const out: ClusterRecord[] = [];
      for (const p of positions.values()) {
        const log = this.records(p.topic, p.partition);
        while (p.next < log.length && out.length < this.maxRecordsPerPoll) out.push(log[p.next++]!);
      }
      return out;
    };
    return {
      assign: (partitions: readonly (ClusterPartition & { readonly offset: StartOffset })[]) => {
        for (const p of partitions) {
          const end = this.records(p.topic, p.partition).length;
          positions.set(key(p), { topic: p.topic, partition: p.partition, next: p.offset === 'earliest' ? 0 : p.offset === 'latest' ? end : p.offset });
        }
      },
      unassign: (partitions) => { for (const p of partitions) positions.delete(key(p)); },
      assignment: () => [...positions.values()].map(({ topic, partition }) => ({ topic, partition })),
      poll: async ({ maxWaitMs, signal }) => {
        const now = available();
        if (now.length > 0 || closed) return now;
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(timer); off(); signal?.removeEventListener('abort', done); resolve(); };
          const timer = setTimeout(done, maxWaitMs);
          const off = this.onAppend(done);
          signal?.addEventListener('abort', done, { once: true });
        });
        return closed ? [] : available();
      },
      position: (p) => positions.get(key(p))?.next,
      close: async () => { closed = true; positions.clear(); },
    };
  }

  producer(): ClusterProducer {
    return {
      send: async (records: readonly ClusterOutgoingRecord[]): Promise<ClusterPartitionOffset[]> =>
        records.map((r) => ({ topic: r.topic, partition: r.partition ?? 0, offset: this.append(r.topic, r.partition ?? 0, r.key, r.value, r.timestamp) })),
      flush: async () => {},
      close: async () => {},
    };
  }
}

export interface Connection {
  readonly cluster: string;
  readonly clientId: string;
  readonly properties: ClientProperties;
  closed: boolean;
}

export class FakeKafka implements KafkaClusters {
  readonly connections: Connection[] = [];
  readonly #clusters: Map<string, FakeCluster>;

  constructor(...clusters: FakeCluster[]) {
    this.#clusters = new Map(clusters.map((c) => [c.name, c]));
  }

  connect(properties: ClientProperties, options: { readonly clientId: string }): ClusterClient {
    const name = properties['bootstrap.servers'] ?? '';
    const cluster = this.#clusters.get(name);
    if (!cluster) throw new Error(`no fake cluster at ${name}`);
    const connection: Connection = { cluster: name, clientId: options.clientId, properties, closed: false };
    this.connections.push(connection);
    const readers: PartitionReader[] = [];
    let admin: ClusterAdmin | undefined;
    return {
      admin: () => (admin ??= cluster.admin()),
      producer: () => cluster.producer(),
      reader: () => {
        const r = cluster.reader();
        readers.push(r);
        return r;
      },
      close: async () => {
        connection.closed = true;
        await Promise.all(readers.map((r) => r.close()));
      },
    };
  }

  /** Connections not closed yet. */
  open(): Connection[] {
    return this.connections.filter((c) => !c.closed);
  }
}
