/**
 * Connector configs, task configs, target states and restart requests kept in the config topic,
 * applied with Kafka Connect's rules (docs: shared/reference/kafka-connect.md §2.3):
 * - task configs are buffered per connector and take effect only when `commit-{c}` arrives with
 *   every task 0 … n-1 buffered; otherwise the connector is marked inconsistent (compaction can
 *   remove a superseded task record) until a later commit brings a complete set;
 * - a missing target state means STARTED; `state.v2` is preferred over `state`;
 * - exactly-once source support (KIP-618): every commit record, complete or not, leaves the
 *   connector pending a round of zombie fencing until a `tasks-fencing-{c}` record is read
 *   after it, and every complete commit that brings task configs starts a new task-config
 *   generation (0 for the first), as Kafka's KafkaConfigBackingStore counts them.
 *
 * State changes only as records are read back, so every write ends with `readToEnd()` and the
 * writer sees its own write in `snapshot()` when the returned promise resolves. Change sets are
 * emitted, one per applied record, only after `start()` has read the topic to its end: the
 * history read at start is the baseline, so old restart requests are not replayed. Writes are
 * expected from one writer at a time (the leader), as in Kafka Connect.
 *
 * Privileged writes (options.privilegedWriter, exactly.once.source.support preparing/enabled):
 * what only the leader writes - connector configs and their removal, task configs (one
 * transaction) and their commit record (another), task-count records, session keys and restart
 * requests - goes through the writer the leader claimed with claimWritePrivileges(), so a
 * leader that was replaced cannot write any more. Target states and cluster log levels, which
 * any worker writes, do not. A privileged write that fails drops the privileges (the leader
 * claims them again, as Kafka Connect's does on its next tick) and rejects with Kafka Connect's
 * "Failed to write to config topic; ..." message.
 */
import type { CompactedTopic, PrivilegedTopicWriter, TopicAppend, TopicRecord } from './compacted-topic.js';
import { ClusterConfigSnapshot } from './cluster-config-snapshot.js';
import { decodeConfigRecord, encodeConfigRecord } from './topic/config-records.js';
import type { ConfigRecord, PropertyMap, RestartRequest, SessionKey, TargetState } from './topic/config-records.js';
import type { TaskId } from './task-id.js';

export interface ConfigChangeSet {
  /** Offset of the record that caused the change. */
  readonly offset: number;
  readonly connectorsAdded: readonly string[];
  readonly connectorsUpdated: readonly string[];
  readonly connectorsRemoved: readonly string[];
  /** Connectors whose commit record was read; check `snapshot().isInconsistent(c)`. */
  readonly taskConfigsCommitted: readonly string[];
  /** Tasks whose committed config was (re)written by that commit. */
  readonly tasksChanged: readonly TaskId[];
  /** Only for connectors that exist; an initial state written before its connector is not a change. */
  readonly targetStatesChanged: readonly string[];
  readonly restartRequests: readonly RestartRequest[];
  readonly taskCountRecordsChanged: readonly string[];
  readonly sessionKeyChanged: boolean;
  /** Cluster-wide log levels (KIP-976); like Kafka, levels written before start are not replayed. */
  readonly loggerLevels: readonly { readonly namespace: string; readonly level: string }[];
}

export type ConfigChangeListener = (change: ConfigChangeSet) => void;

export interface ConfigStoreOptions {
  /** Told about every record Kafka Connect would log and skip. */
  readonly onSkippedRecord?: (record: TopicRecord, reason: string) => void;
  /** exactly.once.source.support preparing/enabled: makes the leader's writes privileged (see the header). */
  readonly privilegedWriter?: () => PrivilegedTopicWriter;
}

export const CONFIG_WRITE_FAILED = 'Failed to write to config topic; this may be due to a transient error and the request can be safely retried';
export const NO_WRITE_PRIVILEGES = 'Cannot write to the config topic without claiming write privileges first';

const PRIVILEGED = true;

type Change = { -readonly [K in keyof ConfigChangeSet]: ConfigChangeSet[K] };

export class ConfigStore {
  readonly #topic: CompactedTopic;
  #snapshot: ClusterConfigSnapshot | undefined;
  readonly #options: ConfigStoreOptions;
  readonly #listeners = new Set<ConfigChangeListener>();
  #started = false;
  #offset = -1;
  readonly #connectorConfigs = new Map<string, PropertyMap>();
  readonly #targetStates = new Map<string, TargetState>();
  readonly #taskCounts = new Map<string, number>();
  readonly #taskConfigs = new Map<string, ReadonlyMap<number, PropertyMap>>();
  readonly #deferredTaskConfigs = new Map<string, Map<number, PropertyMap>>();
  readonly #inconsistent = new Set<string>();
  readonly #appliedConnectorConfigs = new Map<string, PropertyMap>();
  readonly #taskCountRecords = new Map<string, number>();
  /** Between claimWritePrivileges() and releaseWritePrivileges(): this worker leads and claims again after a failed write. */
  #leading = false;
  readonly #taskConfigGenerations = new Map<string, number>();
  readonly #pendingFencing = new Set<string>();
  #sessionKey: SessionKey | undefined;
  #privileged: PrivilegedTopicWriter | undefined;

  constructor(topic: CompactedTopic, options: ConfigStoreOptions = {}) {
    this.#topic = topic;
    this.#options = options;
    topic.onRecord((record) => this.#apply(record));
  }

  async start(): Promise<void> {
    await this.#topic.start();
    this.#started = true;
  }

  async stop(): Promise<void> {
    this.#started = false;
    await this.releaseWritePrivileges();
    await this.#topic.stop();
  }

  /**
   * The leader takes the config topic's write privileges (when it is elected, and again after a
   * privileged write failed); a no-op while it holds them or without options.privilegedWriter.
   */
  async claimWritePrivileges(): Promise<void> {
    const create = this.#options.privilegedWriter;
    this.#leading = true;
    if (!create || this.#privileged) return;
    const writer = create();
    try {
      await writer.claim();
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
    this.#privileged = writer;
  }

  /** This worker stopped leading. */
  async releaseWritePrivileges(): Promise<void> {
    this.#leading = false;
    const writer = this.#privileged;
    this.#privileged = undefined;
    await writer?.close();
  }

  /** Whether privileged writes are configured and held. */
  get hasWritePrivileges(): boolean {
    return this.#privileged !== undefined;
  }

  readToEnd(): Promise<void> {
    return this.#topic.readToEnd();
  }

  /** The current state as an immutable snapshot, built once per applied record and then shared. */
  snapshot(): ClusterConfigSnapshot {
    this.#snapshot ??= this.#buildSnapshot();
    return this.#snapshot;
  }

  #buildSnapshot(): ClusterConfigSnapshot {
    return new ClusterConfigSnapshot({
      offset: this.#offset,
      connectorConfigs: new Map(this.#connectorConfigs),
      targetStates: new Map(this.#targetStates),
      taskCounts: new Map(this.#taskCounts),
      taskConfigs: new Map(this.#taskConfigs),
      inconsistentConnectors: new Set(this.#inconsistent),
      appliedConnectorConfigs: new Map(this.#appliedConnectorConfigs),
      taskCountRecords: new Map(this.#taskCountRecords),
      taskConfigGenerations: new Map(this.#taskConfigGenerations),
      connectorsPendingFencing: new Set(this.#pendingFencing),
      sessionKey: this.#sessionKey,
    });
  }

  /** Listeners run inside record delivery and must not throw. Returns an unsubscribe function. */
  onChange(listener: ConfigChangeListener): () => void {
    const registered: ConfigChangeListener = (change) => listener(change);
    this.#listeners.add(registered);
    return () => this.#listeners.delete(registered);
  }

  /** With `targetState`, the target state record is written first, in the same batch (initial_state). */
  putConnectorConfig(connector: string, config: PropertyMap, targetState?: TargetState): Promise<void> {
    const records: ConfigRecord[] = [];
    if (targetState) records.push({ kind: 'target-state', connector, state: targetState });
    records.push({ kind: 'connector', connector, config });
    return this.#write(records, PRIVILEGED);
  }

  removeConnector(connector: string): Promise<void> {
    return this.#write([
      { kind: 'connector', connector, config: null },
      { kind: 'target-state', connector, state: null },
    ], PRIVILEGED);
  }

  /** Writes `task-{c}-{i}` for each config, then `commit-{c}`; an empty list commits zero tasks. */
  async putTaskConfigs(connector: string, configs: readonly PropertyMap[]): Promise<void> {
    await this.#topic.readToEnd();
    const records: ConfigRecord[] = configs.map((config, task) => ({ kind: 'task', connector, task, config }));
    const commit: ConfigRecord = { kind: 'commit', connector, taskCount: configs.length };
    if (this.#options.privilegedWriter) {
      if (records.length > 0) await this.#write(records, PRIVILEGED);
      await this.#write([commit], PRIVILEGED);
    } else {
      await this.#write([...records, commit]);
    }
  }

  putTargetState(connector: string, state: TargetState): Promise<void> {
    return this.#write([{ kind: 'target-state', connector, state }]);
  }

  requestRestart(connector: string, options: { readonly includeTasks: boolean; readonly onlyFailed: boolean }): Promise<void> {
    return this.#write([{ kind: 'restart-connector', request: { connector, ...options } }], PRIVILEGED);
  }

  /** Writes `tasks-fencing-{c}` = {"task-count": n}: the connector's tasks of that count were fenced (or need none). */
  putTaskCountRecord(connector: string, taskCount: number): Promise<void> {
    return this.#write([{ kind: 'tasks-fencing', connector, taskCount }], PRIVILEGED);
  }

  putSessionKey(sessionKey: SessionKey): Promise<void> {
    return this.#write([{ kind: 'session-key', sessionKey }], PRIVILEGED);
  }

  putLoggerLevel(namespace: string, level: string): Promise<void> {
    return this.#write([{ kind: 'logger-cluster', namespace, level }]);
  }

  async #write(records: readonly ConfigRecord[], privileged = false): Promise<void> {
    const appends: TopicAppend[] = records.map(encodeConfigRecord);
    if (privileged && this.#options.privilegedWriter) {
      // A leader whose privileges a failed write dropped claims them again first, as Kafka Connect's does on its next tick.
      if (!this.#privileged && this.#leading) await this.claimWritePrivileges();
      const writer = this.#privileged;
      if (!writer) throw new Error(NO_WRITE_PRIVILEGES);
      try {
        await writer.write(appends);
      } catch (error) {
        if (this.#privileged === writer) this.#privileged = undefined;
        await writer.close().catch(() => undefined);
        throw new Error(CONFIG_WRITE_FAILED, { cause: error });
      }
    } else {
      await this.#topic.appendBatch(appends);
    }
    await this.#topic.readToEnd();
  }

  #apply(topicRecord: TopicRecord): void {
    this.#snapshot = undefined;
    if (topicRecord.key === null) return this.#skip(topicRecord, 'record has no key');
    const decoded = decodeConfigRecord(topicRecord.key, topicRecord.value);
    if (!decoded.ok) {
      if (!decoded.valueUnreadable) this.#offset = topicRecord.offset + 1;
      return this.#skip(topicRecord, decoded.reason);
    }
    this.#offset = topicRecord.offset + 1;
    const change: Change = {
      offset: topicRecord.offset,
      connectorsAdded: [],
      connectorsUpdated: [],
      connectorsRemoved: [],
      taskConfigsCommitted: [],
      tasksChanged: [],
      targetStatesChanged: [],
      restartRequests: [],
      taskCountRecordsChanged: [],
      sessionKeyChanged: false,
      loggerLevels: [],
    };
    this.#applyRecord(decoded.record, change);
    if (!this.#started) return;
    for (const listener of this.#listeners) listener(change);
  }

  #applyRecord(record: ConfigRecord, change: Change): void {
    switch (record.kind) {
      case 'connector':
        return this.#applyConnectorConfig(record.connector, record.config, change);
      case 'task': {
        let deferred = this.#deferredTaskConfigs.get(record.connector);
        if (!deferred) this.#deferredTaskConfigs.set(record.connector, (deferred = new Map()));
        deferred.set(record.task, record.config);
        return;
      }
      case 'commit':
        return this.#applyCommit(record.connector, record.taskCount, change);
      case 'target-state':
        if (record.state === null) {
          this.#targetStates.delete(record.connector);
          return;
        }
        this.#targetStates.set(record.connector, record.state);
        if (this.#connectorConfigs.has(record.connector)) change.targetStatesChanged = [record.connector];
        return;
      case 'restart-connector':
        change.restartRequests = [record.request];
        return;
      case 'tasks-fencing':
        this.#taskCountRecords.set(record.connector, record.taskCount);
        this.#pendingFencing.delete(record.connector);
        change.taskCountRecordsChanged = [record.connector];
        return;
      case 'session-key':
        this.#sessionKey = record.sessionKey;
        change.sessionKeyChanged = true;
        return;
      case 'logger-cluster':
        change.loggerLevels = [{ namespace: record.namespace, level: record.level }];
        return;
    }
  }

  #applyConnectorConfig(connector: string, config: PropertyMap | null, change: Change): void {
    const existed = this.#connectorConfigs.has(connector);
    if (config !== null) {
      this.#connectorConfigs.set(connector, config);
      if (existed) change.connectorsUpdated = [connector];
      else change.connectorsAdded = [connector];
      return;
    }
    this.#connectorConfigs.delete(connector);
    this.#taskCounts.delete(connector);
    this.#taskConfigs.delete(connector);
    this.#deferredTaskConfigs.delete(connector);
    this.#inconsistent.delete(connector);
    this.#appliedConnectorConfigs.delete(connector);
    if (existed) change.connectorsRemoved = [connector];
  }

  #applyCommit(connector: string, taskCount: number, change: Change): void {
    const deferred = this.#deferredTaskConfigs.get(connector);
    change.taskConfigsCommitted = [connector];
    if (!hasEveryTask(deferred, taskCount)) {
      this.#inconsistent.add(connector);
    } else {
      if (deferred) {
        const merged = new Map(this.#taskConfigs.get(connector));
        for (const [task, config] of deferred) merged.set(task, config);
        this.#taskConfigs.set(connector, merged);
        const generation = this.#taskConfigGenerations.get(connector);
        this.#taskConfigGenerations.set(connector, generation === undefined ? 0 : generation + 1);
        change.tasksChanged = [...deferred.keys()].sort((a, b) => a - b).map((task) => ({ connector, task }));
      }
      this.#inconsistent.delete(connector);
      const applied = this.#connectorConfigs.get(connector);
      if (applied) this.#appliedConnectorConfigs.set(connector, applied);
    }
    this.#deferredTaskConfigs.delete(connector);
    this.#taskCounts.set(connector, taskCount);
    this.#pendingFencing.add(connector);
  }

  #skip(record: TopicRecord, reason: string): void {
    this.#options.onSkippedRecord?.(record, reason);
  }
}

/** Extra buffered tasks are fine: compaction can leave a task record from a larger, older set. */
function hasEveryTask(deferred: ReadonlyMap<number, PropertyMap> | undefined, taskCount: number): boolean {
  for (let task = 0; task < taskCount; task++) if (!deferred?.has(task)) return false;
  return true;
}
