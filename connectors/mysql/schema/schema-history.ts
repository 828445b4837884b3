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
 * Not thread-safe: one task owns one history.
 */
import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Kafka as KafkaClient, type Producer } from 'kafkajs';
import type { Flavor } from './column-type.js';
import {
  historyRecordJson, tableChangeFromJson, type HistoryRecordJson,
} from './history-record.js';
import { kafkajsSettings, withPrefix } from './history-kafka-settings.js';
import { SchemaModel, type SchemaChange } from './schema-model.js';
import type { TableId } from './table-definition.js';

const { Kafka, logLevel } = kafkajs;

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
  /** Connector name: default client ids and consumer group (`<name>-schemahistory`). */
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
  createTimeoutMs?: number;
  /** How long recovery waits for records up to the end offset (attempts × poll interval). */
  recoveryTimeoutMs?: number;
  logger?: HistoryLogger;
}

/** Reads the `schema.history.internal.*` settings of a connector configuration. */
export function schemaHistoryOptionsFrom(config: Record<string, unknown>, name: string, topicPrefix: string): SchemaHistoryOptions {
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

export class KafkaSchemaHistory {
  private readonly kafka: KafkaClient;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private readonly settings: ReturnType<typeof kafkajsSettings>;

  constructor(private readonly options: SchemaHistoryOptions) {
    this.settings = kafkajsSettings(options.producer ?? {}, options.consumer ?? {});
    if (this.settings.unsupported.length > 0) {
      options.logger?.warn(`schema history: no kafkajs equivalent for ${this.settings.unsupported.join(', ')}; ignored`);
    }
    this.kafka = new Kafka({
      brokers: options.bootstrapServers.split(',').map((s) => s.trim()).filter((s) => s !== ''),
      clientId: `${options.name}-schemahistory`,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 8 },
      ...this.settings.client,
    });
  }

  get topic(): string {
    return this.options.topic;
  }

  /**
   * Connects; creates the topic (one partition, delete policy, infinite retention) if it is missing
   * and `createIfMissing` (pass false when offsets exist, then call checkRecoverable()).
   */
  async open(createIfMissing = true): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    const exists = await this.storageExists();
    if (!exists && createIfMissing) {
      await this.admin.createTopics({
        waitForLeaders: true,
        timeout: this.options.createTimeoutMs ?? 30000,
        topics: [{
          topic: this.options.topic,
          numPartitions: 1,
          configEntries: Object.entries(HISTORY_TOPIC_CONFIGS).map(([name, value]) => ({ name, value })),
        }],
      });
    } else if (exists) {
      await this.warnAboutTopicSettings();
    }
    this.producer = this.kafka.producer({ ...this.settings.producer, allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  private requireAdmin(): Admin {
    if (!this.admin) throw new Error('schema history is not open');
    return this.admin;
  }

  /** The topic exists (it may be empty). */
  async storageExists(): Promise<boolean> {
    const topics = await this.requireAdmin().listTopics();
    return topics.includes(this.options.topic);
  }

  private async offsets(): Promise<{ low: bigint; high: bigint }> {
    const [partition] = await this.requireAdmin().fetchTopicOffsets(this.options.topic);
    if (!partition) return { low: 0n, high: 0n };
    return { low: BigInt(partition.low), high: BigInt(partition.high) };
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
    if (low > 0n) throw new SchemaHistoryMissingError(this.options.topic, `its first ${low} records were deleted`);
  }

  private async warnAboutTopicSettings(): Promise<void> {
    try {
      const { resources } = await this.requireAdmin().describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: this.options.topic, configNames: Object.keys(HISTORY_TOPIC_CONFIGS) }],
      });
      const entries = new Map((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
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
      const [metadata] = (await this.requireAdmin().fetchTopicMetadata({ topics: [this.options.topic] })).topics;
      if (metadata && metadata.partitions.length !== 1) {
        this.options.logger?.warn(`Database schema history topic '${this.options.topic}' should have one partition but has '${metadata.partitions.length}'`);
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
    await this.producer.send({ topic: this.options.topic, acks: -1, messages: [{ key: null, value: JSON.stringify(json), partition: 0 }] });
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
    const groupId = this.settings.consumer.groupId ?? `${this.options.name}-schemahistory-${randomUUID()}`;
    const consumer = this.kafka.consumer({ maxWaitTimeInMs: 100, ...this.settings.consumer, groupId });
    let failure: unknown = null;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    const sourceText = JSON.stringify(this.options.source);
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          if (failure !== null || BigInt(message.offset) >= high) return;
          try {
            const record = JSON.parse(message.value?.toString('utf8') ?? 'null') as HistoryRecordJson | null;
            if (record && JSON.stringify(record.source) === sourceText && isAtOrBefore(record.position ?? {}, record)) {
              this.applyRecord(schema, record);
            }
          } catch (err) {
            failure = err;
            finish();
            return;
          }
          if (BigInt(message.offset) >= high - 1n) finish();
        },
      });
      const timeoutMs = this.options.recoveryTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
      const outcome = await Promise.race([finished.then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        throw new Error(`Schema history recovery read no record up to offset ${high - 1n} of '${this.options.topic}' within ${timeoutMs} ms`);
      }
      if (failure !== null) throw failure;
    } finally {
      await consumer.disconnect();
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
    const producer = this.producer;
    const admin = this.admin;
    this.producer = null;
    this.admin = null;
    await producer?.disconnect();
    await admin?.disconnect();
  }
}
