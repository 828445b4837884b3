/**
 * An in-memory ClusterControl behaving as the facade documents: Kafka Connect's entity shapes,
 * RuntimeErrors for unknown connectors, existing names and invalid configs. Tasks are
 * generated at once (`tasks.max` of them) and run on one worker. `failNextCall` makes the next
 * facade call throw, to exercise error mapping. Offsets are kept per connector (sink entries
 * parsed with Kafka's rules), active topics are set with `setActiveTopics`, logger levels live
 * in a LoggerLevels registry with a fixed clock, `healthStatus` is what the health check says, and
 * `sinkLag` holds the partitions the lag endpoint reports for a sink.
 */
import type {
  ClusterControl,
  ConnectorConfigMap,
  ConnectorInfo,
  ConnectorLag,
  ConnectorReplication,
  ConnectorOffset,
  ConnectorOffsetInput,
  ConnectorOffsets,
  LoggerLevel,
  Message,
  PartitionLag,
  WorkerStatus,
  ConnectorStateInfo,
  ConnectorType,
  InitialState,
  PluginInfo,
  RestartOptions,
  ServerInfo,
  TargetState,
  TaskInfo,
  TaskState,
} from '../../runtime/control/cluster-control.js';
import {
  BadRequestError,
  ConfigInvalidError,
  ConnectorExistsError,
  ConnectorNotFoundError,
  PluginNotFoundError,
  TaskNotFoundError,
} from '../../runtime/errors.js';
import { OFFSETS_ALTERED, OFFSETS_RESET, parseSinkOffsets, parseSourceOffsets, sinkGroupId } from '../../runtime/control/connector-offsets.js';
import { notASinkLag } from '../../runtime/control/monitoring/sink-lag.js';
import { LoggerLevels } from '../../runtime/control/logger-levels.js';
import { HEALTHY } from '../../runtime/control/worker-health.js';

type ConfigInfos = Awaited<ReturnType<ClusterControl['validateConfig']>>;
type ConfigKeyInfo = Awaited<ReturnType<ClusterControl['pluginConfig']>>[number];

export const WORKER_ID = 'worker-1:8083';

/** The fake's clock for logger `last_modified`. */
export const LOGGER_CLOCK = 1_700_000_000_000;

const PLUGINS: PluginInfo[] = [
  { class: 'org.example.FileSinkConnector', type: 'sink', version: '1.0.0' },
  { class: 'org.example.FileSourceConnector', type: 'source', version: '1.0.0' },
  { class: 'org.example.InsertField', type: 'transformation' },
];

const TASKS_MAX: ConfigKeyInfo = {
  name: 'tasks.max',
  type: 'INT',
  required: false,
  default_value: '1',
  importance: 'HIGH',
  documentation: 'Maximum number of tasks to use for this connector.',
  group: 'Common',
  order: 3,
  width: 'SHORT',
  display_name: 'Tasks max',
  dependents: [],
};

interface StoredConnector {
  config: ConnectorConfigMap;
  target: TargetState;
  type: ConnectorType;
  connectorState: string;
  tasks: { state: string; trace?: string }[];
  offsets: ConnectorOffset[];
  topics: string[];
}

function pluginFor(connectorClass: string): PluginInfo | undefined {
  return PLUGINS.find((p) => (p.type === 'source' || p.type === 'sink')
    && (p.class === connectorClass || p.class.endsWith(`.${connectorClass}`) || p.class.endsWith(`.${connectorClass}Connector`)));
}

function stateFor(target: TargetState): string {
  return target === 'STARTED' ? 'RUNNING' : target;
}

export class FakeControl implements ClusterControl {
  readonly connectors = new Map<string, StoredConnector>();
  private nextFailure: unknown = null;
  /** Runs once at the start of the next connectorStatus call (e.g. to delete a connector meanwhile). */
  beforeNextStatus: (() => void) | null = null;
  loggers = new LoggerLevels(undefined, { now: () => LOGGER_CLOCK });
  /** Cluster-scope level changes, in order (applied to `loggers` too, as a worker reading them back would). */
  readonly clusterLoggerLevels: { namespace: string; level: string }[] = [];
  healthStatus: WorkerStatus = HEALTHY;

  reset(): void {
    this.connectors.clear();
    this.nextFailure = null;
    this.beforeNextStatus = null;
    this.loggers = new LoggerLevels(undefined, { now: () => LOGGER_CLOCK });
    this.clusterLoggerLevels.length = 0;
    this.healthStatus = HEALTHY;
  }

  setActiveTopics(name: string, topics: string[]): void {
    this.require(name).topics = [...topics];
  }

  setOffsets(name: string, offsets: ConnectorOffset[]): void {
    this.require(name).offsets = offsets.map((o) => ({ partition: { ...o.partition }, offset: o.offset && { ...o.offset } }));
  }

  failNextCall(error: unknown): void {
    this.nextFailure = error;
  }

  failTask(name: string, task: number, trace: string): void {
    this.require(name).tasks[task] = { state: 'FAILED', trace };
  }

  private check(): void {
    const failure = this.nextFailure;
    this.nextFailure = null;
    if (failure !== null) throw failure;
  }

  private require(name: string): StoredConnector {
    const connector = this.connectors.get(name);
    if (!connector) throw new ConnectorNotFoundError(name);
    return connector;
  }

  private validate(config: ConnectorConfigMap): ConnectorType {
    const connectorClass = config['connector.class'];
    if (connectorClass === undefined) {
      throw new BadRequestError(`Connector config {${Object.entries(config).map(([k, v]) => `${k}=${v}`).join(', ')}} contains no connector type`);
    }
    const plugin = pluginFor(connectorClass);
    if (!plugin) throw new PluginNotFoundError(`Failed to find any class that implements Connector and which name matches ${connectorClass}`);
    const errors: string[] = [];
    if (!config.name) errors.push('Missing required configuration "name" which has no default value.');
    if (config['tasks.max'] !== undefined && !/^\d+$/.test(config['tasks.max'])) {
      errors.push(`Invalid value ${config['tasks.max']} for configuration tasks.max: Not a number of type INT`);
    }
    if (errors.length > 0) throw new ConfigInvalidError(errors);
    return plugin.type as ConnectorType;
  }

  private store(name: string, config: ConnectorConfigMap, target: TargetState): StoredConnector {
    const type = this.validate(config);
    const taskCount = target === 'STOPPED' ? 0 : Number(config['tasks.max'] ?? '1');
    const stored: StoredConnector = {
      config: { ...config },
      target,
      type,
      connectorState: stateFor(target),
      tasks: Array.from({ length: taskCount }, () => ({ state: stateFor(target) })),
      offsets: this.connectors.get(name)?.offsets ?? [],
      topics: this.connectors.get(name)?.topics ?? [],
    };
    this.connectors.set(name, stored);
    return stored;
  }

  private info(name: string, stored: StoredConnector, withTasks = true): ConnectorInfo {
    return {
      name,
      config: { ...stored.config },
      tasks: withTasks ? stored.tasks.map((_, task) => ({ connector: name, task })) : [],
      type: stored.type,
    };
  }

  private taskState(id: number, task: { state: string; trace?: string }): TaskState {
    return { id, state: task.state, worker_id: WORKER_ID, ...(task.trace ? { trace: task.trace } : {}) };
  }

  private status(name: string, stored: StoredConnector): ConnectorStateInfo {
    return {
      name,
      connector: { state: stored.connectorState, worker_id: WORKER_ID },
      tasks: stored.tasks.map((task, id) => this.taskState(id, task)),
      type: stored.type,
    };
  }

  async serverInfo(): Promise<ServerInfo> {
    this.check();
    return { version: '3.9.0', commit: 'abcdef0123456789', kafka_cluster_id: 'fake-cluster' };
  }

  async listConnectors(): Promise<string[]> {
    this.check();
    return [...this.connectors.keys()];
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    this.check();
    return this.info(name, this.require(name));
  }

  async connectorConfig(name: string): Promise<ConnectorConfigMap> {
    this.check();
    return { ...this.require(name).config };
  }

  async createConnector(name: string, config: ConnectorConfigMap, initialState: InitialState = 'RUNNING'): Promise<ConnectorInfo> {
    this.check();
    if (this.connectors.has(name)) throw new ConnectorExistsError(name);
    const target: TargetState = initialState === 'RUNNING' ? 'STARTED' : initialState;
    return this.info(name, this.store(name, config, target), false);
  }

  async putConnectorConfig(name: string, config: ConnectorConfigMap): Promise<{ created: boolean; info: ConnectorInfo }> {
    this.check();
    const existing = this.connectors.get(name);
    const stored = this.store(name, config, existing?.target ?? 'STARTED');
    return { created: existing === undefined, info: this.info(name, stored, existing !== undefined) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    this.check();
    const existing = this.require(name);
    const config = { ...existing.config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    return this.info(name, this.store(name, config, existing.target));
  }

  async deleteConnector(name: string): Promise<void> {
    this.check();
    this.require(name);
    this.connectors.delete(name);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    this.check();
    const hook = this.beforeNextStatus;
    this.beforeNextStatus = null;
    hook?.();
    const stored = this.connectors.get(name);
    if (!stored) throw new ConnectorNotFoundError(name, `No status found for connector ${name}`);
    return this.status(name, stored);
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    this.check();
    const t = this.connectors.get(name)?.tasks[task];
    if (!t) throw new TaskNotFoundError(`No status found for task ${name}-${task}`);
    return this.taskState(task, t);
  }

  async taskInfos(name: string): Promise<TaskInfo[]> {
    this.check();
    const stored = this.require(name);
    return stored.tasks.map((_, task) => ({
      id: { connector: name, task },
      config: { 'task.class': `${stored.config['connector.class']}Task`, 'task.index': String(task) },
    }));
  }

  private setTarget(name: string, target: TargetState): void {
    const stored = this.require(name);
    stored.target = target;
    stored.connectorState = stateFor(target);
    if (target === 'STOPPED') stored.tasks = [];
    else stored.tasks = stored.tasks.map(() => ({ state: stateFor(target) }));
  }

  async pauseConnector(name: string): Promise<void> {
    this.check();
    this.setTarget(name, 'PAUSED');
  }

  async resumeConnector(name: string): Promise<void> {
    this.check();
    this.setTarget(name, 'STARTED');
  }

  async stopConnector(name: string): Promise<void> {
    this.check();
    this.setTarget(name, 'STOPPED');
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    this.check();
    const stored = this.require(name);
    if (!options.includeTasks && !options.onlyFailed) return null;
    const preview = this.status(name, stored);
    if (!options.onlyFailed || preview.connector.state === 'FAILED') preview.connector = { state: 'RESTARTING', worker_id: WORKER_ID };
    if (options.includeTasks) {
      preview.tasks = preview.tasks.map((t) => (!options.onlyFailed || t.state === 'FAILED' ? { id: t.id, state: 'RESTARTING', worker_id: WORKER_ID } : t));
    }
    return preview;
  }

  async restartTask(name: string, task: number): Promise<void> {
    this.check();
    const stored = this.require(name);
    if (!stored.tasks[task]) throw new TaskNotFoundError(`Unknown task: ${name}-${task}`);
    stored.tasks[task] = { state: stateFor(stored.target) };
  }

  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    this.check();
    return PLUGINS.filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink');
  }

  async pluginConfig(plugin: string): Promise<ConfigKeyInfo[]> {
    this.check();
    if (!PLUGINS.some((p) => p.class === plugin || p.class.endsWith(`.${plugin}`))) {
      throw new PluginNotFoundError(`Unknown plugin ${plugin}.`, 404);
    }
    return [TASKS_MAX];
  }

  async validateConfig(_plugin: string | null, config: Record<string, string | null>): Promise<ConfigInfos> {
    this.check();
    const connectorClass = config['connector.class'];
    const plugin = connectorClass ? pluginFor(connectorClass) : undefined;
    if (!connectorClass || !plugin) throw new PluginNotFoundError(`Failed to find any class that implements Connector and which name matches ${connectorClass}`);
    const submitted = Object.hasOwn(config, 'tasks.max');
    const value = submitted ? config['tasks.max'] : '1';
    const errors = value === null
      ? ['Null value can not be supplied as the configuration value.']
      : /^\d+$/.test(value) ? [] : [`Invalid value ${value} for configuration tasks.max: Not a number of type INT`];
    return {
      name: connectorClass,
      error_count: errors.length,
      groups: ['Common'],
      configs: [{
        definition: TASKS_MAX,
        value: { name: 'tasks.max', value, recommended_values: [], errors, visible: true },
      }],
    };
  }

  async taskConfigs(name: string): Promise<Record<string, ConnectorConfigMap>> {
    this.check();
    const infos = await this.taskInfos(name);
    return Object.fromEntries(infos.map((t) => [`${name}-${t.id.task}`, t.config]));
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    this.check();
    return [...(this.connectors.get(name)?.topics ?? [])].sort();
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    this.check();
    const stored = this.connectors.get(name);
    if (stored) stored.topics = [];
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    this.check();
    return { offsets: this.require(name).offsets.map((o) => ({ partition: { ...o.partition }, offset: o.offset && { ...o.offset } })) };
  }

  private requireStopped(name: string): StoredConnector {
    const stored = this.require(name);
    if (stored.target !== 'STOPPED') {
      throw new BadRequestError('Connectors must be in the STOPPED state before their offsets can be modified. This can be done '
        + `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`);
    }
    return stored;
  }

  async alterConnectorOffsets(name: string, offsets: readonly ConnectorOffsetInput[]): Promise<Message> {
    this.check();
    const stored = this.requireStopped(name);
    const changes: ConnectorOffset[] = stored.type === 'sink'
      ? parseSinkOffsets(offsets).map((o) => ({
        partition: { kafka_topic: o.topic, kafka_partition: o.partition },
        offset: o.offset === null ? null : { kafka_offset: o.offset },
      }))
      : parseSourceOffsets(offsets).map((o) => ({ partition: { ...o.partition }, offset: o.offset && { ...o.offset } }));
    for (const change of changes) {
      const key = JSON.stringify(change.partition);
      stored.offsets = stored.offsets.filter((o) => JSON.stringify(o.partition) !== key);
      if (change.offset !== null) stored.offsets.push(change);
    }
    return OFFSETS_ALTERED;
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    this.check();
    this.requireStopped(name).offsets = [];
    return OFFSETS_RESET;
  }

  async loggerLevels(): Promise<Record<string, LoggerLevel>> {
    this.check();
    return this.loggers.all();
  }

  async loggerLevel(name: string): Promise<LoggerLevel | null> {
    this.check();
    return this.loggers.level(name);
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    this.check();
    return this.loggers.setLevel(namespace, level);
  }

  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    this.check();
    this.clusterLoggerLevels.push({ namespace, level });
    this.loggers.setLevel(namespace, level);
  }

  async health(): Promise<WorkerStatus> {
    this.check();
    return this.healthStatus;
  }

  /** Connectors fenceZombies was asked for, in order. */
  readonly fenced: string[] = [];

  async fenceZombies(name: string): Promise<void> {
    this.check();
    this.require(name);
    this.fenced.push(name);
  }

  /** Task configs putTaskConfigs was given, by connector. */
  readonly taskConfigWrites = new Map<string, readonly Record<string, string>[]>();

  async putTaskConfigs(name: string, configs: readonly Record<string, string>[]): Promise<void> {
    this.check();
    this.require(name);
    this.taskConfigWrites.set(name, configs);
  }

  /** The partitions connectorLag reports for a sink, by connector (none unless set). */
  readonly sinkLag = new Map<string, PartitionLag[]>();

  async connectorLag(name: string): Promise<ConnectorLag> {
    this.check();
    const connector = this.require(name);
    if (connector.type !== 'sink') return notASinkLag(name, connector.type);
    const partitions = this.sinkLag.get(name) ?? [];
    return { name, type: 'sink', group: sinkGroupId(name, connector.config), total_lag: partitions.reduce((n, p) => n + p.lag, 0), partitions };
  }

  /** The fake has no MirrorMaker connectors. */
  async connectorReplication(name: string): Promise<ConnectorReplication> {
    this.check();
    this.require(name);
    throw new BadRequestError(`Connector ${name} is not a MirrorMaker connector`);
  }
}
