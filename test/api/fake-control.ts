/**
 * An in-memory ClusterControl behaving as the facade documents: Kafka Connect's entity shapes,
 * RuntimeErrors for unknown connectors, existing names and invalid configs. Tasks are
 * generated at once (`tasks.max` of them) and run on one worker. `failNextCall` makes the next
 * facade call throw, to exercise error mapping.
 */
import type {
  ClusterControl,
  ConnectorConfigMap,
  ConnectorInfo,
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

type ConfigInfos = Awaited<ReturnType<ClusterControl['validateConfig']>>;
type ConfigKeyInfo = Awaited<ReturnType<ClusterControl['pluginConfig']>>[number];

export const WORKER_ID = 'worker-1:8083';

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

  reset(): void {
    this.connectors.clear();
    this.nextFailure = null;
    this.beforeNextStatus = null;
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
}
