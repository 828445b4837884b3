/**
 * ClusterClient (connectors/sdk/kafka-clusters.ts) on ferry's wire client: the admin,
 * producers and readers a connector opens against a cluster of its own choosing.
 *
 * The properties are parsed when the client is made, so bad security or bootstrap settings
 * fail at connect; nothing reaches the cluster until the first operation. The admin, each
 * producer and each reader get a WireCluster (connections, metadata) of their own: a reader's
 * long polls and a producer's requests never queue behind each other, and closing one closes
 * its connections. The `clientId` given at connect wins over a `client.id` property.
 *
 * Settings: the admin takes the common client settings (client-settings.ts); producers the
 * producer settings (acks=all unless set) and batch.size; readers the consumer settings, with
 * auto.offset.reset earliest unless set and `none` honoured (the partition is parked).
 */
import type { Logger } from 'pino';
import type {
  ClientProperties, ClusterAdmin, ClusterClient, ClusterOutgoingRecord, ClusterPartitionOffset, ClusterProducer,
  CommittedOffset, GroupState, NewClusterTopic, PartitionReader,
} from '../../connectors/sdk/kafka-clusters.js';
import {
  KafkaClientConfigError, parseBatchSize, parseCommonSettings, parseConsumerSettings, parseProducerSettings, type SettingsBase,
} from './client-settings.js';
import type { OutgoingRecord, RecordHeader } from './kafka-client.js';
import { WireCluster } from './wire/wire-cluster.js';
import { partitionReaderSettings, WirePartitionReader } from './wire/wire-partition-reader.js';
import { WireRecordProducer } from './wire/wire-record-producer.js';
import { WireTopicAdmin } from './wire/wire-topic-admin.js';

const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);
const GROUP_STATES = new Set<GroupState>(['Empty', 'Stable', 'PreparingRebalance', 'CompletingRebalance', 'Dead']);

interface Closable {
  close(): Promise<void>;
}

export class WireClusterClient implements ClusterClient {
  readonly #properties: ClientProperties;
  readonly #clientId: string;
  readonly #logger: Logger;
  readonly #onClose: () => void;
  readonly #open = new Set<Closable>();
  #admin: ClusterAdmin | undefined;
  #closing: Promise<void> | undefined;

  /** `onClose` runs once, when close() is called. */
  constructor(properties: ClientProperties, clientId: string, logger: Logger, onClose: () => void = () => {}) {
    this.#properties = { ...properties, 'client.id': clientId };
    this.#clientId = clientId;
    this.#logger = logger;
    this.#onClose = onClose;
    parseCommonSettings(this.#properties, this.#base('client'), 'client');
  }

  admin(): ClusterAdmin {
    if (this.#admin) return this.#admin;
    const base = this.#base('admin');
    const admin = new WireTopicAdmin(WireCluster.fromSettings(parseCommonSettings(this.#properties, base), base.logger), { ownsCluster: true });
    this.#admin = new WireClusterAdmin(this.#track(admin));
    return this.#admin;
  }

  producer(): ClusterProducer {
    const base = this.#base('producer');
    const { 'batch.size': batchSize, ...rest } = this.#properties;
    const settings = parseProducerSettings(rest, base);
    const producer = new WireRecordProducer(WireCluster.fromSettings(settings, base.logger), settings, base.logger, {
      batchSizeBytes: parseBatchSize(batchSize),
      ownsCluster: true,
    });
    return new WireClusterProducer(this.#track(producer));
  }

  reader(): PartitionReader {
    const base = this.#base('reader');
    const reset = (this.#properties['auto.offset.reset'] ?? 'earliest').trim().toLowerCase() || 'earliest';
    if (reset !== 'earliest' && reset !== 'latest' && reset !== 'none') {
      throw new KafkaClientConfigError(`auto.offset.reset must be earliest, latest or none, got "${reset}"`);
    }
    const settings = parseConsumerSettings({ ...this.#properties, 'auto.offset.reset': reset === 'none' ? 'earliest' : reset }, base);
    const reader = new WirePartitionReader(WireCluster.fromSettings(settings, base.logger), partitionReaderSettings(settings, reset), base.logger, {
      ownsCluster: true,
    });
    return this.#track(reader);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#onClose();
      const open = [...this.#open];
      this.#open.clear();
      await Promise.allSettled(open.map((c) => c.close()));
    })();
    return this.#closing;
  }

  #base(client: string): SettingsBase {
    if (this.#closing) throw new Error('the cluster client is closed');
    return {
      bootstrap: this.#properties['bootstrap.servers'] ?? [],
      clientId: this.#clientId,
      logger: this.#logger.child({ kafkaClient: client }),
    };
  }

  /** Remembers `client` until it is closed, so close() reaches everything still open. */
  #track<T extends Closable>(client: T): T {
    const original = client.close.bind(client);
    this.#open.add(client);
    client.close = () => {
      this.#open.delete(client);
      return original();
    };
    return client;
  }
}

class WireClusterProducer implements ClusterProducer {
  constructor(readonly producer: WireRecordProducer) {}

  send(records: readonly ClusterOutgoingRecord[]): Promise<ClusterPartitionOffset[]> {
    let complete = true;
    for (let i = 0; i < records.length; i++) {
      if (records[i]!.headers === undefined) {
        complete = false;
        break;
      }
    }
    const outgoing = complete ? records as readonly OutgoingRecord[] : records.map((r) => ({ ...r, headers: r.headers ?? NO_HEADERS }));
    return this.producer.send(outgoing);
  }

  flush(): Promise<void> {
    return this.producer.flush();
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

class WireClusterAdmin implements ClusterAdmin {
  constructor(readonly admin: WireTopicAdmin) {}

  listTopics(): Promise<string[]> {
    return this.admin.listTopics({ internal: true });
  }

  partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    return this.admin.partitionCounts(topics);
  }

  async createTopic(topic: NewClusterTopic): Promise<boolean> {
    return (await this.admin.ensureTopic(topic)).created;
  }

  createPartitions(topic: string, totalPartitions: number): Promise<void> {
    return this.admin.createPartitions(topic, totalPartitions);
  }

  topicConfigOverrides(topic: string): Promise<Record<string, string>> {
    return this.admin.topicConfigOverrides(topic);
  }

  async topicConfigs(topic: string): Promise<Record<string, string>> {
    const configs: Record<string, string> = {};
    for (const [name, value] of Object.entries(await this.admin.describeTopicConfigs(topic))) {
      if (value !== null) configs[name] = value;
    }
    return configs;
  }

  alterTopicConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
    return this.admin.alterTopicConfigs(topic, configs);
  }

  async listGroups(): Promise<string[]> {
    const groups = await this.admin.listGroups();
    return groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
  }

  async groupStates(groups: readonly string[]): Promise<Map<string, GroupState>> {
    const states = await this.admin.describeGroupStates(groups);
    return new Map([...states].map(([group, state]) => [group, GROUP_STATES.has(state as GroupState) ? state as GroupState : 'Unknown']));
  }

  groupOffsets(group: string): Promise<CommittedOffset[]> {
    return this.admin.committedOffsets(group);
  }

  alterGroupOffsets(group: string, offsets: readonly (ClusterPartitionOffset & { readonly metadata?: string })[]): Promise<void> {
    return this.admin.alterGroupOffsets(group, offsets);
  }

  endOffsets(topic: string): Promise<Map<number, number>> {
    return this.admin.endOffsets(topic);
  }

  beginningOffsets(topic: string): Promise<Map<number, number>> {
    return this.admin.beginningOffsets(topic);
  }
}
