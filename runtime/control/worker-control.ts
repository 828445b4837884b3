/**
 * WorkerControl: ClusterControl for a worker that leads its cluster — it accepts REST
 * operations, writes desired state to the config topic, and converges this worker's
 * connectors and tasks on what the config topic says.
 *
 * Concurrency: every change to what runs goes through one serialised queue (`enqueue`), fed
 * by config-topic changes read back from Kafka; REST writes only append records and then
 * read the topic to the end, so the worker acts on exactly what Kafka stored, in log order.
 * Connector code never runs on the request path except in validation.
 *
 * Offset changes (connector-offsets.ts) run on the queue too, after any pending convergence,
 * so a stopped connector's tasks have committed their last offsets and left the group first.
 * Logger levels (logger-levels.ts) are local; cluster-wide ones are applied as the config
 * topic's `logger-cluster-` records are read back.
 *
 * Distributed mode (docs/distributed-mode.md): the group assigns this worker a share of the
 * connectors and tasks (`setAssignment`); reconcile runs only that share. Without an
 * assignment (single worker) it owns everything. The worker running a connector instance
 * writes its task configs to the config topic itself (ferry's config topic does not fence
 * writers, so no follower-to-leader hop is needed); the leader notices new connectors or task
 * counts and asks for a rebalance (`onWorkChanged`). Statuses a task/connector moved away from
 * this worker are left alone: only the leader removes statuses of deleted connectors.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { ConfigFields, ConfigInfos, ConfigKeyInfo, ConfigSpec } from '../../connectors/sdk/config/config-spec.js';
import { sinkConnectorSpec, sourceConnectorSpec } from '../config/connector-config.js';
import type { TopicAdmin } from '../kafka/kafka-client.js';
import type { KafkaClustersFactory } from '../kafka/connector-clusters.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import type { ConfigChangeSet, ConfigStore } from '../stores/config-store.js';
import type { OffsetStore } from '../stores/offset-store.js';
import type { StatusStore } from '../stores/status-store.js';
import type { PropertyMap, TargetState } from '../stores/topic/config-records.js';
import type { Worker } from '../worker/worker.js';
import { configResolution, type ConfigResolution } from '../worker/connector-config-resolution.js';
import {
  BadRequestError, ConfigInvalidError, ConnectorExistsError, ConnectorNotFoundError, NotLeaderError, PluginNotFoundError, RebalanceInProgressError,
  TaskNotFoundError,
} from '../errors.js';
import { EMPTY_WORK, type WorkSet } from './distributed/work-set.js';
import { ConnectorOffsetOperations, type OffsetsConnectorKind } from './connector-offsets.js';
import { validateConnectorConfig, type ConnectorValidationOptions } from './connector-validation.js';
import type { ExactlyOnceSourceSupport } from './exactly-once-preflight.js';
import { ZombieFencing, type ZombieFencingOptions } from './zombie-fencing.js';
import { LoggerLevels } from './logger-levels.js';
import { probeHealth } from './worker-health.js';
import { mirrorKindOf, mirrorReplication, type ConnectorReplication } from './monitoring/mirror-replication.js';
import { notASinkLag, sinkLag, type ConnectorLag } from './monitoring/sink-lag.js';
import type {
  ClusterControl, ConnectorConfigMap, ConnectorInfo, ConnectorOffsetInput, ConnectorOffsets, ConnectorStateInfo, ConnectorType,
  InitialState, LoggerLevel, Message, PluginInfo, RestartOptions, ServerInfo, TaskInfo, TaskState, WorkerStatus,
} from './cluster-control.js';

export interface WorkerControlOptions {
  configs: ConfigStore;
  statuses: StatusStore;
  worker: Worker;
  plugins: PluginRegistry;
  serverInfo: ServerInfo;
  logger: TaskLogger;
  topicCreationEnabled?: boolean;
  /**
   * The worker's exactly.once.source.support (distributed workers): source connector
   * validation adds the exactly-once preflight checks. Absent: no preflight checks.
   */
  exactlyOnceSourceSupport?: ExactlyOnceSourceSupport;
  /** Zombie fencing of exactly-once source connectors, which the leader runs (zombie-fencing.ts). */
  zombieFencing?: ZombieFencingOptions;
  /** Source connector offsets. */
  offsets: OffsetStore;
  /** Sink connector offsets (consumer group commits). */
  admin: TopicAdmin;
  /** This worker's loggers; a registry with only `root` when absent. */
  loggerLevels?: LoggerLevels;
  /**
   * Clients of the clusters MirrorMaker connectors replicate between, for connectorReplication;
   * without it that call fails.
   */
  kafkaClusters?: KafkaClustersFactory;
  /** Resolves config-provider placeholders of a connector config (connectorReplication); none resolved when absent. */
  resolveConfig?: ConfigResolution;
  /** How long the health check waits for the command queue; 10 s when absent. */
  healthCheckTimeoutMs?: number;
  /**
   * Distributed mode: the worker runs only what setAssignment gives it (nothing before the
   * first assignment) and calls onWorkChanged when connectors or task counts change.
   */
  distributed?: {
    onWorkChanged: () => void;
    isLeader: () => boolean;
    /** Asks the worker `workerId` (its status's worker_id) to restart one of its tasks. */
    restartTaskOn?: (workerId: string, connector: string, task: number) => Promise<void>;
    /** A follower's fenceZombies: asks the leader (PUT /connectors/{c}/fence on its REST API). */
    fenceOnLeader?: (connector: string) => Promise<void>;
    /**
     * Set when only the leader writes the config topic (exactly-once source support preparing or
     * enabled): a follower sends the task configs its connector generated to the leader (POST
     * /connectors/{c}/tasks on its REST API) instead of writing them.
     */
    putTaskConfigsOnLeader?: (connector: string, configs: readonly ConnectorConfigMap[]) => Promise<void>;
    /**
     * Resolves true once no rebalance is pending for this worker (false if one still is after a
     * short wait): restarts and offset changes are refused with Kafka Connect's 409 while one is.
     */
    rebalanceSettled?: () => Promise<boolean>;
  };
}

const NOT_STOPPED = (name: string) => 'Connectors must be in the STOPPED state before their offsets can be modified. This can be done '
  + `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

const FENCING_BEFORE_OFFSETS = 'Failed to perform zombie fencing for source connector prior to modifying offsets';
const STANDALONE_EOS = 'Kafka Connect in standalone mode does not support exactly-once source connectors.';

const INITIAL_TARGET: Record<InitialState, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export class WorkerControl implements ClusterControl {
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private readonly offsetOperations: ConnectorOffsetOperations;
  private readonly loggers: LoggerLevels;
  private readonly zombieFencing: ZombieFencing | undefined;
  /** What this worker runs; null: everything (single worker). */
  private assignment: { connectors: Set<string>; tasks: Set<string> } | null = null;
  /** Failed hand-overs of task configs to the leader in a row, per connector (for the retry backoff). */
  private readonly taskConfigHandOverFailures = new Map<string, number>();

  constructor(private readonly opts: WorkerControlOptions) {
    this.offsetOperations = new ConnectorOffsetOperations({ offsets: opts.offsets, admin: opts.admin, logger: opts.logger });
    this.loggers = opts.loggerLevels ?? new LoggerLevels();
    this.zombieFencing = opts.zombieFencing && new ZombieFencing(opts.configs, opts.zombieFencing, opts.logger);
    if (opts.distributed) this.assignment = toOwned(EMPTY_WORK);
  }

  /**
   * Distributed mode: makes this worker run exactly `work` (starting what was added, stopping
   * what is no longer in it). Resolves once the change has been applied.
   */
  setAssignment(work: WorkSet): Promise<void> {
    this.assignment = toOwned(work);
    const names = new Set([...this.opts.configs.snapshot().connectors(), ...this.opts.worker.connectorNames(),
      ...work.connectors, ...work.tasks.map((t) => t.connector)]);
    return Promise.all([...names].map((name) => this.enqueue(() => this.reconcile(name)))).then(() => undefined);
  }

  /** Membership lost: stops every connector and task at once, without waiting for the queue. */
  async dropAll(): Promise<void> {
    this.assignment = toOwned(EMPTY_WORK);
    await this.opts.worker.stopAll();
    await this.idle();
    // A command that was running may have started something before it saw the empty assignment.
    await this.opts.worker.stopAll();
  }

  private ownsConnector(name: string): boolean {
    return this.assignment === null || this.assignment.connectors.has(name);
  }

  private ownsTask(connector: string, task: number): boolean {
    return this.assignment === null || this.assignment.tasks.has(ownedTaskKey(connector, task));
  }

  private get isLeader(): boolean {
    return this.opts.distributed?.isLeader() ?? true;
  }

  /** Starts converging on the config topic; resolves once every stored connector was started. */
  async start(): Promise<void> {
    this.unsubscribe = this.opts.configs.onChange((change) => this.onConfigChange(change));
    for (const name of this.opts.configs.snapshot().connectors()) this.enqueue(() => this.reconcile(name));
    await this.idle();
  }

  /** Stops every connector and task this worker runs. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.queue;
    await this.opts.worker.stopAll();
  }

  /** A connector asked for new task configs (ConnectorContext.requestTaskReconfiguration). */
  requestReconfiguration(name: string): void {
    this.enqueue(() => this.reconcile(name));
  }

  /** Resolves when every queued command so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  // --- reads -------------------------------------------------------------------------------

  async serverInfo(): Promise<ServerInfo> {
    return this.opts.serverInfo;
  }

  async listConnectors(): Promise<string[]> {
    return this.opts.configs.snapshot().connectors().sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const snap = this.opts.configs.snapshot();
    const config = snap.connectorConfig(name);
    if (!config) throw new ConnectorNotFoundError(name);
    return {
      name,
      config: stringMap(config),
      tasks: snap.taskIds(name).map((id) => ({ connector: name, task: id.task })),
      type: this.typeOf(config),
    };
  }

  async connectorConfig(name: string): Promise<ConnectorConfigMap> {
    return (await this.connectorInfo(name)).config;
  }

  async taskInfos(name: string): Promise<TaskInfo[]> {
    const snap = this.opts.configs.snapshot();
    if (!snap.contains(name)) throw new ConnectorNotFoundError(name);
    return snap.taskIds(name).map((id) => ({ id: { connector: name, task: id.task }, config: stringMap(snap.taskConfig(id) ?? {}) }));
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const status = this.opts.statuses.get(name);
    const config = this.opts.configs.snapshot().connectorConfig(name);
    if (!status || !config) throw new ConnectorNotFoundError(name, `No status found for connector ${name}`);
    return {
      name,
      connector: instance(status),
      tasks: this.opts.statuses.listForConnector(name).map((t) => ({ id: t.task, ...instance(t) })),
      type: this.typeOf(config),
    };
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    const status = this.opts.statuses.getTask({ connector: name, task });
    if (!status) throw new TaskNotFoundError(`No status found for task ${name}-${task}`);
    return { id: task, ...instance(status) };
  }

  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return this.opts.plugins.infos(connectorsOnly);
  }

  async pluginConfig(plugin: string): Promise<ConfigKeyInfo[]> {
    const found = this.opts.plugins.configSpecOf(plugin);
    if (!found) throw new PluginNotFoundError(`Unknown plugin ${plugin}.`, 404);
    if (found.kind === 'source' || found.kind === 'sink') {
      const framework: ConfigSpec<ConfigFields> = found.kind === 'sink' ? sinkConnectorSpec : sourceConnectorSpec;
      return found.spec.merge(framework, { onConflict: 'keep' }).describe();
    }
    return found.spec.describe();
  }

  async validateConfig(_plugin: string | null, config: Record<string, string | null>): Promise<ConfigInfos> {
    return validateConnectorConfig(this.opts.plugins, config, this.validationOptions()).infos;
  }

  // --- writes ------------------------------------------------------------------------------

  /** Not on the command queue: a task starting from a queued command may be waiting for it. */
  async fenceZombies(name: string): Promise<void> {
    const distributed = this.opts.distributed;
    if (!distributed) throw new Error(STANDALONE_EOS);
    if (!this.isLeader) {
      if (distributed.fenceOnLeader) return distributed.fenceOnLeader(name);
      throw new NotLeaderError(null);
    }
    const config = this.requireConnector(name).connectorConfig(name)!;
    if (this.typeOf(config) !== 'source') throw new BadRequestError(`Connector ${name} is not a source connector`);
    if (!this.zombieFencing) throw new Error('Zombie fencing is not set up on this worker');
    await this.zombieFencing.fence(name, config);
  }

  /** Like Kafka Connect, a target-state record is written only when an initial state is given. */
  async createConnector(name: string, config: ConnectorConfigMap, initialState?: InitialState): Promise<ConnectorInfo> {
    const full = this.checkedConfig(name, config);
    if (this.opts.configs.snapshot().contains(name)) throw new ConnectorExistsError(name);
    await this.opts.configs.putConnectorConfig(name, full, initialState ? INITIAL_TARGET[initialState] : undefined);
    return { name, config: full, tasks: [], type: this.typeOf(full) };
  }

  async putConnectorConfig(name: string, config: ConnectorConfigMap): Promise<{ created: boolean; info: ConnectorInfo }> {
    const full = this.checkedConfig(name, config);
    const created = !this.opts.configs.snapshot().contains(name);
    await this.opts.configs.putConnectorConfig(name, full);
    return { created, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const current = await this.connectorConfig(name);
    const merged: Record<string, string> = { ...current };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const full = this.checkedConfig(name, merged);
    await this.opts.configs.putConnectorConfig(name, full);
    return this.connectorInfo(name);
  }

  async deleteConnector(name: string): Promise<void> {
    this.requireConnector(name);
    await this.opts.configs.removeConnector(name);
  }

  async pauseConnector(name: string): Promise<void> {
    this.requireConnector(name);
    await this.opts.configs.putTargetState(name, 'PAUSED');
  }

  async resumeConnector(name: string): Promise<void> {
    this.requireConnector(name);
    await this.opts.configs.putTargetState(name, 'STARTED');
  }

  /**
   * Writes an empty task set, then the STOPPED target state (Kafka's order), as one queued
   * command, so the worker never acts on the empty task set while the target is still STARTED.
   */
  async stopConnector(name: string): Promise<void> {
    this.requireConnector(name);
    await this.run(async () => {
      await this.opts.configs.putTaskConfigs(name, []);
      await this.opts.configs.putTargetState(name, 'STOPPED');
    });
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    await this.requireNoRebalance();
    this.requireConnector(name);
    if (!options.includeTasks && !options.onlyFailed) {
      if (this.opts.distributed && !this.ownsConnector(name)) await this.opts.configs.requestRestart(name, options);
      else await this.enqueue(() => this.restartConnectorInstance(name));
      return null;
    }
    const state = await this.connectorStatus(name);
    const preview: ConnectorStateInfo = {
      ...state,
      connector: !options.onlyFailed || state.connector.state === 'FAILED' ? { ...state.connector, state: 'RESTARTING' } : state.connector,
      tasks: state.tasks.map((t) => (options.includeTasks && (!options.onlyFailed || t.state === 'FAILED') ? { ...t, state: 'RESTARTING' } : t)),
    };
    await this.opts.configs.requestRestart(name, options);
    return preview;
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.requireNoRebalance();
    const snap = this.requireConnector(name);
    if (!snap.taskIds(name).some((id) => id.task === task)) throw new TaskNotFoundError(`Task ${name}-${task} not found`);
    const distributed = this.opts.distributed;
    if (distributed && !this.ownsTask(name, task)) {
      const owner = this.opts.statuses.getTask({ connector: name, task })?.workerId;
      if (!owner || owner === this.opts.worker.workerId || !distributed.restartTaskOn) {
        throw new RebalanceInProgressError('Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
      }
      await distributed.restartTaskOn(owner, name, task);
      return;
    }
    await this.enqueue(() => this.restartTaskInstance(name, task));
  }

  // --- tasks-config, topics, offsets, loggers, health --------------------------------------------

  async taskConfigs(name: string): Promise<Record<string, ConnectorConfigMap>> {
    const snap = this.requireConnector(name);
    return Object.fromEntries(snap.taskIds(name).map((id) => [`${name}-${id.task}`, stringMap(snap.taskConfig(id) ?? {})]));
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    return this.opts.statuses.topicsFor(name).map((t) => t.topic).sort();
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.opts.statuses.resetTopics(name);
    await this.opts.statuses.readToEnd();
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const config = this.opts.configs.snapshot().connectorConfig(name);
    if (!config) throw new ConnectorNotFoundError(name);
    const raw = stringMap(config);
    return this.offsetOperations.read(name, this.offsetsKind(raw), raw);
  }

  async alterConnectorOffsets(name: string, offsets: readonly ConnectorOffsetInput[]): Promise<Message> {
    return this.modifyOffsets(name, (kind, config) => this.offsetOperations.alter(name, kind, config, offsets));
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    return this.modifyOffsets(name, (kind, config) => this.offsetOperations.reset(name, kind, config));
  }

  async loggerLevels(): Promise<Record<string, LoggerLevel>> {
    return this.loggers.all();
  }

  async loggerLevel(name: string): Promise<LoggerLevel | null> {
    return this.loggers.level(name);
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    return this.loggers.setLevel(namespace, level);
  }

  /** Applied here too once read back (onConfigChange), like on every other worker. */
  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.opts.configs.putLoggerLevel(namespace, level);
  }

  async connectorLag(name: string): Promise<ConnectorLag> {
    const config = stringMap(this.requireConnector(name).connectorConfig(name)!);
    const type = this.typeOf(config);
    return type === 'sink' ? sinkLag(this.opts.admin, name, config) : notASinkLag(name, type);
  }

  async connectorReplication(name: string): Promise<ConnectorReplication> {
    const snap = this.requireConnector(name);
    const raw = stringMap(snap.connectorConfig(name)!);
    const plugin = this.opts.plugins.connector(raw['connector.class'] ?? '');
    const kind = plugin && mirrorKindOf(plugin.className);
    if (!plugin || !kind) {
      throw new BadRequestError(`Connector ${name} is not a MirrorMaker connector (MirrorSourceConnector, MirrorCheckpointConnector or MirrorHeartbeatConnector)`);
    }
    const factory = this.opts.kafkaClusters;
    if (!factory) throw new Error('This worker has no clients for the clusters MirrorMaker connectors replicate between');
    const resolution = await (this.opts.resolveConfig ?? configResolution(null))(raw, plugin);
    const clusters = factory({ connector: name });
    try {
      return await mirrorReplication({
        name, className: plugin.className, kind, config: resolution.resolved, taskConfigs: snap.taskConfigs(name).map(stringMap),
        storedOffsets: () => this.opts.offsets.allFor(name), clusters, scrub: resolution.scrub,
      });
    } finally {
      await clusters.closeAll();
    }
  }

  async health(): Promise<WorkerStatus> {
    return probeHealth(() => this.run(async () => undefined), this.opts.healthCheckTimeoutMs);
  }

  /** Checks the connector is STOPPED now and again on the queue, where the offsets change runs. */
  private async modifyOffsets(
    name: string, modify: (kind: OffsetsConnectorKind, config: ConnectorConfigMap) => Promise<Message>,
  ): Promise<Message> {
    await this.requireNoRebalance();
    const stopped = this.requireStopped(name);
    if (this.opts.exactlyOnceSourceSupport === 'enabled' && this.zombieFencing && this.offsetsKind(stopped) === 'source') {
      // Zombie tasks of the connector must not write offsets after these are modified (Kafka Connect fences first).
      try {
        await this.fenceZombies(name);
      } catch (error) {
        throw new Error(`${FENCING_BEFORE_OFFSETS}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    return this.run(async () => {
      const config = this.requireStopped(name);
      return modify(this.offsetsKind(config), config);
    });
  }

  private requireStopped(name: string): ConnectorConfigMap {
    const snap = this.requireConnector(name);
    if (snap.targetState(name) !== 'STOPPED' || snap.taskCount(name) !== 0) throw new BadRequestError(NOT_STOPPED(name));
    return stringMap(snap.connectorConfig(name)!);
  }

  private offsetsKind(config: ConnectorConfigMap): OffsetsConnectorKind {
    const connectorClass = config['connector.class'] ?? '';
    const plugin = this.opts.plugins.connector(connectorClass);
    if (!plugin) throw new PluginNotFoundError(this.opts.plugins.unknownConnectorMessage(connectorClass));
    return plugin.kind;
  }

  private applyClusterLoggerLevel(namespace: string, level: string): void {
    try {
      const affected = this.loggers.setLevel(namespace, level);
      this.opts.logger.info({ namespace, level, affected }, 'applied a cluster-wide log level');
    } catch (err) {
      this.opts.logger.warn({ err, namespace, level }, 'ignored a cluster-wide log level');
    }
  }

  // --- convergence ---------------------------------------------------------------------------

  private onConfigChange(change: ConfigChangeSet): void {
    if (this.opts.distributed && this.isLeader
      && change.connectorsAdded.length + change.connectorsRemoved.length + change.taskConfigsCommitted.length > 0) {
      this.opts.distributed.onWorkChanged();
    }
    const touched = new Set([
      ...change.connectorsAdded, ...change.connectorsUpdated, ...change.connectorsRemoved,
      ...change.taskConfigsCommitted, ...change.targetStatesChanged,
    ]);
    for (const name of touched) this.enqueue(() => this.reconcile(name));
    for (const request of change.restartRequests) {
      this.enqueue(() => this.processRestartRequest(request.connector, request));
    }
    for (const { namespace, level } of change.loggerLevels) this.applyClusterLoggerLevel(namespace, level);
  }

  /** Runs a command on the queue and hands its result or error to the caller. */
  private run<T>(command: () => Promise<T>): Promise<T> {
    const result = this.queue.then(command);
    this.queue = result.then(() => undefined, () => undefined);
    return result;
  }

  /** Queues a convergence command; its failures are logged, never thrown. */
  private enqueue(command: () => Promise<void>): Promise<void> {
    return this.run(async () => {
      if (this.stopped) return;
      try {
        await command();
      } catch (err) {
        this.opts.logger.error({ err }, 'worker command failed');
      }
    });
  }

  /** Converges one connector and its tasks on the config topic's view of it. */
  private async reconcile(name: string): Promise<void> {
    const { worker, configs, statuses } = this.opts;
    const snap = configs.snapshot();
    const config = snap.connectorConfig(name);
    if (!config) {
      await worker.stopAllTasksOf(name);
      await worker.stopConnector(name);
      if (this.isLeader) await statuses.removeConnector(name);
      worker.forgetConnector(name);
      return;
    }
    const plugin = this.opts.plugins.connector(config['connector.class'] ?? '');
    const raw = stringMap(config);
    const target = snap.targetState(name);
    if (!plugin) {
      this.opts.logger.error({ connector: name }, this.opts.plugins.unknownConnectorMessage(config['connector.class'] ?? ''));
      return;
    }
    if (target === 'STOPPED') {
      const removed = await worker.stopAllTasksOf(name);
      await worker.stopConnector(name);
      await Promise.all(removed.map((task) => statuses.removeTask({ connector: name, task })));
      if (this.ownsConnector(name)) worker.reportStopped(name);
      return;
    }
    if (this.ownsConnector(name)) {
      await worker.ensureConnector(name, plugin, raw, target);
      if (await this.regenerateTaskConfigs(name, raw)) return;
    } else {
      await worker.stopConnector(name);
    }
    const ids = snap.taskIds(name);
    const taskConfigs = new Map(ids.filter((id) => this.ownsTask(name, id.task)).map((id) => [id.task, stringMap(snap.taskConfig(id) ?? {})]));
    if (snap.isInconsistent(name)) return;
    const stored = new Set(ids.map((id) => id.task));
    const removed = (await worker.syncTasks(name, plugin, raw, taskConfigs, target)).filter((task) => !stored.has(task));
    await Promise.all(removed.map((task) => statuses.removeTask({ connector: name, task })));
  }

  /** Writes new task configs when the connector's differ from the committed ones; true if it wrote. */
  private async regenerateTaskConfigs(name: string, config: RawConfig): Promise<boolean> {
    const snap = this.opts.configs.snapshot();
    const maxTasks = Number(config['tasks.max'] ?? '1');
    const generated = await this.opts.worker.connectorTaskConfigs(name, maxTasks);
    if (!generated) return false;
    const committed = snap.isInconsistent(name) ? undefined : snap.taskConfigs(name).map(stringMap);
    if (committed && sameConfigList(committed, generated)) return false;
    const viaLeader = this.opts.distributed?.putTaskConfigsOnLeader;
    if (viaLeader && !this.isLeader) await this.handTaskConfigsToLeader(viaLeader, name, generated);
    else await this.opts.configs.putTaskConfigs(name, generated);
    return true;
  }

  /**
   * A follower's task configs go to the leader (POST /connectors/{c}/tasks); when that fails (a
   * rebalance, no session key read yet) the connector is reconfigured again after a backoff of
   * 250 ms doubling up to 60 s, as Kafka Connect retries it.
   */
  private async handTaskConfigsToLeader(
    viaLeader: (connector: string, configs: readonly ConnectorConfigMap[]) => Promise<void>, name: string, generated: readonly ConnectorConfigMap[],
  ): Promise<void> {
    try {
      await viaLeader(name, generated);
      this.taskConfigHandOverFailures.delete(name);
    } catch (err) {
      const failures = (this.taskConfigHandOverFailures.get(name) ?? 0) + 1;
      this.taskConfigHandOverFailures.set(name, failures);
      const delayMs = Math.min(250 * 2 ** (failures - 1), 60_000);
      this.opts.logger.error({ err, connector: name, retryInMs: delayMs }, 'Request to leader to reconfigure connector tasks failed');
      setTimeout(() => this.requestReconfiguration(name), delayMs).unref();
    }
  }

  /** POST /connectors/{c}/tasks on the leader; like Kafka Connect, a STOPPED connector takes no tasks. */
  async putTaskConfigs(name: string, configs: readonly ConnectorConfigMap[]): Promise<void> {
    const snap = this.requireConnector(name);
    if (this.opts.distributed && !this.isLeader) throw new NotLeaderError(null);
    if (configs.length > 0 && snap.targetState(name) === 'STOPPED') {
      throw new BadRequestError(`Cannot submit non-empty set of task configs for stopped connector ${name}`);
    }
    await this.opts.configs.putTaskConfigs(name, configs);
  }

  private async processRestartRequest(name: string, request: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    const snap = this.opts.configs.snapshot();
    if (!snap.contains(name)) return;
    const connectorStatus = this.opts.statuses.get(name);
    if (!request.onlyFailed || connectorStatus?.state === 'FAILED') await this.restartConnectorInstance(name);
    if (!request.includeTasks) return;
    for (const id of snap.taskIds(name)) {
      const status = this.opts.statuses.getTask(id);
      if (!request.onlyFailed || status?.state === 'FAILED') await this.restartTaskInstance(name, id.task);
    }
  }

  private async restartConnectorInstance(name: string): Promise<void> {
    await this.opts.worker.stopConnector(name);
    await this.reconcile(name);
  }

  private async restartTaskInstance(name: string, task: number): Promise<void> {
    if (!this.ownsTask(name, task)) return;
    await this.opts.worker.restartTask(name, task);
    await this.reconcile(name);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Kafka Connect's checkRebalanceNeeded: these requests would act on a view the pending rebalance may change. */
  private async requireNoRebalance(): Promise<void> {
    const settled = this.opts.distributed?.rebalanceSettled;
    if (settled && !await settled()) throw new RebalanceInProgressError();
  }

  private requireConnector(name: string) {
    const snap = this.opts.configs.snapshot();
    if (!snap.contains(name)) throw new ConnectorNotFoundError(name);
    return snap;
  }

  /** Fills in or checks `name`, validates, and returns the config to store. */
  private checkedConfig(name: string, config: ConnectorConfigMap): ConnectorConfigMap {
    if (name.trim() === '' || hasControlCharacters(name)) {
      throw new ConfigInvalidError([`name: connector name '${name}' must be non-empty and free of control characters`]);
    }
    if (config.name !== undefined && config.name !== name) {
      throw new BadRequestError(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
    }
    const full = { ...config, name };
    const { errors } = validateConnectorConfig(this.opts.plugins, full, this.validationOptions());
    if (errors.length > 0) throw new ConfigInvalidError(errors);
    return full;
  }

  private validationOptions(): ConnectorValidationOptions {
    return {
      topicCreationEnabled: this.opts.topicCreationEnabled,
      ...(this.opts.distributed && this.opts.exactlyOnceSourceSupport ? { exactlyOnceSourceSupport: this.opts.exactlyOnceSourceSupport } : {}),
    };
  }

  private typeOf(config: PropertyMap): ConnectorType {
    return this.opts.plugins.connector(config['connector.class'] ?? '')?.kind ?? 'unknown';
  }
}

function ownedTaskKey(connector: string, task: number): string {
  return `${connector}\u0000${task}`;
}

function toOwned(work: WorkSet): { connectors: Set<string>; tasks: Set<string> } {
  return { connectors: new Set(work.connectors), tasks: new Set(work.tasks.map((t) => ownedTaskKey(t.connector, t.task))) };
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function stringMap(config: PropertyMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (v !== null) out[k] = v;
  return out;
}

function instance(status: { state: string; workerId: string; trace: string | null }) {
  return status.trace ? { state: status.state, worker_id: status.workerId, trace: status.trace } : { state: status.state, worker_id: status.workerId };
}

function sameConfigList(a: RawConfig[], b: RawConfig[]): boolean {
  return a.length === b.length && a.every((config, i) => {
    const other = b[i]!;
    const keys = Object.keys(config);
    return keys.length === Object.keys(other).length && keys.every((k) => config[k] === other[k]);
  });
}
