/**
 * The schema history on a Kafka topic, as Debezium's KafkaSchemaHistory keeps it: one partition,
 * `cleanup.policy=delete`, infinite retention (created so when missing), one JSON record per DDL
 * (see history-record.ts), null keys.
 *
 * Ordering rule: `record()` resolves only once the broker acknowledged the record (acks=all,
 * one request in flight), so the task emits the change events that follow a DDL only after the
 * DDL is durable — history before data. Recovery reads from the beginning to the end offset
 * taken when it starts and applies every record whose position the caller accepts as at or
 * before the restart offset: a record's tableChanges when present, otherwise its DDL re-parsed
 * (database statements, records written without tableChanges).
 *
 * The history reaches Kafka through one client of the task's KafkaClusters (its admin, one
 * producer, and a group-less reader per recovery), with the properties history-kafka-settings.ts
 * derives; records of any compression codec are read.
 *
 * Not thread-safe: one task owns one history.
 */
import type { ClusterAdmin, ClusterClient, ClusterProducer, KafkaClusters } from '../../sdk/kafka-clusters.js';
import type { Flavor } from './column-type.js';
import {
  historyRecordJson, tableChangeFromJson, type HistoryRecordJson,
} from './history-record.js';
import { historyClientProperties, withPrefix } from './history-kafka-settings.js';
import { SchemaModel, type SchemaChange } from './schema-model.js';
import type { TableId } from './table-definition.js';

/** The history topic's only partition. */
const PARTITION = 0;
/** How long one poll of the recovery reader waits for records. */
const RECOVERY_POLL_MS = 100;

export const HISTORY_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '9223372036854775807',
  'retention.bytes': '-1',
};

export const HISTORY_MISSING_MESSAGE = 'The db history topic or its content is fully or partially missing. '
  + 'Please check database schema history topic configuration and re-execute the snapshot.';

/** The history cannot rebuild the schema for the stored offsets. */
export class SchemaHistoryMissingError extends Error {
  override readonly name = 'SchemaHistoryMissingError';
  constructor(topic: string, detail: string) {
    super(`${HISTORY_MISSING_MESSAGE} (topic '${topic}': ${detail}.) To rebuild the history from the tables as they are now, `
      + 'restart the connector once with snapshot.mode=recovery, making sure no schema change happened since the stored offset.');
  }
}

export interface HistoryFilter {
  isDatabaseIncluded(database: string): boolean;
  isTableIncluded(id: TableId): boolean;
}

export interface HistoryLogger {
  warn(message: string): void;
  info(message: string): void;
}

export interface SchemaHistoryOptions {
  topic: string;
  bootstrapServers: string;
  /** Where the history's client comes from (the task context's `kafka`). */
  clusters: KafkaClusters;
  /** Connector name: the default client id (`<name>-schemahistory`). */
  name: string;
  /** The record's `source`, `{ server: <topic.prefix> }`. */
  source: Record<string, unknown>;
  flavor?: Flavor;
  /** `schema.history.internal.producer.*` without the prefix. */
  producer?: Record<string, string>;
  /** `schema.history.internal.consumer.*` without the prefix. */
  consumer?: Record<string, string>;
  skipUnparseableDdl?: boolean;
  storeOnlyCapturedTablesDdl?: boolean;
  storeOnlyCapturedDatabasesDdl?: boolean;
  /** Which tables/databases are captured (for the two store-only settings). */
  filter?: HistoryFilter;
  /** How long open() waits for the topic to be created. */
  createTimeoutMs?: number;
  /** How long recovery waits for records up to the end offset (attempts × poll interval). */
  recoveryTimeoutMs?: number;
  logger?: HistoryLogger;
}

/** Reads the `schema.history.internal.*` settings of a connector configuration. */
export function schemaHistoryOptionsFrom(config: Record<string, unknown>, name: string, topicPrefix: string): Omit<SchemaHistoryOptions, 'clusters'> {
  const p = 'schema.history.internal.';
  const str = (key: string): string | undefined => (config[p + key] === undefined ? undefined : String(config[p + key]));
  const bool = (key: string) => str(key)?.toLowerCase() === 'true';
  const topic = str('kafka.topic');
  const bootstrapServers = str('kafka.bootstrap.servers');
  if (!topic) throw new Error('schema.history.internal.kafka.topic is required');
  if (!bootstrapServers) throw new Error('schema.history.internal.kafka.bootstrap.servers is required');
  const attempts = Number(str('kafka.recovery.attempts') ?? 100);
  const interval = Number(str('kafka.recovery.poll.interval.ms') ?? 100);
  return {
    topic,
    bootstrapServers,
    name,
    source: { server: topicPrefix },
    producer: withPrefix(config, `${p}producer.`),
    consumer: withPrefix(config, `${p}consumer.`),
    skipUnparseableDdl: bool('skip.unparseable.ddl'),
    storeOnlyCapturedTablesDdl: bool('store.only.captured.tables.ddl'),
    storeOnlyCapturedDatabasesDdl: bool('store.only.captured.databases.ddl'),
    createTimeoutMs: Number(str('kafka.create.timeout.ms') ?? 30000),
    recoveryTimeoutMs: Math.max(attempts * interval, 10_000),
  };
}

/**
 * Settles as `work` does, or rejects with `timeoutError()` after `timeoutMs`; `work`'s signal is
 * aborted either way once this settles.
 */
async function withDeadline<T>(timeoutMs: number, timeoutError: () => Error, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(timeoutError()), timeoutMs); });
  try {
    return await Promise.race([work(abort.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

export class KafkaSchemaHistory {
  private client: ClusterClient | null = null;
  private producer: ClusterProducer | null = null;

  constructor(private readonly options: SchemaHistoryOptions) {}

  get topic(): string {
    return this.options.topic;
  }

  /**
   * Connects; creates the topic (one partition, delete policy, infinite retention) if it is missing
   * and `createIfMissing` (pass false when offsets exist, then call checkRecoverable()).
   */
  async open(createIfMissing = true): Promise<void> {
    const properties = historyClientProperties(this.options.bootstrapServers, this.options.producer ?? {}, this.options.consumer ?? {});
    this.client = this.options.clusters.connect(properties, { clientId: properties['client.id'] ?? `${this.options.name}-schemahistory` });
    const exists = await this.storageExists();
    if (!exists && createIfMissing) {
      const timeoutMs = this.options.createTimeoutMs ?? 30000;
      await withDeadline(timeoutMs, () => new Error(`Creating the schema history topic '${this.options.topic}' took longer than ${timeoutMs} ms`),
        () => this.requireAdmin().createTopic({ name: this.options.topic, partitions: 1, replicationFactor: -1, configs: HISTORY_TOPIC_CONFIGS }));
    } else if (exists) {
      await this.warnAboutTopicSettings();
    }
    this.producer = this.client.producer();
  }

  private requireClient(): ClusterClient {
    if (!this.client) throw new Error('schema history is not open');
    return this.client;
  }

  private requireAdmin(): ClusterAdmin {
    return this.requireClient().admin();
  }

  /** The topic exists (it may be empty). */
  async storageExists(): Promise<boolean> {
    const topics = await this.requireAdmin().listTopics();
    return topics.includes(this.options.topic);
  }

  private async offsets(): Promise<{ low: number; high: number }> {
    const admin = this.requireAdmin();
    const [low, high] = await Promise.all([admin.beginningOffsets(this.options.topic), admin.endOffsets(this.options.topic)]);
    return { low: low.get(PARTITION) ?? 0, high: high.get(PARTITION) ?? 0 };
  }

  /** The topic exists and holds at least one record (Debezium's `exists()`). */
  async exists(): Promise<boolean> {
    if (!(await this.storageExists())) return false;
    const { low, high } = await this.offsets();
    return high > low;
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.exists());
  }

  /**
   * Throws SchemaHistoryMissingError when offsets exist but the history cannot rebuild the schema:
   * the topic is missing or empty, or retention already removed its first records.
   */
  async checkRecoverable(): Promise<void> {
    if (!(await this.storageExists())) throw new SchemaHistoryMissingError(this.options.topic, 'the topic does not exist');
    const { low, high } = await this.offsets();
    if (high === low) throw new SchemaHistoryMissingError(this.options.topic, 'the topic is empty');
    if (low > 0) throw new SchemaHistoryMissingError(this.options.topic, `its first ${low} records were deleted`);
  }

  private async warnAboutTopicSettings(): Promise<void> {
    try {
      const configs = await this.requireAdmin().topicConfigs(this.options.topic);
      const entries = new Map(Object.keys(HISTORY_TOPIC_CONFIGS).map((name) => [name, configs[name]]));
      if (entries.get('cleanup.policy') !== undefined && entries.get('cleanup.policy') !== 'delete') {
        this.options.logger?.warn(`Database schema history topic '${this.options.topic}' option 'cleanup.policy' should be 'delete' but is '${entries.get('cleanup.policy')}'`);
      }
      const bytes = entries.get('retention.bytes');
      if (bytes !== undefined && bytes !== '-1') {
        this.options.logger?.warn(`Database schema history topic '${this.options.topic}' option 'retention.bytes' should be '-1' but is '${bytes}'`);
      }
      const ms = entries.get('retention.ms');
      if (ms !== undefined && ms !== '-1' && BigInt(ms) < 5n * 365n * 86_400_000n) {
        this.options.logger?.warn(`Database schema history topic '${this.options.topic}' option 'retention.ms' should be '-1' or greater than 5 years but is '${ms}'`);
      }
      const partitions = (await this.requireAdmin().partitionCounts([this.options.topic])).get(this.options.topic);
      if (partitions !== undefined && partitions !== 1) {
        this.options.logger?.warn(`Database schema history topic '${this.options.topic}' should have one partition but has '${partitions}'`);
      }
    } catch (err) {
      this.options.logger?.info(`Attempted to validate database schema history topic but failed: ${String(err)}`);
    }
  }

  /**
   * Whether a DDL should be stored under the store-only-captured settings: database-scoped DDL of
   * a database not captured, or table changes that touch no captured table, are left out.
   */
  shouldStore(databaseName: string | null, changes: readonly Pick<SchemaChange, 'id' | 'previousId'>[]): boolean {
    const filter = this.options.filter;
    if (!filter) return true;
    if (this.options.storeOnlyCapturedDatabasesDdl && databaseName && !filter.isDatabaseIncluded(databaseName)) return false;
    if (this.options.storeOnlyCapturedTablesDdl && changes.length > 0) {
      return changes.some((c) => filter.isTableIncluded(c.id) || (c.previousId !== undefined && filter.isTableIncluded(c.previousId)));
    }
    return true;
  }

  /**
   * Appends one history record and resolves once the broker has it. Returns false (nothing
   * written) when the store-only-captured settings leave the DDL out.
   */
  async record(
    position: Record<string, unknown>,
    databaseName: string | null,
    ddl: string | null,
    changes: readonly Pick<SchemaChange, 'type' | 'id' | 'previousId' | 'table'>[],
    extra: { timestampMs?: number; schemaName?: string | null } = {},
  ): Promise<boolean> {
    if (!this.producer) throw new Error('schema history is not open');
    if (!this.shouldStore(databaseName, changes)) return false;
    const json = historyRecordJson({
      source: this.options.source, position, timestampMs: extra.timestampMs ?? Date.now(), databaseName,
      schemaName: extra.schemaName ?? null, ddl, changes,
    });
    await this.producer.send([{ topic: this.options.topic, partition: PARTITION, key: null, value: Buffer.from(JSON.stringify(json)) }]);
    return true;
  }

  /**
   * Rebuilds the schema from every record up to the end offset that `isAtOrBefore` accepts (the
   * caller compares the record's position with the restart offset). Records of another source
   * (`source` differs) are skipped.
   */
  async recover(isAtOrBefore: (position: Record<string, unknown>, record: HistoryRecordJson) => boolean, model?: SchemaModel): Promise<SchemaModel> {
    const schema = model ?? new SchemaModel({ flavor: this.options.flavor });
    const { low, high } = await this.offsets();
    if (high <= low) return schema;
    const reader = this.requireClient().reader();
    const partition = { topic: this.options.topic, partition: PARTITION };
    const sourceText = JSON.stringify(this.options.source);
    const timeoutMs = this.options.recoveryTimeoutMs ?? 10_000;
    try {
      reader.assign([{ ...partition, offset: 'earliest' }]);
      await withDeadline(timeoutMs,
        () => new Error(`Schema history recovery read no record up to offset ${high - 1} of '${this.options.topic}' within ${timeoutMs} ms`),
        async (signal) => {
          while (!signal.aborted && (reader.position(partition) ?? -1) < high) {
            for (const message of await reader.poll({ maxWaitMs: RECOVERY_POLL_MS, signal })) {
              if (message.offset >= high) break;
              const record = JSON.parse(message.value?.toString('utf8') ?? 'null') as HistoryRecordJson | null;
              if (record && JSON.stringify(record.source) === sourceText && isAtOrBefore(record.position ?? {}, record)) {
                this.applyRecord(schema, record);
              }
            }
          }
        });
    } finally {
      await reader.close();
    }
    return schema;
  }

  private applyRecord(schema: SchemaModel, record: HistoryRecordJson): void {
    const changes = record.tableChanges ?? [];
    if (changes.length > 0) {
      for (const change of changes) schema.applyChange(tableChangeFromJson(change, schema.flavor));
      return;
    }
    if (!record.ddl) return;
    try {
      schema.applyStatements(record.ddl, record.databaseName ?? null);
    } catch (err) {
      if (!this.options.skipUnparseableDdl) throw err;
      this.options.logger?.warn(`Ignoring unparseable statements '${record.ddl}' stored in database schema history: ${String(err)}`);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.producer = null;
    this.client = null;
    await client?.close();
  }
}
