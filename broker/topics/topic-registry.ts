/**
 * The broker's topics: names, ids, partition counts and topic configs, persisted under the
 * data directory, and the partition logs behind them (broker notes §6.7 for the admin rules
 * and error codes).
 *
 * Persistence: one JSON file per topic in `<dataDir>/topic-meta/<topic id>.json`, replaced
 * atomically.
 * Creation writes the file before creating partition directories; deletion removes it
 * before the directories. Startup creates missing partition directories of known topics and
 * deletes partition directories that belong to no known topic, so a crash at any point of
 * a create or delete converges.
 *
 * All mutations are synchronous except deleteTopic (which waits for the logs to stop), so
 * request handlers observe each change completely.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { LogManager } from '../log/log-manager.js';
import { fsyncDir, writeFileAtomic } from '../log/log-files.js';
import type { PartitionLog } from '../log/partition-log.js';
import { loadClusterMeta, randomKafkaUuid } from './cluster-meta.js';
import {
  type BrokerSettings, ConfigSource, type DescribedConfig, appendToList, brokerTopicDefaults, checkTopicConfig,
  describeBrokerSynonyms, describeTopicConfigs, effectiveTopicConfigs, isTopicConfig, subtractFromList, toLogConfig, topicConfigType,
} from './topic-configs.js';
import { INTERNAL_TOPICS, collisionKey, topicNameProblem } from './topic-name.js';

export const ErrorCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
} as const;

const META_DIR = 'topic-meta';
const META_VERSION = 1;
/** Partition counts above this are refused (each partition is a directory and open files). */
const MAX_PARTITIONS = 100000;

export interface TopicInfo {
  name: string;
  /** Kafka topic id: UUID in 22-character base64url form. */
  id: string;
  partitions: number;
  internal: boolean;
  /** Topic-level (dynamic) config values only; see describeConfigs for effective values. */
  configs: Record<string, string>;
}

export type AdminResult = { errorCode: 0 } | { errorCode: number; errorMessage: string };

export type CreateTopicResult =
  | {
    errorCode: 0;
    topic: TopicInfo;
    /** Effective configs of the (would-be) topic, for CreateTopics v5+. */
    configs: DescribedConfig[];
    replicationFactor: number;
  }
  | { errorCode: number; errorMessage: string };

export interface CreateTopicOptions {
  /** -1 or absent: num.partitions. */
  partitions?: number;
  /** -1, absent or 1. */
  replicationFactor?: number;
  /** Manual assignment: one entry per partition, each must be [this node]. */
  assignments?: Array<{ partitionIndex: number; brokerIds: number[] }>;
  configs?: Record<string, string | null>;
  validateOnly?: boolean;
}

/** IncrementalAlterConfigs operation: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT. */
export interface ConfigOp {
  name: string;
  op: number;
  value: string | null;
}

export interface TopicRegistryOptions {
  dataDir: string;
  /** node.id (default 1). */
  nodeId?: number;
  /**
   * Broker settings by Kafka name: topic-config defaults (log.segment.bytes, log.retention.ms,
   * log.cleanup.policy, log.flush.interval.ms, ...), num.partitions,
   * log.retention.check.interval.ms, log.cleaner.backoff.ms, log.cleaner.enable,
   * log.flush.offset.checkpoint.interval.ms, producer.id.expiration.ms.
   */
  settings?: BrokerSettings;
  now?: () => number;
  logger?: Logger;
  /** Run retention, compaction and checkpoints in the background (default true). */
  scheduler?: boolean;
}

interface TopicState extends TopicInfo {
  logs: PartitionLog[];
}

interface TopicFile {
  version: number;
  name: string;
  id: string;
  partitions: number;
  internal: boolean;
  configs: Record<string, string>;
}

function fail(errorCode: number, errorMessage: string): { errorCode: number; errorMessage: string } {
  return { errorCode, errorMessage };
}

function intSetting(settings: BrokerSettings, name: string, fallback: number, min = 0): number {
  const raw = settings[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`invalid broker setting ${name}=${String(raw)}`);
  return v;
}

export class TopicRegistry {
  readonly dataDir: string;
  readonly nodeId: number;
  readonly clusterId: string;
  readonly logManager: LogManager;
  private readonly brokerDefaults: Map<string, string>;
  private readonly settings: BrokerSettings;
  private readonly numPartitions: number;
  private readonly producerIdExpirationMs: number;
  private readonly logger: Logger | undefined;
  private readonly byName = new Map<string, TopicState>();
  private readonly collisions = new Map<string, string>();
  private closed = false;

  private constructor(opts: TopicRegistryOptions, manager: LogManager, clusterId: string) {
    this.dataDir = opts.dataDir;
    this.nodeId = opts.nodeId ?? 1;
    this.settings = opts.settings ?? {};
    this.brokerDefaults = brokerTopicDefaults(this.settings);
    this.numPartitions = intSetting(this.settings, 'num.partitions', 1, 1);
    this.producerIdExpirationMs = intSetting(this.settings, 'producer.id.expiration.ms', 86400000, 1);
    this.logger = opts.logger;
    this.logManager = manager;
    this.clusterId = clusterId;
  }

  /** Opens the data directory: loads (and recovers) every topic's partitions, then starts background work. */
  static async open(opts: TopicRegistryOptions): Promise<TopicRegistry> {
    const settings = opts.settings ?? {};
    brokerTopicDefaults(settings);
    const manager = LogManager.open({
      dataDir: opts.dataDir,
      now: opts.now,
      logger: opts.logger,
      retentionCheckIntervalMs: intSetting(settings, 'log.retention.check.interval.ms', 300000, 1),
      cleanerBackoffMs: intSetting(settings, 'log.cleaner.backoff.ms', 15000, 1),
      cleanerEnabled: String(settings['log.cleaner.enable'] ?? 'true') !== 'false',
      checkpointIntervalMs: intSetting(settings, 'log.flush.offset.checkpoint.interval.ms', 60000, 1),
    });
    try {
      const { clusterId } = loadClusterMeta(opts.dataDir, opts.nodeId ?? 1);
      const registry = new TopicRegistry(opts, manager, clusterId);
      registry.load();
      manager.writeCheckpoints();
      if (opts.scheduler !== false) manager.startScheduler();
      return registry;
    } catch (err) {
      await manager.close({ markClean: false }).catch(() => undefined);
      throw err;
    }
  }

  private get metaDir(): string { return path.join(this.dataDir, META_DIR); }

  /** Named by topic id: a 249-character topic name plus a suffix would not fit a file name. */
  private metaFile(t: { id: string }): string { return path.join(this.metaDir, `${t.id}.json`); }

  private load(): void {
    fs.mkdirSync(this.metaDir, { recursive: true });
    for (const file of fs.readdirSync(this.metaDir)) {
      const full = path.join(this.metaDir, file);
      if (!file.endsWith('.json')) {
        if (file.endsWith('.tmp')) fs.rmSync(full, { force: true });
        continue;
      }
      let meta: TopicFile;
      try {
        meta = JSON.parse(fs.readFileSync(full, 'utf8')) as TopicFile;
      } catch (err) {
        throw new Error(`topic metadata ${full} is unreadable; refusing to start rather than drop its data`, { cause: err });
      }
      if (meta.version !== META_VERSION || topicNameProblem(meta.name) !== null || !(meta.partitions > 0)
        || this.byName.has(meta.name) || file !== `${meta.id}.json`) {
        throw new Error(`topic metadata ${full} is invalid or duplicates another topic`);
      }
      const state: TopicState = {
        name: meta.name, id: meta.id, partitions: meta.partitions, internal: meta.internal === true,
        configs: meta.configs ?? {}, logs: [],
      };
      const config = this.logConfigFor(state.configs);
      for (let p = 0; p < state.partitions; p++) state.logs.push(this.logManager.openLog(state.name, p, config));
      this.byName.set(state.name, state);
      this.collisions.set(collisionKey(state.name), state.name);
    }
    for (const d of this.logManager.partitionDirs()) {
      const t = this.byName.get(d.topic);
      if (t === undefined || d.partition >= t.partitions || path.basename(d.dir) !== `${d.topic}-${d.partition}`) {
        this.logger?.warn({ dir: d.dir }, 'deleting a partition directory that belongs to no topic');
        this.logManager.removeStrayDir(d.dir);
      }
    }
  }

  private logConfigFor(configs: Record<string, string>) {
    return toLogConfig(effectiveTopicConfigs(configs, this.brokerDefaults), this.producerIdExpirationMs);
  }

  private persist(t: TopicState): void {
    const file: TopicFile = {
      version: META_VERSION, name: t.name, id: t.id, partitions: t.partitions, internal: t.internal, configs: t.configs,
    };
    writeFileAtomic(this.metaFile(t), JSON.stringify(file, null, 2) + '\n');
  }

  private info(t: TopicState): TopicInfo {
    return { name: t.name, id: t.id, partitions: t.partitions, internal: t.internal, configs: { ...t.configs } };
  }

  // --- queries ---------------------------------------------------------------------------

  topics(): TopicInfo[] {
    return [...this.byName.values()].map((t) => this.info(t));
  }

  topic(name: string): TopicInfo | undefined {
    const t = this.byName.get(name);
    return t === undefined ? undefined : this.info(t);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  topicById(id: string): TopicInfo | undefined {
    for (const t of this.byName.values()) if (t.id === id) return this.info(t);
    return undefined;
  }

  partitionCount(name: string): number | undefined {
    return this.byName.get(name)?.partitions;
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.byName.get(topic)?.logs[index];
  }

  /** Effective value of every topic config (topic value, else broker setting, else default). */
  effectiveConfigs(name: string): Map<string, string> | undefined {
    const t = this.byName.get(name);
    return t === undefined ? undefined : effectiveTopicConfigs(t.configs, this.brokerDefaults);
  }

  /** num.partitions */
  get defaultPartitions(): number { return this.numPartitions; }

  // --- create ----------------------------------------------------------------------------

  /** CreateTopics for one topic (error codes 17, 36, 37, 38, 39, 40, 42). */
  createTopic(name: string, opts: CreateTopicOptions = {}): CreateTopicResult {
    return this.create(name, opts, false);
  }

  /**
   * Creates an internal topic (e.g. `__consumer_offsets`, compacted) unless it exists;
   * returns the topic either way. Throws when the arguments are invalid.
   */
  ensureInternalTopic(name: string, partitions: number, configs: Record<string, string> = {}): TopicInfo {
    const existing = this.byName.get(name);
    if (existing) return this.info(existing);
    const r = this.create(name, { partitions, configs }, true);
    if (r.errorCode !== 0) throw new Error(`cannot create internal topic ${name}: ${'errorMessage' in r ? r.errorMessage : r.errorCode}`);
    return (r as { topic: TopicInfo }).topic;
  }

  private create(name: string, opts: CreateTopicOptions, internal: boolean): CreateTopicResult {
    if (this.closed) return fail(ErrorCode.INVALID_REQUEST, 'the broker is shutting down');
    const nameProblem = topicNameProblem(name);
    if (nameProblem !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (this.byName.has(name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${name} already exists`);
    const collides = this.collisions.get(collisionKey(name));
    if (collides !== undefined) {
      return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `topic ${name} collides with existing topic ${collides} ('.' and '_' are interchangeable in metric names)`);
    }
    if (!internal && INTERNAL_TOPICS.has(name)) {
      return fail(ErrorCode.INVALID_REQUEST, `${name} is an internal topic the broker creates itself`);
    }

    let partitions = opts.partitions ?? -1;
    const assignments = opts.assignments ?? [];
    if (assignments.length > 0) {
      if (partitions !== -1 || (opts.replicationFactor ?? -1) !== -1) {
        return fail(ErrorCode.INVALID_REQUEST, 'both replica assignments and a partition count or replication factor were given');
      }
      const seen = new Set<number>();
      for (const a of assignments) {
        if (a.brokerIds.length !== 1 || a.brokerIds[0] !== this.nodeId || a.partitionIndex < 0 || seen.has(a.partitionIndex)) {
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `partition ${a.partitionIndex} must be assigned to node ${this.nodeId} only, once`);
        }
        seen.add(a.partitionIndex);
      }
      if ([...seen].some((p) => p >= assignments.length)) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'assigned partitions must be numbered 0 to count-1');
      }
      partitions = assignments.length;
    }
    if (partitions === -1) partitions = this.numPartitions;
    if (!Number.isInteger(partitions) || partitions <= 0 || partitions > MAX_PARTITIONS) {
      return fail(ErrorCode.INVALID_PARTITIONS, `number of partitions must be between 1 and ${MAX_PARTITIONS}, got ${partitions}`);
    }
    const rf = opts.replicationFactor ?? -1;
    if (rf !== -1 && rf !== 1) {
      return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${rf} is not possible on a single broker; use 1 or -1`);
    }

    const configs: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.configs ?? {})) {
      const problem = checkTopicConfig(k, v);
      if (problem !== null) return fail(ErrorCode.INVALID_CONFIG, problem);
      configs[k] = v!;
    }

    const state: TopicState = { name, id: randomKafkaUuid(), partitions, internal, configs, logs: [] };
    const described = describeTopicConfigs(configs, this.brokerDefaults);
    if (opts.validateOnly === true) {
      return { errorCode: 0, topic: this.info(state), configs: described, replicationFactor: 1 };
    }
    this.persist(state);
    const config = this.logConfigFor(configs);
    for (let p = 0; p < partitions; p++) state.logs.push(this.logManager.openLog(name, p, config));
    this.byName.set(name, state);
    this.collisions.set(collisionKey(name), name);
    this.logger?.info({ topic: name, partitions, configs }, 'created topic');
    return { errorCode: 0, topic: this.info(state), configs: described, replicationFactor: 1 };
  }

  // --- delete ----------------------------------------------------------------------------

  /** DeleteTopics for one topic: 3 when unknown, 42 for internal topics. */
  async deleteTopic(name: string): Promise<AdminResult> {
    const t = this.byName.get(name);
    if (t === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    if (t.internal) return fail(ErrorCode.INVALID_REQUEST, `internal topic ${name} cannot be deleted`);
    fs.rmSync(this.metaFile(t), { force: true });
    fsyncDir(this.metaDir);
    this.byName.delete(name);
    this.collisions.delete(collisionKey(name));
    const pending = t.logs.map((_, p) => this.logManager.deleteLog(name, p));
    try {
      this.logManager.writeCheckpoints();
    } catch (err) {
      this.logger?.error({ err }, 'writing checkpoints after a topic deletion failed');
    }
    await Promise.all(pending);
    this.logger?.info({ topic: name }, 'deleted topic');
    return { errorCode: 0 };
  }

  // --- partitions ------------------------------------------------------------------------

  /** CreatePartitions: raises the partition count (37 when not larger, 3 when unknown). */
  createPartitions(name: string, count: number, opts: { validateOnly?: boolean } = {}): AdminResult {
    const t = this.byName.get(name);
    if (t === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    if (!Number.isInteger(count) || count <= t.partitions) {
      return fail(ErrorCode.INVALID_PARTITIONS, `topic ${name} has ${t.partitions} partitions; the new count ${count} must be larger`);
    }
    if (count > MAX_PARTITIONS) return fail(ErrorCode.INVALID_PARTITIONS, `at most ${MAX_PARTITIONS} partitions`);
    if (opts.validateOnly === true) return { errorCode: 0 };
    const config = this.logConfigFor(t.configs);
    const before = t.partitions;
    t.partitions = count;
    this.persist(t);
    for (let p = before; p < count; p++) t.logs.push(this.logManager.openLog(name, p, config));
    this.logger?.info({ topic: name, from: before, to: count }, 'added partitions');
    return { errorCode: 0 };
  }

  // --- configs ---------------------------------------------------------------------------

  /** DescribeConfigs for a topic: every topic config (or those in `keys`), 3 when unknown. */
  describeConfigs(name: string, keys?: readonly string[] | null):
    { errorCode: 0; configs: DescribedConfig[] } | { errorCode: number; errorMessage: string } {
    const t = this.byName.get(name);
    if (t === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    return { errorCode: 0, configs: describeTopicConfigs(t.configs, this.brokerDefaults, keys) };
  }

  /**
   * Broker-level settings relevant to topics and logs (DescribeConfigs resource type 4):
   * the synonyms of every topic config plus a few log settings. Read-only; source 4 when
   * set in the broker settings, else 5.
   */
  describeBrokerConfigs(keys?: readonly string[] | null): DescribedConfig[] {
    const wanted = keys === undefined || keys === null ? null : new Set(keys);
    const out: DescribedConfig[] = [];
    const add = (name: string, value: string, explicit: boolean, type: number): void => {
      if (wanted !== null && !wanted.has(name)) return;
      const source = explicit ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
      out.push({
        name, value, readOnly: true, isDefault: !explicit, source, isSensitive: false, type,
        synonyms: [{ name, value, source }], documentation: null,
      });
    };
    for (const c of describeBrokerSynonyms(this.brokerDefaults)) {
      add(c.name, c.value, c.explicit, c.type);
    }
    const extra: Array<[string, string, number]> = [
      ['num.partitions', String(this.numPartitions), 3],
      ['default.replication.factor', '1', 3],
      ['log.retention.check.interval.ms', '300000', 5],
      ['log.cleaner.backoff.ms', '15000', 5],
      ['log.cleaner.enable', 'true', 1],
      ['producer.id.expiration.ms', String(this.producerIdExpirationMs), 3],
      ['log.dirs', this.dataDir, 2],
    ];
    for (const [name, fallback, type] of extra) {
      const set = this.settings[name];
      add(name, set === undefined ? fallback : String(set), set !== undefined || name === 'log.dirs', type);
    }
    return out;
  }

  /**
   * AlterConfigs: replaces the topic's whole set of dynamic configs (entries with a null
   * value are left unset). 40 for unknown names or bad values, 3 when unknown.
   */
  alterConfigs(name: string, configs: Record<string, string | null>, opts: { validateOnly?: boolean } = {}): AdminResult {
    const t = this.byName.get(name);
    if (t === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries(configs)) {
      if (v === null && isTopicConfig(k)) continue;
      const problem = checkTopicConfig(k, v);
      if (problem !== null) return fail(ErrorCode.INVALID_CONFIG, problem);
      next[k] = v!;
    }
    if (opts.validateOnly !== true) this.applyConfigs(t, next);
    return { errorCode: 0 };
  }

  /**
   * IncrementalAlterConfigs: SET (0), DELETE (1), APPEND (2) and SUBTRACT (3, list configs
   * only) applied in order. 40 for unknown names, bad values or list operations on
   * non-list configs; 42 for an unknown operation; 3 when the topic is unknown.
   */
  incrementalAlterConfigs(name: string, ops: readonly ConfigOp[], opts: { validateOnly?: boolean } = {}): AdminResult {
    const t = this.byName.get(name);
    if (t === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    const next: Record<string, string> = { ...t.configs };
    for (const o of ops) {
      if (!isTopicConfig(o.name)) return fail(ErrorCode.INVALID_CONFIG, `unknown topic config ${o.name}`);
      const current = (): string => next[o.name] ?? effectiveTopicConfigs(next, this.brokerDefaults).get(o.name)!;
      let value: string;
      switch (o.op) {
        case 0:
          if (o.value === null) return fail(ErrorCode.INVALID_CONFIG, `null value is not allowed for ${o.name}`);
          value = o.value;
          break;
        case 1:
          delete next[o.name];
          continue;
        case 2:
        case 3:
          if (topicConfigType(o.name) !== 'list') {
            return fail(ErrorCode.INVALID_CONFIG, `${o.op === 2 ? 'APPEND' : 'SUBTRACT'} applies to list configs only, not ${o.name}`);
          }
          value = o.op === 2 ? appendToList(current(), o.value ?? '') : subtractFromList(current(), o.value ?? '');
          break;
        default:
          return fail(ErrorCode.INVALID_REQUEST, `unknown config operation ${o.op}`);
      }
      const problem = checkTopicConfig(o.name, value);
      if (problem !== null) return fail(ErrorCode.INVALID_CONFIG, problem);
      next[o.name] = value;
    }
    if (opts.validateOnly !== true) this.applyConfigs(t, next);
    return { errorCode: 0 };
  }

  private applyConfigs(t: TopicState, configs: Record<string, string>): void {
    t.configs = configs;
    this.persist(t);
    const config = this.logConfigFor(configs);
    for (const log of t.logs) log.updateConfig(config);
    this.logger?.info({ topic: t.name, configs }, 'altered topic configs');
  }

  // --- background work and shutdown ------------------------------------------------------

  /** Runs one retention pass now (tests; the scheduler does this periodically). */
  runRetention(now?: number): number {
    return this.logManager.runRetention(now);
  }

  /** Runs one cleaner pass now (tests; the scheduler does this periodically). */
  runCleaner(now?: number): Promise<void> {
    return this.logManager.runCleaner(now);
  }

  /** Stops background work and closes every log cleanly (writes the clean-shutdown marker). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.logManager.close();
  }
}
