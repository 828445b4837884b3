/**
 * Worker: runs this process's share of connectors and tasks and reports their statuses.
 *
 * It does not decide what should run; the control layer tells it (ensureConnector,
 * syncTasks, stop*). Status reports from runners are written to the status topic with this
 * worker's id and the current generation. Calls come from the control layer's serialised
 * queue, one at a time.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import type { ConnectorPlugin } from '../../connectors/sdk/plugin.js';
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { KafkaClustersFactory } from '../kafka/connector-clusters.js';
import type { StatusStore } from '../stores/status-store.js';
import type { TargetState } from '../stores/topic/config-records.js';
import { configResolution, type ConfigResolution, type ResolvedConfig } from './connector-config-resolution.js';
import { ConnectorRunner } from './connector-runner.js';
import { scrubbingLogger } from './scrubbing-logger.js';
import type { TaskRunner } from './task-runner.js';
import { traceOf, type StatusListener, type StatusReport } from './task-status.js';

export interface TaskRunnerRequest {
  connector: string;
  task: number;
  plugin: ConnectorPlugin;
  connectorConfig: RawConfig;
  taskConfig: RawConfig;
  onStatus: StatusListener;
  /** Logs with this connector's secrets scrubbed. */
  logger: TaskLogger;
}

export type TaskRunnerFactory = (request: TaskRunnerRequest) => TaskRunner;

export interface WorkerOptions {
  workerId: string;
  statuses: StatusStore;
  createTaskRunner: TaskRunnerFactory;
  logger: TaskLogger;
  /** Gives each connector its ConnectorContext.kafka. */
  kafkaClusters: KafkaClustersFactory;
  /** The group generation status writes carry. */
  generation: () => number;
  /** A connector asked for its task configs to be recomputed. */
  onReconfigurationRequest: (connector: string) => void;
  /** Resolves config-provider placeholders before an instance runs; none when absent. */
  resolveConfig?: ConfigResolution;
}

interface RunningTask {
  runner: TaskRunner;
  config: RawConfig;
  connectorConfig: RawConfig;
}

export class Worker {
  private readonly connectors = new Map<string, ConnectorRunner>();
  private readonly tasks = new Map<string, RunningTask>();
  /** The resolution of each running connector's config: scrubs its secrets out of traces. */
  private readonly resolutions = new Map<string, ResolvedConfig>();
  private readonly resolveConfig: ConfigResolution;

  constructor(private readonly opts: WorkerOptions) {
    this.resolveConfig = opts.resolveConfig ?? configResolution(null);
  }

  get workerId(): string {
    return this.opts.workerId;
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()];
  }

  runningTaskIds(connector: string): number[] {
    const prefix = `${connector}\u0000`;
    return [...this.tasks.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length))).sort((a, b) => a - b);
  }

  /** Starts the connector, or restarts it when its config changed; applies the target state. */
  async ensureConnector(name: string, plugin: ConnectorPlugin, config: RawConfig, target: TargetState): Promise<void> {
    const existing = this.connectors.get(name);
    if (existing && !sameConfig(existing.config, config)) await this.stopConnector(name);
    const runner = this.connectors.get(name);
    if (runner) {
      if (target === 'PAUSED') runner.pause();
      else runner.resume();
      return;
    }
    let resolution: ResolvedConfig;
    try {
      resolution = await this.resolveConfig(config, plugin);
    } catch (err) {
      this.report(name, null, { state: 'FAILED', trace: traceOf(err) });
      return;
    }
    this.resolutions.set(name, resolution);
    const created = new ConnectorRunner({
      name,
      plugin,
      config: resolution.resolved,
      rawConfig: config,
      logger: scrubbingLogger(this.opts.logger, resolution.scrub, { connector: name }),
      clusters: this.opts.kafkaClusters({ connector: name }),
      onStatus: (report) => this.report(name, null, report),
      onReconfigurationRequest: () => this.opts.onReconfigurationRequest(name),
    });
    this.connectors.set(name, created);
    await created.start(target === 'PAUSED');
  }

  /** The connector's task configs, with config-provider placeholders put back for storage. */
  async connectorTaskConfigs(name: string, maxTasks: number): Promise<RawConfig[] | undefined> {
    const configs = await this.connectors.get(name)?.taskConfigs(maxTasks);
    const resolution = this.resolutions.get(name);
    return configs && resolution ? configs.map((c) => resolution.restore(c)) : configs;
  }

  isConnectorFailed(name: string): boolean {
    return this.connectors.get(name)?.isFailed ?? false;
  }

  async stopConnector(name: string): Promise<void> {
    const runner = this.connectors.get(name);
    if (!runner) return;
    this.connectors.delete(name);
    await runner.stop();
  }

  /** Forgets what the worker kept about a connector that is gone. */
  forgetConnector(name: string): void {
    this.resolutions.delete(name);
  }

  /** Writes the connector's STOPPED status (its tasks are gone). */
  reportStopped(name: string): void {
    this.report(name, null, { state: 'STOPPED', trace: null });
  }

  /**
   * Makes this connector's running tasks match `configs` (task id → config): stops tasks
   * that are gone or whose config changed, starts missing ones, and applies the target state.
   * Returns the ids it stopped for good, whose statuses the caller may remove.
   */
  async syncTasks(
    connector: string,
    plugin: ConnectorPlugin,
    connectorConfig: RawConfig,
    configs: ReadonlyMap<number, RawConfig>,
    target: TargetState,
  ): Promise<number[]> {
    const removed: number[] = [];
    for (const id of this.runningTaskIds(connector)) {
      const running = this.tasks.get(taskKey(connector, id))!;
      const wanted = configs.get(id);
      if (!wanted || !sameConfig(wanted, running.config) || !sameConfig(connectorConfig, running.connectorConfig)) {
        await this.stopTask(connector, id);
        if (!wanted) removed.push(id);
      }
    }
    for (const [id, config] of [...configs].sort((a, b) => a[0] - b[0])) {
      const key = taskKey(connector, id);
      let running = this.tasks.get(key);
      if (!running) {
        let connectorResolution: ResolvedConfig;
        let taskResolution: ResolvedConfig;
        try {
          connectorResolution = await this.resolveConfig(connectorConfig, plugin);
          taskResolution = await this.resolveConfig(config, plugin);
        } catch (err) {
          this.report(connector, id, { state: 'FAILED', trace: traceOf(err) });
          continue;
        }
        const runner = this.opts.createTaskRunner({
          connector,
          task: id,
          plugin,
          connectorConfig: connectorResolution.resolved,
          taskConfig: taskResolution.resolved,
          onStatus: (report) => this.report(connector, id, report),
          logger: scrubbingLogger(this.opts.logger, (text) => taskResolution.scrub(connectorResolution.scrub(text)), { connector, task: id }),
        });
        running = { runner, config, connectorConfig };
        this.tasks.set(key, running);
        this.opts.logger.info({ connector, task: id }, 'starting task');
        await runner.start();
      }
      if (target === 'PAUSED') running.runner.pause();
      else running.runner.resume();
    }
    return removed;
  }

  async restartTask(connector: string, id: number): Promise<boolean> {
    const running = this.tasks.get(taskKey(connector, id));
    if (!running) return false;
    await this.stopTask(connector, id);
    this.report(connector, id, { state: 'RESTARTING', trace: null });
    return true;
  }

  hasTask(connector: string, id: number): boolean {
    return this.tasks.has(taskKey(connector, id));
  }

  async stopTask(connector: string, id: number): Promise<void> {
    const key = taskKey(connector, id);
    const running = this.tasks.get(key);
    if (!running) return;
    this.tasks.delete(key);
    this.opts.logger.info({ connector, task: id }, 'stopping task');
    await running.runner.stop();
  }

  async stopAllTasksOf(connector: string): Promise<number[]> {
    const ids = this.runningTaskIds(connector);
    await Promise.all(ids.map((id) => this.stopTask(connector, id)));
    return ids;
  }

  /** Stops everything this worker runs (shutdown). Tasks stop in parallel. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((key) => {
      const [connector, id] = key.split('\u0000');
      return this.stopTask(connector!, Number(id));
    }));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
  }

  private report(connector: string, task: number | null, report: StatusReport): void {
    const scrub = this.resolutions.get(connector)?.scrub;
    const trace = report.trace !== null && scrub ? scrub(report.trace) : report.trace;
    const base = { connector, state: report.state, trace, workerId: this.opts.workerId, generation: this.opts.generation() };
    const write = task === null ? this.opts.statuses.put(base) : this.opts.statuses.put({ ...base, task });
    write.catch((err: unknown) => this.opts.logger.warn({ err, connector, task }, 'could not write status'));
  }
}

function taskKey(connector: string, id: number): string {
  return `${connector}\u0000${id}`;
}

function sameConfig(a: RawConfig, b: RawConfig): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
